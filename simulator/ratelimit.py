"""Token buckets with Amazon's published usage plans, refilled on a scalable time base."""

import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class UsagePlan:
    rate_per_second: float
    burst: int


# Orders API 2026-01-01 default usage plans, as published for each operation.
USAGE_PLANS = {
    "searchOrders": UsagePlan(rate_per_second=0.0056, burst=20),
    "getOrder": UsagePlan(rate_per_second=0.5, burst=30),
}


class TokenBucket:
    def __init__(self, plan: UsagePlan, now: float) -> None:
        self.plan = plan
        self.tokens = float(plan.burst)
        self.updated_at = now

    def refill(self, now: float, time_scale: float) -> None:
        elapsed = max(0.0, now - self.updated_at)
        refill = elapsed * self.plan.rate_per_second * time_scale
        self.tokens = min(float(self.plan.burst), self.tokens + refill)
        self.updated_at = now

    def take(self, now: float, time_scale: float) -> bool:
        self.refill(now, time_scale)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class RateLimiter:
    """One bucket per (seller, operation); the time scale speeds up refills for tests."""

    def __init__(self, time_scale: float = 1.0, enabled: bool = True, monotonic=time.monotonic):
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._monotonic = monotonic
        self.time_scale = time_scale
        self.enabled = enabled

    def effective_rate(self, operation: str) -> float:
        return USAGE_PLANS[operation].rate_per_second * self.time_scale

    def rate_limit_headers(self, operation: str) -> dict[str, str]:
        """What an answer announces; nothing when limits are off, since clients pace by it."""
        if not self.enabled:
            return {}
        return {"x-amzn-RateLimit-Limit": f"{self.effective_rate(operation):g}"}

    def allow(self, seller_id: str, operation: str) -> bool:
        with self._lock:
            now = self._monotonic()
            key = (seller_id, operation)
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(USAGE_PLANS[operation], now)
            allowed = bucket.take(now, self.time_scale)
            return allowed or not self.enabled

    def configure(self, *, time_scale: float | None = None, enabled: bool | None = None) -> None:
        with self._lock:
            now = self._monotonic()
            for bucket in self._buckets.values():
                # Settle refills earned at the old scale before the new one applies.
                bucket.refill(now, self.time_scale)
            if time_scale is not None:
                self.time_scale = time_scale
            if enabled is not None:
                self.enabled = enabled

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
