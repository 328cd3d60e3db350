"""The simulator's notion of "now": real time, real time shifted, or frozen."""

import threading
from datetime import UTC, datetime, timedelta


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 timestamp; a timestamp without an offset is taken as UTC."""
    parsed = datetime.fromisoformat(text.strip().replace("z", "Z"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_timestamp(moment: datetime) -> str:
    """Amazon's wire format: UTC, whole seconds, a trailing Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def whole_seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


class Clock:
    """Thread-safe clock that tests can freeze or shift without touching the host's time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen_at: datetime | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return datetime.now(UTC) + self._offset

    def freeze(self, moment: datetime) -> None:
        with self._lock:
            self._frozen_at = moment
            self._offset = timedelta(0)

    def shift(self, seconds: float) -> None:
        """Move the clock by ``seconds`` (cumulative); a frozen clock moves and stays frozen."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)

    def real_time(self) -> None:
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta(0)

    def to_dict(self) -> dict:
        with self._lock:
            return {
                "frozen_at": format_timestamp(self._frozen_at) if self._frozen_at else None,
                "offset_seconds": self._offset.total_seconds(),
            }

    def load(self, data: dict) -> None:
        with self._lock:
            frozen = data.get("frozen_at")
            self._frozen_at = parse_timestamp(frozen) if frozen else None
            self._offset = timedelta(seconds=float(data.get("offset_seconds", 0)))
