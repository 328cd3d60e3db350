from datetime import UTC, datetime
from decimal import Decimal

import pytest

from importer.gateway.errors import MalformedResponse
from importer.gateway.parsing import (
    MalformedOrder,
    amazon_status,
    content_hash,
    fulfillment_channel,
    parse_get_order,
    parse_search_page,
)
from importer.gateway.types import (
    Address,
    AmazonOrderStatus,
    Buyer,
    FulfillmentChannel,
    Money,
)


def test_a_merchant_fulfilled_order_is_read_with_buyer_address_items_and_total(amazon_json):
    # given
    body = amazon_json("search_orders_page.json")

    # when
    page = parse_search_page(body)

    # then
    order = page.orders[0]
    assert order.order_id == "114-3941689-8772232"
    assert order.status is AmazonOrderStatus.UNSHIPPED
    assert order.channel is FulfillmentChannel.FBM
    assert order.created_at == datetime(2026, 3, 2, 8, 15, 4, tzinfo=UTC)
    assert order.updated_at == datetime(2026, 3, 2, 9, 40, 11, tzinfo=UTC)
    assert order.marketplace_id == "ATVPDKIKX0DER"
    assert order.total == Money(Decimal("57.48"), "USD")
    assert order.is_prime and not order.is_business
    assert order.buyer == Buyer(name="Zoë Ångström", email="r7k2m9q4x1@marketplace.amazon.com")
    assert order.address == Address(
        name="Zoë Ångström",
        line1="41 Orchard Lane",
        line2="Apt 3",
        city="Springfield",
        state_or_region="OR",
        postal_code="97477",
        country_code="US",
    )
    assert [
        (item.order_item_id, item.sku, item.asin, item.quantity_ordered, item.quantity_shipped)
        for item in order.items
    ] == [
        ("30918273645501", "MUG-ENAMEL-12", "B0C7K2LM4Q", 2, 0),
        ("30918273645502", "SPORK-SS", "B0D1X9TT7R", 1, 0),
    ]
    assert order.items[0].title == "Enamel camping mug, 12 oz"
    assert order.items[0].unit_price == Money(Decimal("14.99"), "USD")


def test_an_amazon_fulfilled_order_without_buyer_or_address_is_normal(amazon_json):
    # given
    body = amazon_json("search_orders_page.json")

    # when
    page = parse_search_page(body)

    # then
    order = page.orders[1]
    assert order.channel is FulfillmentChannel.FBA
    assert order.status is AmazonOrderStatus.SHIPPED
    assert order.buyer is None
    assert order.address is None
    assert order.is_business and not order.is_prime
    assert order.items[0].quantity_shipped == 3
    assert page.failures == ()


def test_times_with_an_offset_are_converted_to_utc_and_currencies_upper_cased(amazon_json):
    # given
    body = amazon_json("search_orders_page.json")

    # when
    order = parse_search_page(body).orders[1]

    # then
    assert order.created_at == datetime(2026, 3, 1, 21, 1, 0, tzinfo=UTC)
    assert order.updated_at == datetime(2026, 3, 2, 9, 5, 30, tzinfo=UTC)
    assert order.total == Money(Decimal("120.0000"), "EUR")


def test_a_pending_order_may_have_no_total_and_items_without_price(amazon_json):
    # given
    body = amazon_json("search_orders_page.json")

    # when
    order = parse_search_page(body).orders[2]

    # then
    assert order.status is AmazonOrderStatus.PENDING
    assert order.total is None
    assert order.buyer == Buyer(name="山田 花子")
    assert order.items[0].unit_price is None
    assert order.items[0].title == ""


def test_the_page_carries_the_next_token_and_amazons_safe_cursor_end(amazon_json):
    # given
    body = amazon_json("search_orders_page.json")

    # when
    page = parse_search_page(body)

    # then
    assert page.next_token == "page-2-of-window-7f3a"
    assert page.last_updated_before == datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def test_a_malformed_order_is_reported_alone_and_the_rest_of_its_page_is_kept(amazon_json):
    # given
    body = amazon_json("search_orders_one_malformed.json")

    # when
    page = parse_search_page(body)

    # then
    assert [order.order_id for order in page.orders] == [
        "111-0000001-0000001",
        "111-0000005-0000005",
    ]
    assert [failure.order_id for failure in page.failures] == [
        "111-0000002-0000002",
        None,
        "111-0000004-0000004",
    ]
    assert "quantityOrdered" in page.failures[0].reason
    assert "orderId" in page.failures[1].reason
    assert "lastUpdatedTime" in page.failures[2].reason
    assert page.next_token is None


def test_get_order_reads_the_single_order(amazon_json):
    # given
    body = amazon_json("get_order_fba_without_buyer.json")

    # when
    order = parse_get_order(body)

    # then
    assert order.order_id == "026-7781120-4402218"
    assert order.status is AmazonOrderStatus.PARTIALLY_SHIPPED
    assert order.items[0].quantity_ordered == 3
    assert order.items[0].quantity_shipped == 1
    assert order.total == Money(Decimal("18.00"), "GBP")


@pytest.mark.parametrize(
    "body", [{}, {"orders": "none"}, [], None, {"orders": [], "lastUpdatedBefore": "soon"}]
)
def test_a_page_that_is_not_a_page_is_a_malformed_response(body):
    # when / then
    with pytest.raises(MalformedResponse):
        parse_search_page(body)


@pytest.mark.parametrize(
    ("amazon_name", "status"),
    [
        ("PENDING_AVAILABILITY", AmazonOrderStatus.PENDING_AVAILABILITY),
        ("PENDING", AmazonOrderStatus.PENDING),
        ("UNSHIPPED", AmazonOrderStatus.UNSHIPPED),
        ("PARTIALLY_SHIPPED", AmazonOrderStatus.PARTIALLY_SHIPPED),
        ("SHIPPED", AmazonOrderStatus.SHIPPED),
        ("CANCELLED", AmazonOrderStatus.CANCELED),
        ("UNFULFILLABLE", AmazonOrderStatus.UNFULFILLABLE),
        ("PendingAvailability", AmazonOrderStatus.PENDING_AVAILABILITY),
        ("Pending", AmazonOrderStatus.PENDING),
        ("Unshipped", AmazonOrderStatus.UNSHIPPED),
        ("PartiallyShipped", AmazonOrderStatus.PARTIALLY_SHIPPED),
        ("Shipped", AmazonOrderStatus.SHIPPED),
        ("InvoiceUnconfirmed", AmazonOrderStatus.INVOICE_UNCONFIRMED),
        ("Canceled", AmazonOrderStatus.CANCELED),
        ("Unfulfillable", AmazonOrderStatus.UNFULFILLABLE),
    ],
)
def test_both_api_versions_status_names_map_to_one_status(amazon_name, status):
    # when / then
    assert amazon_status(amazon_name) is status


@pytest.mark.parametrize("unknown", ["Error", "shipped", "", None])
def test_an_unknown_status_is_a_malformed_order(unknown):
    # when / then
    with pytest.raises(MalformedOrder):
        amazon_status(unknown)


@pytest.mark.parametrize(
    ("amazon_name", "channel"),
    [
        ("AMAZON", FulfillmentChannel.FBA),
        ("MERCHANT", FulfillmentChannel.FBM),
        ("AFN", FulfillmentChannel.FBA),
        ("MFN", FulfillmentChannel.FBM),
    ],
)
def test_both_api_versions_channel_names_map_to_fba_or_fbm(amazon_name, channel):
    # when / then
    assert fulfillment_channel(amazon_name) is channel


def test_the_content_hash_ignores_key_order_but_not_values(amazon_json):
    # given
    order = amazon_json("search_orders_page.json")["orders"][0]
    reordered = dict(reversed(list(order.items())))
    changed = {**order, "lastUpdatedTime": "2026-03-02T09:41:00Z"}

    # when / then
    assert content_hash(reordered) == content_hash(order)
    assert content_hash(changed) != content_hash(order)


@pytest.mark.parametrize(
    "breakage",
    [
        {"proceeds": {"grandTotal": {"amount": "lots", "currencyCode": "USD"}}},
        {"proceeds": {"grandTotal": {"amount": "1e30", "currencyCode": "USD"}}},
        {"proceeds": {"grandTotal": {"amount": "5.00", "currencyCode": "DOLLARS"}}},
        {"buyer": {"buyerName": 42}},
        {"orderItems": {"orderItemId": "1"}},
        {"createdTime": "2026-03-02T08:15:04"},
        {"fulfillment": {"fulfillmentStatus": "SHIPPED", "fulfilledBy": "SOMEONE"}},
        {"buyer": {"buyerName": "Zoë\x00Ångström"}},
        {"recipient": {"deliveryAddress": {"city": "Springfield\ud800"}}},
        {"programs": ["PRIME", "\x00"]},
    ],
)
def test_wrong_types_and_values_make_the_order_malformed(amazon_json, breakage):
    # given
    body = amazon_json("search_orders_page.json")
    body["orders"][0] = {**body["orders"][0], **breakage}

    # when
    page = parse_search_page(body)

    # then
    assert [failure.order_id for failure in page.failures] == ["114-3941689-8772232"]
    assert len(page.orders) == 2


def test_an_order_repeating_an_item_id_is_malformed(amazon_json):
    # given
    body = amazon_json("search_orders_page.json")
    first_item = body["orders"][0]["orderItems"][0]
    body["orders"][0]["orderItems"] = [first_item, {**first_item, "quantityOrdered": 5}]

    # when
    page = parse_search_page(body)

    # then
    assert [failure.order_id for failure in page.failures] == ["114-3941689-8772232"]
    assert "orderItemId" in page.failures[0].reason
    assert len(page.orders) == 2


def test_an_order_id_no_database_can_store_is_reported_escaped(amazon_json):
    # given
    body = amazon_json("search_orders_page.json")
    body["orders"][0]["orderId"] = "114-\x00-1"

    # when
    page = parse_search_page(body)

    # then
    assert [failure.order_id for failure in page.failures] == ["'114-\\x00-1'"]
    assert "\x00" not in page.failures[0].reason


def test_a_multi_megabyte_value_is_quoted_by_its_start_in_the_reason(amazon_json):
    # given a title of 3 MB that no database can store
    body = amazon_json("search_orders_page.json")
    body["orders"][0]["orderItems"][0]["product"]["title"] = "Kettle " * 500_000 + "\x00"

    # when
    page = parse_search_page(body)

    # then the reason quotes the title's start and says the rest was cut
    reason = page.failures[0].reason
    assert len(reason) < 300
    assert reason.startswith("holds text no database can store: 'Kettle Kettle")
    assert "more characters cut)" in reason
