"""The library the gateway uses lists, pages and fetches orders from the simulator."""

import pytest
from sp_api.auth.exceptions import AuthorizationError
from sp_api.base.exceptions import SellingApiForbiddenException

from tests.fixtures.simulator import clear_sp_api_token_cache
from tests.simulator.sp_api_client import orders_client

pytestmark = pytest.mark.integration

SELLER = "A2SELLERPAGES"
CLIENT_ID = "amzn1.application-oa2-client.pages"
CLIENT_SECRET = "pages-secret"
REFRESH_TOKEN = "Atzr|pages-refresh"


def registered_client(simulator):
    simulator.register_seller(
        SELLER,
        marketplace_ids=["ATVPDKIKX0DER"],
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        refresh_token=REFRESH_TOKEN,
    )
    return orders_client(
        simulator.base_url,
        refresh_token=REFRESH_TOKEN,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )


def test_client_pages_through_every_order_once(simulator):
    # given
    client = registered_client(simulator)
    generated = simulator.generate(SELLER, count=250, seed=7)

    # when
    pages = []
    token = None
    while True:
        kwargs = {"lastUpdatedAfter": "2020-01-01T00:00:00Z", "maxResultsPerPage": 100}
        if token:
            kwargs["paginationToken"] = token
        response = client.search_orders(**kwargs)
        pages.append([order["orderId"] for order in response.payload["orders"]])
        token = response.next_token
        if not token:
            break

    # then
    assert [len(page) for page in pages] == [100, 100, 50]
    seen = [order_id for page in pages for order_id in page]
    assert sorted(seen) == sorted(generated)
    assert response.payload["lastUpdatedBefore"].endswith("Z")
    assert float(response.headers["x-amzn-RateLimit-Limit"]) > 0


def test_client_fetches_one_order_with_requested_datasets(simulator):
    # given
    client = registered_client(simulator)
    created = simulator.create_order(
        SELLER,
        order={
            "fulfillment": {"fulfilledBy": "MERCHANT", "fulfillmentStatus": "UNSHIPPED"},
            "buyer": {"buyerName": "Zoë Müller"},
            "orderItems": [{"product": {"sellerSku": "MUG-001"}, "quantityOrdered": 2}],
        },
    )

    # when
    response = client.get_order(created["orderId"], includedData=["BUYER", "FULFILLMENT"])

    # then
    order = response.payload["order"]
    assert order["orderId"] == created["orderId"]
    assert order["buyer"]["buyerName"] == "Zoë Müller"
    assert order["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
    assert order["orderItems"][0]["product"]["sellerSku"] == "MUG-001"
    assert "proceeds" not in order


def test_client_gets_a_new_access_token_once_the_old_one_is_refused(simulator):
    # given
    client = registered_client(simulator)
    order_id = simulator.generate(SELLER, count=1, seed=3)[0]
    client.get_order(order_id)
    simulator.expire_tokens()

    # when
    with pytest.raises(SellingApiForbiddenException) as refused:
        client.get_order(order_id)
    clear_sp_api_token_cache()
    response = client.get_order(order_id)

    # then
    assert refused.value.amzn_code == "Unauthorized"
    assert response.payload["order"]["orderId"] == order_id
    assert simulator.stats()["calls"]["token"] == 2


def test_client_reports_login_with_amazon_refusals(simulator):
    # given
    registered_client(simulator)
    client = orders_client(
        simulator.base_url,
        refresh_token=REFRESH_TOKEN,
        client_id=CLIENT_ID,
        client_secret="not-the-secret",
    )

    # when
    with pytest.raises(AuthorizationError) as refused:
        client.get_order("111-0000000-0000000")

    # then
    assert refused.value.error_code == "invalid_client"
    assert refused.value.status_code == 401
