"""Renaming and deleting order statuses (kept apart from commerce/services.py, which the
import engine builds on).

A status's code never changes (orders, history and settings refer to it); its label may.
Only a custom status may be deleted, and only while nothing uses it: no order, no history
row, no store's settings, and no state it is the default of. Codes are unique whatever
their letter case (a functional unique index on lower(code) backs the checks).
"""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.db.models.functions import Lower

from commerce.exceptions import CommerceError, DefaultStatusRequired
from commerce.models import Order, OrderState, OrderStatus, OrderStatusHistory

# The statuses a new Magento installs (commerce/migrations/0002); the rest are custom.
STANDARD_STATUS_CODES = frozenset(
    {
        "pending",
        "pending_payment",
        "processing",
        "complete",
        "closed",
        "canceled",
        "holded",
        "fraud",
        "payment_review",
    }
)


class StatusInUse(CommerceError):
    """A status that orders, their history or a store's settings use cannot be deleted."""


class StandardStatus(CommerceError):
    """The installed statuses are part of the order life cycle and cannot be deleted."""


def order_status_code_taken(*, code: str, exclude_pk: int | None = None) -> bool:
    """Whether another status has this code in any letter case."""
    taken = OrderStatus.objects.alias(code_lower=Lower("code")).filter(
        code_lower=code.strip().lower()
    )
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    return taken.exists()


@transaction.atomic
def order_status_rename(*, status: OrderStatus, label: str) -> OrderStatus:
    """Give the status another label; its code stays."""
    label = label.strip()
    locked = OrderStatus.objects.select_for_update().get(pk=status.pk)
    locked.label = label
    locked.full_clean()
    locked.save(update_fields=["label"])
    return locked


@transaction.atomic
def order_status_delete(*, status: OrderStatus) -> None:
    """Delete an unused custom status, with its state assignments."""
    locked = OrderStatus.objects.select_for_update().get(pk=status.pk)
    if locked.code in STANDARD_STATUS_CODES:
        raise StandardStatus(f"{locked.label} is a standard status: it cannot be deleted.")
    defaults = [
        OrderState(assignment.state).label
        for assignment in locked.states.filter(is_default=True).order_by("state")
    ]
    if defaults:
        raise DefaultStatusRequired(
            f"{locked.label} is the default status of {', '.join(defaults)}; make another "
            "status the default first."
        )
    if (
        Order.objects.filter(status=locked).exists()
        or OrderStatusHistory.objects.filter(status=locked).exists()
    ):
        raise StatusInUse(f"{locked.label} is used by orders: it cannot be deleted.")
    try:
        with transaction.atomic():
            locked.delete()
    except (ProtectedError, IntegrityError) as used:
        # Another app (e.g. a store's Processing Order Status) still refers to it.
        raise StatusInUse(
            f"{locked.label} is still in use (e.g. as a store's Processing Order Status): "
            "it cannot be deleted."
        ) from used
