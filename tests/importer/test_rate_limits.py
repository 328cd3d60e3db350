import threading
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.db.models import F

from importer.gateway.errors import Throttled
from importer.gateway.orders import BucketKey, UsagePlan
from importer.models import RateLimitBucket
from importer.rate_limits import REDIS_KEY_PREFIX, DatabaseTokenBuckets, RedisTokenBuckets

ONE_PER_SECOND_BURST_5 = UsagePlan(rate=1.0, burst=5)
# Rounding of the stored figures, and Redis' clock against ours.
CLOCK_SLACK_SECONDS = 0.01


def assert_wait(wait: float, *, expected: float, elapsed: float) -> None:
    """`expected` is the wait with no time passing; the bucket refilled for at most `elapsed`.

    Bounding by the time the test really took keeps the figures exact on a loaded machine.
    """
    assert expected - elapsed - CLOCK_SLACK_SECONDS <= wait <= expected + CLOCK_SLACK_SECONDS


def shared_buckets(kind: str):
    if kind == "redis":
        return RedisTokenBuckets(redis.Redis.from_url(settings.REDIS_URL))
    return DatabaseTokenBuckets()


@pytest.fixture(params=["redis", "database"])
def buckets(request, settings, db):
    settings.SP_API_RATE_SCALE = 1
    settings.SP_API_JITTER_SECONDS = 0.25
    return shared_buckets(request.param)


def fresh_key(operation="getOrder") -> BucketKey:
    return BucketKey(
        seller_id=f"A{uuid.uuid4().hex[:12].upper()}", region="na", operation=operation
    )


def test_a_full_bucket_grants_its_burst_less_one_token_then_queues_callers(buckets):
    # given
    key = fresh_key()
    started = time.monotonic()

    # when
    waits = [buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=10) for _ in range(6)]

    # then
    elapsed = time.monotonic() - started
    assert waits[:4] == [0, 0, 0, 0]
    assert_wait(waits[4], expected=1.0, elapsed=elapsed)
    assert_wait(waits[5], expected=2.0, elapsed=elapsed)


def test_a_bucket_holds_back_the_tokens_amazon_refills_during_the_jitter_allowance(
    buckets, settings
):
    # given
    settings.SP_API_JITTER_SECONDS = 25
    key = fresh_key()
    plan = UsagePlan(rate=0.2, burst=30)
    started = time.monotonic()

    # when
    waits = [buckets.reserve(key, plan, max_wait=10) for _ in range(26)]

    # then: 0.2/s * 25 s = 5 tokens held back
    assert waits[:25] == [0] * 25
    assert_wait(waits[25], expected=5.0, elapsed=time.monotonic() - started)


def test_a_wait_beyond_the_callers_patience_takes_nothing_and_says_when_to_come_back(buckets):
    # given
    key = fresh_key()
    started = time.monotonic()
    for _ in range(4):
        buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=10)

    # when
    with pytest.raises(Throttled) as throttled:
        buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=0.2)
    wait_after_refusal = buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=10)

    # then
    elapsed = time.monotonic() - started
    assert not throttled.value.by_amazon
    assert_wait(throttled.value.retry_after, expected=1.0, elapsed=elapsed)
    assert_wait(wait_after_refusal, expected=1.0, elapsed=elapsed)


def test_a_429_empties_the_bucket(buckets):
    # given
    key = fresh_key()
    buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=10)

    # when
    drained_at = time.monotonic()
    retry_after = buckets.drain(key, ONE_PER_SECOND_BURST_5)
    wait = buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=10)

    # then: three tokens were left, none is now
    assert retry_after == pytest.approx(1.0, abs=1e-6)
    assert_wait(wait, expected=1.0, elapsed=time.monotonic() - drained_at)


def test_the_rate_amazon_announces_replaces_the_published_one(buckets):
    # given
    key = fresh_key()
    started = time.monotonic()
    for _ in range(4):
        buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=10)

    # when
    buckets.observe_rate(key, 4.0)
    wait = buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=10)

    # then: at four tokens a second the empty bucket earns its next one in 1/4 s
    assert_wait(wait, expected=0.25, elapsed=time.monotonic() - started)


def test_the_time_scale_multiplies_the_published_rate(buckets, settings):
    # given
    settings.SP_API_RATE_SCALE = 60
    key = fresh_key("searchOrders")
    plan = UsagePlan(rate=0.0056, burst=20)
    started = time.monotonic()
    for _ in range(19):
        buckets.reserve(key, plan, max_wait=10)

    # when
    wait = buckets.reserve(key, plan, max_wait=10)

    # then: one token every 1 / (0.0056 * 60) seconds, counted from the burst
    assert_wait(wait, expected=1 / (0.0056 * 60), elapsed=time.monotonic() - started)


def test_buckets_are_separate_per_seller_region_and_operation(buckets):
    # given
    key = fresh_key()
    for _ in range(4):
        buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=10)
    neighbours = [
        BucketKey(key.seller_id, "eu", key.operation),
        BucketKey(key.seller_id, key.region, "searchOrders"),
        fresh_key(),
    ]

    # when
    waits = [buckets.reserve(other, ONE_PER_SECOND_BURST_5, max_wait=10) for other in neighbours]

    # then
    assert waits == [0, 0, 0]


def idle(buckets, key: BucketKey, seconds: float) -> None:
    """Make the bucket's last refill ``seconds`` older, as if nobody had called meanwhile."""
    if isinstance(buckets, RedisTokenBuckets):
        name = f"{REDIS_KEY_PREFIX}{key}"
        last = float(buckets.client.hget(name, "at"))
        buckets.client.hset(name, "at", f"{last - seconds:.6f}")
    else:
        RateLimitBucket.objects.filter(key=str(key)).update(
            refilled_at=F("refilled_at") - seconds
        )


def test_a_bucket_idle_for_days_grants_no_more_than_its_capacity(buckets):
    # given a bucket used once, then left alone for ten days
    key = fresh_key()
    buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=0)
    idle(buckets, key, seconds=10 * 24 * 3600)

    # when callers ask for tokens with no patience at all
    granted = 0
    for _ in range(50):
        try:
            buckets.reserve(key, ONE_PER_SECOND_BURST_5, max_wait=0)
        except Throttled:
            break
        granted += 1

    # then the refill stopped at the bucket's capacity: the burst less one token of headroom
    assert granted == ONE_PER_SECOND_BURST_5.burst - 1


@pytest.mark.parametrize("kind", ["redis", "database"])
def test_concurrent_workers_never_take_more_than_burst_plus_rate_over_time(kind, transactional_db):
    # given
    buckets = shared_buckets(kind)
    key = fresh_key()
    plan = UsagePlan(rate=20.0, burst=5)
    started = time.monotonic()
    grants: list[float] = []
    lock = threading.Lock()

    def worker():
        for _ in range(8):
            wait = buckets.reserve(key, plan, max_wait=30)
            time.sleep(wait)
            with lock:
                grants.append(time.monotonic() - started)
        connection.close()

    # when
    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    grants.sort()
    assert len(grants) == 40
    for count, moment in enumerate(grants, start=1):
        assert count <= (plan.burst - 1) + plan.rate * moment + 1
    assert grants[-1] >= (40 - (plan.burst - 1)) / plan.rate - 0.1
