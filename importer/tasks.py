"""Celery entry points: thin, idempotent, by id. The per-store lease makes a second
concurrent poll of the same store a recorded no-op."""

import logging

from celery import shared_task
from django.utils import timezone

from importer.selectors import store_ids_due_for_poll
from importer.services.polling import PollRefused, amazon_store_poll

logger = logging.getLogger(__name__)


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
