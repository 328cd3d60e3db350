"""The simulator's token buckets on a clock the test moves: a long idle earns no more than
the burst, however fast the time scale refills."""

import pytest

from simulator.ratelimit import USAGE_PLANS, RateLimiter

SELLER = "A2SELLERBUCKET"
TIME_SCALE = 600
A_DAY = 24 * 3600.0


class SteppedClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def granted_at_once(limiter: RateLimiter, operation: str, attempts: int) -> int:
    return sum(limiter.allow(SELLER, operation) for _ in range(attempts))


@pytest.mark.parametrize("operation", sorted(USAGE_PLANS))
def test_after_a_long_idle_at_a_high_time_scale_only_the_burst_is_granted_at_once(operation):
    # given: an emptied bucket, then a day idle at 600x, which would earn far more than
    # the burst (a day of searchOrders at 600x is 290,304 tokens)
    burst = USAGE_PLANS[operation].burst
    clock = SteppedClock()
    limiter = RateLimiter(time_scale=TIME_SCALE, monotonic=clock)
    assert granted_at_once(limiter, operation, attempts=burst * 10) == burst
    clock.now += A_DAY

    # when: many calls in the same instant
    granted = granted_at_once(limiter, operation, attempts=burst * 10)

    # then
    assert granted == burst


@pytest.mark.parametrize("operation", sorted(USAGE_PLANS))
def test_past_the_burst_tokens_come_back_at_the_scaled_rate(operation):
    # given: an emptied bucket
    plan = USAGE_PLANS[operation]
    clock = SteppedClock()
    limiter = RateLimiter(time_scale=TIME_SCALE, monotonic=clock)
    granted_at_once(limiter, operation, attempts=plan.burst * 10)

    # when: the time three tokens take at the scaled rate passes
    clock.now += 3 / (plan.rate_per_second * TIME_SCALE) + 1e-9

    # then
    assert granted_at_once(limiter, operation, attempts=plan.burst * 10) == 3
