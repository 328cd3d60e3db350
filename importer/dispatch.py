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


class DecideBatches:
    """Orders a run of transactions stored, sent to the deciders in full batches.

    A poll stores a page of at most 100 orders per transaction; deciding them in batches
    of ``IMPORT_DECIDE_BATCH_SIZE`` costs far fewer statements per order. Ids join once
    their transaction commits; a full batch is sent at once, and ``flush`` sends what is
    left: the poll calls it before it waits for Amazon (so a slow trickle of pages is
    never held back) and when it ends. Ids lost to a crash in between are the sweep's,
    as for any lost message.
    """

    def __init__(self, *, trigger: str):
        self.trigger = trigger
        self.pending: list[int] = []

    def add_on_commit(self, *, order_ids: Iterable[int]) -> None:
        ids = list(order_ids)
        if ids:
            transaction.on_commit(partial(self._committed, ids), robust=True)

    def _committed(self, ids: list[int]) -> None:
        self.pending += ids
        size = settings.IMPORT_DECIDE_BATCH_SIZE
        while len(self.pending) >= size:
            batch, self.pending = self.pending[:size], self.pending[size:]
            _send(batch, self.trigger)

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        for batch in batches(sorted(set(pending)), settings.IMPORT_DECIDE_BATCH_SIZE):
            _send(batch, self.trigger)


def _send(batch: list[int], trigger: str) -> None:
    current_app.send_task(DECIDE_ORDERS, args=(sorted(batch), trigger))


def decide_for_skus_on_commit(*, skus: Iterable[str], stock_id: int) -> None:
    transaction.on_commit(
        partial(current_app.send_task, DECIDE_ORDERS_FOR_SKUS, args=(sorted(set(skus)), stock_id)),
        robust=True,
    )
