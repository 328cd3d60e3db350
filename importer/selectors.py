"""Reads of the Amazon order mirror and of the poll records."""

from datetime import datetime

from django.db.models import F, Q, QuerySet

from importer.models import AmazonOrder, DecisionCode, ImportDecision, PollCursor, PollRun
from settings_app.models import AmazonStore


def store_ids_due_for_poll(*, now: datetime) -> list[int]:
    """Active stores, except those Amazon throttled until later (their poll would skip)."""
    return list(
        AmazonStore.objects.filter(is_active=True)
        .filter(
            Q(poll_cursor__isnull=True)
            | Q(poll_cursor__throttled_until__isnull=True)
            | Q(poll_cursor__throttled_until__lte=now)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


SWEEP_LIMIT = 10_000


def order_ids_undecided(*, changed_before: datetime, limit: int = SWEEP_LIMIT) -> list[int]:
    """Orders whose latest stored change no decision has seen, changed before the moment.

    Read through the partial index of undecided orders: cheap however many are decided.
    """
    return list(
        AmazonOrder.objects.filter(
            decided_revision__lt=F("revision"), changed_at__lt=changed_before
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def order_ids_due_for_retry(*, now: datetime, limit: int = SWEEP_LIMIT) -> list[int]:
    return list(
        AmazonOrder.objects.filter(retry_at__lte=now)
        .order_by("retry_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# Decisions that wait for stock: blocked for it, or pending and not held for want of it.
WAITING_FOR_STOCK = Q(decision=ImportDecision.BLOCKED, decision_code=DecisionCode.OUT_OF_STOCK) | Q(
    decision=ImportDecision.WAITING, decision_code=DecisionCode.PENDING_NOT_HELD
)


def order_ids_waiting_for_skus(
    *, skus: list[str], stock_id: int, limit: int = SWEEP_LIMIT
) -> list[int]:
    """Orders waiting for stock of any of these SKUs, oldest purchase first (first come,
    first served). Every store draws on the one stock, so ``stock_id`` names no store."""
    return list(
        AmazonOrder.objects.filter(WAITING_FOR_STOCK, items__sku__in=sorted(set(skus)))
        .order_by("purchased_at", "pk")
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )


def amazon_order_list(*, store: AmazonStore) -> QuerySet[AmazonOrder]:
    """A store's mirrored orders, newest purchase first, items and history prefetched."""
    return (
        AmazonOrder.objects.filter(store=store)
        .order_by("-purchased_at", "-pk")
        .prefetch_related("items", "status_history")
    )


def poll_run_list(*, store: AmazonStore) -> QuerySet[PollRun]:
    return PollRun.objects.filter(store=store).order_by("-started_at", "-pk")


def poll_cursor_get(*, store: AmazonStore) -> PollCursor | None:
    return PollCursor.objects.filter(store=store).first()
