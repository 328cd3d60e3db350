"""A broken order is served broken in the middle of an otherwise valid page."""

import pytest

from simulator import schema
from simulator.orders_api import MALFORMED_KINDS
from tests.simulator.conftest import SELLER_ID

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("kind", MALFORMED_KINDS)
def test_one_malformed_order_among_valid_ones(simulator, seller, kind):
    # given
    before = simulator.create_order(SELLER_ID, order={"createdTime": "2026-01-01T10:00:00Z"})
    broken = simulator.create_order(
        SELLER_ID, order={"createdTime": "2026-01-01T11:00:00Z"}, malformed=kind
    )
    after = simulator.create_order(SELLER_ID, order={"createdTime": "2026-01-01T12:00:00Z"})

    # when
    page = seller.search(
        lastUpdatedAfter="2026-01-01T00:00:00Z", includedData="FULFILLMENT,PROCEEDS"
    ).json()

    # then
    orders = {order["orderId"]: order for order in page["orders"]}
    assert list(orders) == [before["orderId"], broken["orderId"], after["orderId"]]
    assert schema.check(orders[before["orderId"]], "Order") == []
    assert schema.check(orders[after["orderId"]], "Order") == []
    assert schema.check(orders[broken["orderId"]], "Order") != []


def test_get_order_serves_the_malformed_order_broken_too(simulator, seller):
    # given
    broken = simulator.create_order(SELLER_ID, malformed="missing_required")

    # when
    body = seller.get_order(broken["orderId"]).json()

    # then
    assert body["order"]["orderId"] == broken["orderId"]
    assert "orderItems" not in body["order"]


def test_an_unknown_malformation_is_refused(simulator, seller):
    # when
    response = simulator.session.post(
        f"{simulator.base_url}/_simulator/orders",
        json={"sellerId": SELLER_ID, "order": {}, "malformed": "slightly_off"},
    )

    # then
    assert response.status_code == 400
