"""Fault injection: a chosen share of calls fails in a chosen way."""

import json
import time

import pytest
import requests

from simulator import schema
from tests.simulator.conftest import SELLER_ID

pytestmark = pytest.mark.integration


@pytest.fixture
def order_id(simulator, seller):
    return simulator.generate(SELLER_ID, count=1, seed=21)[0]


def test_faults_hit_about_the_configured_share_of_calls(simulator, seller, order_id):
    # given
    simulator.faults(rate=0.3, kinds=["500", "503"])

    # when
    statuses = [seller.get_order(order_id).status_code for _ in range(300)]

    # then
    failed = sum(status in (500, 503) for status in statuses)
    assert set(statuses) <= {200, 500, 503}
    assert 60 <= failed <= 120
    served = simulator.stats()["faults"]
    assert served.get("500", 0) + served.get("503", 0) == failed


def test_server_errors_carry_amazons_error_body(simulator, seller, order_id):
    # given
    simulator.faults(rate=1.0, kinds=["503"])

    # when
    response = seller.get_order(order_id)

    # then
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "ServiceUnavailable"
    assert schema.check(response.json(), "ErrorList") == []


def test_malformed_json_is_a_200_that_does_not_parse(simulator, seller, order_id):
    # given
    simulator.faults(rate=1.0, kinds=["malformed_json"])

    # when
    response = seller.search(lastUpdatedAfter="2020-01-01T00:00:00Z")

    # then
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


def test_a_dropped_connection_gives_the_client_no_response(simulator, seller, order_id):
    # given
    simulator.faults(rate=1.0, kinds=["drop"])

    # when / then
    with pytest.raises(requests.ConnectionError):
        seller.get_order(order_id)
    assert simulator.stats()["faults"] == {"drop": 1}


def test_a_slow_response_arrives_late_but_whole(simulator, seller, order_id):
    # given
    simulator.faults(rate=1.0, kinds=["slow"], slow_seconds=0.6)

    # when
    started = time.monotonic()
    response = seller.get_order(order_id)
    elapsed = time.monotonic() - started

    # then
    assert response.status_code == 200
    assert response.json()["order"]["orderId"] == order_id
    assert elapsed >= 0.6


def test_faults_can_target_the_token_endpoint(simulator, seller):
    # given
    simulator.faults(rate=1.0, kinds=["500"], operations=["token"])

    # when
    response = seller.request_token()

    # then
    assert response.status_code == 500


def test_rate_zero_turns_faults_off(simulator, seller, order_id):
    # given
    simulator.faults(rate=1.0, kinds=["500"])
    simulator.faults(rate=0)

    # when
    statuses = {seller.get_order(order_id).status_code for _ in range(20)}

    # then
    assert statuses == {200}


@pytest.mark.parametrize(
    "body",
    [{"rate": 1.5}, {"rate": 0.1, "kinds": ["teapot"]}, {"rate": 0.1, "kinds": []}, {"often": 1}],
)
def test_bad_fault_settings_are_refused(simulator, body):
    # when
    response = simulator.session.post(f"{simulator.base_url}/_simulator/faults", json=body)

    # then
    assert response.status_code == 400
    assert response.json()["error"]
