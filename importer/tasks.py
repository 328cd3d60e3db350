"""Celery entry points: thin, idempotent, by id.

Deciding is safe to run twice or on two workers at once (``amazon_orders_decide`` locks
the orders and finds what is already done), so tasks acknowledge late and a message
redelivered after a worker died changes nothing that was already written. The per-store
lease makes a second concurrent poll of the same store a recorded no-op.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from importer.dispatch import batches
from importer.models import DecisionTrigger
from importer.selectors import (
    order_ids_due_for_retry,
    order_ids_undecided,
    order_ids_waiting_for_skus,
    store_ids_due_for_poll,
)
from importer.services.decisions import amazon_orders_decide
from importer.services.polling import PollRefused, amazon_store_poll

logger = logging.getLogger(__name__)

# The database going away mid-task is worth another try; the order's own failures are
# recorded by the decision service itself and retried through the sweep.
DATABASE_TROUBLE = (OperationalError, InterfaceError)


@shared_task(ignore_result=True)
def poll_store(store_id: int) -> None:
    try:
        amazon_store_poll(store_id=store_id)
    except PollRefused as refused:
        # Deleted or deactivated since it was scheduled: nothing to do, nothing to retry.
        logger.info("Poll of store %s not run: %s", store_id, refused)


@shared_task(ignore_result=True)
def poll_active_stores() -> None:
    for store_id in store_ids_due_for_poll(now=timezone.now()):
        poll_store.delay(store_id)


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=DATABASE_TROUBLE,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def decide_orders(order_ids: list[int], trigger: str = DecisionTrigger.POLL) -> None:
    amazon_orders_decide(order_ids=order_ids, trigger=trigger)


@shared_task(ignore_result=True)
def decide_orders_for_skus(skus: list[str], stock_id: int) -> None:
    """Stock of these SKUs was released: decide again the orders waiting for it."""
    for batch in batches(
        order_ids_waiting_for_skus(skus=skus, stock_id=stock_id), settings.IMPORT_DECIDE_BATCH_SIZE
    ):
        decide_orders.delay(batch, DecisionTrigger.STOCK)


@shared_task(ignore_result=True)
def sweep_undecided_orders() -> None:
    """Orders whose latest change no decision has seen (a lost message), and errors due."""
    now = timezone.now()
    grace = now - timezone.timedelta(seconds=settings.IMPORT_SWEEP_GRACE_SECONDS)
    undecided = order_ids_undecided(changed_before=grace)
    due = order_ids_due_for_retry(now=now)
    if undecided or due:
        logger.info("Sweep: %d undecided orders, %d due for retry", len(undecided), len(due))
    for batch in batches(undecided, settings.IMPORT_DECIDE_BATCH_SIZE):
        decide_orders.delay(batch, DecisionTrigger.SWEEP)
    for batch in batches(due, settings.IMPORT_DECIDE_BATCH_SIZE):
        decide_orders.delay(batch, DecisionTrigger.RETRY)
