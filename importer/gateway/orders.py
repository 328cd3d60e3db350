"""The Orders gateway: searchOrders and getOrder, paced, retried, parsed.

Every call takes a token from the shared bucket of its (seller, region, operation) first.
A 429 drains that bucket and raises `Throttled` at once: the caller keeps its cursor and
comes back later, so a throttled seller never sees a retry storm. 5xx, timeouts, dropped
connections and unreadable bodies are retried a bounded number of times with exponential
backoff and full jitter; other 4xx are raised with Amazon's code and message.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import httpx
from sp_api.base import ApiResponse

from importer.gateway.errors import (
    AmazonApiError,
    AmazonAuthError,
    AmazonUnavailable,
    AmazonUnreachable,
    MalformedResponse,
    Throttled,
    TransientError,
)
from importer.gateway.parsing import INCLUDED_DATA, parse_get_order, parse_search_page
from importer.gateway.types import Order, OrdersPage
from importer.gateway.wire import HttpFailure, OrdersClient, SellerCredentials

logger = logging.getLogger(__name__)

SEARCH_ORDERS = "searchOrders"
GET_ORDER = "getOrder"
LOGIN_WITH_AMAZON = "Login with Amazon"
MAX_RESULTS_PER_PAGE = 100


@dataclass(frozen=True)
class UsagePlan:
    """Amazon's published token bucket for one operation (requests per second, burst)."""

    rate: float
    burst: int


USAGE_PLANS = {
    SEARCH_ORDERS: UsagePlan(rate=0.0056, burst=20),
    GET_ORDER: UsagePlan(rate=0.5, burst=30),
}


@dataclass(frozen=True)
class BucketKey:
    seller_id: str
    region: str
    operation: str

    def __str__(self) -> str:
        return f"{self.seller_id}:{self.region}:{self.operation}"


class RateLimiter(Protocol):
    def reserve(self, key: BucketKey, plan: UsagePlan, max_wait: float) -> float:
        """Take one token; return how long to wait before using it, or raise Throttled."""

    def drain(self, key: BucketKey, plan: UsagePlan) -> float:
        """Amazon said 429: empty the bucket, return seconds until the next token."""

    def observe_rate(self, key: BucketKey, rate: float) -> None:
        """Amazon announced this bucket's rate (x-amzn-RateLimit-Limit)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_seconds: float = 0.5
    cap_seconds: float = 20.0

    def backoff(self, failed_attempts: int) -> float:
        return random.uniform(0, min(self.cap_seconds, self.base_seconds * 2**failed_attempts))


@dataclass(frozen=True)
class SellerAccount:
    seller_id: str
    region: str
    credentials: SellerCredentials


T = TypeVar("T")


class OrdersGateway:
    def __init__(
        self,
        *,
        account: SellerAccount,
        endpoint: str,
        token_url: str,
        limiter: RateLimiter,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.account = account
        self.limiter = limiter
        self.retry = retry or RetryPolicy()
        self.max_wait = max_wait
        self.sleep = sleep
        self.client = OrdersClient(
            endpoint=endpoint,
            token_url=token_url,
            region=account.region,
            credentials=account.credentials,
            timeout=timeout,
        )

    def search_orders(
        self,
        *,
        marketplace_ids: Sequence[str],
        updated_after: datetime,
        updated_before: datetime,
        next_token: str | None = None,
        page_size: int = MAX_RESULTS_PER_PAGE,
        on_wait: Callable[[], None] | None = None,
    ) -> OrdersPage:
        """One page; ``on_wait`` is called before any pause (a rate-limit token, a retry)."""
        params: dict[str, Any] = {
            "marketplaceIds": list(marketplace_ids),
            "lastUpdatedAfter": amazon_timestamp(updated_after),
            "lastUpdatedBefore": amazon_timestamp(updated_before),
            "includedData": list(INCLUDED_DATA),
            "maxResultsPerPage": page_size,
        }
        if next_token:
            params["paginationToken"] = next_token
        return self._call(
            SEARCH_ORDERS,
            lambda: self.client.search_orders(**params),
            parse_search_page,
            on_wait=on_wait,
        )

    def get_order(self, order_id: str) -> Order:
        return self._call(
            GET_ORDER,
            lambda: self.client.get_order(order_id, includedData=list(INCLUDED_DATA)),
            parse_get_order,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> OrdersGateway:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _call(
        self,
        operation: str,
        request: Callable[[], ApiResponse],
        parse: Callable[[Any], T],
        *,
        on_wait: Callable[[], None] | None = None,
    ) -> T:
        key = BucketKey(self.account.seller_id, self.account.region, operation)
        plan = USAGE_PLANS[operation]
        failed_attempts = 0
        access_token_renewed = False
        while True:
            try:
                # Login with Amazon first: its latency must not sit between our token
                # bucket and Amazon's, or calls would reach Amazon closer together.
                self.client.ensure_access_token()
                wait = self.limiter.reserve(key, plan, self.max_wait)
                if wait > 0:
                    if on_wait is not None:
                        on_wait()
                    self.sleep(wait)
                response = request()
                self._observe_rate_limit(key, response.headers)
                return parse(response.payload)
            except HttpFailure as failure:
                if failure.status == 429:
                    self._observe_rate_limit(key, failure.headers)
                    raise Throttled(
                        operation, self.limiter.drain(key, plan), by_amazon=True
                    ) from None
                if (
                    failure.status in (401, 403)
                    and not failure.from_lwa
                    and not access_token_renewed
                ):
                    # A cached token Amazon no longer accepts: fetch a new one, once.
                    access_token_renewed = True
                    self.client.forget_access_token()
                    continue
                if failure.status < 500:
                    error_class = AmazonAuthError if failure.from_lwa else AmazonApiError
                    raise error_class(
                        LOGIN_WITH_AMAZON if failure.from_lwa else operation,
                        failure.status,
                        failure.code,
                        failure.message,
                    ) from None
                error: Exception = AmazonUnavailable(
                    operation, failure.status, failure.code, failure.message
                )
            except (httpx.TimeoutException, httpx.TransportError) as transport_error:
                error = transport_error
            except MalformedResponse as malformed:
                error = malformed
            failed_attempts += 1
            logger.warning(
                "%s for seller %s failed (attempt %d of %d): %s",
                operation,
                self.account.seller_id,
                failed_attempts,
                self.retry.attempts,
                _describe(error),
            )
            if failed_attempts >= self.retry.attempts:
                raise _give_up(operation, error, failed_attempts) from None
            if on_wait is not None:
                on_wait()
            self.sleep(self.retry.backoff(failed_attempts - 1))

    def _observe_rate_limit(self, key: BucketKey, headers) -> None:
        announced = (headers or {}).get("x-amzn-RateLimit-Limit")
        if not announced:
            return
        try:
            rate = float(announced)
        except ValueError:
            return
        if rate > 0:
            self.limiter.observe_rate(key, rate)


def amazon_timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("Amazon timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _describe(error: Exception) -> str:
    if isinstance(error, httpx.RequestError):
        # Which URL failed tells a wrong SP_API_ENDPOINT from a wrong LWA_TOKEN_URL.
        return f"{type(error).__name__}: {error} at {_url_without_query(error)}"
    if isinstance(error, httpx.HTTPError):
        return f"{type(error).__name__}: {error}"
    return str(error)


def _url_without_query(error: httpx.RequestError) -> str:
    try:
        url = error.request.url
    except RuntimeError:
        return "an unknown URL"
    return str(url.copy_with(query=None, fragment=None))


def _give_up(operation: str, error: Exception, attempts: int) -> Exception:
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return AmazonUnreachable(
            f"{operation}: endpoint unreachable after {attempts} attempts ({_describe(error)})"
        )
    return TransientError(
        f"{operation}: still failing after {attempts} attempts: {_describe(error)}"
    )
