"""The simulator's state lives in a file of its own and survives a restart."""

import json
import signal
import time

import pytest

from tests.fixtures.simulator import SimulatorControl
from tests.simulator.wire import SellerWire

pytestmark = pytest.mark.integration

CREDENTIALS = {
    "client_id": "amzn1.application-oa2-client.restart",
    "client_secret": "restart-secret",
    "refresh_token": "Atzr|restart",
}


def saved_text(state_file) -> str:
    return state_file.read_text(encoding="utf-8") if state_file.exists() else ""


def register(control: SimulatorControl) -> None:
    control.register_seller("A2SELLERRESTART", marketplace_ids=["A1F83G8C2ARO7P"], **CREDENTIALS)


def test_sellers_orders_tokens_and_settings_survive_a_restart(start_simulator, tmp_path):
    # given
    state_file = tmp_path / "state.json"
    first = start_simulator(state_file=state_file)
    control = SimulatorControl(first.base_url)
    register(control)
    order = control.create_order("A2SELLERRESTART", order={"buyer": {"buyerName": "Søren"}})
    control.faults(rate=0.5, kinds=["503"])
    wire = SellerWire(first.base_url, **CREDENTIALS)
    token = wire.access_token

    # when
    assert first.stop() == 0
    second = start_simulator(state_file=state_file)
    control = SimulatorControl(second.base_url)
    control.faults(rate=0)
    wire = SellerWire(second.base_url, **CREDENTIALS)
    response = wire.get_order(order["orderId"], token=token, includedData="BUYER")

    # then
    assert response.status_code == 200
    assert response.json()["order"]["buyer"]["buyerName"] == "Søren"
    assert control._call("GET", "sellers")["sellers"][0]["sellerId"] == "A2SELLERRESTART"


def test_pagination_tokens_stay_valid_across_a_restart(start_simulator, tmp_path):
    # given
    state_file = tmp_path / "state.json"
    first = start_simulator("--no-rate-limits", state_file=state_file)
    control = SimulatorControl(first.base_url)
    register(control)
    control.generate("A2SELLERRESTART", count=8, seed=3)
    page = (
        SellerWire(first.base_url, **CREDENTIALS)
        .search(lastUpdatedAfter="2020-01-01T00:00:00Z", maxResultsPerPage=5)
        .json()
    )

    # when
    first.stop()
    second = start_simulator("--no-rate-limits", state_file=state_file)
    rest = SellerWire(second.base_url, **CREDENTIALS).search(
        lastUpdatedAfter="2020-01-01T00:00:00Z", paginationToken=page["pagination"]["nextToken"]
    )

    # then
    assert rest.status_code == 200
    assert len(rest.json()["orders"]) == 3


def test_changes_reach_the_file_without_a_clean_stop(start_simulator, tmp_path):
    # given
    state_file = tmp_path / "state.json"
    first = start_simulator("--save-interval", "0.2", state_file=state_file)
    control = SimulatorControl(first.base_url)
    register(control)
    order = control.create_order("A2SELLERRESTART")
    deadline = time.monotonic() + 10
    while order["orderId"] not in saved_text(state_file) and time.monotonic() < deadline:
        time.sleep(0.05)

    # when
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=10)
    second = start_simulator(state_file=state_file)

    # then
    stored = SimulatorControl(second.base_url).stored_order(order["orderId"])
    assert stored["order"]["orderId"] == order["orderId"]
    assert not list(tmp_path.glob(".state.json.*.tmp"))


def test_the_state_file_is_plain_json_without_leftovers(start_simulator, tmp_path):
    # given
    state_file = tmp_path / "state.json"
    process = start_simulator(state_file=state_file)
    register(SimulatorControl(process.base_url))

    # when
    process.stop()

    # then
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert list(state["sellers"]) == ["A2SELLERRESTART"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["state.json"]


def test_an_unreadable_state_file_stops_the_start_with_a_clear_message(start_simulator, tmp_path):
    # given
    state_file = tmp_path / "state.json"
    state_file.write_text("{not json", encoding="utf-8")

    # when
    with pytest.raises(RuntimeError) as failure:
        start_simulator(state_file=state_file)

    # then
    assert "Cannot read state file" in str(failure.value)
