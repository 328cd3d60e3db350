"""The gateway against the simulator over HTTP: auth, errors, and pacing under load."""

import threading
import time

import pytest

from importer.connections import orders_gateway_for_store
from importer.gateway.errors import AmazonApiError, AmazonAuthError, Throttled, TransientError
from importer.gateway.orders import USAGE_PLANS, OrdersGateway, RetryPolicy, SellerAccount
from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel
from importer.gateway.wire import HttpFailure, OrdersClient, SellerCredentials
from importer.rate_limits import shared_rate_limiter
from tests.importer.conftest import TIME_SCALE

pytestmark = pytest.mark.integration


def unpaced_client(simulator, store) -> OrdersClient:
    """The same wire, without our rate limiter: what a naive caller would do."""
    return OrdersClient(
        endpoint=simulator.base_url,
        token_url=f"{simulator.base_url}/auth/o2/token",
        region=store.region,
        credentials=SellerCredentials(
            store.lwa_client_id, store.lwa_client_secret, store.refresh_token
        ),
        timeout=5,
    )


def merchant_order(simulator, store, **fields) -> dict:
    return simulator.create_order(
        store.seller_id,
        order={
            "fulfillment": {"fulfilledBy": "MERCHANT", "fulfillmentStatus": "UNSHIPPED"},
            "buyer": {"buyerName": "Søren Kierkegård"},
            "orderItems": [{"product": {"sellerSku": "LAMP-01"}, "quantityOrdered": 2}],
            **fields,
        },
    )


def test_get_order_returns_the_typed_order(simulated_store, sp_api):
    # given
    created = merchant_order(sp_api, simulated_store)

    # when
    with orders_gateway_for_store(simulated_store) as gateway:
        order = gateway.get_order(created["orderId"])

    # then
    assert order.order_id == created["orderId"]
    assert order.status is AmazonOrderStatus.UNSHIPPED
    assert order.channel is FulfillmentChannel.FBM
    assert order.buyer.name == "Søren Kierkegård"
    assert [(item.sku, item.quantity_ordered) for item in order.items] == [("LAMP-01", 2)]
    assert order.total is not None


def test_an_access_token_amazon_stopped_accepting_is_refreshed_once(simulated_store, sp_api):
    # given
    created = merchant_order(sp_api, simulated_store)
    with orders_gateway_for_store(simulated_store) as gateway:
        gateway.get_order(created["orderId"])
        sp_api.expire_tokens()

        # when
        order = gateway.get_order(created["orderId"])

    # then
    assert order.order_id == created["orderId"]
    stats = sp_api.stats()
    assert stats["calls"]["token"] == 2
    assert stats["responses"]["getOrder"] == {"200": 2, "403": 1}


def test_tokens_are_kept_per_seller_credentials(simulated_store, sp_api, other_store):
    # given
    sp_api.register_seller(
        seller_id=other_store.seller_id,
        marketplace_ids=other_store.marketplace_ids,
        client_id=other_store.lwa_client_id,
        client_secret=other_store.lwa_client_secret,
        refresh_token=other_store.refresh_token,
    )
    mine = merchant_order(sp_api, simulated_store)
    theirs = merchant_order(sp_api, other_store)

    # when
    with orders_gateway_for_store(simulated_store) as gateway:
        gateway.get_order(mine["orderId"])
        with pytest.raises(AmazonApiError) as not_mine:
            gateway.get_order(theirs["orderId"])
    with orders_gateway_for_store(other_store) as gateway:
        their_order = gateway.get_order(theirs["orderId"])

    # then
    assert not_mine.value.status == 404
    assert their_order.order_id == theirs["orderId"]
    assert sp_api.stats()["calls"]["token"] == 2


def test_wrong_credentials_are_reported_with_amazons_error_and_no_secret(simulated_store, sp_api):
    # given
    simulated_store.lwa_client_secret = "not-the-secret"

    # when
    with (
        orders_gateway_for_store(simulated_store) as gateway,
        pytest.raises(AmazonAuthError) as refused,
    ):
        gateway.get_order("111-0000000-0000000")

    # then
    assert refused.value.code == "invalid_client"
    assert str(refused.value).startswith("Login with Amazon: HTTP 401 invalid_client: ")
    assert "not-the-secret" not in str(refused.value)
    assert simulated_store.refresh_token not in str(refused.value)
    assert sp_api.stats()["calls"]["token"] == 1


def test_other_4xx_carry_amazons_code_and_message(simulated_store, sp_api):
    # when
    with (
        orders_gateway_for_store(simulated_store) as gateway,
        pytest.raises(AmazonApiError) as missing,
    ):
        gateway.get_order("999-9999999-9999999")

    # then
    assert missing.value.status == 404
    assert missing.value.code == "NotFound"
    assert "999-9999999-9999999" in missing.value.message


def test_the_simulator_answers_429_past_the_burst_and_the_gateway_stops_at_once(
    simulated_store, sp_api
):
    # given: real-time buckets, drained by a caller that ignores the usage plan
    sp_api.config(time_scale=1)
    created = merchant_order(sp_api, simulated_store)
    client = unpaced_client(sp_api, simulated_store)
    statuses = []
    started = time.monotonic()
    for _ in range(USAGE_PLANS["getOrder"].burst + 10):
        try:
            client.get_order(created["orderId"])
            statuses.append(200)
        except HttpFailure as failure:
            statuses.append(failure.status)
            assert failure.code == "QuotaExceeded"
    unpaced_for = time.monotonic() - started
    client.close()
    calls_before = sp_api.stats()["calls"]["getOrder"]

    # when
    with (
        orders_gateway_for_store(simulated_store) as gateway,
        pytest.raises(Throttled) as throttled,
    ):
        gateway.get_order(created["orderId"])

    # then
    plan = USAGE_PLANS["getOrder"]
    assert statuses[: plan.burst] == [200] * plan.burst
    assert 429 in statuses
    assert statuses.count(200) <= plan.burst + plan.rate * unpaced_for
    assert throttled.value.by_amazon
    assert throttled.value.retry_after > 0
    assert sp_api.stats()["calls"]["getOrder"] == calls_before + 1


def test_the_gateway_driven_hard_by_four_workers_gets_no_429_and_keeps_the_published_rate(
    simulated_store, sp_api
):
    # given
    created = merchant_order(sp_api, simulated_store)
    plan = USAGE_PLANS["getOrder"]
    calls_per_worker = 40
    started = time.monotonic()
    answered: list[float] = []
    failures: list[Exception] = []
    lock = threading.Lock()

    def worker():
        with orders_gateway_for_store(simulated_store) as gateway:
            for _ in range(calls_per_worker):
                try:
                    gateway.get_order(created["orderId"])
                except Exception as error:
                    failures.append(error)
                    return
                with lock:
                    answered.append(time.monotonic() - started)

    # when
    workers = [threading.Thread(target=worker) for _ in range(4)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    # then
    assert failures == []
    assert len(answered) == 4 * calls_per_worker
    stats = sp_api.stats()
    assert stats["throttled"]["getOrder"] == 0
    assert stats["responses"]["getOrder"] == {"200": 4 * calls_per_worker}
    rate = plan.rate * TIME_SCALE
    answered.sort()
    for count, moment in enumerate(answered, start=1):
        assert count <= plan.burst + rate * moment
    assert answered[-1] >= (len(answered) - plan.burst) / rate


def gateway_recording_sleeps(store, sp_api, retry: RetryPolicy, sleeps: list[float]):
    return OrdersGateway(
        account=SellerAccount(
            seller_id=store.seller_id,
            region=store.region,
            credentials=SellerCredentials(
                store.lwa_client_id, store.lwa_client_secret, store.refresh_token
            ),
        ),
        endpoint=sp_api.base_url,
        token_url=f"{sp_api.base_url}/auth/o2/token",
        limiter=shared_rate_limiter(),
        timeout=5,
        retry=retry,
        sleep=sleeps.append,
    )


def test_server_errors_are_retried_a_bounded_number_of_times_with_jittered_backoff(
    simulated_store, sp_api
):
    # given
    created = merchant_order(sp_api, simulated_store)
    sp_api.faults(1.0, kinds=["500", "503"])
    retry = RetryPolicy(attempts=6, base_seconds=0.5, cap_seconds=4.0)
    sleeps: list[float] = []

    # when
    with (
        gateway_recording_sleeps(simulated_store, sp_api, retry, sleeps) as gateway,
        pytest.raises(TransientError) as gave_up,
    ):
        gateway.get_order(created["orderId"])

    # then: five pauses between six calls, each drawn below 0.5, 1, 2, 4 and 4 (the cap) s
    assert "still failing after 6 attempts" in str(gave_up.value)
    assert sp_api.stats()["calls"]["getOrder"] == 6
    assert len(sleeps) == 5
    for pause, ceiling in zip(sleeps, [0.5, 1.0, 2.0, 4.0, 4.0], strict=True):
        assert 0 <= pause <= ceiling
    assert len(set(sleeps)) == 5


def test_a_client_error_is_not_retried(simulated_store, sp_api):
    # given
    sleeps: list[float] = []

    # when
    with (
        gateway_recording_sleeps(simulated_store, sp_api, RetryPolicy(), sleeps) as gateway,
        pytest.raises(AmazonApiError),
    ):
        gateway.get_order("999-9999999-9999999")

    # then
    assert sp_api.stats()["calls"]["getOrder"] == 1
    assert sleeps == []
