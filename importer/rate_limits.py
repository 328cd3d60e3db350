"""Token buckets shared by every worker that calls the Selling Partner API.

One bucket per (seller account, region, operation), at Amazon's published rate and
burst, or at the rate Amazon announces in `x-amzn-RateLimit-Limit`. A call *reserves* a
token: when the bucket is empty the token is taken on credit and the caller is told how
long to sleep, so concurrent workers queue behind each other instead of racing. When the
wait would exceed the caller's patience nothing is taken and `Throttled` is raised.

Two details keep us under Amazon's own bucket rather than at its edge. Our bucket holds
fewer tokens than the published burst: the tokens Amazon refills in
`SP_API_JITTER_SECONDS` (at least one), so a call whose trip to Amazon is that much
faster than an earlier one's still finds a token there. And a 429 empties our bucket.

`SP_API_RATE_SCALE` multiplies the published rates, to match the local simulator's time
scale. A rate announced in the header is already what the server enforces, in real
seconds, and is used as it is.

With Redis (`REDIS_URL`) the bucket is a hash updated by one Lua script, on Redis' clock.
Without it (the embedded default) the bucket is a `RateLimitBucket` row updated in a
transaction that locks the row before reading it.
"""

from __future__ import annotations

import math
import time
from functools import cache

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import F

from importer.gateway.errors import Throttled
from importer.gateway.orders import BucketKey, RateLimiter, UsagePlan
from importer.models import RateLimitBucket

REDIS_KEY_PREFIX = "sp-api:bucket:"

_RESERVE = """
local rate = tonumber(redis.call('HGET', KEYS[1], 'rate'))
  or tonumber(ARGV[1]) * tonumber(ARGV[2])
local headroom = math.max(1, math.ceil(rate * tonumber(ARGV[6])))
local capacity = math.max(1, tonumber(ARGV[3]) - headroom)
local max_wait = tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens')) or capacity
local at = tonumber(redis.call('HGET', KEYS[1], 'at')) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens < 1 then wait = (1 - tokens) / rate end
local granted = 1
if wait > max_wait then granted = 0 else tokens = tokens - 1 end
redis.call('HSET', KEYS[1],
  'tokens', string.format('%.9f', tokens), 'at', string.format('%.6f', now))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
return {granted, string.format('%.6f', wait)}
"""

_DRAIN = """
local rate = tonumber(redis.call('HGET', KEYS[1], 'rate'))
  or tonumber(ARGV[1]) * tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local tokens = math.min(0, tonumber(redis.call('HGET', KEYS[1], 'tokens')) or 0)
redis.call('HSET', KEYS[1],
  'tokens', string.format('%.9f', tokens), 'at', string.format('%.6f', now))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return string.format('%.6f', (1 - tokens) / rate)
"""


def bucket_capacity(plan: UsagePlan, rate: float) -> int:
    headroom = max(1, math.ceil(rate * settings.SP_API_JITTER_SECONDS))
    return max(1, plan.burst - headroom)


def _scale() -> float:
    return float(settings.SP_API_RATE_SCALE)


class RedisTokenBuckets:
    def __init__(self, client: redis.Redis):
        self.client = client
        self._reserve = client.register_script(_RESERVE)
        self._drain = client.register_script(_DRAIN)

    def reserve(self, key: BucketKey, plan: UsagePlan, max_wait: float) -> float:
        granted, wait = self._reserve(
            keys=[self._key(key)],
            args=[
                plan.rate,
                _scale(),
                plan.burst,
                max_wait,
                self._ttl(plan),
                settings.SP_API_JITTER_SECONDS,
            ],
        )
        if not int(granted):
            raise Throttled(key.operation, float(wait), by_amazon=False)
        return float(wait)

    def drain(self, key: BucketKey, plan: UsagePlan) -> float:
        return float(
            self._drain(keys=[self._key(key)], args=[plan.rate, _scale(), self._ttl(plan)])
        )

    def observe_rate(self, key: BucketKey, rate: float) -> None:
        self.client.hset(self._key(key), "rate", repr(rate))

    @staticmethod
    def _key(key: BucketKey) -> str:
        return f"{REDIS_KEY_PREFIX}{key}"

    @staticmethod
    def _ttl(plan: UsagePlan) -> int:
        # Long enough to refill completely: an expired bucket is a full one anyway.
        return max(3600, int(2 * plan.burst / (plan.rate * _scale())))


class DatabaseTokenBuckets:
    """The same bucket as a database row, for installs without Redis."""

    def reserve(self, key: BucketKey, plan: UsagePlan, max_wait: float) -> float:
        with transaction.atomic():
            bucket = self._locked(key, plan)
            now = time.time()
            rate = self._rate(bucket, plan)
            capacity = bucket_capacity(plan, rate)
            tokens = min(capacity, bucket.tokens + max(0.0, now - bucket.refilled_at) * rate)
            wait = (1 - tokens) / rate if tokens < 1 else 0.0
            granted = wait <= max_wait
            bucket.tokens = tokens - 1 if granted else tokens
            bucket.refilled_at = now
            bucket.save(update_fields=["tokens", "refilled_at"])
        if not granted:
            raise Throttled(key.operation, wait, by_amazon=False)
        return wait

    def drain(self, key: BucketKey, plan: UsagePlan) -> float:
        with transaction.atomic():
            bucket = self._locked(key, plan)
            bucket.tokens = min(0.0, bucket.tokens)
            bucket.refilled_at = time.time()
            bucket.save(update_fields=["tokens", "refilled_at"])
            return (1 - bucket.tokens) / self._rate(bucket, plan)

    def observe_rate(self, key: BucketKey, rate: float) -> None:
        RateLimitBucket.objects.filter(key=str(key)).update(announced_rate=rate)

    @staticmethod
    def _locked(key: BucketKey, plan: UsagePlan) -> RateLimitBucket:
        # Write first: on PostgreSQL this locks the row, on SQLite it takes the database's
        # write lock before anything is read, so no two workers compute from one state.
        if not RateLimitBucket.objects.filter(key=str(key)).update(tokens=F("tokens")):
            RateLimitBucket.objects.get_or_create(
                key=str(key), defaults={"tokens": plan.burst, "refilled_at": time.time()}
            )
        return RateLimitBucket.objects.select_for_update().get(key=str(key))

    @staticmethod
    def _rate(bucket: RateLimitBucket, plan: UsagePlan) -> float:
        return bucket.announced_rate or plan.rate * _scale()


@cache
def _redis_buckets(url: str) -> RedisTokenBuckets:
    return RedisTokenBuckets(redis.Redis.from_url(url))


def shared_rate_limiter() -> RateLimiter:
    if settings.REDIS_URL:
        return _redis_buckets(settings.REDIS_URL)
    return DatabaseTokenBuckets()
