"""Amazon orders as the import leaves them, written straight to the mirror for page tests."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

import factory

from commerce.services import OrderLine, order_create
from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel
from importer.models import (
    AmazonOrder,
    AmazonOrderDecision,
    AmazonOrderItem,
    AmazonOrderStatusHistory,
    DecisionCode,
    DecisionTrigger,
    ImportDecision,
)
from settings_app.selectors import order_settings_for_store

_numbers = count(1)
START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class AmazonOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AmazonOrder

    amazon_order_id = factory.LazyFunction(lambda: f"113-{next(_numbers):07d}-{next(_numbers):07d}")
    status = AmazonOrderStatus.UNSHIPPED
    channel = FulfillmentChannel.FBM
    marketplace_id = "ATVPDKIKX0DER"
    purchased_at = factory.Sequence(lambda n: START + timedelta(minutes=n))
    amazon_updated_at = factory.LazyAttribute(
        lambda order: order.purchased_at + timedelta(minutes=5)
    )
    ship_by_at = factory.LazyAttribute(lambda order: order.purchased_at + timedelta(days=2))
    currency = "USD"
    total_amount = Decimal("196.62")
    buyer_name = "Jane Doe"
    buyer_email = "x1y2z3@marketplace.amazon.com"
    ship_name = "Jane Doe"
    ship_line1 = "7 Harbour Road"
    ship_city = "Portland"
    ship_postal_code = "04101"
    ship_country_code = "US"
    content_hash = factory.Sequence(lambda n: f"{n:064d}")
    received_at = factory.LazyAttribute(lambda order: order.purchased_at + timedelta(minutes=6))
    changed_at = factory.LazyAttribute(lambda order: order.received_at)
    decision = ImportDecision.WAITING
    decision_code = DecisionCode.PENDING
    decision_reason = "Pending on Amazon: the order is created when Amazon marks it Unshipped."


def amazon_order(*, store, items: int = 2, history: bool = True, **fields) -> AmazonOrder:
    """An Amazon order of ``store`` with items, a status history row and a decision row."""
    order = AmazonOrderFactory(store=store, **fields)
    AmazonOrderItem.objects.bulk_create(
        AmazonOrderItem(
            order=order,
            order_item_id=f"{order.pk}-{line}",
            sku=f"SKU-{line}",
            asin=f"B0TEST{line:04d}",
            title=f"Test product {line}",
            quantity_ordered=line,
            unit_price=Decimal("10.50"),
            row_total=Decimal("10.50") * line,
            currency=order.currency,
        )
        for line in range(1, items + 1)
    )
    if history:
        AmazonOrderStatusHistory.objects.create(
            order=order,
            from_status="",
            to_status=AmazonOrderStatus.PENDING,
            amazon_updated_at=order.purchased_at,
            recorded_at=order.received_at,
        )
        AmazonOrderStatusHistory.objects.create(
            order=order,
            from_status=AmazonOrderStatus.PENDING,
            to_status=order.status,
            amazon_updated_at=order.amazon_updated_at,
            recorded_at=order.received_at,
        )
        AmazonOrderDecision.objects.create(
            order=order,
            decision=order.decision,
            code=order.decision_code,
            reason=order.decision_reason,
            details=order.decision_details,
            settings_used={
                "import_enabled": True,
                "store_view": "default",
                "customer_creation": "guest",
                "order_number_source": "commerce",
                "pending_orders": "reserve",
                "order_status": "default",
                "processing_status": None,
            },
            amazon_status=order.status,
            revision=1,
            commerce_order=order.commerce_order,
            trigger=DecisionTrigger.POLL,
            created_at=order.received_at,
        )
    return order


def imported_order(*, store, items: int = 2, **fields) -> AmazonOrder:
    """An Amazon order with its Commerce order, as a created decision leaves it."""
    settings = order_settings_for_store(store=store)
    number = fields.get("amazon_order_id") or f"114-{next(_numbers):07d}-{next(_numbers):07d}"
    commerce = order_create(
        store_view=settings.store_view,
        items=[
            OrderLine(
                sku=f"SKU-{line}",
                name=f"Test product {line}",
                qty_ordered=Decimal(line),
                price=Decimal("10.50"),
            )
            for line in range(1, items + 1)
        ],
        currency="USD",
        customer_email="x1y2z3@marketplace.amazon.com",
        shipping_address={"name": "Jane Doe", "line1": "7 Harbour Road", "city": "Portland"},
    )
    fields.setdefault("amazon_order_id", number)
    commerce.external_order_id = fields["amazon_order_id"]
    commerce.save(update_fields=["external_order_id"])
    return amazon_order(
        store=store,
        items=items,
        decision=ImportDecision.CREATED,
        decision_code=DecisionCode.CREATED,
        decision_reason="Unshipped: created, and its quantity reserved.",
        commerce_order=commerce,
        **fields,
    )


def blocked_order(*, store, **fields) -> AmazonOrder:
    return amazon_order(
        store=store,
        decision=ImportDecision.BLOCKED,
        decision_code=DecisionCode.OUT_OF_STOCK,
        decision_reason="Out of stock: no order until the stock covers it.",
        decision_details={
            "shortages": [{"sku": "SKU-2", "ordered": "2", "salable": "0", "short": "2"}]
        },
        **fields,
    )


def error_order(*, store, **fields) -> AmazonOrder:
    return amazon_order(
        store=store,
        decision=ImportDecision.ERROR,
        decision_code=DecisionCode.FAILED,
        decision_reason="Placing it failed.",
        decision_details={"error": "Status 'amazon_new' is not assigned to state 'new'."},
        attempts=3,
        **fields,
    )
