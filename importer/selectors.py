"""Reads of the Amazon order mirror and of the poll records."""

from datetime import datetime

from django.db.models import Q, QuerySet

from importer.models import AmazonOrder, PollCursor, PollRun
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
