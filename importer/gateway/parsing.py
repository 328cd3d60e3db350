"""Orders API JSON -> `types`. The one place that reads Amazon's order field names.

Each order is parsed on its own: a malformed order becomes a `ParseFailure` for that
order and the other orders of its page are kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from importer.gateway.errors import MalformedResponse
from importer.gateway.types import (
    Address,
    AmazonOrderStatus,
    Buyer,
    FulfillmentChannel,
    Money,
    Order,
    OrderItem,
    OrdersPage,
    ParseFailure,
)

# 2026-01-01 names first, then the v0 names still found in older payloads and exports.
STATUS_BY_AMAZON_NAME: dict[str, AmazonOrderStatus] = {
    "PENDING_AVAILABILITY": AmazonOrderStatus.PENDING_AVAILABILITY,
    "PENDING": AmazonOrderStatus.PENDING,
    "UNSHIPPED": AmazonOrderStatus.UNSHIPPED,
    "PARTIALLY_SHIPPED": AmazonOrderStatus.PARTIALLY_SHIPPED,
    "SHIPPED": AmazonOrderStatus.SHIPPED,
    "CANCELLED": AmazonOrderStatus.CANCELED,
    "UNFULFILLABLE": AmazonOrderStatus.UNFULFILLABLE,
    "PendingAvailability": AmazonOrderStatus.PENDING_AVAILABILITY,
    "Pending": AmazonOrderStatus.PENDING,
    "Unshipped": AmazonOrderStatus.UNSHIPPED,
    "PartiallyShipped": AmazonOrderStatus.PARTIALLY_SHIPPED,
    "Shipped": AmazonOrderStatus.SHIPPED,
    "InvoiceUnconfirmed": AmazonOrderStatus.INVOICE_UNCONFIRMED,
    "Canceled": AmazonOrderStatus.CANCELED,
    "Unfulfillable": AmazonOrderStatus.UNFULFILLABLE,
}

CHANNEL_BY_AMAZON_NAME: dict[str, FulfillmentChannel] = {
    "AMAZON": FulfillmentChannel.FBA,
    "MERCHANT": FulfillmentChannel.FBM,
    "AFN": FulfillmentChannel.FBA,
    "MFN": FulfillmentChannel.FBM,
}

PRIME_PROGRAM = "PRIME"
BUSINESS_PROGRAM = "AMAZON_BUSINESS"

# What the import asks Amazon to include with each order.
INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "CANCELLATION", "FULFILLMENT")


# Sanity bounds no real order comes near; past them the data is broken, not big.
MAX_AMOUNT = Decimal(10) ** 10
MAX_COUNT = 1_000_000
AMOUNT_PRECISION = Decimal("0.0001")
# A reason quotes the offending value; a few megabytes of title are quoted by their start.
QUOTED_VALUE_LIMIT = 120


class MalformedOrder(ValueError):
    """One order's JSON does not have the shape or types the published model promises."""


def amazon_status(name: str) -> AmazonOrderStatus:
    try:
        return STATUS_BY_AMAZON_NAME[name]
    except (KeyError, TypeError):
        raise MalformedOrder(f"unknown order status {_quoted(name)}") from None


def fulfillment_channel(name: str) -> FulfillmentChannel:
    try:
        return CHANNEL_BY_AMAZON_NAME[name]
    except (KeyError, TypeError):
        raise MalformedOrder(f"unknown fulfillment channel {_quoted(name)}") from None


def parse_timestamp(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise MalformedOrder(f"{what} is not a timestamp: {_quoted(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise MalformedOrder(f"{what} is not ISO 8601: {_quoted(value)}") from None
    if moment.tzinfo is None:
        raise MalformedOrder(f"{what} has no time zone: {_quoted(value)}")
    return moment.astimezone(UTC)


def content_hash(raw_order: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(raw_order).encode()).hexdigest()


def _canonical(raw_order: Mapping[str, Any]) -> str:
    return json.dumps(raw_order, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def parse_order(raw: Any) -> Order:
    order = _mapping(raw, "order")
    canonical = _canonical(order)
    try:
        encoded = canonical.encode()
    except UnicodeEncodeError:
        encoded = None
    if encoded is None or b"\\u0000" in encoded:
        # A lone surrogate or an escaped NUL somewhere: walk the order to name the text.
        _require_storable_text(order)
        if encoded is None:
            raise MalformedOrder("holds text no database can store")
    order_id = _required_text(order, "orderId", "orderId")
    fulfillment = _mapping(order.get("fulfillment"), "fulfillment")
    sales_channel = _mapping(order.get("salesChannel"), "salesChannel")
    raw_items = order.get("orderItems")
    if not isinstance(raw_items, list):
        raise MalformedOrder("orderItems is not a list")
    programs = _optional_list(order.get("programs"), "programs")
    proceeds = _optional_mapping(order.get("proceeds"), "proceeds")
    breakdown = _proceeds_breakdown(proceeds)
    items = tuple(_parse_item(item) for item in raw_items)
    item_ids = [item.order_item_id for item in items]
    if len(set(item_ids)) != len(item_ids):
        raise MalformedOrder("an orderItemId appears more than once")
    return Order(
        order_id=order_id,
        status=amazon_status(fulfillment.get("fulfillmentStatus")),
        channel=fulfillment_channel(fulfillment.get("fulfilledBy")),
        created_at=parse_timestamp(order.get("createdTime"), "createdTime"),
        updated_at=parse_timestamp(order.get("lastUpdatedTime"), "lastUpdatedTime"),
        marketplace_id=_optional_text(sales_channel, "marketplaceId"),
        items=items,
        total=_optional_money(proceeds, "grandTotal"),
        subtotal=breakdown.get("ITEM"),
        shipping=breakdown.get("SHIPPING"),
        tax=breakdown.get("TAX"),
        discount=breakdown.get("DISCOUNT"),
        ship_by=_ship_by(fulfillment),
        buyer=_parse_buyer(order.get("buyer")),
        address=_parse_address(order.get("recipient")),
        is_prime=PRIME_PROGRAM in programs,
        is_business=BUSINESS_PROGRAM in programs,
        content_hash=hashlib.sha256(encoded).hexdigest(),
        raw=dict(order),
        raw_json=canonical,
    )


def _proceeds_breakdown(proceeds: Mapping[str, Any]) -> dict[str, Money]:
    """The order's proceeds by category (ITEM, SHIPPING, TAX, DISCOUNT, ...)."""
    found: dict[str, Money] = {}
    for entry in _optional_list(proceeds.get("breakdowns"), "proceeds.breakdowns"):
        entry = _mapping(entry, "a proceeds breakdown")
        category = _optional_text(entry, "type")
        money = _optional_money(entry, "subtotal")
        if category and money is not None:
            found[category] = money
    return found


def _ship_by(fulfillment: Mapping[str, Any]) -> datetime | None:
    window = _optional_mapping(fulfillment.get("shipByWindow"), "shipByWindow")
    latest = window.get("latestDateTime")
    return None if latest is None else parse_timestamp(latest, "shipByWindow.latestDateTime")


def parse_search_page(body: Any) -> OrdersPage:
    """A searchOrders body; raises MalformedResponse only when the page itself is broken."""
    if not isinstance(body, Mapping) or not isinstance(body.get("orders"), list):
        raise MalformedResponse("searchOrders response has no list of orders")
    orders: list[Order] = []
    failures: list[ParseFailure] = []
    for raw in body["orders"]:
        try:
            orders.append(parse_order(raw))
        except MalformedOrder as error:
            failures.append(ParseFailure(order_id=_order_id_if_any(raw), reason=str(error)))
    pagination = body.get("pagination")
    next_token = pagination.get("nextToken") if isinstance(pagination, Mapping) else None
    last_updated_before = body.get("lastUpdatedBefore")
    try:
        cursor_end = (
            parse_timestamp(last_updated_before, "lastUpdatedBefore")
            if last_updated_before is not None
            else None
        )
    except MalformedOrder as error:
        raise MalformedResponse(str(error)) from None
    return OrdersPage(
        orders=tuple(orders),
        failures=tuple(failures),
        next_token=next_token if isinstance(next_token, str) and next_token else None,
        last_updated_before=cursor_end,
    )


def parse_get_order(body: Any) -> Order:
    if not isinstance(body, Mapping) or "order" not in body:
        raise MalformedResponse("getOrder response has no order")
    return parse_order(body["order"])


def _parse_item(raw: Any) -> OrderItem:
    item = _mapping(raw, "order item")
    item_id = _required_text(item, "orderItemId", "orderItemId")
    product = _mapping(item.get("product"), f"product of item {item_id}")
    price = _optional_mapping(product.get("price"), "price")
    fulfillment = _optional_mapping(item.get("fulfillment"), "item fulfillment")
    proceeds = _optional_mapping(item.get("proceeds"), "item proceeds")
    return OrderItem(
        order_item_id=item_id,
        sku=_optional_text(product, "sellerSku"),
        asin=_optional_text(product, "asin"),
        title=_optional_text(product, "title"),
        quantity_ordered=_count(item.get("quantityOrdered"), "quantityOrdered"),
        quantity_shipped=_count(fulfillment.get("quantityFulfilled", 0), "quantityFulfilled"),
        unit_price=_optional_money(price, "unitPrice"),
        row_total=_optional_money(proceeds, "proceedsTotal"),
    )


def _parse_buyer(raw: Any) -> Buyer | None:
    buyer = _optional_mapping(raw, "buyer")
    found = Buyer(
        name=_optional_text(buyer, "buyerName"),
        email=_optional_text(buyer, "buyerEmail"),
        company=_optional_text(buyer, "buyerCompanyName"),
    )
    return found if found != Buyer() else None


def _parse_address(raw: Any) -> Address | None:
    recipient = _optional_mapping(raw, "recipient")
    address = _optional_mapping(recipient.get("deliveryAddress"), "deliveryAddress")
    found = Address(
        name=_optional_text(address, "name"),
        company=_optional_text(address, "companyName"),
        line1=_optional_text(address, "addressLine1"),
        line2=_optional_text(address, "addressLine2"),
        line3=_optional_text(address, "addressLine3"),
        city=_optional_text(address, "city"),
        district=_optional_text(address, "districtOrCounty"),
        state_or_region=_optional_text(address, "stateOrRegion"),
        postal_code=_optional_text(address, "postalCode"),
        country_code=_optional_text(address, "countryCode"),
        phone=_optional_text(address, "phone"),
    )
    return found if found != Address() else None


def _optional_money(container: Mapping[str, Any], key: str) -> Money | None:
    raw = container.get(key)
    if raw is None:
        return None
    money = _mapping(raw, key)
    amount, currency = money.get("amount"), money.get("currencyCode")
    if not isinstance(amount, str | int | float) or isinstance(amount, bool):
        raise MalformedOrder(f"{key}.amount is not a decimal: {_quoted(amount)}")
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise MalformedOrder(f"{key}.amount is not a decimal: {_quoted(amount)}") from None
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise MalformedOrder(f"{key}.amount is out of range: {_quoted(amount)}")
    if not isinstance(currency, str) or len(currency) != 3:
        raise MalformedOrder(f"{key}.currencyCode is not a currency code: {_quoted(currency)}")
    return Money(amount=value.quantize(AMOUNT_PRECISION), currency=currency.upper())


def _count(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        raise MalformedOrder(f"{what} is not a count: {_quoted(value)}")
    return value


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedOrder(f"{what} is not an object")
    return value


def _optional_mapping(value: Any, what: str) -> Mapping[str, Any]:
    return {} if value is None else _mapping(value, what)


def _optional_list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedOrder(f"{what} is not a list")
    return value


def _required_text(container: Mapping[str, Any], key: str, what: str) -> str:
    value = container.get(key)
    if not isinstance(value, str) or not value:
        raise MalformedOrder(f"{what} is missing or not text")
    return value


def _optional_text(container: Mapping[str, Any], key: str) -> str:
    value = container.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedOrder(f"{key} is not text: {_quoted(value)}")
    return value


def _require_storable_text(value: Any) -> None:
    """Every text of the order fits a database row: no NUL, no lone UTF-16 surrogate.

    JSON can carry both; PostgreSQL refuses them, and the whole page would fail with them.
    """
    if isinstance(value, str):
        if not _is_storable(value):
            raise MalformedOrder(f"holds text no database can store: {_quoted(value)}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _require_storable_text(key)
            _require_storable_text(item)
    elif isinstance(value, list):
        for item in value:
            _require_storable_text(item)


def _is_storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _order_id_if_any(raw: Any) -> str | None:
    if isinstance(raw, Mapping) and isinstance(raw.get("orderId"), str):
        order_id = raw["orderId"]
        return order_id if _is_storable(order_id) else _quoted(order_id)
    return None


def _quoted(value: Any) -> str:
    """The value as a reason quotes it: its repr, only its start when that is long."""
    text = repr(value)
    if len(text) <= QUOTED_VALUE_LIMIT:
        return text
    return f"{text[:QUOTED_VALUE_LIMIT]}… ({len(text) - QUOTED_VALUE_LIMIT:,} more characters cut)"
