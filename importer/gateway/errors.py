"""What can go wrong on the wire, in terms the poller can act on.

No exception here ever carries a credential: messages hold Amazon's error code and
message, the operation and the HTTP status, nothing from the request.
"""

from __future__ import annotations


class GatewayError(Exception):
    """Base of every failure the gateway reports."""


class Throttled(GatewayError):
    """Amazon answered 429, or our own bucket says the next call is too far away.

    The caller stops, keeps its cursor, and comes back after `retry_after` seconds.
    """

    def __init__(self, operation: str, retry_after: float, *, by_amazon: bool):
        self.operation = operation
        self.retry_after = retry_after
        self.by_amazon = by_amazon
        source = "Amazon answered 429" if by_amazon else "rate limit budget spent"
        super().__init__(f"{operation}: {source}; next call in {retry_after:.1f}s")


class TransientError(GatewayError):
    """Worth retrying: 5xx, timeouts, dropped connections, unreadable bodies."""


class MalformedResponse(TransientError):
    """A 2xx whose body is not the JSON document the model promises."""


class AmazonUnavailable(TransientError):
    def __init__(self, operation: str, status: int, code: str = "", message: str = ""):
        self.operation = operation
        self.status = status
        self.code = code
        super().__init__(f"{operation}: HTTP {status} {code} {message}".strip())


class AmazonUnreachable(GatewayError):
    """The endpoint could not be reached (or kept failing) within the retry budget."""


class AmazonApiError(GatewayError):
    """A 4xx other than 429, reported with Amazon's own error code and message."""

    def __init__(self, operation: str, status: int, code: str, message: str):
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        super().__init__(f"{operation}: HTTP {status} {code}: {message}")


class AmazonAuthError(AmazonApiError):
    """Login with Amazon refused the store's credentials (or the access token)."""
