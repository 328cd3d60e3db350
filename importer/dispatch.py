"""Handing work to the Celery workers once the transaction that made it commits.

Services call these instead of importing ``importer.tasks`` (which imports the services):
tasks are sent by name, only after commit, so a worker never looks for a row that is not
there yet, and a rolled-back change sends nothing. A message that is lost all the same
is made up for by the sweep (``importer.tasks.sweep_undecided_orders``).
"""

from collections.abc import Iterable
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import transaction

DECIDE_ORDERS = "importer.tasks.decide_orders"
DECIDE_ORDERS_FOR_SKUS = "importer.tasks.decide_orders_for_skus"


def batches(ids: Iterable[int], size: int) -> list[list[int]]:
    ids = list(ids)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def decide_on_commit(*, order_ids: Iterable[int], trigger: str) -> None:
    """Decide these orders in batches, on the workers, once the current transaction commits."""
    for batch in batches(sorted(set(order_ids)), settings.IMPORT_DECIDE_BATCH_SIZE):
        transaction.on_commit(
            partial(current_app.send_task, DECIDE_ORDERS, args=(batch, trigger)), robust=True
        )


def decide_for_skus_on_commit(*, skus: Iterable[str], stock_id: int) -> None:
    transaction.on_commit(
        partial(current_app.send_task, DECIDE_ORDERS_FOR_SKUS, args=(sorted(set(skus)), stock_id)),
        robust=True,
    )
