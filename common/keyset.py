"""Keyset pages: the rows just past a position in a fixed ordering; never OFFSET, never COUNT.

A list of millions of rows is walked through the index that orders it: each page asks
for the rows beyond the last one shown (or before the first one, going back), so the
page costs the same at the millionth row as at the first. A position is the ordering's
values of one row, written as text (``2026-06-01T10:00:00+00:00|123``) so it can travel
in a link; a position that does not read back as those values is bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

SEPARATOR = "|"


def _timestamp(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("A position's time must carry its zone.")
    return value


def _identifier(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        raise ValueError("A position's id is a plain number.")
    return int(text)


PARSERS: dict[type, Callable[[str], Any]] = {datetime: _timestamp, int: _identifier}


@dataclass(frozen=True)
class Keyset:
    """A descending ordering on a time column and a unique id, e.g. newest purchase first.

    The queryset must be filtered so that an index on (filters…, time desc, id desc)
    serves it.
    """

    time_field: str
    id_field: str = "pk"

    @property
    def ordering(self) -> tuple[str, str]:
        return (f"-{self.time_field}", f"-{self.id_field}")

    def position_of(self, row) -> str:
        return (
            f"{getattr(row, self.time_field).isoformat()}{SEPARATOR}{getattr(row, self.id_field)}"
        )

    def parse(self, position: str) -> tuple[datetime, int] | None:
        """The values a position names, or None when it is not one of ours."""
        time_text, separator, id_text = position.partition(SEPARATOR)
        if not separator:
            return None
        try:
            return PARSERS[datetime](time_text), PARSERS[int](id_text)
        except (ValueError, OverflowError):
            return None

    def older_than(self, queryset: QuerySet, key: tuple[datetime, int]) -> QuerySet:
        """Rows after ``key`` in the ordering (older). The plain bound on the time lets the
        index start its range scan at the key instead of at the newest row."""
        moment, identifier = key
        return queryset.filter(**{f"{self.time_field}__lte": moment}).filter(
            Q(**{f"{self.time_field}__lt": moment})
            | Q(**{self.time_field: moment, f"{self.id_field}__lt": identifier})
        )

    def newer_than(self, queryset: QuerySet, key: tuple[datetime, int]) -> QuerySet:
        moment, identifier = key
        return queryset.filter(**{f"{self.time_field}__gte": moment}).filter(
            Q(**{f"{self.time_field}__gt": moment})
            | Q(**{self.time_field: moment, f"{self.id_field}__gt": identifier})
        )


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    older: str | None  # position to pass as ``after`` for the next (older) page
    newer: str | None  # position to pass as ``before`` for the previous (newer) page


def keyset_page(
    queryset: QuerySet,
    *,
    keyset: Keyset,
    size: int,
    after: tuple[datetime, int] | None = None,
    before: tuple[datetime, int] | None = None,
) -> KeysetPage:
    """One page of ``queryset``: the ``size`` rows past ``after`` (or just before ``before``).

    One query: it fetches one row more than it shows to learn whether more follow.
    """
    if before is not None:
        rows = list(
            keyset.newer_than(queryset, before).order_by(keyset.time_field, keyset.id_field)[
                : size + 1
            ]
        )
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows=rows,
            older=keyset.position_of(rows[-1]) if rows else None,
            newer=keyset.position_of(rows[0]) if rows and more_newer else None,
        )
    scoped = queryset if after is None else keyset.older_than(queryset, after)
    rows = list(scoped.order_by(*keyset.ordering)[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        older=keyset.position_of(rows[-1]) if rows and more_older else None,
        newer=keyset.position_of(rows[0]) if rows and after is not None else None,
    )
