"""Builders of Orders API order bodies for the importer's tests (our own made-up data)."""

from itertools import count

from importer.gateway.parsing import parse_order
from importer.gateway.types import Order

_numbers = count(1)


def raw_order(
    *,
    order_id: str | None = None,
    status: str = "UNSHIPPED",
    fulfilled_by: str = "MERCHANT",
    created: str = "2026-06-01T10:00:00Z",
    updated: str = "2026-06-01T10:05:00Z",
    items: int = 2,
    lines: list[tuple[str, int]] | None = None,
    shipped: dict[str, int] | None = None,
    total: str = "42.00",
    currency: str = "USD",
    with_buyer: bool = True,
    buyer_email: str = "x1y2z3@marketplace.amazon.com",
) -> dict:
    """An order body; ``lines`` [(sku, quantity)] replaces the default SKU-1.. lines, and
    ``shipped`` {sku: units} says how many of each Amazon reports fulfilled."""
    number = next(_numbers)
    order_id = order_id or f"113-{number:07d}-{number:07d}"
    # Item ids follow the order id, so a later copy of the order names the same items.
    item_prefix = "".join(ch for ch in order_id if ch.isdigit())[-10:]
    body = {
        "orderId": order_id,
        "createdTime": created,
        "lastUpdatedTime": updated,
        "salesChannel": {"channelName": "AMAZON", "marketplaceId": "ATVPDKIKX0DER"},
        "proceeds": {"grandTotal": {"amount": total, "currencyCode": currency}},
        "fulfillment": {"fulfillmentStatus": status, "fulfilledBy": fulfilled_by},
        "orderItems": [
            {
                "orderItemId": f"{item_prefix}{index:03d}",
                "quantityOrdered": quantity,
                "product": {
                    "asin": f"B0TEST{index:04d}",
                    "title": f"Test product {sku}",
                    "sellerSku": sku,
                    "price": {"unitPrice": {"amount": "10.50", "currencyCode": currency}},
                },
                "fulfillment": {"quantityFulfilled": (shipped or {}).get(sku, 0)},
            }
            for index, (sku, quantity) in enumerate(
                lines or [(f"SKU-{line}", line) for line in range(1, items + 1)], start=1
            )
        ],
    }
    if with_buyer:
        body["buyer"] = {"buyerName": "Łukasz Żółć", "buyerEmail": buyer_email}
        body["recipient"] = {
            "deliveryAddress": {
                "name": "Łukasz Żółć",
                "addressLine1": "7 Harbour Road",
                "city": "Portland",
                "postalCode": "04101",
                "countryCode": "US",
            }
        }
    return body


def order(**overrides) -> Order:
    return parse_order(raw_order(**overrides))


def mirrored(store, **overrides):
    """The order, stored in the mirror as a poll would store it; the AmazonOrder row."""
    from django.utils import timezone

    from importer.models import AmazonOrder
    from importer.services.mirror import amazon_orders_mirror

    parsed = order(**overrides)
    amazon_orders_mirror(store=store, orders=[parsed], now=timezone.now())
    return AmazonOrder.objects.get(store=store, amazon_order_id=parsed.order_id)


def amazon_changed(store, row, **overrides):
    """The same order as Amazon now reports it (a later update), stored in the mirror."""
    from importer.models import AmazonOrder

    revision = row.revision
    updated = overrides.pop("updated", f"2026-06-0{1 + revision}T10:00:00Z")
    changed = mirrored(store, order_id=row.amazon_order_id, updated=updated, **overrides)
    assert changed.revision == revision + 1
    return AmazonOrder.objects.get(pk=row.pk)
