"""Backfilling a store: every order Amazon updated in a window, paged, resumable.

A backfill reads searchOrders for [since, until) page by page through the same paced,
shared rate limits as the poll. Each page is stored in the mirror, and the backfill's
place (pagination token, position) moved, in one transaction, so a backfill stopped by
a crash or Ctrl-C resumes where it was: running it again for the same window picks up
its unfinished row. New and changed orders are decided by the workers, as a poll's are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.text import shortened
from importer.connections import orders_gateway_for_store
from importer.cursor import AMAZON_MIN_LAG, NEXT_TOKEN_LIFETIME, whole_seconds
from importer.dispatch import decide_on_commit
from importer.gateway.errors import AmazonApiError, GatewayError, Throttled
from importer.gateway.orders import OrdersGateway
from importer.models import Backfill, BackfillStatus, DecisionTrigger
from importer.services.mirror import amazon_orders_mirror
from settings_app.models import AmazonStore

# How long the command waits, at most, when Amazon or our own buckets say "later".
LONGEST_THROTTLE_WAIT_SECONDS = 600.0


class BackfillRefused(Exception):
    """The backfill cannot start: the window or the store is not one Amazon can serve."""


def backfill_window_checked(
    *, store: AmazonStore, since: datetime, until: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """[since, until) as Amazon will serve it: until defaults to, and never passes, two
    minutes before now."""
    if not store.is_active:
        raise BackfillRefused(f"Amazon store {store.pk} ({store.name}) is inactive.")
    latest = whole_seconds(now - AMAZON_MIN_LAG)
    until = min(whole_seconds(until), latest) if until else latest
    since = whole_seconds(since)
    if since >= until:
        raise BackfillRefused(
            f"Nothing to backfill: --since ({since:%Y-%m-%d %H:%M} UTC) must be before "
            f"--until ({until:%Y-%m-%d %H:%M} UTC), which is at most two minutes ago."
        )
    return since, until


@transaction.atomic
def backfill_start(*, store: AmazonStore, since: datetime, until: datetime) -> Backfill:
    """The unfinished backfill of this exact window, resumed, or a new one."""
    now = timezone.now()
    unfinished = (
        Backfill.objects.select_for_update()
        .filter(store=store, since=since, until=until)
        .exclude(status=BackfillStatus.COMPLETED)
        .order_by("-started_at")
        .first()
    )
    if unfinished is not None:
        stale = (
            unfinished.next_token_issued_at is None
            or now - unfinished.next_token_issued_at > NEXT_TOKEN_LIFETIME
        )
        if unfinished.next_token and stale:
            # Amazon forgets a token after a day: read the window again from the start;
            # the mirror recognises what it already holds.
            unfinished.next_token = ""
            unfinished.position = None
        unfinished.status = BackfillStatus.RUNNING
        unfinished.message = ""
        unfinished.updated_at = now
        unfinished.save()
        return unfinished
    return Backfill.objects.create(
        store=store, since=since, until=until, started_at=now, updated_at=now
    )


def backfill_run(
    *,
    backfill: Backfill,
    on_page: Callable[[Backfill], None] | None = None,
    gateway: OrdersGateway | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Backfill:
    """Read the backfill's window to its end; returns it completed, or failed with why."""
    store = backfill.store
    owned = gateway is None
    gateway = gateway or orders_gateway_for_store(store)
    try:
        while True:
            try:
                page = gateway.search_orders(
                    marketplace_ids=store.marketplace_ids,
                    updated_after=backfill.since,
                    updated_before=backfill.until,
                    next_token=backfill.next_token or None,
                    page_size=settings.SP_API_PAGE_SIZE,
                )
            except Throttled as throttled:
                # Paced by the shared buckets: wait our turn, then go on.
                sleep(min(max(throttled.retry_after, 0.5), LONGEST_THROTTLE_WAIT_SECONDS))
                continue
            except (AmazonApiError, GatewayError) as error:
                return _finish(backfill, BackfillStatus.FAILED, shortened(str(error), 500))
            _page_store(backfill, page)
            if on_page is not None:
                on_page(backfill)
            if not page.next_token:
                return _finish(backfill, BackfillStatus.COMPLETED, "")
    except KeyboardInterrupt:
        _finish(backfill, BackfillStatus.PAUSED, "Stopped by hand; run it again to resume.")
        raise
    finally:
        if owned:
            gateway.close()


def _page_store(backfill: Backfill, page) -> None:
    now = timezone.now()
    with transaction.atomic():
        result = amazon_orders_mirror(store=backfill.store, orders=page.orders, now=now)
        decide_on_commit(order_ids=result.news_ids, trigger=DecisionTrigger.BACKFILL)
        newest = max((order.updated_at for order in page.orders), default=None)
        if newest is not None:
            backfill.position = max(backfill.position or newest, newest)
        backfill.next_token = page.next_token or ""
        backfill.next_token_issued_at = now if page.next_token else None
        backfill.pages += 1
        backfill.orders_seen += len(page.orders)
        backfill.orders_new += len(result.created_ids)
        backfill.error_count += len(page.failures)
        backfill.updated_at = now
        backfill.save()


def _finish(backfill: Backfill, status: str, message: str) -> Backfill:
    now = timezone.now()
    backfill.status = status
    backfill.message = message
    backfill.updated_at = now
    if status == BackfillStatus.COMPLETED:
        backfill.finished_at = now
        backfill.position = backfill.until
    backfill.save()
    return backfill
