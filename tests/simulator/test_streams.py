"""A stream of new orders: every few seconds, orders created at the simulator's now, at the
start of a lifecycle plan that the advancing moves along."""

import time

import pytest

from simulator.lifecycle import PLANS
from simulator.state import Simulator
from tests.fixtures.simulator import SimulatorControl
from tests.simulator.conftest import SELLER_ID, register

pytestmark = pytest.mark.integration

FIRST_STATUSES = {"PENDING", "PENDING_AVAILABILITY"}
FINAL_STATUSES = {"SHIPPED", "CANCELLED", "UNFULFILLABLE"}
SKUS = ["DEMO-KETTLE", "DEMO-MUG"]


def stream(control: SimulatorControl, **body) -> dict:
    return control._call("POST", "stream", body)


def streams(control: SimulatorControl) -> list[dict]:
    return control._call("GET", "stream")["streams"]


def wait_for_orders(control: SimulatorControl, at_least: int, seconds: float = 10) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        [current] = streams(control)
        if current["orderCount"] >= at_least:
            return current
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} streamed orders after {seconds} s")


def streamed_orders(control: SimulatorControl, wire) -> list[dict]:
    """Every order of the seller, read once the two-minute window has passed them."""
    control.clock(offset_seconds=180)
    return all_orders(wire)


def all_orders(wire, created_after: str = "2020-01-01T00:00:00Z") -> list[dict]:
    pages = wire.search_pages(createdAfter=created_after, includedData="FULFILLMENT")
    return [order for page in pages for order in page["orders"]]


def test_a_stream_creates_orders_now_at_the_start_of_their_plan(simulator, seller):
    # given
    simulator.clock(now="2026-11-21T10:00:00Z")

    # when
    stream(simulator, sellerId=SELLER_ID, every=0.2, count=3, skus=SKUS, unknown_sku_ratio=0)
    wait_for_orders(simulator, at_least=6)
    stream(simulator, sellerId=SELLER_ID, every=0)

    # then
    orders = streamed_orders(simulator, seller)
    assert len(orders) >= 6
    for order in orders:
        assert order["createdTime"] == order["lastUpdatedTime"] == "2026-11-21T10:00:00Z"
        assert order["fulfillment"]["fulfillmentStatus"] in FIRST_STATUSES
        assert {item["product"]["sellerSku"] for item in order["orderItems"]} <= set(SKUS)
        stored = simulator.stored_order(order["orderId"])
        assert stored["plan"] in PLANS
        assert stored["step"] == 0


def test_advancing_moves_streamed_orders_to_shipped_and_some_to_cancelled(simulator, seller):
    # given
    stream(simulator, sellerId=SELLER_ID, every=0.1, count=80)
    wait_for_orders(simulator, at_least=80)
    stream(simulator, sellerId=SELLER_ID, every=0)
    paths = {
        order["orderId"]: [order["fulfillment"]["fulfillmentStatus"]]
        for order in streamed_orders(simulator, seller)
    }

    # when
    while advanced := simulator.advance(steps=1):
        for change in advanced:
            paths[change["orderId"]].append(change["status"])

    # then
    assert {tuple(path) for path in paths.values()} <= {tuple(plan) for plan in PLANS.values()}
    finals = {path[-1] for path in paths.values()}
    assert finals <= FINAL_STATUSES
    assert {"SHIPPED", "CANCELLED"} <= finals
    assert all(len(path) >= 2 for path in paths.values())


def test_every_zero_stops_the_stream(simulator, seller):
    # given
    simulator.clock(now="2026-11-21T10:00:00Z")
    stream(simulator, sellerId=SELLER_ID, every=0.1)
    wait_for_orders(simulator, at_least=1)

    # when: stopped, then time passes; a tick after the stop would create an order at 11:00
    answer = stream(simulator, sellerId=SELLER_ID, every=0)
    simulator.clock(now="2026-11-21T11:00:00Z")
    time.sleep(0.5)
    simulator.clock(now="2026-11-21T12:00:00Z")

    # then
    assert answer == {"streams": []}
    assert streams(simulator) == []
    assert all_orders(seller, created_after="2026-11-21T09:00:00Z")
    assert all_orders(seller, created_after="2026-11-21T10:30:00Z") == []


def test_a_second_start_replaces_the_sellers_stream_and_every_zero_alone_stops_all(
    simulator, seller
):
    # given
    register(simulator, "A2SELLERSTREAMB")
    stream(simulator, sellerId=SELLER_ID, every=60, skus=["A-1"])
    stream(simulator, sellerId="A2SELLERSTREAMB", every=60)

    # when
    replaced = stream(simulator, sellerId=SELLER_ID, every=30, count=2, fba_ratio=1)
    listed = streams(simulator)
    stopped = stream(simulator, every=0)

    # then
    assert len(replaced["streams"]) == 2
    assert listed[-1] == {
        "sellerId": SELLER_ID,
        "every": 30.0,
        "count": 2,
        "fba_ratio": 1,
        "orderCount": 0,
        "lastTickAt": None,
    }
    assert stopped == {"streams": []}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"sellerId": SELLER_ID}, 400),
        ({"sellerId": SELLER_ID, "every": -1}, 400),
        ({"sellerId": SELLER_ID, "every": "soon"}, 400),
        ({"sellerId": SELLER_ID, "every": True}, 400),
        ({"sellerId": SELLER_ID, "every": 5, "count": 0}, 400),
        ({"sellerId": SELLER_ID, "every": 5, "count": 1001}, 400),
        ({"sellerId": SELLER_ID, "every": 5, "count": 1.5}, 400),
        ({"sellerId": SELLER_ID, "every": 5, "seed": 1}, 400),
        ({"sellerId": SELLER_ID, "every": 5, "status": "SHIPPED"}, 400),
        ({"sellerId": SELLER_ID, "every": 5, "skus": "MUG"}, 400),
        ({"sellerId": SELLER_ID, "every": 5, "fba_ratio": 2}, 400),
        ({"sellerId": SELLER_ID, "every": 5, "marketplace_ids": ["A1VC38T7YXB528"]}, 400),
        ({"sellerId": ["A2"], "every": 5}, 400),
        ({"every": 5}, 400),
        ({"sellerId": "A2NOBODY", "every": 5}, 404),
    ],
)
def test_a_stream_that_cannot_work_is_refused(simulator, seller, body, status):
    # when
    response = simulator.session.post(f"{simulator.base_url}/_simulator/stream", json=body)

    # then
    assert response.status_code == status
    assert response.json()["error"]
    assert streams(simulator) == []


def test_reset_stops_every_stream(simulator, seller):
    # given
    stream(simulator, sellerId=SELLER_ID, every=60)

    # when
    simulator.reset()

    # then
    assert streams(simulator) == []


def test_a_stream_survives_a_restart_and_keeps_ticking(start_simulator, tmp_path):
    # given
    state_file = tmp_path / "state.json"
    first = start_simulator("--no-rate-limits", state_file=state_file)
    control = SimulatorControl(first.base_url)
    register(control, "A2SELLERSTREAM")
    stream(control, sellerId="A2SELLERSTREAM", every=0.2, skus=SKUS)
    wait_for_orders(control, at_least=1)
    assert first.stop() == 0

    # when
    second = start_simulator("--no-rate-limits", state_file=state_file)
    control = SimulatorControl(second.base_url)
    [restored] = streams(control)

    # then
    assert restored["every"] == 0.2
    assert restored["skus"] == SKUS
    resumed = wait_for_orders(control, at_least=restored["orderCount"] + 2)
    assert resumed["lastTickAt"]


class SteppedClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def test_a_stream_ticks_once_every_interval():
    # given
    clock = SteppedClock()
    simulator = Simulator(monotonic=clock)
    simulator.register_seller(
        {
            "sellerId": "A2SELLERTICK",
            "marketplaceIds": ["ATVPDKIKX0DER"],
            "clientId": "client",
            "clientSecret": "secret",
            "refreshToken": "Atzr|tick",
        }
    )
    simulator.set_stream({"sellerId": "A2SELLERTICK", "every": 20, "count": 2})

    # when
    ticks = []
    for elapsed in (19.9, 20.0, 39.0, 40.1, 41.0):
        clock.now = 500.0 + elapsed
        ticks.append(len(simulator.run_due_streams()))

    # then
    assert ticks == [0, 2, 0, 2, 0]
    assert simulator.streams_json()["streams"][0]["orderCount"] == 4
    simulator.set_stream({"sellerId": "A2SELLERTICK", "every": 0})
    clock.now += 3600
    assert simulator.run_due_streams() == []
