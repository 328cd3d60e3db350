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
    total: str = "42.00",
    currency: str = "USD",
    with_buyer: bool = True,
) -> dict:
    number = next(_numbers)
    body = {
        "orderId": order_id or f"113-{number:07d}-{number:07d}",
        "createdTime": created,
        "lastUpdatedTime": updated,
        "salesChannel": {"channelName": "AMAZON", "marketplaceId": "ATVPDKIKX0DER"},
        "proceeds": {"grandTotal": {"amount": total, "currencyCode": currency}},
        "fulfillment": {"fulfillmentStatus": status, "fulfilledBy": fulfilled_by},
        "orderItems": [
            {
                "orderItemId": f"{number:07d}{line:03d}",
                "quantityOrdered": line,
                "product": {
                    "asin": f"B0TEST{line:04d}",
                    "title": f"Test product {line}",
                    "sellerSku": f"SKU-{line}",
                    "price": {"unitPrice": {"amount": "10.50", "currencyCode": currency}},
                },
                "fulfillment": {"quantityFulfilled": 0},
            }
            for line in range(1, items + 1)
        ],
    }
    if with_buyer:
        body["buyer"] = {"buyerName": "Łukasz Żółć", "buyerEmail": "x1y2z3@marketplace.amazon.com"}
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
