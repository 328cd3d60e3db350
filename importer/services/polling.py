"""The poll: pages through Amazon's orders updated since the store's cursor into the mirror.

`amazon_store_poll` stores each page, and moves the cursor, in one transaction
(`poll_page_store`), so a crash between pages loses nothing and repeats nothing. A 429 or
a spent rate-limit budget stops the poll with its cursor kept and `throttled_until` set;
the next poll resumes from there. Every poll leaves a `PollRun` row, whatever happened.
"""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from common.text import shortened
from importer.connections import orders_gateway_for_store
from importer.cursor import PollWindow, advanced_cursor, next_window, resumable_window
from importer.dispatch import DecideBatches, decide_on_commit
from importer.gateway.errors import AmazonApiError, GatewayError, Throttled
from importer.gateway.orders import OrdersGateway
from importer.gateway.types import OrdersPage
from importer.locks import LeaseLost, cursor_lock_for_page, poll_lease_acquire, poll_lease_release
from importer.models import DecisionTrigger, PollCursor, PollOutcome, PollRun
from importer.services.mirror import MirrorResult, amazon_orders_mirror
from settings_app.models import AmazonStore

logger = logging.getLogger(__name__)

# A run keeps the first failures; the count covers them all. Each is kept to a readable
# size, whatever an order sent: a run row stays small and an operator's screen readable.
MAX_RECORDED_ERRORS = 100
MAX_ORDER_ID_LENGTH = 100
MAX_REASON_LENGTH = 500
MAX_MESSAGE_LENGTH = 1000


class PollRefused(Exception):
    """The store cannot be polled at all (unknown or inactive); nothing was recorded."""


def amazon_store_poll(
    *,
    store_id: int,
    now: datetime | None = None,
    gateway: OrdersGateway | None = None,
    max_pages: int | None = None,
) -> PollRun:
    """Poll one store once. `now` is Amazon's clock (tests align it with the simulator)."""
    store = AmazonStore.objects.filter(pk=store_id).first()
    if store is None:
        raise PollRefused(f"Amazon store {store_id} does not exist.")
    if not store.is_active:
        raise PollRefused(f"Amazon store {store_id} ({store.name}) is inactive.")
    run = PollRun.objects.create(store=store, started_at=timezone.now())
    owner = uuid.uuid4().hex
    decisions = DecideBatches(trigger=DecisionTrigger.POLL)
    if not poll_lease_acquire(
        store_id=store.pk, owner=owner, seconds=settings.SP_API_POLL_LEASE_SECONDS
    ):
        return _finish(run, PollOutcome.SKIPPED, "Another worker is polling this store.")
    try:
        cursor = PollCursor.objects.get(pk=store.pk)
        if cursor.throttled_until and cursor.throttled_until > run.started_at:
            return _finish(
                run,
                PollOutcome.SKIPPED,
                f"Throttled until {cursor.throttled_until:%Y-%m-%d %H:%M:%S} UTC.",
            )
        owned_gateway = gateway is None
        gateway = gateway or orders_gateway_for_store(store)
        try:
            return _poll(
                store=store,
                cursor=cursor,
                run=run,
                gateway=gateway,
                owner=owner,
                amazon_now=now or timezone.now(),
                max_pages=max_pages or settings.SP_API_MAX_PAGES_PER_POLL,
                decisions=decisions,
            )
        finally:
            if owned_gateway:
                gateway.close()
    except LeaseLost as lost:
        return _finish(run, PollOutcome.FAILED, str(lost))
    except Exception as unexpected:
        _finish(run, PollOutcome.FAILED, f"{type(unexpected).__name__}: {unexpected}")
        raise
    finally:
        poll_lease_release(store_id=store.pk, owner=owner)
        decisions.flush()


def poll_page_store(
    *,
    store: AmazonStore,
    run: PollRun,
    window: PollWindow,
    page: OrdersPage,
    owner: str,
    decisions: DecideBatches | None = None,
) -> MirrorResult:
    """Store one page and move the cursor past it, together or not at all.

    Its new and changed orders go to ``decisions`` once it commits (to be sent in full
    batches), or without one straight to the deciders.
    """
    now = timezone.now()
    with transaction.atomic():
        cursor = cursor_lock_for_page(
            store_id=store.pk, owner=owner, seconds=settings.SP_API_POLL_LEASE_SECONDS
        )
        result = amazon_orders_mirror(store=store, orders=page.orders, now=now, poll_run=run)
        if decisions is None:
            decide_on_commit(order_ids=result.news_ids, trigger=DecisionTrigger.POLL)
        else:
            decisions.add_on_commit(order_ids=result.news_ids)
        if page.next_token:
            cursor.window_after = window.updated_after
            cursor.window_before = window.updated_before
            cursor.next_token = page.next_token
            cursor.next_token_issued_at = now
        else:
            cursor.updated_after = advanced_cursor(
                current=cursor.updated_after, window=window, amazon_end=page.last_updated_before
            )
            _forget_window(cursor)
        cursor.throttled_until = None
        cursor.save()
        run.pages += 1
        run.orders_seen += len(page.orders)
        run.orders_created += len(result.created_ids)
        run.orders_changed += len(result.changed_ids)
        run.orders_unchanged += result.unchanged
        run.error_count += len(page.failures)
        room = MAX_RECORDED_ERRORS - len(run.errors)
        run.errors = run.errors + [
            {
                "order_id": failure.order_id and shortened(failure.order_id, MAX_ORDER_ID_LENGTH),
                "reason": shortened(failure.reason, MAX_REASON_LENGTH),
            }
            for failure in page.failures[: max(0, room)]
        ]
        run.save(
            update_fields=[
                "pages",
                "orders_seen",
                "orders_created",
                "orders_changed",
                "orders_unchanged",
                "error_count",
                "errors",
            ]
        )
    return result


def _poll(
    *,
    store: AmazonStore,
    cursor: PollCursor,
    run: PollRun,
    gateway: OrdersGateway,
    owner: str,
    amazon_now: datetime,
    max_pages: int,
    decisions: DecideBatches,
) -> PollRun:
    window = resumable_window(
        window_after=cursor.window_after,
        window_before=cursor.window_before,
        next_token=cursor.next_token,
        token_issued_at=cursor.next_token_issued_at,
        wall_now=run.started_at,
    ) or _fresh_window(store, cursor, amazon_now)
    if window is None:
        return _finish(run, PollOutcome.COMPLETED, "Nothing old enough to ask Amazon for yet.")
    run.window_after, run.window_before = window.updated_after, window.updated_before
    run.save(update_fields=["window_after", "window_before"])
    next_token = window.next_token
    ahead: Future | None = None
    with _Prefetcher() as prefetcher:
        while True:
            if run.pages >= max_pages:
                return _finish(run, PollOutcome.PARTIAL, f"Stopped after {max_pages} pages.")
            try:
                if ahead is not None:
                    if not ahead.done():
                        # About to wait for Amazon: what is stored goes to the deciders now.
                        decisions.flush()
                    page, ahead = ahead.result(), None
                else:
                    page = _search(gateway, store, window, next_token, on_wait=decisions.flush)
            except Throttled as throttled:
                PollCursor.objects.filter(pk=store.pk).update(
                    throttled_until=timezone.now() + timedelta(seconds=throttled.retry_after)
                )
                return _finish(run, PollOutcome.THROTTLED, str(throttled))
            except AmazonApiError as error:
                if next_token and next_token == cursor.next_token and error.status == 400:
                    # The token left by an earlier poll is no longer accepted: the cursor has
                    # not moved past this window, so asking for it again from the start is
                    # safe.
                    logger.warning("Store %s: stale pagination token dropped (%s)", store.pk, error)
                    _forget_window(cursor)
                    cursor.save(update_fields=_WINDOW_FIELDS)
                    window = _fresh_window(store, cursor, amazon_now)
                    if window is None:
                        return _finish(run, PollOutcome.COMPLETED, "")
                    next_token = None
                    continue
                return _finish(run, PollOutcome.FAILED, str(error))
            except GatewayError as error:
                return _finish(run, PollOutcome.FAILED, str(error))
            if prefetcher.enabled and page.next_token and run.pages + 1 < max_pages:
                ahead = prefetcher.fetch(gateway, store, window, page.next_token)
            poll_page_store(
                store=store, run=run, window=window, page=page, owner=owner, decisions=decisions
            )
            if not page.next_token:
                return _finish(run, PollOutcome.COMPLETED, "")
            next_token = page.next_token


def _search(
    gateway: OrdersGateway,
    store: AmazonStore,
    window: PollWindow,
    next_token: str | None,
    on_wait=None,
) -> OrdersPage:
    return gateway.search_orders(
        marketplace_ids=store.marketplace_ids,
        updated_after=window.updated_after,
        updated_before=window.updated_before,
        next_token=next_token,
        page_size=settings.SP_API_PAGE_SIZE,
        on_wait=on_wait,
    )


class _Prefetcher:
    """Fetches the next page on a thread of its own while the current one is stored.

    Amazon's answer (and its parsing) and PostgreSQL's writes then overlap instead of
    taking turns. The thread only talks to Amazon and the rate-limit buckets; when they
    are database rows (no Redis) it closes its own connection when done. Not on SQLite
    (the embedded default): there a bucket row written from the thread would wait for
    the page's write lock. A poll that stops early abandons what is in flight: its token
    is spent, nothing else changes.
    """

    def __init__(self):
        self.enabled = connection.vendor != "sqlite"

    def __enter__(self) -> _Prefetcher:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="poll-prefetch")
        return self

    def fetch(self, *arguments) -> Future:
        return self.executor.submit(self._search, *arguments)

    @staticmethod
    def _search(*arguments) -> OrdersPage:
        try:
            return _search(*arguments)
        finally:
            connections.close_all()

    def __exit__(self, *exc_info) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def _fresh_window(
    store: AmazonStore, cursor: PollCursor, amazon_now: datetime
) -> PollWindow | None:
    return next_window(
        updated_after=cursor.updated_after,
        connected_at=store.connected_at,
        now=amazon_now,
        overlap=timedelta(seconds=settings.SP_API_CURSOR_OVERLAP_SECONDS),
        lag=timedelta(seconds=settings.SP_API_UPDATED_BEFORE_LAG_SECONDS),
    )


_WINDOW_FIELDS = ["window_after", "window_before", "next_token", "next_token_issued_at"]


def _forget_window(cursor: PollCursor) -> None:
    cursor.window_after = None
    cursor.window_before = None
    cursor.next_token = ""
    cursor.next_token_issued_at = None


def _finish(run: PollRun, outcome: str, message: str) -> PollRun:
    run.outcome = outcome
    run.message = shortened(message, MAX_MESSAGE_LENGTH)
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "message", "finished_at"])
    PollCursor.objects.filter(pk=run.store_id).update(last_run=run)
    return run
