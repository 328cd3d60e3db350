from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError

from importer.cursor import PollWindow
from importer.gateway.parsing import parse_search_page
from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel, OrdersPage
from importer.locks import LeaseLost, poll_lease_acquire
from importer.models import (
    AmazonOrder,
    AmazonOrderItem,
    AmazonOrderStatusHistory,
    PollCursor,
    PollRun,
)
from importer.services import polling
from importer.services.mirror import amazon_orders_mirror
from importer.services.polling import poll_page_store
from settings_app.models import OrderSettings
from tests.importer.factories import order, raw_order

SEEN_AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)


def test_new_orders_are_stored_with_items_buyer_address_and_a_first_history_row(store):
    # given
    fbm = order(order_id="113-0000001-0000001", items=2)

    # when
    result = amazon_orders_mirror(store=store, orders=[fbm], now=SEEN_AT)

    # then
    row = AmazonOrder.objects.get(store=store, amazon_order_id="113-0000001-0000001")
    assert result.created_ids == (row.pk,)
    assert row.status == AmazonOrderStatus.UNSHIPPED
    assert row.channel == FulfillmentChannel.FBM
    assert row.purchased_at == datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    assert row.amazon_updated_at == datetime(2026, 6, 1, 10, 5, tzinfo=UTC)
    assert (row.total_amount, row.currency) == (Decimal("42.00"), "USD")
    assert (row.buyer_name, row.ship_city, row.ship_country_code) == (
        "Łukasz Żółć",
        "Portland",
        "US",
    )
    assert row.raw_payload["orderId"] == "113-0000001-0000001"
    assert list(row.items.order_by("order_item_id").values_list("sku", "quantity_ordered")) == [
        ("SKU-1", 1),
        ("SKU-2", 2),
    ]
    assert list(row.status_history.values_list("from_status", "to_status")) == [
        ("", AmazonOrderStatus.UNSHIPPED)
    ]


def test_an_fba_order_without_buyer_or_address_is_stored_with_blanks(store):
    # given
    fba = order(fulfilled_by="AMAZON", status="SHIPPED", with_buyer=False)

    # when
    amazon_orders_mirror(store=store, orders=[fba], now=SEEN_AT)

    # then
    row = AmazonOrder.objects.get(amazon_order_id=fba.order_id)
    assert row.channel == FulfillmentChannel.FBA
    assert (row.buyer_name, row.buyer_email, row.ship_line1) == ("", "", "")


def test_storing_the_same_orders_again_changes_nothing(store):
    # given
    orders = [order(), order(), order()]
    amazon_orders_mirror(store=store, orders=orders, now=SEEN_AT)

    # when
    result = amazon_orders_mirror(store=store, orders=orders, now=LATER)

    # then
    assert (result.created_ids, result.changed_ids, result.unchanged) == ((), (), 3)
    assert AmazonOrder.objects.filter(store=store).count() == 3
    assert AmazonOrderItem.objects.filter(order__store=store).count() == 6
    assert AmazonOrderStatusHistory.objects.filter(order__store=store).count() == 3
    assert set(AmazonOrder.objects.values_list("changed_at", flat=True)) == {SEEN_AT}


def test_a_status_change_updates_the_order_replaces_its_items_and_adds_one_history_row(store):
    # given
    before = order(order_id="113-0000009-0000009", status="UNSHIPPED", items=2)
    amazon_orders_mirror(store=store, orders=[before], now=SEEN_AT)
    shipped = order(
        order_id="113-0000009-0000009",
        status="SHIPPED",
        updated="2026-06-01T11:00:00Z",
        items=1,
    )

    # when
    result = amazon_orders_mirror(store=store, orders=[shipped], now=LATER)

    # then
    row = AmazonOrder.objects.get(amazon_order_id="113-0000009-0000009")
    assert result.changed_ids == (row.pk,)
    assert row.status == AmazonOrderStatus.SHIPPED
    assert row.changed_at == LATER
    assert row.received_at == SEEN_AT
    assert row.items.count() == 1
    assert list(
        row.status_history.values_list("from_status", "to_status", "amazon_updated_at")
    ) == [
        ("", AmazonOrderStatus.UNSHIPPED, datetime(2026, 6, 1, 10, 5, tzinfo=UTC)),
        (
            AmazonOrderStatus.UNSHIPPED,
            AmazonOrderStatus.SHIPPED,
            datetime(2026, 6, 1, 11, tzinfo=UTC),
        ),
    ]


def test_a_change_without_a_new_status_updates_the_order_but_writes_no_history(store):
    # given
    amazon_orders_mirror(
        store=store, orders=[order(order_id="113-1-1", total="10.00")], now=SEEN_AT
    )
    repriced = order(order_id="113-1-1", total="12.00", updated="2026-06-01T10:30:00Z")

    # when
    result = amazon_orders_mirror(store=store, orders=[repriced], now=LATER)

    # then
    row = AmazonOrder.objects.get(amazon_order_id="113-1-1")
    assert len(result.changed_ids) == 1
    assert row.total_amount == Decimal("12.00")
    assert row.status_history.count() == 1


def test_an_older_copy_of_an_order_never_overwrites_a_newer_one(store):
    # given
    newer = order(order_id="113-2-2", status="SHIPPED", updated="2026-06-01T11:00:00Z")
    amazon_orders_mirror(store=store, orders=[newer], now=SEEN_AT)
    older = order(order_id="113-2-2", status="UNSHIPPED", updated="2026-06-01T10:00:00Z")

    # when
    result = amazon_orders_mirror(store=store, orders=[older], now=LATER)

    # then
    assert result.unchanged == 1
    assert AmazonOrder.objects.get(amazon_order_id="113-2-2").status == AmazonOrderStatus.SHIPPED


def test_one_amazon_order_id_is_kept_apart_per_store(store, other_store):
    # given
    shared_id = "113-3-3"

    # when
    amazon_orders_mirror(store=store, orders=[order(order_id=shared_id)], now=SEEN_AT)
    amazon_orders_mirror(store=other_store, orders=[order(order_id=shared_id)], now=SEEN_AT)

    # then
    assert AmazonOrder.objects.filter(amazon_order_id=shared_id).count() == 2


def test_a_store_with_import_disabled_still_mirrors_its_orders(store):
    # given
    OrderSettings.objects.filter(store=store).update(import_enabled=False)

    # when
    amazon_orders_mirror(store=store, orders=[order()], now=SEEN_AT)

    # then
    assert AmazonOrder.objects.filter(store=store).count() == 1


def test_a_page_of_a_hundred_new_orders_costs_a_handful_of_queries(
    store, django_assert_max_num_queries
):
    # given
    page = [order(items=3) for _ in range(100)]

    # when
    with django_assert_max_num_queries(8):
        result = amazon_orders_mirror(store=store, orders=page, now=SEEN_AT)

    # then
    assert len(result.created_ids) == 100
    assert AmazonOrderItem.objects.filter(order__store=store).count() == 300


def test_a_page_of_a_hundred_changed_orders_costs_a_handful_of_queries(
    store, django_assert_max_num_queries
):
    # given
    first = [order(items=2) for _ in range(100)]
    amazon_orders_mirror(store=store, orders=first, now=SEEN_AT)
    shipped = [
        order(order_id=o.order_id, status="SHIPPED", updated="2026-06-01T11:00:00Z") for o in first
    ]

    # when
    with django_assert_max_num_queries(11):
        result = amazon_orders_mirror(store=store, orders=shipped, now=LATER)

    # then
    assert len(result.changed_ids) == 100
    assert AmazonOrderStatusHistory.objects.filter(order__store=store).count() == 200


@pytest.mark.parametrize("status", list(AmazonOrderStatus))
def test_every_status_fits_the_mirror(store, status):
    # given
    amazon_name = {
        AmazonOrderStatus.INVOICE_UNCONFIRMED: "InvoiceUnconfirmed",
        AmazonOrderStatus.CANCELED: "CANCELLED",
    }.get(status, status.value.upper())

    # when
    amazon_orders_mirror(store=store, orders=[order(status=amazon_name)], now=SEEN_AT)

    # then
    assert AmazonOrder.objects.get(store=store).status == status


def test_a_worker_that_lost_its_lease_stores_nothing_and_moves_no_cursor(store):
    # given
    poll_lease_acquire(store_id=store.pk, owner="worker-b", seconds=60)
    run = PollRun.objects.create(store=store, started_at=SEEN_AT)
    page = OrdersPage(orders=(order(),), failures=(), next_token=None, last_updated_before=LATER)
    window = PollWindow(updated_after=SEEN_AT, updated_before=LATER)

    # when
    with pytest.raises(LeaseLost):
        poll_page_store(store=store, run=run, window=window, page=page, owner="worker-a")

    # then
    assert not AmazonOrder.objects.filter(store=store).exists()
    assert PollCursor.objects.get(store=store).updated_after is None
    run.refresh_from_db()
    assert run.pages == 0


def test_a_stored_page_moves_the_cursor_in_the_same_transaction(store):
    # given
    poll_lease_acquire(store_id=store.pk, owner="worker-a", seconds=60)
    run = PollRun.objects.create(store=store, started_at=SEEN_AT)
    page = OrdersPage(orders=(order(),), failures=(), next_token=None, last_updated_before=LATER)
    window = PollWindow(updated_after=SEEN_AT, updated_before=LATER)

    # when
    poll_page_store(store=store, run=run, window=window, page=page, owner="worker-a")

    # then
    assert AmazonOrder.objects.filter(store=store).count() == 1
    assert PollCursor.objects.get(store=store).updated_after == LATER
    run.refresh_from_db()
    assert (run.pages, run.orders_created) == (1, 1)


@pytest.mark.parametrize("next_token", [None, "page-2"])
def test_a_page_that_fails_to_store_leaves_the_cursor_where_it_was(store, monkeypatch, next_token):
    # given a page whose storing fails after its orders were written
    poll_lease_acquire(store_id=store.pk, owner="worker-a", seconds=60)
    run = PollRun.objects.create(store=store, started_at=SEEN_AT)
    page = OrdersPage(
        orders=(order(),), failures=(), next_token=next_token, last_updated_before=LATER
    )
    window = PollWindow(updated_after=SEEN_AT, updated_before=LATER)

    def mirror_then_fail(**kwargs):
        amazon_orders_mirror(**kwargs)
        raise DatabaseError("connection lost while storing the page")

    monkeypatch.setattr(polling, "amazon_orders_mirror", mirror_then_fail)

    # when the page is stored
    with pytest.raises(DatabaseError):
        poll_page_store(store=store, run=run, window=window, page=page, owner="worker-a")

    # then neither the page nor the cursor moved: the next poll asks for the same window
    assert not AmazonOrder.objects.filter(store=store).exists()
    cursor = PollCursor.objects.get(store=store)
    assert (cursor.updated_after, cursor.window_after, cursor.next_token) == (None, None, "")
    run.refresh_from_db()
    assert run.pages == 0


def test_a_nul_in_an_orders_key_is_that_orders_failure_and_the_rest_of_its_page_is_stored(store):
    # given a page whose middle order has a NUL inside a key, which PostgreSQL cannot store
    poll_lease_acquire(store_id=store.pk, owner="worker-a", seconds=60)
    run = PollRun.objects.create(store=store, started_at=SEEN_AT)
    broken = raw_order(order_id="113-0000002-0000002")
    broken["buyer"]["buyer\x00Note"] = "gift"
    page = parse_search_page(
        {
            "orders": [raw_order(order_id="113-0000001-0000001"), broken, raw_order()],
            "lastUpdatedBefore": "2026-06-01T13:00:00Z",
        }
    )
    window = PollWindow(updated_after=SEEN_AT, updated_before=LATER)

    # when the page is stored
    poll_page_store(store=store, run=run, window=window, page=page, owner="worker-a")

    # then the two other orders are stored and the broken one is its own error
    stored = AmazonOrder.objects.filter(store=store).values_list("amazon_order_id", flat=True)
    assert len(stored) == 2
    assert "113-0000002-0000002" not in stored
    run.refresh_from_db()
    assert [error["order_id"] for error in run.errors] == ["113-0000002-0000002"]
    assert PollCursor.objects.get(store=store).updated_after == LATER


@pytest.mark.parametrize("newer_first", [True, False], ids=["newer-first", "older-first"])
def test_a_page_holding_two_copies_of_an_order_keeps_the_newer(store, newer_first):
    # given a page with the same order twice: Unshipped, then Shipped ten minutes later
    older = order(
        order_id="113-0000009-0000009", status="UNSHIPPED", updated="2026-06-01T10:05:00Z"
    )
    newer = order(order_id="113-0000009-0000009", status="SHIPPED", updated="2026-06-01T10:15:00Z")
    copies = [newer, older] if newer_first else [older, newer]

    # when the page is mirrored
    result = amazon_orders_mirror(store=store, orders=copies, now=SEEN_AT)

    # then one row holds the newer copy
    row = AmazonOrder.objects.get(store=store, amazon_order_id="113-0000009-0000009")
    assert result.created_ids == (row.pk,)
    assert (row.status, row.amazon_updated_at) == (
        AmazonOrderStatus.SHIPPED,
        datetime(2026, 6, 1, 10, 15, tzinfo=UTC),
    )
