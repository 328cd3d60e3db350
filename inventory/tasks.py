"""Periodic inventory work. Tasks stay thin: each calls one service."""

from celery import shared_task

from inventory.services import reservation_groups_cleanup


@shared_task(name="inventory.reservations_cleanup")
def reservations_cleanup(max_groups: int = 10_000) -> int:
    """Remove ledger groups that sum to zero; idempotent, safe to run at any time."""
    return reservation_groups_cleanup(max_groups=max_groups)
