"""What ops do to imported Commerce orders, coordinated with the import and the stock.

Each action locks the order's Amazon order first (the lock order every import path
uses), then acts through the Commerce and inventory services, and leaves its trace:
the Commerce order's history names who did it, and the Amazon order's decision follows.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commerce.models import Order, OrderStatus
from commerce.services import order_cancel, order_hold, order_status_change, order_unhold
from importer.models import (
    AmazonOrder,
    AmazonOrderDecision,
    DecisionCode,
    DecisionTrigger,
    ImportDecision,
)
from importer.services.decisions import COMMERCE_ORDER_OBJECT, amazon_orders_decide
from inventory.models import ReservationEvent
from inventory.services import LedgerEntry, LedgerObject, reservations_compensate_many


def _amazon_order_lock(order: Order) -> AmazonOrder | None:
    return AmazonOrder.objects.select_for_update(of=("self",)).filter(commerce_order=order).first()


@transaction.atomic
def commerce_order_cancel(*, order: Order, user, comment: str = "") -> Order:
    """Cancel what is left to ship and give back what the order still holds, once.

    Canceling it again changes nothing. Refused (IllegalStateTransition) for an order
    that is complete or closed.
    """
    amazon_order = _amazon_order_lock(order)
    result = order_cancel(order=order, user=user, comment=comment or "Canceled by hand.")
    if result.canceled:
        reservations_compensate_many(
            entries=[
                LedgerEntry(
                    LedgerObject(COMMERCE_ORDER_OBJECT, str(order.pk), result.order.increment_id),
                    list(result.canceled.items()),
                    ReservationEvent.ORDER_CANCELED,
                    {"canceled_by": user.get_username() if user else ""},
                )
            ]
        )
        if amazon_order is not None:
            _decision_record(
                amazon_order,
                decision=ImportDecision.CANCELED,
                code=DecisionCode.CANCELED,
                reason=f"Commerce order {result.order.increment_id} canceled in Commerce"
                + (f" by {user.get_username()}." if user else "."),
                user=user,
            )
    return result.order


@transaction.atomic
def commerce_order_hold(*, order: Order, user, comment: str = "") -> Order:
    _amazon_order_lock(order)
    return order_hold(order=order, user=user, comment=comment or "Put on hold.")


@transaction.atomic
def commerce_order_unhold(*, order: Order, user, comment: str = "") -> Order:
    """Release the hold; a shipment Amazon reported meanwhile is recorded now."""
    amazon_order = _amazon_order_lock(order)
    released = order_unhold(order=order, user=user, comment=comment or "Released from hold.")
    if amazon_order is not None and amazon_order.decision_code == (
        DecisionCode.COMMERCE_ORDER_ON_HOLD
    ):
        amazon_orders_decide(
            order_ids=[amazon_order.pk], trigger=DecisionTrigger.COMMERCE, user=user
        )
    return released


@transaction.atomic
def commerce_order_status_change(
    *, order: Order, status: OrderStatus, user, comment: str = ""
) -> Order:
    """Give the order another status of its current state (e.g. a custom one)."""
    _amazon_order_lock(order)
    current = Order.objects.get(pk=order.pk)
    return order_status_change(
        order=current, state=current.state, status=status, comment=comment, user=user
    )


def _decision_record(amazon_order: AmazonOrder, *, decision, code, reason, user) -> None:
    now = timezone.now()
    amazon_order.decision = decision
    amazon_order.decision_code = code
    amazon_order.decision_reason = reason
    amazon_order.decision_details = {}
    amazon_order.decided_at = now
    amazon_order.save(
        update_fields=[
            "decision",
            "decision_code",
            "decision_reason",
            "decision_details",
            "decided_at",
        ]
    )
    AmazonOrderDecision.objects.create(
        order=amazon_order,
        decision=decision,
        code=code,
        reason=reason,
        amazon_status=amazon_order.status,
        revision=amazon_order.revision,
        commerce_order_id=amazon_order.commerce_order_id,
        trigger=DecisionTrigger.COMMERCE,
        user=user,
        created_at=now,
    )
