"""Simulator -> poll -> Celery worker -> database: the import as it runs in production.

Real PostgreSQL and Redis, a real worker process on a queue of its own, and the project's
Amazon simulator over HTTP. Each test moves the simulator's clock itself, since Amazon
(and so the poll) never serves the last two minutes.
"""

import itertools
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from commerce.models import Customer, Order, OrderState
from commerce.services import order_status_create
from importer.models import AmazonOrder, DecisionCode, ImportDecision, PollCursor
from importer.services.polling import amazon_store_poll
from inventory.models import Reservation, StockItem
from inventory.services import product_create, stock_item_adjust
from settings_app.models import CustomerCreation, OrderNumberSource, OrderStatusMode, PendingOrders
from settings_app.services import order_settings_update
from tests.factories import (
    AmazonStoreFactory,
    WebsiteFactory,
    another_store_view,
    standard_statuses_ensure,
)
from tests.fixtures.worker import wait_for

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
STATUSES = [
    "PENDING_AVAILABILITY",
    "PENDING",
    "UNSHIPPED",
    "PARTIALLY_SHIPPED",
    "SHIPPED",
    "CANCELLED",
    "UNFULFILLABLE",
]


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Amazon:
    """One seller in the simulator, a clock the test moves, and polls at that clock."""

    def __init__(self, simulator, store):
        self.simulator = simulator
        self.store = store
        self.now = T0
        simulator.register_seller(
            seller_id=store.seller_id,
            marketplace_ids=store.marketplace_ids,
            client_id=store.lwa_client_id,
            client_secret=store.lwa_client_secret,
            refresh_token=store.refresh_token,
        )
        simulator.clock(now=stamp(self.now))

    def order(self, lines, *, status="UNSHIPPED", channel="MERCHANT", email=None, **extra):
        """An order placed an hour ago; lines are [(sku, quantity)]."""
        body = {
            "createdTime": stamp(self.now - timedelta(hours=1)),
            "lastUpdatedTime": stamp(self.now - timedelta(hours=1)),
            "fulfillment": {"fulfilledBy": channel, "fulfillmentStatus": status},
            "orderItems": [
                {
                    "quantityOrdered": quantity,
                    "product": {
                        "sellerSku": sku,
                        "title": f"Product {sku}",
                        "price": {"unitPrice": {"amount": "12.50", "currencyCode": "USD"}},
                    },
                }
                for sku, quantity in lines
            ],
            **extra,
        }
        if email is not None:
            body["buyer"] = {"buyerName": "Ada Lovelace", "buyerEmail": email}
        return self.simulator.create_order(self.store.seller_id, order=body)["orderId"]

    def status(self, order_id: str, status: str) -> None:
        self.simulator.clock(now=stamp(self.now))
        self.simulator.set_status(order_id, status)

    def poll(self) -> None:
        """Five minutes on, so the last change is older than Amazon's two minutes."""
        self.now += timedelta(minutes=5)
        self.simulator.clock(now=stamp(self.now))
        run = amazon_store_poll(store_id=self.store.pk, now=self.now)
        assert run.outcome == "completed", run.message

    def decided(self, seconds: float = 60) -> bool:
        """Every mirrored order of the store has a decision on its latest change."""
        return wait_for(lambda: not undecided(self.store), seconds)


def undecided(store) -> list[str]:
    return [
        row.amazon_order_id
        for row in AmazonOrder.objects.filter(store=store)
        if row.decided_revision < row.revision or row.decision == ImportDecision.UNDECIDED
    ]


@pytest.fixture
def store(celery_worker):
    """Its own website and statuses: a transactional test cannot count on what migrations
    installed."""
    standard_statuses_ensure()
    return AmazonStoreFactory(website=WebsiteFactory())


@pytest.fixture
def amazon(sp_api, store):
    return Amazon(sp_api, store)


def mirror(store, order_id: str) -> AmazonOrder:
    return AmazonOrder.objects.select_related("commerce_order").get(
        store=store, amazon_order_id=order_id
    )


def net_held(**filters) -> Decimal:
    return Reservation.objects.filter(**filters).aggregate(total=Sum("quantity"))["total"] or 0


# Expected, per the seed's table: which (channel, Amazon status, inventory) create an order.
CREATES = {
    ("AMAZON", "SHIPPED", "in"),
    ("AMAZON", "SHIPPED", "unmanaged"),
    *itertools.product(["MERCHANT"], ["UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"], ["in"]),
    *itertools.product(["MERCHANT"], ["UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"], ["unmanaged"]),
}
IMPORTABLE = {(channel, status) for channel, status, _ in CREATES}
STATE_AFTER = {"UNSHIPPED": "new", "PARTIALLY_SHIPPED": "processing", "SHIPPED": "complete"}
SHIPPED_UNITS = {"UNSHIPPED": 0, "PARTIALLY_SHIPPED": 1, "SHIPPED": 2}


def test_every_row_of_the_table_end_to_end(amazon, store):
    # given one SKU per case: in stock (10), out of stock (1 for 2 ordered), or unmanaged,
    # and one order of 2 units per channel x status x inventory
    cases = {}
    for channel, status, inventory in itertools.product(
        ["AMAZON", "MERCHANT"], STATUSES, ["in", "out", "unmanaged"]
    ):
        sku = f"{inventory}-{channel}-{status}"
        product_create(
            sku=sku,
            name=sku,
            manage_stock=inventory != "unmanaged",
            quantity=10 if inventory == "in" else 1,
        )
        order_id = amazon.order([(sku, 2)], status=status, channel=channel, email="b@x.example")
        cases[channel, status, inventory] = (order_id, sku)

    # when the store is polled and the worker decides
    amazon.poll()

    # then every order is decided as the table says
    assert amazon.decided(), undecided(store)
    for (channel, status, inventory), (order_id, sku) in cases.items():
        case = (channel, status, inventory)
        row = mirror(store, order_id)
        stock = StockItem.objects.get(product__sku=sku)
        if case in CREATES:
            order = row.commerce_order
            assert order is not None, case
            assert re.fullmatch(r"\d{9,}", order.increment_id), case
            assert order.customer_is_guest and order.customer_email == "b@x.example"
            shipped = 2 if channel == "AMAZON" else SHIPPED_UNITS[status]
            expected_state = "complete" if channel == "AMAZON" else STATE_AFTER[status]
            assert order.state == expected_state, case
            held_now = 2 - shipped if channel == "MERCHANT" and inventory == "in" else 0
            assert -net_held(sku=sku) == held_now, case
            moved = shipped if channel == "MERCHANT" and inventory == "in" else 0
            assert stock.quantity == (10 if inventory == "in" else 1) - moved, case
            assert row.decision in (ImportDecision.CREATED, ImportDecision.SHIPPED), case
            continue
        assert row.commerce_order is None, case
        assert not Order.objects.filter(external_order_id=order_id).exists(), case
        if status in ("CANCELLED", "UNFULFILLABLE"):
            assert row.decision == ImportDecision.CANCELED, case
        elif (channel, status) in IMPORTABLE:
            assert (row.decision, row.decision_code) == ("blocked", "out_of_stock"), case
            assert row.decision_details["shortages"][0]["short"] == "1", case
        elif (channel, status, inventory) == ("MERCHANT", "PENDING", "in"):
            assert row.decision == ImportDecision.HELD, case
            assert net_held(object_type="amazon_order", object_id=str(row.pk)) == -2
        else:
            assert row.decision == ImportDecision.WAITING, case
        if case != ("MERCHANT", "PENDING", "in"):
            assert net_held(sku=sku) == 0, case


def test_lifecycles_keep_the_ledger_netting_to_what_is_still_held(amazon, store):
    # given stock, and three FBM orders at the start of their lives, plus one first seen
    # already shipped
    product_create(sku="KETTLE", name="Kettle", quantity=20)
    walks = amazon.order([("KETTLE", 3)], status="PENDING")
    canceled_pending = amazon.order([("KETTLE", 2)], status="PENDING")
    canceled_unshipped = amazon.order([("KETTLE", 4)], status="UNSHIPPED")
    first_seen_shipped = amazon.order([("KETTLE", 1)], status="SHIPPED")
    amazon.poll()
    assert amazon.decided()
    held_at_first = -net_held(sku="KETTLE")

    # when each moves on, a poll after each step
    amazon.status(walks, "UNSHIPPED")
    amazon.status(canceled_pending, "CANCELLED")
    amazon.status(canceled_unshipped, "CANCELLED")
    amazon.poll()
    assert amazon.decided()
    after_cancels = -net_held(sku="KETTLE")
    amazon.status(walks, "PARTIALLY_SHIPPED")
    amazon.poll()
    assert amazon.decided()
    partial = mirror(store, walks)
    partial_state = partial.commerce_order.state
    amazon.status(walks, "SHIPPED")
    amazon.poll()
    assert amazon.decided()

    # then: held 3 (pending) + 2 (pending) + 4 (placed) at first, 3 after the cancels,
    # the walk ships in two steps, and nothing stays held at the end
    assert held_at_first == 9
    assert after_cancels == 3
    assert partial_state == OrderState.PROCESSING
    assert -net_held(sku="KETTLE") == 0
    assert StockItem.objects.get(product__sku="KETTLE").quantity == 20 - 3 - 1
    assert mirror(store, walks).commerce_order.state == OrderState.COMPLETE
    assert mirror(store, canceled_pending).decision == ImportDecision.CANCELED
    assert mirror(store, canceled_unshipped).commerce_order.state == OrderState.CANCELED
    assert mirror(store, first_seen_shipped).decision == ImportDecision.SHIPPED
    for order_id in (walks, canceled_unshipped, first_seen_shipped):
        order = mirror(store, order_id).commerce_order
        assert net_held(object_type="order", object_id=str(order.pk)) == 0


def test_the_same_feed_polled_ten_times_gives_one_order_and_one_ledger_per_amazon_order(
    amazon, store
):
    # given twenty orders, some pending and held
    product_create(sku="MUG", name="Mug", quantity=100)
    orders = [
        amazon.order([("MUG", 1 + index % 3)], status="PENDING" if index % 4 else "UNSHIPPED")
        for index in range(20)
    ]

    # when the same feed is read ten times (the cursor put back each time)
    for _ in range(10):
        PollCursor.objects.filter(store=store).update(updated_after=None)
        amazon.poll()
    assert amazon.decided()

    # then one Commerce order per importable order, and each ledger written once
    assert Order.objects.filter(external_order_id__in=orders).count() == 5
    assert Reservation.objects.filter(event_type="order_placed").count() == 5
    assert Reservation.objects.filter(event_type="pending_order_reserved").count() == 15
    assert -net_held(sku="MUG") == sum(1 + index % 3 for index in range(20))


def test_two_workers_deciding_the_same_orders_at_once_create_each_order_once(
    amazon, store, worker_factory
):
    from importer.tasks import decide_orders

    # given a second worker, and thirty orders mirrored but not yet decided
    worker_factory("second")
    product_create(sku="MUG", name="Mug", quantity=1000)
    for _ in range(30):
        amazon.order([("MUG", 2)])
    amazon.poll()
    ids = list(AmazonOrder.objects.filter(store=store).values_list("pk", flat=True))

    # when the same batches are sent many times, to both workers
    for _ in range(6):
        decide_orders.delay(ids, "retry")
        decide_orders.delay(list(reversed(ids)), "retry")

    # then every order has exactly one Commerce order and one placement
    assert wait_for(lambda: Order.objects.filter(external_order_id__isnull=False).count() >= 30)
    assert amazon.decided()
    wait_for(lambda: False, seconds=2)
    assert Order.objects.count() == 30
    assert Reservation.objects.filter(event_type="order_placed").count() == 30
    assert -net_held(sku="MUG") == 60


def test_a_malformed_order_and_one_whose_placement_fails_do_not_stop_the_others(
    amazon, store, sp_api
):
    # given Amazon numbers, one order whose number an existing Commerce order already has,
    # one malformed order, and three good ones
    order_settings_update(
        settings=store.order_settings, user=None, order_number_source=OrderNumberSource.AMAZON
    )
    product_create(sku="MUG", name="Mug", quantity=100)
    good = [amazon.order([("MUG", 1)]) for _ in range(3)]
    clashing = amazon.order([("MUG", 1)])
    broken = sp_api.create_order(
        store.seller_id,
        order={
            "createdTime": stamp(amazon.now - timedelta(hours=1)),
            "lastUpdatedTime": stamp(amazon.now - timedelta(hours=1)),
        },
        malformed="bad_amount",
    )["orderId"]
    Order.objects.create(
        increment_id=clashing,
        store_view=store.order_settings.store_view,
        state=OrderState.NEW,
        status=_pending_status(),
        currency="USD",
    )

    # when the store is polled
    amazon.poll()
    assert amazon.decided()

    # then the good orders are created, the clash is an error to retry, the broken one is
    # the poll's recorded error
    assert all(mirror(store, order_id).decision == ImportDecision.CREATED for order_id in good)
    failed = mirror(store, clashing)
    assert (failed.decision, failed.attempts) == (ImportDecision.ERROR, 1)
    assert failed.retry_at is not None
    assert not AmazonOrder.objects.filter(store=store, amazon_order_id=broken).exists()


def _pending_status():
    from commerce.models import OrderStatus

    return OrderStatus.objects.get(code="pending")


def test_a_blocked_order_is_imported_once_stock_is_added_and_only_then(amazon, store):
    # given an order for 5 teapots with 1 in stock
    product_create(sku="TEAPOT", name="Teapot", quantity=1)
    order_id = amazon.order([("TEAPOT", 5)])
    amazon.poll()
    assert amazon.decided()
    blocked = mirror(store, order_id)

    # when a little stock arrives (not enough), then enough
    stock_item_adjust(sku="TEAPOT", quantity=Decimal(3), reason="Delivery")
    decided_again = wait_for(
        lambda: mirror(store, order_id).decision_details["shortages"][0]["short"] == "2"
    )
    still_blocked = mirror(store, order_id)
    stock_item_adjust(sku="TEAPOT", quantity=Decimal(6), reason="Delivery")

    # then it stays blocked until the stock covers it, and is created once it does
    assert (blocked.decision, blocked.decision_code) == ("blocked", "out_of_stock")
    assert decided_again
    assert still_blocked.decision == ImportDecision.BLOCKED
    assert wait_for(lambda: mirror(store, order_id).decision == ImportDecision.CREATED)
    assert -net_held(sku="TEAPOT") == 5


@pytest.mark.parametrize(
    "setting",
    ["disabled", "store_view", "accounts", "amazon_number", "custom_status", "do_not_reserve"],
)
def test_each_order_setting_end_to_end(amazon, store, setting):
    # given a store set one way, and orders of one buyer
    product_create(sku="MUG", name="Mug", quantity=100)
    settings = store.order_settings
    change = {
        "disabled": {"import_enabled": False},
        "store_view": {"store_view": another_store_view(store.website).pk},
        "accounts": {"customer_creation": CustomerCreation.NEW_ACCOUNT},
        "amazon_number": {"order_number_source": OrderNumberSource.AMAZON},
        "custom_status": {"order_status": OrderStatusMode.CUSTOM},
        "do_not_reserve": {"pending_orders": PendingOrders.DO_NOT_RESERVE},
    }[setting]
    if setting == "custom_status":
        order_status_create(code="from_amazon", label="From Amazon", state="processing")
        change["processing_status"] = "from_amazon"
    order_settings_update(settings=settings, user=None, **change)
    first = amazon.order([("MUG", 1)], email="Ada@Example.com")
    second = amazon.order([("MUG", 1)], email="ada@example.com")
    pending = amazon.order([("MUG", 2)], status="PENDING", email="ada@example.com")

    # when the store is polled
    amazon.poll()
    assert amazon.decided()

    # then the setting shows on the orders
    rows = [mirror(store, order_id) for order_id in (first, second, pending)]
    orders = [row.commerce_order for row in rows[:2]]
    if setting == "disabled":
        assert [row.decision for row in rows] == [ImportDecision.SKIPPED] * 3
        assert not Reservation.objects.exists()
        return
    assert all(order is not None for order in orders)
    if setting == "store_view":
        view = settings.__class__.objects.get(pk=settings.pk).store_view
        assert {order.store_view for order in orders} == {view}
        assert {order.increment_id for order in orders} == {
            f"{view.pk}000000001",
            f"{view.pk}000000002",
        }
    if setting == "accounts":
        customer = Customer.objects.get()
        assert orders[0].customer == orders[1].customer == customer
    else:
        assert all(order.customer_is_guest for order in orders)
    if setting == "amazon_number":
        assert [order.increment_id for order in orders] == [first, second]
    if setting == "custom_status":
        assert {(order.state, order.status.code) for order in orders} == {
            ("processing", "from_amazon")
        }
    else:
        assert {order.state for order in orders} == {"new"}
    if setting == "do_not_reserve":
        assert (rows[2].decision, rows[2].decision_code) == ("waiting", DecisionCode.PENDING)
        assert net_held(object_type="amazon_order") == 0
    else:
        assert rows[2].decision == ImportDecision.HELD
        assert net_held(object_type="amazon_order") == -2


def test_a_setting_made_invalid_after_saving_blocks_the_order_and_never_crashes(amazon, store):
    # given a custom status later unassigned from every state
    product_create(sku="MUG", name="Mug", quantity=100)
    status = order_status_create(code="from_amazon", label="From Amazon", state="processing")
    order_settings_update(
        settings=store.order_settings,
        user=None,
        order_status=OrderStatusMode.CUSTOM,
        processing_status="from_amazon",
    )
    status.states.all().delete()
    order_id = amazon.order([("MUG", 1)])

    # when the store is polled
    amazon.poll()
    assert amazon.decided()

    # then the order is blocked with the reason
    row = mirror(store, order_id)
    assert (row.decision, row.decision_code) == ("blocked", DecisionCode.INVALID_SETTINGS)
    assert "From Amazon" in row.decision_reason
    assert not Order.objects.exists()


def test_the_sweep_decides_orders_whose_message_was_lost_and_retries_errors_when_due(
    amazon, store
):
    from django.utils import timezone

    from importer.services.mirror import amazon_orders_mirror
    from importer.tasks import sweep_undecided_orders
    from tests.importer.factories import order as parsed_order

    # given orders stored in the mirror with no task sent for them (a lost message), and
    # an order in error whose automatic retry is due
    product_create(sku="MUG", name="Mug", quantity=100)
    long_ago = timezone.now() - timedelta(minutes=10)
    lost = [parsed_order(lines=[("MUG", 1)]) for _ in range(3)]
    amazon_orders_mirror(store=store, orders=lost, now=long_ago)
    failing = amazon_orders_mirror(
        store=store, orders=[parsed_order(lines=[("MUG", 1)])], now=long_ago
    ).created_ids[0]
    AmazonOrder.objects.filter(pk=failing).update(
        decided_revision=1,
        decision=ImportDecision.ERROR,
        attempts=1,
        retry_at=timezone.now() - timedelta(seconds=1),
    )

    # when the sweep runs on the worker
    sweep_undecided_orders.delay()

    # then all of them are decided and created
    assert wait_for(
        lambda: AmazonOrder.objects.filter(store=store, decision=ImportDecision.CREATED).count()
        == 4
    )
    assert AmazonOrder.objects.get(pk=failing).retry_at is None
