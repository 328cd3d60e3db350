"""python-amazon-sp-api, configured for this product.

The library carries the wire and the Login-with-Amazon refresh. Three of its habits do
not fit and are changed here, by subclassing, never by patching the library:

- it caches access tokens in one module-level cache of ten entries with a fixed TTL and
  never forgets a token Amazon has rejected: `LoginWithAmazonClient` keeps its own cache,
  keyed by token URL, client id and refresh token, honours `expires_in`, and can drop a
  token (the gateway refreshes once on 401/403);
- its LWA host and scheme are class attributes and its Host header is `endpoint[8:]`,
  which only works for https: both follow the configured URLs here, so the local
  simulator on http://127.0.0.1:PORT works as well as Amazon;
- it turns some failures into empty successes (a 5xx with a non-JSON body parses as an
  empty payload): every non-2xx and every unreadable body raises `HttpFailure` here.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlsplit

from sp_api.api.orders.orders_2026_01_01 import OrdersV20260101
from sp_api.auth import AccessTokenClient, AccessTokenResponse
from sp_api.auth.credentials import Credentials
from sp_api.base import ApiResponse, Marketplaces
from sp_api.base._transport_httpx import HttpxTransport
from sp_api.base.credential_provider import FromCodeCredentialProvider

from importer.gateway.errors import MalformedResponse

SP_API_HOST_BY_REGION = {
    "na": "https://sellingpartnerapi-na.amazon.com",
    "eu": "https://sellingpartnerapi-eu.amazon.com",
    "fe": "https://sellingpartnerapi-fe.amazon.com",
}
DEFAULT_LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"  # noqa: S105 (a URL)

# The library wants a marketplace to pick its endpoint from; the endpoint is replaced and
# every call names its marketplaces, so any marketplace of the region will do.
_MARKETPLACE_OF_REGION = {"na": Marketplaces.US, "eu": Marketplaces.DE, "fe": Marketplaces.JP}

# An access token is dropped this long before Amazon says it expires, so a call never
# leaves with a token that dies on the way.
TOKEN_EXPIRY_MARGIN_SECONDS = 60


@dataclass(frozen=True)
class SellerCredentials:
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)


class HttpFailure(Exception):
    """A non-2xx answer, with Amazon's first error code and message when it sent any."""

    def __init__(self, status: int, code: str, message: str, *, headers=None, from_lwa=False):
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.from_lwa = from_lwa
        super().__init__(f"HTTP {status} {code}: {message}")


class AccessTokenCache:
    """Access tokens of this process, one per (token URL, client, refresh token)."""

    def __init__(self):
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._tokens.get(key)
            if entry is None or entry[1] <= time.monotonic():
                self._tokens.pop(key, None)
                return None
            return entry[0]

    def put(self, key: str, token: str, expires_in: float) -> None:
        lifetime = max(0.0, expires_in - TOKEN_EXPIRY_MARGIN_SECONDS)
        with self._lock:
            self._tokens[key] = (token, time.monotonic() + lifetime)

    def forget(self, key: str) -> None:
        with self._lock:
            self._tokens.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


access_tokens = AccessTokenCache()


class LoginWithAmazonClient(AccessTokenClient):
    """The library's LWA client with a configurable token URL and a correct cache."""

    def __init__(
        self,
        refresh_token=None,
        credentials=None,
        proxies=None,
        verify=True,
        *,
        token_url: str,
        timeout: float,
    ):
        # Not calling the parent: it would open a second HTTP client without a timeout.
        self.cred = Credentials(refresh_token, credentials)
        self.proxies = proxies
        self.verify = verify
        self.token_url = token_url
        self._transport = HttpxTransport(timeout=timeout, proxies=proxies, verify=verify)

    def get_auth(self) -> AccessTokenResponse:
        key = self._get_cache_key()
        token = access_tokens.get(key)
        if token is None:
            grant = self._request(self.token_url, self.data, self.headers)
            token = grant["access_token"]
            access_tokens.put(key, token, float(grant.get("expires_in") or 3600))
        return AccessTokenResponse(access_token=token, token_type="bearer")  # noqa: S106

    def forget_access_token(self) -> None:
        access_tokens.forget(self._get_cache_key())

    def _get_cache_key(self, token_flavor=""):
        material = "\0".join(
            (self.token_url, self.cred.client_id or "", self.cred.refresh_token or "", token_flavor)
        )
        return hashlib.sha256(material.encode()).hexdigest()

    def _request(self, url, data, headers):
        response = self._transport.request("POST", url, data=data, headers=headers)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code == 200:
            if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
                raise MalformedResponse("Login with Amazon answered without an access token")
            return body
        body = body if isinstance(body, dict) else {}
        raise HttpFailure(
            response.status_code,
            str(body.get("error") or ""),
            str(body.get("error_description") or ""),
            headers=response.headers,
            from_lwa=True,
        )

    def close(self) -> None:
        self._transport.close()


class OrdersClient(OrdersV20260101):
    """Orders API 2026-01-01 on a configurable endpoint, raising on every failure."""

    def __init__(
        self,
        *,
        endpoint: str,
        token_url: str,
        region: str,
        credentials: SellerCredentials,
        timeout: float,
    ):
        super().__init__(
            marketplace=_MARKETPLACE_OF_REGION[region],
            refresh_token=credentials.refresh_token,
            credentials={
                "lwa_app_id": credentials.client_id,
                "lwa_client_secret": credentials.client_secret,
                "refresh_token": credentials.refresh_token,
            },
            credential_providers=(FromCodeCredentialProvider,),
            timeout=timeout,
            auth_token_client_class=partial(
                LoginWithAmazonClient, token_url=token_url, timeout=timeout
            ),
        )
        self.endpoint = endpoint.rstrip("/")

    @property
    def headers(self):
        headers = super().headers
        headers["host"] = urlsplit(self.endpoint).netloc
        return headers

    def ensure_access_token(self) -> None:
        self._auth.get_auth()

    def forget_access_token(self) -> None:
        self._auth.forget_access_token()

    def _check_response(self, res, res_no_data=False, bulk=False, wrap_list=False):
        try:
            body = res.json()
        except (ValueError, json.JSONDecodeError):
            body = None
        if 200 <= res.status_code < 300:
            if not isinstance(body, dict):
                raise MalformedResponse(f"HTTP {res.status_code} with a body that is not JSON")
            return ApiResponse(payload=body, headers=res.headers)
        errors = body.get("errors") if isinstance(body, dict) else None
        first = (
            errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
        )
        raise HttpFailure(
            res.status_code,
            str(first.get("code") or ""),
            str(first.get("message") or ""),
            headers=res.headers,
        )

    def close(self) -> None:
        super().close()
        self._auth.close()
