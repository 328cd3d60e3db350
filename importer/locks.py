"""The locks of the import, in one place.

A poll holds a *lease* on its store's cursor row for its whole run (minutes of network
calls: far too long for a database row lock). The lease is taken with one conditional
UPDATE, so it works the same on PostgreSQL and SQLite and needs no Redis; it expires on
its own if a worker dies. Every page is then stored under a row lock of the cursor that
also checks the lease is still ours, so a worker that lost its lease can never write.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from importer.models import PollCursor


class LeaseLost(Exception):
    """Another worker owns this store's poll now; stop without writing."""


def poll_lease_acquire(*, store_id: int, owner: str, seconds: int) -> bool:
    PollCursor.objects.get_or_create(store_id=store_id)
    now = timezone.now()
    taken = (
        PollCursor.objects.filter(pk=store_id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner))
        .update(lease_owner=owner, lease_until=now + timedelta(seconds=seconds))
    )
    return taken == 1


def poll_lease_release(*, store_id: int, owner: str) -> None:
    PollCursor.objects.filter(pk=store_id, lease_owner=owner).update(
        lease_owner="", lease_until=None
    )


def cursor_lock_for_page(*, store_id: int, owner: str, seconds: int) -> PollCursor:
    """Lock the cursor row inside the caller's transaction and extend our lease."""
    cursor = PollCursor.objects.select_for_update().get(pk=store_id)
    if cursor.lease_owner != owner:
        raise LeaseLost(f"the poll lease of store {store_id} belongs to another worker")
    cursor.lease_until = timezone.now() + timedelta(seconds=seconds)
    return cursor
