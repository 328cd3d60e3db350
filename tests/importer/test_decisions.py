"""Deciding mirrored orders (importer.services.decisions), on the real database, no worker."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from commerce.models import Customer, Order, OrderState, OrderStatus
from commerce.services import order_status_create
from importer.models import (
    AmazonOrder,
    AmazonOrderDecision,
    DecisionCode,
    DecisionTrigger,
    ImportDecision,
)
from importer.services.decisions import amazon_order_retry, amazon_orders_decide
from inventory.models import Product, Reservation, StockItem
from inventory.services import stock_item_adjust
from settings_app.models import (
    CustomerCreation,
    OrderNumberSource,
    OrderStatusMode,
    PendingOrders,
)
from settings_app.services import order_settings_update
from tests.importer.factories import amazon_changed, mirrored
from tests.inventory.factories import ProductFactory

POLL = DecisionTrigger.POLL


def decide(*rows, **options):
    report = amazon_orders_decide(order_ids=[row.pk for row in rows], trigger=POLL, **options)
    for row in rows:
        row.refresh_from_db()
    return report


def ledger(**filters) -> dict[str, Decimal]:
    """Net ledger quantity per SKU (negative: held)."""
    rows = Reservation.objects.filter(**filters).values("sku").annotate(total=Sum("quantity"))
    return {row["sku"]: row["total"] for row in rows.order_by("sku")}


def events(order: Order) -> list[tuple[str, str, Decimal]]:
    return list(
        Reservation.objects.filter(object_type="order", object_id=str(order.pk))
        .order_by("pk")
        .values_list("event_type", "sku", "quantity")
    )


def quantity(sku: str) -> Decimal:
    return StockItem.objects.get(product__sku=sku).quantity


def setting(store, manager=None, **fields):
    order_settings_update(settings=store.order_settings, user=manager, **fields)


@pytest.fixture
def kettles(db):
    return ProductFactory(sku="KETTLE", quantity=10)


def test_an_unshipped_fbm_order_in_stock_is_created_once_and_reserved(store, kettles):
    # given an FBM order, Unshipped, for 3 kettles in stock
    row = mirrored(store, lines=[("KETTLE", 3)], status="UNSHIPPED")

    # when it is decided, then decided again
    first = decide(row)
    second = decide(row)

    # then one Commerce order exists, numbered by Commerce, holding 3 kettles
    assert (first.created, second.created, second.changed) == (1, 0, 0)
    order = Order.objects.get(external_order_id=row.amazon_order_id)
    assert row.commerce_order == order
    assert (row.decision, row.decision_code) == (ImportDecision.CREATED, DecisionCode.CREATED)
    assert order.increment_id == "000000001"
    assert (order.state, order.status.code) == (OrderState.NEW, "pending")
    assert order.customer_is_guest and order.customer_email == "x1y2z3@marketplace.amazon.com"
    assert list(order.items.values_list("sku", "qty_ordered")) == [("KETTLE", Decimal(3))]
    assert events(order) == [("order_placed", "KETTLE", Decimal(-3))]
    assert StockItem.objects.get(product__sku="KETTLE").salable_quantity == Decimal(7)
    assert AmazonOrderDecision.objects.filter(order=row).count() == 1
    assert row.decided_revision == row.revision


def test_an_order_short_of_stock_is_blocked_with_the_shortfall_then_imported_once_stock_comes(
    store, kettles
):
    # given an Unshipped order for 12 kettles; 10 are in stock
    row = mirrored(store, lines=[("KETTLE", 12)])

    # when it is decided
    decide(row)

    # then it is blocked, naming the SKU and the shortfall, and nothing is created or held
    assert (row.decision, row.decision_code) == (ImportDecision.BLOCKED, DecisionCode.OUT_OF_STOCK)
    assert row.decision_details == {
        "shortages": [{"sku": "KETTLE", "ordered": "12", "salable": "10", "short": "2"}]
    }
    assert "KETTLE is short by 2" in row.decision_reason
    assert not Order.objects.exists() and not Reservation.objects.exists()

    # when stock arrives and it is decided again
    stock_item_adjust(sku="KETTLE", quantity=Decimal(12), reason="Delivery")
    decide(row)

    # then it is created and holds all 12
    assert row.decision == ImportDecision.CREATED
    assert ledger() == {"KETTLE": Decimal(-12)}


def test_a_pending_fbm_order_holds_its_quantity_then_places_it_when_unshipped(store, kettles):
    # given a Pending FBM order for 4 kettles, the store reserving pending orders
    row = mirrored(store, lines=[("KETTLE", 4)], status="PENDING")

    # when it is decided
    decide(row)

    # then it holds 4 kettles against the Amazon order, with no Commerce order
    assert (row.decision, row.decision_code) == (ImportDecision.HELD, DecisionCode.PENDING_HELD)
    assert row.commerce_order is None
    assert ledger(object_type="amazon_order") == {"KETTLE": Decimal(-4)}

    # when Amazon marks it Unshipped
    row = amazon_changed(store, row, lines=[("KETTLE", 4)], status="UNSHIPPED")
    decide(row)

    # then the hold is released in the transaction that places the order
    assert row.decision == ImportDecision.CREATED
    assert ledger(object_type="amazon_order") == {"KETTLE": Decimal(0)}
    assert events(row.commerce_order) == [("order_placed", "KETTLE", Decimal(-4))]
    assert ledger() == {"KETTLE": Decimal(-4)}


def test_a_pending_order_that_cannot_be_held_waits_and_holds_nothing(store, kettles):
    # given a Pending order for more kettles than are salable
    row = mirrored(store, lines=[("KETTLE", 11)], status="PENDING")

    # when it is decided
    decide(row)

    # then it waits, saying why nothing is held
    assert (row.decision, row.decision_code) == (
        ImportDecision.WAITING,
        DecisionCode.PENDING_NOT_HELD,
    )
    assert row.decision_details["shortages"][0]["short"] == "1"
    assert not Reservation.objects.exists()


def test_do_not_reserve_keeps_pending_orders_out_of_the_stock(store, kettles, manager):
    # given the store does not reserve pending orders
    setting(store, manager, pending_orders=PendingOrders.DO_NOT_RESERVE)
    row = mirrored(store, lines=[("KETTLE", 2)], status="PENDING")

    # when a Pending order is decided
    decide(row)

    # then it waits and holds nothing
    assert (row.decision, row.decision_code) == (ImportDecision.WAITING, DecisionCode.PENDING)
    assert not Reservation.objects.exists()


def test_a_pending_order_canceled_on_amazon_gives_its_hold_back(store, kettles):
    # given a held Pending order
    row = mirrored(store, lines=[("KETTLE", 2)], status="PENDING")
    decide(row)

    # when Amazon cancels it
    row = amazon_changed(store, row, lines=[("KETTLE", 2)], status="CANCELLED")
    decide(row)

    # then no order is made and the ledger nets to zero
    assert (row.decision, row.decision_code) == (
        ImportDecision.CANCELED,
        DecisionCode.CANCELED_BEFORE_IMPORT,
    )
    assert not Order.objects.exists()
    assert ledger() == {"KETTLE": Decimal(0)}


def test_an_imported_order_canceled_on_amazon_is_canceled_and_compensated_once(store, kettles):
    # given an imported Unshipped order holding 3 kettles
    row = mirrored(store, lines=[("KETTLE", 3)])
    decide(row)

    # when Amazon cancels it, and the cancel is decided twice
    row = amazon_changed(store, row, lines=[("KETTLE", 3)], status="CANCELLED")
    decide(row)
    decide(row)

    # then the Commerce order is canceled and given back exactly once
    order = row.commerce_order
    order.refresh_from_db()
    assert order.state == OrderState.CANCELED
    assert row.decision == ImportDecision.CANCELED
    assert events(order) == [
        ("order_placed", "KETTLE", Decimal(-3)),
        ("order_canceled", "KETTLE", Decimal(3)),
    ]
    assert order.items.get().qty_canceled == Decimal(3)


def test_shipments_follow_amazon_and_the_reservation_nets_to_zero(store, kettles):
    # given an imported order of 2 kettles and 1 mug
    ProductFactory(sku="MUG", quantity=5)
    row = mirrored(store, lines=[("KETTLE", 2), ("MUG", 1)])
    decide(row)

    # when Amazon reports one kettle shipped
    row = amazon_changed(
        store,
        row,
        lines=[("KETTLE", 2), ("MUG", 1)],
        status="PARTIALLY_SHIPPED",
        shipped={"KETTLE": 1},
    )
    decide(row)

    # then one kettle ships: stock deducted, its hold released, the order processing
    order = row.commerce_order
    order.refresh_from_db()
    assert (order.state, order.status.code) == (OrderState.PROCESSING, "processing")
    assert (row.decision, row.decision_code) == (
        ImportDecision.CREATED,
        DecisionCode.PARTIALLY_SHIPPED,
    )
    assert quantity("KETTLE") == Decimal(9)
    assert ledger() == {"KETTLE": Decimal(-1), "MUG": Decimal(-1)}

    # when Amazon reports everything shipped
    row = amazon_changed(
        store,
        row,
        lines=[("KETTLE", 2), ("MUG", 1)],
        status="SHIPPED",
        shipped={"KETTLE": 2, "MUG": 1},
    )
    decide(row)
    decide(row)

    # then the rest ships once, the order is complete and nothing stays held
    order.refresh_from_db()
    assert order.state == OrderState.COMPLETE
    assert row.decision == ImportDecision.SHIPPED
    assert (quantity("KETTLE"), quantity("MUG")) == (Decimal(8), Decimal(4))
    assert ledger() == {"KETTLE": Decimal(0), "MUG": Decimal(0)}
    assert order.shipments.count() == 2


def test_an_fbm_order_first_seen_shipped_is_placed_and_shipped_at_once(store, kettles):
    # given an FBM order the import first sees Shipped
    row = mirrored(store, lines=[("KETTLE", 2)], status="SHIPPED", shipped={"KETTLE": 2})

    # when it is decided
    decide(row)

    # then it is created complete, the stock deducted and its reservation netted to zero
    order = row.commerce_order
    assert order.state == OrderState.COMPLETE
    assert row.decision == ImportDecision.SHIPPED
    assert events(order) == [
        ("order_placed", "KETTLE", Decimal(-2)),
        ("shipment_created", "KETTLE", Decimal(2)),
    ]
    assert quantity("KETTLE") == Decimal(8)


def test_an_fba_order_is_created_when_amazon_ships_it_and_never_touches_the_stock(store, kettles):
    # given an FBA order, Pending then Shipped
    row = mirrored(store, lines=[("KETTLE", 2)], status="PENDING", fulfilled_by="AMAZON")
    decide(row)
    waiting = (row.decision, row.decision_code)
    row = amazon_changed(
        store,
        row,
        lines=[("KETTLE", 2)],
        status="SHIPPED",
        fulfilled_by="AMAZON",
        shipped={"KETTLE": 2},
    )

    # when it is decided
    decide(row)

    # then it waited, then it is created and complete, with no ledger row nor stock change
    assert waiting == (ImportDecision.WAITING, DecisionCode.AWAITING_AMAZON_SHIPMENT)
    assert row.commerce_order.state == OrderState.COMPLETE
    assert row.decision == ImportDecision.SHIPPED
    assert not Reservation.objects.exists()
    assert quantity("KETTLE") == Decimal(10)


def test_an_unknown_sku_gets_a_disabled_unmanaged_product_first(store):
    # given an order for a SKU the catalog does not know
    row = mirrored(store, lines=[("NEW-THING", 1)])

    # when it is decided
    decide(row)

    # then the placeholder exists, disabled and unmanaged, and the order is created
    product = Product.objects.get(sku="NEW-THING")
    assert product.enabled is False
    assert product.stock_items.get().manage_stock is False
    assert row.decision == ImportDecision.CREATED
    assert not Reservation.objects.exists()


def test_orders_received_while_import_was_disabled_stay_skipped_until_imported_by_hand(
    store, kettles, manager
):
    # given import disabled when the order arrives
    setting(store, manager, import_enabled=False)
    row = mirrored(store, lines=[("KETTLE", 1)])
    decide(row)
    skipped = (row.decision, row.decision_code)

    # when import is enabled again and the order changes
    setting(store, manager, import_enabled=True)
    row = amazon_changed(store, row, lines=[("KETTLE", 1)])
    decide(row)

    # then it stays skipped
    assert skipped == (ImportDecision.SKIPPED, DecisionCode.IMPORT_DISABLED)
    assert row.decision == ImportDecision.SKIPPED
    assert not Order.objects.exists()

    # when it is imported by hand
    amazon_order_retry(amazon_order=row, user=manager)
    row.refresh_from_db()

    # then it is created, and the history says who
    assert row.decision == ImportDecision.CREATED
    assert row.decisions.latest("pk").trigger == DecisionTrigger.IMPORT_NOW
    assert row.decisions.latest("pk").user == manager


def test_orders_created_before_the_store_was_connected_are_never_imported(store, kettles):
    # given an order created before the store's connection (2026-01-01)
    row = mirrored(store, lines=[("KETTLE", 1)], created="2025-12-31T23:00:00Z")

    # when it is decided
    decide(row)

    # then it is skipped
    assert (row.decision, row.decision_code) == (
        ImportDecision.SKIPPED,
        DecisionCode.BEFORE_CONNECTION,
    )
    assert not Order.objects.exists()


def test_the_amazon_order_number_can_be_the_commerce_number(store, kettles, manager):
    # given the store numbers orders with Amazon's number
    setting(store, manager, order_number_source=OrderNumberSource.AMAZON)
    row = mirrored(store, lines=[("KETTLE", 1)])

    # when it is decided
    decide(row)

    # then the Commerce order carries it
    assert row.commerce_order.increment_id == row.amazon_order_id


def test_customer_accounts_are_built_once_per_buyer(store, kettles, manager):
    # given the store builds customer accounts, and two orders of one buyer
    setting(store, manager, customer_creation=CustomerCreation.NEW_ACCOUNT)
    first = mirrored(store, lines=[("KETTLE", 1)], buyer_email="Buyer@Marketplace.Amazon.com")
    second = mirrored(store, lines=[("KETTLE", 1)], buyer_email="buyer@marketplace.amazon.com")

    # when both are decided in one batch
    decide(first, second)

    # then one account holds both orders
    customer = Customer.objects.get()
    assert first.commerce_order.customer == customer == second.commerce_order.customer
    assert customer.firstname == "Łukasz"


def test_an_order_without_a_buyer_email_is_a_guest_order_and_says_so(store, kettles, manager):
    # given account building, and an FBA order with no buyer data
    setting(store, manager, customer_creation=CustomerCreation.NEW_ACCOUNT)
    row = mirrored(
        store,
        lines=[("KETTLE", 1)],
        status="SHIPPED",
        fulfilled_by="AMAZON",
        shipped={"KETTLE": 1},
        with_buyer=False,
    )

    # when it is decided
    decide(row)

    # then it is a guest order, and the decision says why
    assert row.commerce_order.customer_is_guest
    assert "no buyer email" in row.decision_reason
    assert "guest" in row.decision_details


@pytest.mark.parametrize(
    ("state", "expected_state"), [("new", "new"), ("processing", "processing")]
)
def test_a_custom_status_gives_the_order_its_state(store, kettles, manager, state, expected_state):
    # given a custom status assigned to a state a new order may take
    custom = order_status_create(code="amazon_in", label="Amazon In", state=state)
    setting(store, manager, order_status=OrderStatusMode.CUSTOM, processing_status="amazon_in")
    row = mirrored(store, lines=[("KETTLE", 1)])

    # when it is decided
    decide(row)

    # then the order has that status, in that state
    assert (row.commerce_order.state, row.commerce_order.status) == (expected_state, custom)


def test_settings_made_invalid_after_saving_block_the_order_and_never_fail_it(
    store, kettles, manager
):
    # given a custom status that is later taken off state Processing
    order_status_create(code="amazon_in", label="Amazon In", state="processing")
    setting(store, manager, order_status=OrderStatusMode.CUSTOM, processing_status="amazon_in")
    OrderStatus.objects.get(code="amazon_in").states.all().delete()
    row = mirrored(store, lines=[("KETTLE", 1)])

    # when it is decided
    decide(row)

    # then it is blocked with the reason, nothing is created or held
    assert (row.decision, row.decision_code) == (
        ImportDecision.BLOCKED,
        DecisionCode.INVALID_SETTINGS,
    )
    assert "Amazon In" in row.decision_reason
    assert not Order.objects.exists() and not Reservation.objects.exists()

    # when the merchant goes back to the default status and retries
    setting(store, manager, order_status=OrderStatusMode.DEFAULT)
    amazon_order_retry(amazon_order=row, user=manager)
    row.refresh_from_db()

    # then it is created
    assert row.decision == ImportDecision.CREATED


def test_an_inactive_store_view_blocks_the_order(store, kettles):
    # given the store view the settings name is switched off after saving
    view = store.order_settings.store_view
    view.is_active = False
    view.save()
    row = mirrored(store, lines=[("KETTLE", 1)])

    # when it is decided
    decide(row)

    # then it is blocked, naming the setting
    assert (row.decision, row.decision_code) == (
        ImportDecision.BLOCKED,
        DecisionCode.INVALID_SETTINGS,
    )
    assert "store view" in row.decision_reason


def test_orders_of_one_batch_share_the_stock_first_come_first_served(store, kettles):
    # given two orders for 6 kettles each; 10 are in stock
    first = mirrored(store, lines=[("KETTLE", 6)])
    second = mirrored(store, lines=[("KETTLE", 6)])

    # when both are decided in one batch
    decide(first, second)

    # then the first is created and the second blocked: never oversold
    assert (first.decision, second.decision) == (ImportDecision.CREATED, ImportDecision.BLOCKED)
    assert StockItem.objects.get(product__sku="KETTLE").salable_quantity == Decimal(4)


def test_an_order_that_fails_does_not_stop_the_others_and_is_retried_later(store, kettles, manager):
    # given Amazon numbers, and a Commerce order already using one Amazon number
    setting(store, manager, order_number_source=OrderNumberSource.AMAZON)
    good = mirrored(store, lines=[("KETTLE", 1)])
    doomed = mirrored(store, lines=[("KETTLE", 1)])
    Order.objects.create(
        increment_id=doomed.amazon_order_id,
        store_view=store.order_settings.store_view,
        state=OrderState.NEW,
        status=OrderStatus.objects.get(code="pending"),
        currency="USD",
    )

    # when both are decided in one batch
    report = decide(good, doomed)

    # then the good one is created and the failing one recorded as an error to retry
    assert report.failed == [doomed.pk]
    assert good.decision == ImportDecision.CREATED
    assert (doomed.decision, doomed.decision_code, doomed.attempts) == (
        ImportDecision.ERROR,
        DecisionCode.FAILED,
        1,
    )
    assert doomed.retry_at is not None
    assert "IntegrityError" in doomed.decision_details["error"]
    assert doomed.commerce_order is None
    assert ledger() == {"KETTLE": Decimal(-1)}


def test_an_order_left_in_error_after_its_attempts_waits_for_a_person(
    store, kettles, manager, settings
):
    # given an order whose placement keeps failing
    settings.IMPORT_MAX_ATTEMPTS = 2
    setting(store, manager, order_number_source=OrderNumberSource.AMAZON)
    row = mirrored(store, lines=[("KETTLE", 1)])
    clash = Order.objects.create(
        increment_id=row.amazon_order_id,
        store_view=store.order_settings.store_view,
        state=OrderState.NEW,
        status=OrderStatus.objects.get(code="pending"),
        currency="USD",
    )

    # when it fails twice
    decide(row)
    decide(row)

    # then it is left in error with no automatic retry
    assert (row.decision, row.attempts, row.retry_at) == (ImportDecision.ERROR, 2, None)
    assert "retry it by hand" in row.decision_reason

    # when the clash is removed and a person retries
    clash.delete()
    amazon_order_retry(amazon_order=row, user=manager)
    row.refresh_from_db()

    # then it is created and its attempts reset
    assert (row.decision, row.attempts) == (ImportDecision.CREATED, 0)


def test_retrying_an_order_that_is_not_in_error_or_blocked_is_refused(store, kettles, manager):
    from importer.exceptions import ActionRefused

    # given a created order
    row = mirrored(store, lines=[("KETTLE", 1)])
    decide(row)

    # when it is retried
    # then it is refused with a reason
    with pytest.raises(ActionRefused, match="created"):
        amazon_order_retry(amazon_order=row, user=manager)


def test_every_decision_records_the_settings_it_used(store, kettles, manager):
    # given custom settings
    setting(store, manager, customer_creation=CustomerCreation.NEW_ACCOUNT)
    row = mirrored(store, lines=[("KETTLE", 1)])

    # when it is decided
    decide(row)

    # then the decision row holds them
    used = AmazonOrderDecision.objects.get(order=row).settings_used
    assert used["customer_creation"] == CustomerCreation.NEW_ACCOUNT
    assert used["import_enabled"] is True
    assert used["store_view"].endswith("(default)")


def test_a_decided_order_is_not_decided_again_until_it_changes(store, kettles):
    # given a decided waiting order
    row = mirrored(store, lines=[("KETTLE", 1)], status="PENDING", fulfilled_by="AMAZON")
    decide(row)
    when = AmazonOrder.objects.get(pk=row.pk).decided_at

    # when it is decided again with no change
    report = decide(row)

    # then nothing changes and no history row is added
    assert report.changed == 0
    assert AmazonOrder.objects.get(pk=row.pk).decided_at == when
    assert row.decisions.count() == 1


def test_created_before_connection_boundary_is_exact(store, kettles):
    # given an order created exactly at the connection moment
    connected = store.connected_at.astimezone(UTC)
    assert connected == datetime(2026, 1, 1, tzinfo=UTC)
    row = mirrored(store, lines=[("KETTLE", 1)], created="2026-01-01T00:00:00Z")

    # when it is decided
    decide(row)

    # then it is imported
    assert row.decision == ImportDecision.CREATED
