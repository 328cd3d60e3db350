"""Every response the simulator serves fits the published Orders API 2026-01-01 model."""

import pytest

from simulator import schema
from tests.simulator.conftest import SELLER_ID, register
from tests.simulator.wire import ALL_INCLUDED_DATA

pytestmark = pytest.mark.integration

INCLUDED_DATA_VARIANTS = [
    None,
    "FULFILLMENT",
    "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT",
    ",".join(ALL_INCLUDED_DATA),
]


@pytest.fixture
def population(simulator, seller):
    simulator.generate(SELLER_ID, count=400, seed=2026, skus=["MUG-001", "TEE-002"])
    for status in ("PENDING_AVAILABILITY", "PARTIALLY_SHIPPED", "UNFULFILLABLE", "CANCELLED"):
        simulator.generate(SELLER_ID, count=5, seed=len(status), status=status, fba_ratio=1.0)
        simulator.generate(SELLER_ID, count=5, seed=len(status), status=status, fba_ratio=0.0)
    return seller


@pytest.mark.parametrize("included", INCLUDED_DATA_VARIANTS)
def test_every_search_page_fits_the_model(population, included):
    # given
    params = {"lastUpdatedAfter": "2020-01-01T00:00:00Z", "maxResultsPerPage": 100}
    if included:
        params["includedData"] = included

    # when
    pages = population.search_pages(**params)

    # then
    problems = [problem for page in pages for problem in schema.check(page, "SearchOrdersResponse")]
    assert problems == []
    assert sum(len(page["orders"]) for page in pages) >= 440


def test_every_get_order_fits_the_model_with_all_datasets(population):
    # given
    pages = population.search_pages(lastUpdatedAfter="2020-01-01T00:00:00Z")
    order_ids = [order["orderId"] for page in pages for order in page["orders"]]

    # when
    bodies = [
        population.get_order(order_id, includedData=",".join(ALL_INCLUDED_DATA)).json()
        for order_id in order_ids
    ]

    # then
    problems = [problem for body in bodies for problem in schema.check(body, "GetOrderResponse")]
    assert problems == []


def test_the_population_covers_every_status_channel_and_missing_buyer(population):
    # when
    pages = population.search_pages(
        lastUpdatedAfter="2020-01-01T00:00:00Z", includedData="BUYER,RECIPIENT,FULFILLMENT"
    )

    # then
    orders = [order for page in pages for order in page["orders"]]
    statuses = {order["fulfillment"]["fulfillmentStatus"] for order in orders}
    assert statuses == set(schema.FULFILLMENT_STATUS.values)
    assert {order["fulfillment"]["fulfilledBy"] for order in orders} == {"AMAZON", "MERCHANT"}
    assert any("buyer" not in order and "recipient" not in order for order in orders)


def test_error_responses_fit_the_error_model(simulator, seller):
    # given
    other = register(simulator, "A2SELLEROTHER")
    foreign_order = simulator.generate("A2SELLEROTHER", count=1, seed=1)[0]
    assert other.get_order(foreign_order).status_code == 200

    # when
    responses = {
        "bad request": seller.search(lastUpdatedAfter="not a date"),
        "forbidden": seller.get(f"/orders/2026-01-01/orders/{foreign_order}", token="Atza|nope"),
        "not found": seller.get_order(foreign_order),
    }

    # then
    assert {name: response.status_code for name, response in responses.items()} == {
        "bad request": 400,
        "forbidden": 403,
        "not found": 404,
    }
    for response in responses.values():
        assert schema.check(response.json(), "ErrorList") == []
        assert response.headers["x-amzn-RequestId"]


def test_the_schema_rejects_what_the_model_forbids():
    # given
    order = {
        "orderId": "111-0000000-0000001",
        "createdTime": "2026-01-01T10:00:00Z",
        "lastUpdatedTime": "yesterday",
        "salesChannel": {"channelName": "AMAZON"},
        "orderItems": [{"orderItemId": "1", "quantityOrdered": "2", "product": {}}],
        "fulfillment": {"fulfillmentStatus": "SHIPPING"},
        "proceeds": {"grandTotal": {"amount": 12.5, "currencyCode": "USD"}},
        "buyerName": "not here",
    }

    # when
    problems = schema.check(order, "Order")

    # then
    assert problems == [
        "$.lastUpdatedTime: 'yesterday' is not an ISO 8601 date-time",
        "$.orderItems[0].quantityOrdered: expected an integer, got '2'",
        "$.fulfillment.fulfillmentStatus: 'SHIPPING' is not one of PENDING_AVAILABILITY, "
        "PENDING, UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED, UNFULFILLABLE",
        "$.proceeds.grandTotal.amount: expected a string (decimal), got 12.5",
        "$.buyerName: not a field of Order",
    ]
