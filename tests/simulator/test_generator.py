"""Generated orders look like a real seller's: channels, marketplaces, buyers and SKUs."""

from collections import Counter

import pytest

from tests.simulator.conftest import SELLER_ID, register
from tests.simulator.wire import ALL_INCLUDED_DATA

pytestmark = pytest.mark.integration

CATALOG = ["MUG-001", "TEE-002", "CAP-003", "BAG-004"]
CURRENCY = {
    "ATVPDKIKX0DER": "USD",
    "A2EUQ1WTGCTBG2": "CAD",
    "A1PA6795UKMFR9": "EUR",
    "A1F83G8C2ARO7P": "GBP",
}


@pytest.fixture
def orders(simulator, seller):
    simulator.generate(SELLER_ID, count=400, seed=41, skus=CATALOG, unknown_sku_ratio=0.2)
    pages = seller.search_pages(
        lastUpdatedAfter="2020-01-01T00:00:00Z", includedData=",".join(ALL_INCLUDED_DATA)
    )
    return [order for page in pages for order in page["orders"]]


def by_channel(orders, fulfilled_by):
    return [order for order in orders if order["fulfillment"]["fulfilledBy"] == fulfilled_by]


def test_orders_span_marketplaces_each_in_its_currency(orders):
    # when
    pairs = {
        (order["salesChannel"]["marketplaceId"], order["proceeds"]["grandTotal"]["currencyCode"])
        for order in orders
    }

    # then
    assert pairs == set(CURRENCY.items())


def test_item_prices_and_totals_share_the_order_currency(orders):
    # then
    for order in orders:
        currency = order["proceeds"]["grandTotal"]["currencyCode"]
        for item in order["orderItems"]:
            assert item["product"]["price"]["unitPrice"]["currencyCode"] == currency


def test_buyer_email_is_given_for_merchant_fulfilled_orders_only(orders):
    # then
    assert all("buyerEmail" in order["buyer"] for order in by_channel(orders, "MERCHANT"))
    assert all(
        "@marketplace.amazon." in order["buyer"]["buyerEmail"]
        for order in by_channel(orders, "MERCHANT")
    )
    assert not any("buyerEmail" in order.get("buyer", {}) for order in by_channel(orders, "AMAZON"))


def test_some_amazon_fulfilled_orders_have_no_name_or_address(orders):
    # when
    anonymous = [
        order
        for order in by_channel(orders, "AMAZON")
        if "buyer" not in order and "recipient" not in order
    ]

    # then
    assert anonymous
    assert all(order["fulfillment"]["fulfilledBy"] == "AMAZON" for order in anonymous)


def test_names_include_non_ascii_ones(orders):
    # when
    names = {order["buyer"]["buyerName"] for order in orders if "buyer" in order}

    # then
    assert any(not name.isascii() for name in names)
    assert any(name.isascii() for name in names)


def test_prime_and_business_orders_are_marked(orders):
    # when
    programs = Counter(program for order in orders for program in order.get("programs", []))
    business = [order for order in orders if "AMAZON_BUSINESS" in order.get("programs", [])]

    # then
    assert programs["PRIME"] > 0
    assert business
    assert all("buyerCompanyName" in order["buyer"] for order in business if "buyer" in order)
    assert all(
        item["product"]["price"]["priceDesignation"] == "BUSINESS_PRICE"
        for order in business
        for item in order["orderItems"]
    )


def test_orders_carry_one_to_five_items_mostly_from_the_catalog(orders):
    # when
    item_counts = Counter(len(order["orderItems"]) for order in orders)
    skus = [item["product"]["sellerSku"] for order in orders for item in order["orderItems"]]
    known_share = sum(sku in CATALOG for sku in skus) / len(skus)

    # then
    assert set(item_counts) <= {1, 2, 3, 4, 5}
    assert item_counts[1] > 0 and max(item_counts) >= 3
    assert 0.7 <= known_share <= 0.9


def test_the_same_seed_generates_the_same_orders(simulator, seller):
    # given
    first = simulator.generate(SELLER_ID, count=5, seed=99, created_before="2026-01-01T00:00:00Z")
    first_orders = [simulator.stored_order(order_id)["order"] for order_id in first]
    simulator.reset()
    simulator.config(rate_limits=False)
    register(simulator, SELLER_ID)

    # when
    second = simulator.generate(SELLER_ID, count=5, seed=99, created_before="2026-01-01T00:00:00Z")

    # then
    assert second == first
    assert [simulator.stored_order(order_id)["order"] for order_id in second] == first_orders


def test_generation_can_be_limited_to_one_status_and_marketplace(simulator, seller):
    # when
    order_ids = simulator.generate(
        SELLER_ID, count=10, seed=42, status="UNSHIPPED", marketplace_ids=["A1PA6795UKMFR9"]
    )

    # then
    orders = [simulator.stored_order(order_id)["order"] for order_id in order_ids]
    assert {order["fulfillment"]["fulfillmentStatus"] for order in orders} == {"UNSHIPPED"}
    assert {order["salesChannel"]["marketplaceId"] for order in orders} == {"A1PA6795UKMFR9"}


def test_generated_orders_are_never_inside_the_two_minute_window(simulator, seller):
    # given
    simulator.clock(now="2026-11-21T10:00:00Z")

    # when
    order_ids = simulator.generate(SELLER_ID, count=50, seed=43)

    # then
    updated = [
        simulator.stored_order(order_id)["order"]["lastUpdatedTime"] for order_id in order_ids
    ]
    assert max(updated) <= "2026-11-21T09:57:00Z"
