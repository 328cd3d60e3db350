"""What the rest of the product knows of an Amazon order: plain, typed, frozen values.

Nothing here names an Amazon wire field; `parsing` translates the wire into these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models


class AmazonOrderStatus(models.TextChoices):
    """One status vocabulary for both Orders API versions (2026-01-01 and the older v0)."""

    PENDING_AVAILABILITY = "pending_availability", "Pending availability"
    PENDING = "pending", "Pending"
    UNSHIPPED = "unshipped", "Unshipped"
    PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
    SHIPPED = "shipped", "Shipped"
    INVOICE_UNCONFIRMED = "invoice_unconfirmed", "Invoice unconfirmed"
    CANCELED = "canceled", "Canceled"
    UNFULFILLABLE = "unfulfillable", "Unfulfillable"


class FulfillmentChannel(models.TextChoices):
    FBA = "fba", "Fulfilled by Amazon (FBA)"
    FBM = "fbm", "Fulfilled by merchant (FBM)"


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Buyer:
    name: str = ""
    email: str = ""
    company: str = ""


@dataclass(frozen=True)
class Address:
    name: str = ""
    company: str = ""
    line1: str = ""
    line2: str = ""
    line3: str = ""
    city: str = ""
    district: str = ""
    state_or_region: str = ""
    postal_code: str = ""
    country_code: str = ""
    phone: str = ""


@dataclass(frozen=True)
class OrderItem:
    order_item_id: str
    sku: str
    asin: str
    title: str
    quantity_ordered: int
    quantity_shipped: int
    unit_price: Money | None
    row_total: Money | None = None


@dataclass(frozen=True)
class Order:
    order_id: str
    status: AmazonOrderStatus
    channel: FulfillmentChannel
    created_at: datetime
    updated_at: datetime
    marketplace_id: str
    items: tuple[OrderItem, ...]
    total: Money | None
    subtotal: Money | None = None
    shipping: Money | None = None
    tax: Money | None = None
    discount: Money | None = None
    ship_by: datetime | None = None
    buyer: Buyer | None = None
    address: Address | None = None
    is_prime: bool = False
    is_business: bool = False
    content_hash: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # ``raw`` as canonical JSON text (what ``content_hash`` digests), so it is not
    # serialised again to be stored; empty when the order was not built from a payload.
    raw_json: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class ParseFailure:
    """One order of a page that could not be understood; the rest of the page stands."""

    order_id: str | None
    reason: str


@dataclass(frozen=True)
class OrdersPage:
    orders: tuple[Order, ...]
    failures: tuple[ParseFailure, ...]
    next_token: str | None
    last_updated_before: datetime | None
