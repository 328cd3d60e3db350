"""Polling a store against the simulator over HTTP, with real PostgreSQL and Redis."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from importer.gateway.wire import OrdersClient, SellerCredentials
from importer.locks import poll_lease_acquire
from importer.models import (
    AmazonOrder,
    AmazonOrderStatusHistory,
    PollCursor,
    PollOutcome,
    PollRun,
)
from importer.services.polling import amazon_store_poll
from importer.services.recovery import amazon_order_recover
from settings_app.models import OrderSettings

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def amazon_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def order_updated_at(simulator, store, moment: datetime, status="UNSHIPPED", **extra) -> str:
    created = simulator.create_order(
        store.seller_id,
        order={
            "createdTime": amazon_time(moment),
            "lastUpdatedTime": amazon_time(moment),
            "fulfillment": {"fulfilledBy": "MERCHANT", "fulfillmentStatus": status},
        },
        **extra,
    )
    return created["orderId"]


def mirrored_ids(store) -> list[str]:
    return sorted(AmazonOrder.objects.filter(store=store).values_list("amazon_order_id", flat=True))


def test_a_poll_mirrors_every_order_across_pages_and_ends_at_amazons_cursor(
    simulated_store, sp_api, settings
):
    # given
    settings.SP_API_PAGE_SIZE = 40
    generated = sp_api.generate(simulated_store.seller_id, count=100, seed=11)

    # when
    run = amazon_store_poll(store_id=simulated_store.pk)

    # then
    assert (run.outcome, run.pages, run.orders_seen, run.orders_created) == (
        PollOutcome.COMPLETED,
        3,
        100,
        100,
    )
    assert mirrored_ids(simulated_store) == sorted(generated)
    assert AmazonOrderStatusHistory.objects.filter(order__store=simulated_store).count() == 100
    cursor = PollCursor.objects.get(store=simulated_store)
    assert cursor.updated_after == run.window_before
    assert cursor.next_token == ""
    assert cursor.last_run == run
    assert timezone.now() - run.window_before >= timedelta(minutes=2)


def test_orders_updated_inside_the_two_minute_window_are_picked_up_by_the_next_poll_once(
    simulated_store, sp_api
):
    # given: C and D are old enough for the first poll; A and B change inside its last 2 min
    quiet = order_updated_at(sp_api, simulated_store, T0 - timedelta(minutes=30))
    in_overlap = order_updated_at(sp_api, simulated_store, T0 - timedelta(seconds=180))
    late_new = order_updated_at(sp_api, simulated_store, T0 - timedelta(seconds=60))
    late_shipped = order_updated_at(sp_api, simulated_store, T0 - timedelta(minutes=30))
    sp_api.clock(now=amazon_time(T0 - timedelta(seconds=40)))
    sp_api.set_status(late_shipped, "SHIPPED")
    sp_api.clock(now=amazon_time(T0))

    # when
    first = amazon_store_poll(store_id=simulated_store.pk, now=T0)
    first_mirror = mirrored_ids(simulated_store)
    sp_api.clock(now=amazon_time(T0 + timedelta(minutes=5)))
    second = amazon_store_poll(store_id=simulated_store.pk, now=T0 + timedelta(minutes=5))

    # then
    assert first_mirror == sorted([quiet, in_overlap])
    assert first.window_before == T0 - timedelta(seconds=150)
    assert second.window_after < first.window_before
    assert (second.orders_created, second.orders_unchanged) == (2, 1)
    assert mirrored_ids(simulated_store) == sorted([quiet, in_overlap, late_new, late_shipped])
    shipped = AmazonOrder.objects.get(amazon_order_id=late_shipped)
    assert shipped.status == "shipped"
    assert list(shipped.status_history.values_list("from_status", "to_status")) == [("", "shipped")]
    assert AmazonOrderStatusHistory.objects.filter(order__store=simulated_store).count() == 4


def test_a_status_change_seen_by_a_later_poll_adds_one_history_row(simulated_store, sp_api):
    # given
    order_id = order_updated_at(sp_api, simulated_store, T0 - timedelta(hours=1))
    sp_api.clock(now=amazon_time(T0))
    amazon_store_poll(store_id=simulated_store.pk, now=T0)
    sp_api.set_status(order_id, "SHIPPED")
    later = T0 + timedelta(minutes=10)
    sp_api.clock(now=amazon_time(later))

    # when
    run = amazon_store_poll(store_id=simulated_store.pk, now=later)

    # then
    assert run.orders_changed == 1
    order = AmazonOrder.objects.get(amazon_order_id=order_id)
    assert list(order.status_history.values_list("from_status", "to_status")) == [
        ("", "unshipped"),
        ("unshipped", "shipped"),
    ]
    assert set(order.items.values_list("quantity_shipped", flat=True)) == {
        item.quantity_ordered for item in order.items.all()
    }


def test_with_thirty_percent_faults_a_full_sync_still_delivers_every_order(
    simulated_store, sp_api, settings
):
    # given: thirty pages, Amazon's clock (and ours) fast enough to page them in seconds
    settings.SP_API_PAGE_SIZE = 10
    settings.SP_API_RATE_SCALE = 3000
    sp_api.config(time_scale=3000)
    generated = sp_api.generate(simulated_store.seller_id, count=300, seed=5)
    sp_api.faults(0.3, kinds=["500", "503", "slow", "drop", "malformed_json"], slow_seconds=1.5)

    # when: as many polls as it takes, as the periodic task would run them
    runs = []
    while len(runs) < 10:
        runs.append(amazon_store_poll(store_id=simulated_store.pk))
        if runs[-1].outcome == PollOutcome.COMPLETED:
            break

    # then
    assert runs[-1].outcome == PollOutcome.COMPLETED
    assert mirrored_ids(simulated_store) == sorted(generated)
    assert AmazonOrderStatusHistory.objects.filter(order__store=simulated_store).count() == 300
    stats = sp_api.stats()
    assert sum(stats["faults"].values()) >= 3
    assert stats["throttled"]["searchOrders"] == 0


def test_a_malformed_order_does_not_lose_the_other_orders_of_its_page(simulated_store, sp_api):
    # given
    an_hour_ago = timezone.now() - timedelta(hours=1)
    good = [order_updated_at(sp_api, simulated_store, an_hour_ago) for _ in range(4)]
    bad_types = order_updated_at(sp_api, simulated_store, an_hour_ago, malformed="bad_types")
    missing = order_updated_at(sp_api, simulated_store, an_hour_ago, malformed="missing_required")

    # when
    run = amazon_store_poll(store_id=simulated_store.pk)

    # then
    assert (run.outcome, run.pages) == (PollOutcome.COMPLETED, 1)
    assert mirrored_ids(simulated_store) == sorted(good)
    assert run.error_count == 2
    assert {error["order_id"] for error in run.errors} == {bad_types, missing}
    assert all(error["reason"] for error in run.errors)
    assert PollCursor.objects.get(store=simulated_store).updated_after == run.window_before


def test_a_poll_stopped_after_a_page_resumes_the_same_window_from_its_token(
    simulated_store, sp_api, settings
):
    # given
    settings.SP_API_PAGE_SIZE = 10
    generated = sp_api.generate(simulated_store.seller_id, count=25, seed=2)

    # when
    first = amazon_store_poll(store_id=simulated_store.pk, max_pages=1)
    cursor_between = PollCursor.objects.get(store=simulated_store)
    second = amazon_store_poll(store_id=simulated_store.pk)

    # then
    assert first.outcome == PollOutcome.PARTIAL
    assert cursor_between.next_token
    assert cursor_between.updated_after is None
    assert (second.window_after, second.window_before) == (first.window_after, first.window_before)
    assert (second.outcome, second.pages, second.orders_created) == (PollOutcome.COMPLETED, 2, 15)
    assert mirrored_ids(simulated_store) == sorted(generated)


def test_a_token_amazon_no_longer_accepts_restarts_its_window(simulated_store, sp_api):
    # given
    generated = sp_api.generate(simulated_store.seller_id, count=5, seed=4)
    PollCursor.objects.create(
        store=simulated_store,
        window_after=datetime(2026, 1, 1, tzinfo=UTC),
        window_before=datetime(2026, 2, 1, tzinfo=UTC),
        next_token="issued-by-a-server-that-was-reset",
        next_token_issued_at=timezone.now(),
    )

    # when
    run = amazon_store_poll(store_id=simulated_store.pk)

    # then
    assert run.outcome == PollOutcome.COMPLETED
    assert mirrored_ids(simulated_store) == sorted(generated)
    assert PollCursor.objects.get(store=simulated_store).next_token == ""


def test_a_429_stops_the_poll_keeps_the_cursor_and_the_next_poll_waits_for_its_token(
    simulated_store, sp_api
):
    # given: a caller that ignores the usage plan has spent the seller's searchOrders burst
    sp_api.config(time_scale=1)
    client = OrdersClient(
        endpoint=sp_api.base_url,
        token_url=f"{sp_api.base_url}/auth/o2/token",
        region=simulated_store.region,
        credentials=SellerCredentials(
            simulated_store.lwa_client_id,
            simulated_store.lwa_client_secret,
            simulated_store.refresh_token,
        ),
        timeout=5,
    )
    for _ in range(20):
        client.search_orders(
            lastUpdatedAfter="2026-01-01T00:00:00Z", marketplaceIds=["ATVPDKIKX0DER"]
        )
    client.close()
    calls_before = sp_api.stats()["calls"]["searchOrders"]

    # when
    throttled = amazon_store_poll(store_id=simulated_store.pk)
    waiting = amazon_store_poll(store_id=simulated_store.pk)

    # then
    cursor = PollCursor.objects.get(store=simulated_store)
    assert throttled.outcome == PollOutcome.THROTTLED
    assert cursor.throttled_until > timezone.now() + timedelta(seconds=60)
    assert cursor.updated_after is None
    assert waiting.outcome == PollOutcome.SKIPPED
    assert "Throttled until" in waiting.message
    assert sp_api.stats()["calls"]["searchOrders"] == calls_before + 1


def test_a_store_already_being_polled_is_skipped_without_calling_amazon(simulated_store, sp_api):
    # given
    sp_api.generate(simulated_store.seller_id, count=3, seed=1)
    assert poll_lease_acquire(store_id=simulated_store.pk, owner="another-worker", seconds=60)

    # when
    run = amazon_store_poll(store_id=simulated_store.pk)

    # then
    assert run.outcome == PollOutcome.SKIPPED
    assert sp_api.stats()["calls"]["searchOrders"] == 0
    assert PollCursor.objects.get(store=simulated_store).lease_owner == "another-worker"


def test_a_lease_left_by_a_dead_worker_expires(simulated_store, sp_api):
    # given
    sp_api.generate(simulated_store.seller_id, count=3, seed=1)
    poll_lease_acquire(store_id=simulated_store.pk, owner="crashed-worker", seconds=60)
    PollCursor.objects.filter(store=simulated_store).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )

    # when
    run = amazon_store_poll(store_id=simulated_store.pk)

    # then
    assert (run.outcome, run.orders_created) == (PollOutcome.COMPLETED, 3)
    assert PollCursor.objects.get(store=simulated_store).lease_owner == ""


def test_a_store_with_import_disabled_still_fills_its_mirror(simulated_store, sp_api):
    # given
    OrderSettings.objects.filter(store=simulated_store).update(import_enabled=False)
    generated = sp_api.generate(simulated_store.seller_id, count=4, seed=9)

    # when
    amazon_store_poll(store_id=simulated_store.pk)

    # then
    assert mirrored_ids(simulated_store) == sorted(generated)


def test_one_order_is_recovered_by_id_into_the_mirror(simulated_store, sp_api):
    # given
    order_id = order_updated_at(sp_api, simulated_store, T0, status="PENDING")

    # when
    recovered = amazon_order_recover(store=simulated_store, amazon_order_id=order_id)

    # then
    assert recovered.amazon_order_id == order_id
    assert recovered.status == "pending"
    assert recovered.items.count() == 1
    assert sp_api.stats()["calls"]["getOrder"] == 1


@pytest.mark.parametrize(
    "breakage",
    [
        {"buyer": {"buyerName": "Zoë\u0000Ångström"}},
        {"orderItems": [{"orderItemId": "30918273645501"}, {"orderItemId": "30918273645501"}]},
    ],
)
def test_an_order_the_mirror_cannot_hold_is_that_orders_error_not_a_stuck_store(
    simulated_store, sp_api, breakage
):
    # given: one order of the page carries what no database row can hold as given
    an_hour_ago = timezone.now() - timedelta(hours=1)
    good = [order_updated_at(sp_api, simulated_store, an_hour_ago) for _ in range(3)]
    broken = sp_api.create_order(
        simulated_store.seller_id,
        order={
            "createdTime": amazon_time(an_hour_ago),
            "lastUpdatedTime": amazon_time(an_hour_ago),
            "fulfillment": {"fulfilledBy": "MERCHANT", "fulfillmentStatus": "UNSHIPPED"},
            **breakage,
        },
    )["orderId"]

    # when
    run = amazon_store_poll(store_id=simulated_store.pk)

    # then
    assert run.outcome == PollOutcome.COMPLETED
    assert mirrored_ids(simulated_store) == sorted(good)
    assert [error["order_id"] for error in run.errors] == [broken]
    assert PollCursor.objects.get(store=simulated_store).updated_after == run.window_before


def test_orders_with_multi_megabyte_titles_leave_a_small_poll_run(simulated_store, sp_api):
    # given three orders whose 3 MB titles no database can store
    an_hour_ago = timezone.now() - timedelta(hours=1)
    title = "Kettle " * 450_000 + "\x00"
    broken = {
        sp_api.create_order(
            simulated_store.seller_id,
            order={
                "createdTime": amazon_time(an_hour_ago),
                "lastUpdatedTime": amazon_time(an_hour_ago),
                "orderItems": [{"product": {"title": title}}],
            },
        )["orderId"]
        for _ in range(3)
    }

    # when
    run = amazon_store_poll(store_id=simulated_store.pk)

    # then each order is its own short error: the run row stays small
    assert run.outcome == PollOutcome.COMPLETED
    assert {error["order_id"] for error in run.errors} == broken
    assert all("more characters cut)" in error["reason"] for error in run.errors)
    assert len(json.dumps(PollRun.objects.get(pk=run.pk).errors)) < 2_000
