"""A lone UTF-16 surrogate is refused at the control API's door, and one that is stored
anyway (a hand-edited state file) never stops an answer or a save."""

import json

import pytest

from tests.fixtures.simulator import SimulatorControl
from tests.simulator.conftest import SELLER_ID
from tests.simulator.wire import SellerWire

pytestmark = pytest.mark.integration

SURROGATE = "\ud800"
SEARCH = {"lastUpdatedAfter": "2020-01-01T00:00:00Z", "includedData": "BUYER,FULFILLMENT"}


PAST = {"createdTime": "2025-01-01T00:00:00Z"}


def _order_with(**product) -> dict:
    return {"sellerId": SELLER_ID, "order": {**PAST, "orderItems": [{"product": product}]}}


@pytest.mark.parametrize(
    ("path", "body", "where"),
    [
        ("orders", _order_with(title=f"Teapot {SURROGATE}"), "body.order.orderItems[0]"),
        ("orders", _order_with(sellerSku=f"MUG-{SURROGATE}"), "body.order.orderItems[0]"),
        (
            "orders",
            {"sellerId": SELLER_ID, "order": {**PAST, f"x{SURROGATE}": 1}},
            "a key of body.order",
        ),
        ("orders", {"sellerId": SELLER_ID, f"{SURROGATE}": None}, "a key of body"),
        ("generate", {"sellerId": SELLER_ID, "count": 2, "skus": [SURROGATE]}, "body.skus[0]"),
        (
            "sellers",
            {
                "sellerId": f"A2{SURROGATE}",
                "marketplaceIds": ["ATVPDKIKX0DER"],
                "clientId": "client",
                "clientSecret": "secret",
                "refreshToken": "Atzr|surrogate",
            },
            "body.sellerId",
        ),
        ("advance", {"sellerId": SURROGATE}, "body.sellerId"),
        ("faults", {"rate": 0, "kinds": [SURROGATE]}, "body.kinds[0]"),
        ("config", {SURROGATE: True}, "a key of body"),
        ("clock", {"now": f"2026-01-01T00:00:00Z{SURROGATE}"}, "body.now"),
        ("tokens/expire", {"because": SURROGATE}, "body.because"),
        ("reset", {"because": [{"deep": SURROGATE}]}, "body.because[0].deep"),
    ],
)
def test_a_lone_surrogate_anywhere_in_a_control_body_is_refused(
    simulator, seller, path, body, where
):
    # given
    order_id = simulator.create_order(SELLER_ID, order=PAST)["orderId"]

    # when
    response = simulator.session.post(f"{simulator.base_url}/_simulator/{path}", json=body)

    # then: refused, naming where; nothing changed and searchOrders still answers
    assert response.status_code == 400
    assert where in response.json()["error"]
    assert "surrogate" in response.json()["error"]
    search = seller.search(**SEARCH)
    assert search.status_code == 200
    assert [order["orderId"] for order in search.json()["orders"]] == [order_id]
    assert simulator._call("GET", "sellers")["sellers"][0]["sellerId"] == SELLER_ID


def test_a_lone_surrogate_on_an_order_status_change_is_refused(simulator, seller):
    # given
    order_id = simulator.create_order(SELLER_ID)["orderId"]

    # when
    response = simulator.session.post(
        f"{simulator.base_url}/_simulator/orders/{order_id}/status",
        json={"status": "SHIPPED", "note": SURROGATE},
    )

    # then
    assert response.status_code == 400
    assert simulator.stored_order(order_id)["order"]["fulfillment"]["fulfillmentStatus"] == (
        "PENDING"
    )


def test_a_surrogate_sent_as_raw_bytes_is_refused_too(simulator, seller):
    # given: the UTF-8-like encoding of U+D800, which Python's JSON reader lets through
    body = b'{"sellerId": "' + SELLER_ID.encode() + b'", "order": {"orderId": "\xed\xa0\x80"}}'

    # when
    response = simulator.session.post(
        f"{simulator.base_url}/_simulator/orders",
        data=body,
        headers={"Content-Type": "application/json"},
    )

    # then
    assert response.status_code == 400
    assert seller.search(**SEARCH).json()["orders"] == []


def test_characters_beyond_the_basic_plane_are_still_welcome(simulator, seller):
    # given: an emoji travels in JSON as a surrogate pair, which is a whole character
    body = _order_with(title="Teapot \U0001f375", sellerSku="TEA-\u00e9")

    # when
    response = simulator.session.post(f"{simulator.base_url}/_simulator/orders", json=body)

    # then
    assert response.status_code == 201
    [order] = seller.search(**SEARCH).json()["orders"]
    assert order["orderItems"][0]["product"]["title"] == "Teapot \U0001f375"


def test_a_stored_lone_surrogate_is_served_escaped_and_saved(start_simulator, tmp_path):
    # given: a state file edited by hand to hold a lone surrogate in a title
    state_file = tmp_path / "state.json"
    first = start_simulator("--no-rate-limits", state_file=state_file)
    control = SimulatorControl(first.base_url)
    credentials = {
        "client_id": "client",
        "client_secret": "secret",
        "refresh_token": "Atzr|stored-surrogate",
    }
    control.register_seller("A2SURROGATE", **credentials)
    order_id = control.create_order("A2SURROGATE", order=PAST)["orderId"]
    assert first.stop() == 0
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["orders"][order_id]["order"]["orderItems"][0]["product"]["title"] = f"Pot {SURROGATE}"
    state_file.write_text(json.dumps(state), encoding="utf-8")

    # when
    second = start_simulator("--no-rate-limits", state_file=state_file)
    wire = SellerWire(second.base_url, **credentials)
    search = wire.search(**SEARCH)
    single = wire.get_order(order_id)
    stopped = second.stop()

    # then: both answer valid JSON with the surrogate escaped, and the state is saved
    assert search.status_code == 200
    assert search.content.isascii()
    assert search.json()["orders"][0]["orderItems"][0]["product"]["title"] == f"Pot {SURROGATE}"
    assert single.status_code == 200
    assert single.json()["order"]["orderItems"][0]["product"]["title"] == f"Pot {SURROGATE}"
    assert stopped == 0
    saved = json.loads(state_file.read_text(encoding="utf-8"))
    assert saved["orders"][order_id]["order"]["orderItems"][0]["product"]["title"] == (
        f"Pot {SURROGATE}"
    )
