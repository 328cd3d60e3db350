"""The JSON control API that tests, benchmarks and the demo drive."""

import pytest
import requests

from tests.fixtures.simulator import SimulatorError
from tests.simulator.conftest import SELLER_ID

pytestmark = pytest.mark.integration


def test_a_partial_order_is_completed_with_generated_fields(simulator, seller):
    # when
    order = simulator.create_order(
        SELLER_ID,
        order={
            "orderId": "902-1845936-5435065",
            "salesChannel": {"marketplaceId": "A1F83G8C2ARO7P"},
            "fulfillment": {"fulfilledBy": "MERCHANT", "fulfillmentStatus": "UNSHIPPED"},
            "orderItems": [
                {
                    "product": {"sellerSku": "MUG-001", "price": {"unitPrice": {"amount": "9.50"}}},
                    "quantityOrdered": 2,
                }
            ],
        },
    )

    # then
    assert order["orderId"] == "902-1845936-5435065"
    assert order["salesChannel"]["marketplaceName"] == "Amazon.co.uk"
    item = order["orderItems"][0]
    assert item["product"]["sellerSku"] == "MUG-001"
    assert item["product"]["price"]["unitPrice"] == {"amount": "9.50", "currencyCode": "GBP"}
    assert item["product"]["asin"].startswith("B0")
    assert order["proceeds"]["breakdowns"][0] == {
        "type": "ITEM",
        "subtotal": {"amount": "19.00", "currencyCode": "GBP"},
    }
    assert order["buyer"]["buyerEmail"].endswith("@marketplace.amazon.co.uk")


def test_null_removes_a_generated_field(simulator, seller):
    # when
    order = simulator.create_order(
        SELLER_ID,
        order={"fulfillment": {"fulfilledBy": "AMAZON"}, "buyer": None, "recipient": None},
    )

    # then
    assert "buyer" not in order
    assert "recipient" not in order


def test_created_orders_default_to_now_and_pending(simulator, seller):
    # given
    simulator.clock(now="2026-11-21T10:00:00Z")

    # when
    order = simulator.create_order(SELLER_ID)

    # then
    assert order["createdTime"] == order["lastUpdatedTime"] == "2026-11-21T10:00:00Z"
    assert order["fulfillment"]["fulfillmentStatus"] == "PENDING"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"sellerId": "A2NOBODY", "order": {}}, 404),
        ({"sellerId": SELLER_ID, "order": {"orderItems": []}}, 400),
        ({"sellerId": SELLER_ID, "order": {"orderItems": [{"quantityOrdered": 0}]}}, 400),
        ({"sellerId": SELLER_ID, "order": {"createdTime": "soon"}}, 400),
        ({"sellerId": SELLER_ID, "order": {"salesChannel": {"channelName": "EBAY"}}}, 400),
        ({"sellerId": SELLER_ID, "order": {"fulfillment": {"fulfillmentStatus": "LOST"}}}, 400),
        ({"sellerId": SELLER_ID, "order": {}, "plan": "teleport"}, 400),
        ({"sellerId": SELLER_ID, "order": {"orderItems": ["MUG-001"]}}, 400),
        ({"sellerId": SELLER_ID, "order": {"salesChannel": "AMAZON"}}, 400),
        ({"sellerId": SELLER_ID, "order": {"fulfillment": "MERCHANT"}}, 400),
    ],
)
def test_invalid_order_bodies_are_refused(simulator, seller, body, status):
    # when
    response = simulator.session.post(f"{simulator.base_url}/_simulator/orders", json=body)

    # then
    assert response.status_code == status
    assert response.json()["error"]


def test_an_order_id_is_used_once(simulator, seller):
    # given
    simulator.create_order(SELLER_ID, order={"orderId": "111-0000000-0000001"})

    # when
    with pytest.raises(SimulatorError) as refused:
        simulator.create_order(SELLER_ID, order={"orderId": "111-0000000-0000001"})

    # then
    assert refused.value.status_code == 409


def test_registering_a_seller_never_echoes_its_secrets(simulator):
    # when
    seller = simulator.register_seller(
        "A2SELLERSECRET", client_secret="s3cr3t", refresh_token="Atzr|r"
    )

    # then
    assert seller == {
        "sellerId": "A2SELLERSECRET",
        "marketplaceIds": ["ATVPDKIKX0DER"],
        "clientId": "amzn1.application-oa2-client.simulator",
    }


def test_a_seller_needs_every_credential(simulator):
    # when
    response = simulator.session.post(
        f"{simulator.base_url}/_simulator/sellers",
        json={"sellerId": "A2SELLERHALF", "marketplaceIds": ["ATVPDKIKX0DER"]},
    )

    # then
    assert response.status_code == 400
    assert "clientId" in response.json()["error"]


def test_the_clock_freezes_shifts_and_returns_to_real_time(simulator):
    # when
    frozen = simulator.clock(now="2026-11-21T10:00:00Z")
    shifted = simulator.clock(offset_seconds=90)
    real = simulator.clock()

    # then
    assert frozen["now"] == "2026-11-21T10:00:00Z"
    assert shifted["now"] == "2026-11-21T10:01:30Z"
    assert real["frozen_at"] is None
    assert real["offset_seconds"] == 0


def test_stats_count_calls_throttles_and_faults(simulator, seller):
    # given
    order_id = simulator.generate(SELLER_ID, count=1, seed=51)[0]
    seller.get_order(order_id)
    seller.search(lastUpdatedAfter="2020-01-01T00:00:00Z")
    simulator.faults(rate=1.0, kinds=["500"])
    seller.get_order(order_id)

    # when
    stats = simulator.stats()

    # then
    assert stats["calls"] == {"searchOrders": 1, "getOrder": 2, "token": 1}
    assert stats["faults"] == {"500": 1}
    assert stats["throttled"] == {"searchOrders": 0, "getOrder": 0}
    assert stats["responses"]["getOrder"] == {"200": 1}


def test_reset_forgets_everything(simulator, seller):
    # given
    order_id = simulator.generate(SELLER_ID, count=1, seed=52)[0]
    simulator.faults(rate=1.0, kinds=["500"])
    simulator.clock(now="2030-01-01T00:00:00Z")

    # when
    simulator.reset()

    # then
    with pytest.raises(SimulatorError):
        simulator.stored_order(order_id)
    assert simulator._call("GET", "sellers") == {"sellers": []}
    assert simulator.stats()["calls"] == {"searchOrders": 0, "getOrder": 0, "token": 0}
    assert not simulator.now().startswith("2030")
    assert seller.request_token().status_code == 401


def test_routing_ignores_the_host_header(simulator, seller):
    # given
    order_id = simulator.generate(SELLER_ID, count=1, seed=53)[0]

    # when
    response = requests.get(
        f"{simulator.base_url}/orders/2026-01-01/orders/{order_id}",
        headers={"x-amz-access-token": seller.access_token, "Host": "27.0.0.1:1"},
        timeout=30,
    )

    # then
    assert response.status_code == 200


def test_unknown_paths_and_bad_json_are_refused(simulator):
    # when
    unknown = simulator.session.post(f"{simulator.base_url}/_simulator/teleport", json={})
    bad_json = simulator.session.post(
        f"{simulator.base_url}/_simulator/generate",
        data=b"{nope",
        headers={"Content-Type": "application/json"},
    )
    elsewhere = simulator.session.get(f"{simulator.base_url}/orders/v0/orders")

    # then
    assert unknown.status_code == 404
    assert bad_json.status_code == 400
    assert elsewhere.status_code == 404
    assert elsewhere.json()["errors"][0]["code"] == "NotFound"


@pytest.mark.parametrize(
    "knobs",
    [
        {"count": "many"},
        {"count": 3, "fba_ratio": "half"},
        {"count": 3, "prime_ratio": 1.5},
        {"count": 3, "seed": 1.5},
        {"count": 3, "skus": "MUG-001"},
        {"count": 3, "lifecycle": "yes"},
        {"count": 3, "status": "LOST_IN_TRANSIT"},
    ],
)
def test_generate_refuses_knobs_of_the_wrong_type_and_generates_nothing(simulator, seller, knobs):
    # when
    response = simulator.session.post(
        f"{simulator.base_url}/_simulator/generate", json={"sellerId": SELLER_ID, **knobs}
    )

    # then
    assert response.status_code == 400
    assert response.json()["error"]
    assert seller.search(lastUpdatedAfter="2020-01-01T00:00:00Z").json()["orders"] == []


def test_a_sellers_listings_name_its_skus_in_generated_and_created_orders(simulator):
    # given a seller whose listing calls SKU MUG-1 "Stoneware Mug"
    simulator.register_seller(seller_id="A2LISTINGS01", listings={"MUG-1": "Stoneware Mug"})

    # when orders of that SKU and of another are generated and created
    generated = simulator.generate(
        "A2LISTINGS01", count=5, seed=3, skus=["MUG-1"], unknown_sku_ratio=0
    )
    created = simulator.create_order(
        "A2LISTINGS01", order={"orderItems": [{"product": {"sellerSku": "OTHER-9"}}]}
    )

    # then the listed SKU carries its title, the other the simulator's catalog title
    titles = {
        item["product"]["sellerSku"]: item["product"]["title"]
        for order_id in generated
        for item in simulator.stored_order(order_id)["order"]["orderItems"]
    }
    assert titles == {"MUG-1": "Stoneware Mug"}
    assert created["orderItems"][0]["product"]["title"] != "Stoneware Mug"


def test_listings_that_are_not_a_map_of_titles_are_refused(simulator):
    with pytest.raises(SimulatorError) as refused:
        simulator.register_seller(seller_id="A2LISTINGS02", listings={"MUG-1": 7})
    assert refused.value.status_code == 400
