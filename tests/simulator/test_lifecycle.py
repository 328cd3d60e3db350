"""Orders move through Amazon's statuses, over time or on command."""

import time

import pytest

from simulator.lifecycle import PLANS
from tests.simulator.conftest import SELLER_ID

pytestmark = pytest.mark.integration

FINAL_STATUSES = {"SHIPPED", "CANCELLED", "UNFULFILLABLE"}


def test_advancing_walks_every_order_along_one_of_amazons_paths(simulator, seller):
    # given
    order_ids = simulator.generate(SELLER_ID, count=80, seed=31, at_start=True)
    paths = {
        order_id: [simulator.stored_order(order_id)["order"]["fulfillment"]["fulfillmentStatus"]]
        for order_id in order_ids
    }

    # when
    while advanced := simulator.advance(steps=1):
        for change in advanced:
            paths[change["orderId"]].append(change["status"])

    # then
    known_paths = {tuple(path) for path in PLANS.values()}
    assert {tuple(path) for path in paths.values()} <= known_paths
    assert {path[-1] for path in paths.values()} <= FINAL_STATUSES
    assert {path[0] for path in paths.values()} <= {"PENDING", "PENDING_AVAILABILITY"}
    assert len({tuple(path) for path in paths.values()}) >= 4


def test_an_advance_stamps_the_order_updated_now(simulator, seller):
    # given
    simulator.clock(now="2026-11-21T10:00:00Z")
    order_id = simulator.generate(SELLER_ID, count=1, seed=32, at_start=True)[0]
    simulator.clock(now="2026-11-21T12:00:00Z")

    # when
    simulator.advance(orderIds=[order_id])

    # then
    order = simulator.stored_order(order_id)["order"]
    assert order["lastUpdatedTime"] == "2026-11-21T12:00:00Z"


def test_set_status_ships_every_unit_and_moves_last_updated(simulator, seller):
    # given
    simulator.clock(now="2026-11-21T10:00:00Z")
    order = simulator.create_order(
        SELLER_ID,
        order={
            "fulfillment": {"fulfilledBy": "MERCHANT"},
            "orderItems": [{"quantityOrdered": 2}, {"quantityOrdered": 1}],
        },
    )
    simulator.clock(offset_seconds=600)

    # when
    shipped = simulator.set_status(order["orderId"], "SHIPPED")

    # then
    assert shipped["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert shipped["lastUpdatedTime"] == "2026-11-21T10:10:00Z"
    assert [item["fulfillment"] for item in shipped["orderItems"]] == [
        {"quantityFulfilled": 2, "quantityUnfulfilled": 0},
        {"quantityFulfilled": 1, "quantityUnfulfilled": 0},
    ]
    assert shipped["packages"][0]["packageItems"] == [
        {"orderItemId": item["orderItemId"], "quantity": item["quantityOrdered"]}
        for item in shipped["orderItems"]
    ]


def test_partial_shipment_leaves_a_unit_to_ship_and_a_cancel_keeps_what_shipped(simulator, seller):
    # given
    order = simulator.create_order(SELLER_ID, order={"orderItems": [{"quantityOrdered": 3}]})

    # when
    partial = simulator.set_status(order["orderId"], "PARTIALLY_SHIPPED")
    cancelled = simulator.set_status(order["orderId"], "CANCELLED")

    # then
    assert partial["orderItems"][0]["fulfillment"] == {
        "quantityFulfilled": 2,
        "quantityUnfulfilled": 1,
    }
    assert cancelled["orderItems"][0]["fulfillment"] == {
        "quantityFulfilled": 2,
        "quantityUnfulfilled": 1,
    }
    assert (
        cancelled["orderItems"][0]["cancellation"]["cancellationExecution"]["cancelledBy"]
        == "BUYER"
    )


def test_a_single_unit_cannot_be_partially_shipped(simulator, seller):
    # given
    order = simulator.create_order(SELLER_ID, order={"orderItems": [{"quantityOrdered": 1}]})

    # when
    response = simulator.session.post(
        f"{simulator.base_url}/_simulator/orders/{order['orderId']}/status",
        json={"status": "PARTIALLY_SHIPPED"},
    )

    # then
    assert response.status_code == 400
    assert (
        simulator.stored_order(order["orderId"])["order"]["fulfillment"]["fulfillmentStatus"]
        == "PENDING"
    )


def test_an_unknown_status_is_refused(simulator, seller):
    # given
    order = simulator.create_order(SELLER_ID)

    # when
    response = simulator.session.post(
        f"{simulator.base_url}/_simulator/orders/{order['orderId']}/status",
        json={"status": "Shipped"},
    )

    # then
    assert response.status_code == 400


def test_orders_advance_by_themselves_when_asked_to(simulator, seller):
    # given
    order_ids = simulator.generate(SELLER_ID, count=5, seed=33, at_start=True)
    simulator.config(advance_every=60, time_scale=600)

    # when
    deadline = time.monotonic() + 5
    statuses = set()
    while time.monotonic() < deadline:
        statuses = {
            simulator.stored_order(order_id)["order"]["fulfillment"]["fulfillmentStatus"]
            for order_id in order_ids
        }
        if statuses <= FINAL_STATUSES:
            break
        time.sleep(0.1)

    # then
    assert statuses <= FINAL_STATUSES
