"""Token buckets at the published rates and bursts, on a configurable time scale."""

import time

import pytest

from tests.fixtures.simulator import SimulatorControl
from tests.simulator.conftest import SELLER_ID, register

pytestmark = pytest.mark.integration

QUOTA_EXCEEDED = {
    "errors": [
        {
            "code": "QuotaExceeded",
            "message": "You exceeded your quota for the requested resource.",
            "details": "",
        }
    ]
}
SEARCH = {"lastUpdatedAfter": "2020-01-01T00:00:00Z"}


def calls_until_throttled(call, limit: int = 200) -> tuple[int, float]:
    """Call until the first 429: how many calls were answered 200, and how long it took."""
    started = time.monotonic()
    for answered in range(limit):
        if call().status_code == 429:
            return answered, time.monotonic() - started
    raise AssertionError(f"no 429 in {limit} calls")


@pytest.fixture
def limited_seller(simulator, seller):
    simulator.config(rate_limits=True, time_scale=1)
    return seller


def test_search_orders_answers_429_past_its_burst_of_20(simulator, limited_seller):
    # when
    statuses = [limited_seller.search(**SEARCH).status_code for _ in range(21)]
    throttled = limited_seller.search(**SEARCH)

    # then
    assert statuses == [200] * 20 + [429]
    assert throttled.status_code == 429
    assert throttled.json() == QUOTA_EXCEEDED
    assert throttled.headers["x-amzn-RateLimit-Limit"] == "0.0056"
    assert throttled.headers["x-amzn-RequestId"]
    assert simulator.stats()["throttled"]["searchOrders"] == 2


def test_get_order_answers_429_past_its_burst_of_30(simulator, limited_seller):
    # given
    order_id = simulator.generate(SELLER_ID, count=1, seed=5)[0]

    # when
    answered, elapsed = calls_until_throttled(lambda: limited_seller.get_order(order_id))

    # then: the burst, plus at most what 0.5 tokens a second refilled meanwhile
    assert 30 <= answered <= 30 + 0.5 * elapsed


def test_successful_calls_carry_the_rate_limit_header(limited_seller):
    # when
    response = limited_seller.search(**SEARCH)

    # then
    assert response.status_code == 200
    assert response.headers["x-amzn-RateLimit-Limit"] == "0.0056"


def test_with_rate_limits_off_no_rate_is_announced(simulator, seller):
    # given: limits switched off at run time (the seller fixture does it)
    order_id = simulator.generate(SELLER_ID, count=1, seed=6)[0]

    # when
    searches = [seller.search(**SEARCH) for _ in range(25)]
    single = seller.get_order(order_id)

    # then: nothing throttled, and no header a client would pace itself by
    assert {response.status_code for response in searches} == {200}
    assert single.status_code == 200
    for response in [*searches, single]:
        assert "x-amzn-RateLimit-Limit" not in response.headers


def test_switching_rate_limits_back_on_announces_the_rate_again(simulator, seller):
    # given
    simulator.config(rate_limits=True, time_scale=60)

    # when
    response = seller.search(**SEARCH)

    # then
    assert response.headers["x-amzn-RateLimit-Limit"] == "0.336"


def test_the_no_rate_limits_flag_announces_no_rate(start_simulator):
    # given
    process = start_simulator("--no-rate-limits", "--time-scale", "60")
    control = SimulatorControl(process.base_url)
    wire = register(control, "A2SELLERFLAG")

    # when
    response = wire.search(**SEARCH)

    # then
    assert response.status_code == 200
    assert "x-amzn-RateLimit-Limit" not in response.headers
    assert control.config()["rate_limits"] is False


def test_buckets_are_per_seller(simulator, limited_seller):
    # given
    other = register(simulator, "A2SELLEROTHER")
    for _ in range(20):
        limited_seller.search(**SEARCH)

    # when
    mine = limited_seller.search(**SEARCH)
    theirs = other.search(**SEARCH)

    # then
    assert (mine.status_code, theirs.status_code) == (429, 200)


def test_time_scale_speeds_up_the_refill(simulator, limited_seller):
    # given: at 600x, searchOrders earns a token every 1 / (0.0056 * 600) = 0.30 s
    simulator.config(time_scale=600)
    rate = 0.0056 * 600
    started = time.monotonic()
    answered, _ = calls_until_throttled(lambda: limited_seller.search(**SEARCH))

    # when
    time.sleep(0.45)
    refilled = limited_seller.search(**SEARCH)
    answered_again, _ = calls_until_throttled(lambda: limited_seller.search(**SEARCH))

    # then: 0.45 s earns 1.5 tokens, and all along never more than the scaled rate allows
    total = time.monotonic() - started
    assert answered >= 20
    assert refilled.status_code == 200
    assert refilled.headers["x-amzn-RateLimit-Limit"] == "3.36"
    assert answered + 1 + answered_again <= 20 + rate * total


def test_without_time_scale_the_same_wait_earns_nothing(limited_seller):
    # given
    for _ in range(20):
        limited_seller.search(**SEARCH)

    # when
    time.sleep(0.45)
    response = limited_seller.search(**SEARCH)

    # then
    assert response.status_code == 429


def test_reset_refills_the_buckets_and_restores_the_command_line_settings(
    simulator, limited_seller
):
    # given
    simulator.config(time_scale=60)
    for _ in range(21):
        limited_seller.search(**SEARCH)

    # when
    simulator.reset()
    settings = simulator.config()

    # then
    assert settings["time_scale"] == 1
    assert settings["rate_limits"] is True
    assert simulator.stats()["throttled"]["searchOrders"] == 0
