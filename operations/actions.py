"""What ops people may do to an order, each through the import engine's service for it.

This module is the one door from the operations view to the engine's writes: it calls the
service and turns the engine's refusals (``ActionRefused``, ``RecoveryFailed``,
``CommerceError``) into ``Refused``, whose message is for people.
"""

from __future__ import annotations

from commerce.exceptions import CommerceError
from commerce.models import STATE_TRANSITIONS, OrderState, OrderStatus
from importer.exceptions import ActionRefused, RecoveryFailed
from importer.models import DecisionCode, ImportDecision
from importer.services.commerce_orders import (
    commerce_order_cancel,
    commerce_order_hold,
    commerce_order_status_change,
    commerce_order_unhold,
)
from importer.services.decisions import amazon_order_retry
from importer.services.recovery import amazon_order_recover


class Refused(Exception):
    """The action does not apply, or the engine refused it; the message says why."""


RETRYABLE = frozenset({ImportDecision.ERROR, ImportDecision.BLOCKED})
COMMERCE_ACTIONS = ("status", "hold", "unhold", "cancel")
DONE = {
    "status": "Status of order {number} changed.",
    "hold": "Order {number} put on hold.",
    "unhold": "Order {number} released from hold.",
    "cancel": "Order {number} canceled.",
}


def can_retry(order) -> bool:
    return order.decision in RETRYABLE


def can_import_now(order) -> bool:
    return (
        order.decision == ImportDecision.SKIPPED
        and order.decision_code == DecisionCode.IMPORT_DISABLED
    )


def retry(*, amazon_order, user):
    """Retry an order in error or blocked, or import one skipped while import was off."""
    try:
        return amazon_order_retry(amazon_order=amazon_order, user=user)
    except ActionRefused as refused:
        raise Refused(str(refused)) from refused


def recover(*, store, amazon_order_id: str, user):
    """Fetch one order from Amazon by its number, mirror it and decide it."""
    try:
        return amazon_order_recover(store=store, amazon_order_id=amazon_order_id, user=user)
    except RecoveryFailed as failed:
        raise Refused(str(failed)) from failed


def commerce_actions_available(order) -> dict[str, bool]:
    """Which actions the order's state allows, so the page offers only those."""
    moves = STATE_TRANSITIONS.get(order.state, frozenset())
    return {
        "status": order.state not in {OrderState.CANCELED, OrderState.CLOSED},
        "hold": order.state != OrderState.HOLDED and OrderState.HOLDED in moves,
        "unhold": order.state == OrderState.HOLDED,
        "cancel": OrderState.CANCELED in moves,
    }


def commerce_order_act(*, order, action: str, user, comment: str = "", status: str = ""):
    """Run one workspace action; ``status`` is a status code within the order's state."""
    try:
        if action == "status":
            chosen = OrderStatus.objects.filter(code=status, states__state=order.state).first()
            if chosen is None:
                raise Refused("Choose a status of the order's current state.")
            return commerce_order_status_change(
                order=order, status=chosen, user=user, comment=comment
            )
        if action == "hold":
            return commerce_order_hold(order=order, user=user, comment=comment)
        if action == "unhold":
            return commerce_order_unhold(order=order, user=user, comment=comment)
        if action == "cancel":
            return commerce_order_cancel(order=order, user=user, comment=comment)
    except CommerceError as refused:
        raise Refused(str(refused)) from refused
    raise Refused(f"Unknown action {action!r}.")
