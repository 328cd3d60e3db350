"""Which slice of Amazon's update history a poll asks for. Pure functions, no I/O.

A poll asks for orders updated in [after, before). `before` stays at least two minutes
(plus a margin for clock skew) behind Amazon's now, because Amazon refuses anything
closer and because orders updated in the last two minutes may not be searchable yet.
The next window starts where the previous one ended, minus a small overlap: orders seen
twice are recognised by the mirror and change nothing, orders never seen are lost for
good. Every moment is UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Amazon keeps a pagination token for 24 hours; an older one starts the window again.
NEXT_TOKEN_LIFETIME = timedelta(hours=23)
# Amazon refuses a lastUpdatedBefore closer to its now; a configured lag never goes below.
AMAZON_MIN_LAG = timedelta(minutes=2)


@dataclass(frozen=True)
class PollWindow:
    updated_after: datetime
    updated_before: datetime
    next_token: str | None = None


def whole_seconds(moment: datetime) -> datetime:
    """Amazon's timestamps have whole seconds; round down so nothing is skipped."""
    return moment.astimezone(UTC).replace(microsecond=0)


def next_window(
    *,
    updated_after: datetime | None,
    connected_at: datetime,
    now: datetime,
    overlap: timedelta,
    lag: timedelta,
) -> PollWindow | None:
    """The window of a fresh poll, or None when there is nothing old enough to ask for."""
    start = whole_seconds((updated_after or connected_at) - overlap)
    end = whole_seconds(now - max(lag, AMAZON_MIN_LAG))
    if end <= start:
        return None
    return PollWindow(updated_after=start, updated_before=end)


def resumable_window(
    *,
    window_after: datetime | None,
    window_before: datetime | None,
    next_token: str,
    token_issued_at: datetime | None,
    wall_now: datetime,
) -> PollWindow | None:
    """The half-read window a stopped poll left behind, if its token is still good."""
    if not next_token or window_after is None or window_before is None:
        return None
    if token_issued_at is None or wall_now - token_issued_at > NEXT_TOKEN_LIFETIME:
        return None
    return PollWindow(window_after, window_before, next_token)


def advanced_cursor(
    *, current: datetime | None, window: PollWindow, amazon_end: datetime | None
) -> datetime:
    """Where the cursor stands once the last page of `window` is stored.

    Amazon's `lastUpdatedBefore` in the response is the safe end; it is never trusted past
    the end we asked for, and the cursor never moves backwards.
    """
    end = min(amazon_end, window.updated_before) if amazon_end else window.updated_before
    return max(current, end) if current else end
