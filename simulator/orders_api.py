"""The Orders API 2026-01-01 surface: query validation, filtering, paging and rendering."""

import base64
import copy
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from simulator.clock import format_timestamp, parse_timestamp, whole_seconds
from simulator.errors import invalid_input
from simulator.lifecycle import FULFILLMENT_STATUSES
from simulator.search_index import SearchKey, search_key

INCLUDED_DATA = (
    "BUYER",
    "RECIPIENT",
    "PROCEEDS",
    "EXPENSE",
    "PROMOTION",
    "CANCELLATION",
    "FULFILLMENT",
    "PACKAGES",
    "TAX",
    "PAYMENT",
    "FULFILLMENT_ORDERS",
)
FULFILLED_BY = ("MERCHANT", "AMAZON")

# Which parts of an order and of its items each includedData value unlocks.
ORDER_DATASETS = {
    "BUYER": ("buyer",),
    "RECIPIENT": ("recipient",),
    "PROCEEDS": ("proceeds",),
    "FULFILLMENT": ("fulfillment",),
    "PACKAGES": ("packages",),
    "TAX": ("tax",),
    "PAYMENT": ("payment",),
    "FULFILLMENT_ORDERS": ("fulfillmentOrders",),
}
ITEM_DATASETS = {
    "PROCEEDS": ("proceeds",),
    "EXPENSE": ("expense",),
    "PROMOTION": ("promotion",),
    "CANCELLATION": ("cancellation",),
    "FULFILLMENT": ("fulfillment",),
    "TAX": ("tax",),
}
ORDER_ALWAYS = (
    "orderId",
    "orderAliases",
    "createdTime",
    "lastUpdatedTime",
    "programs",
    "associatedOrders",
    "salesChannel",
    "orderItems",
)
ITEM_ALWAYS = (
    "orderItemId",
    "quantityOrdered",
    "measurement",
    "associatedOrderItems",
    "programs",
    "product",
)

MIN_DISTANCE_FROM_NOW = timedelta(minutes=2)
PAGINATION_TOKEN_LIFETIME = timedelta(hours=24)
MAX_MARKETPLACES = 50
MAX_PAGE_SIZE = 100

MALFORMED_KINDS = ("missing_required", "bad_types", "bad_date", "bad_enum", "bad_amount")


def list_param(params: dict[str, list[str]], name: str) -> list[str]:
    """Amazon takes arrays comma-separated; repeated parameters are accepted too."""
    values = []
    for raw in params.get(name, []):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


def single_param(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def enum_list(params, name: str, allowed: tuple[str, ...]) -> list[str]:
    values = list_param(params, name)
    for value in values:
        if value not in allowed:
            raise invalid_input(f"Invalid value '{value}' for {name}.")
    return values


def included_data(params) -> set[str]:
    return set(enum_list(params, "includedData", INCLUDED_DATA))


def _timestamp_param(params, name: str) -> datetime | None:
    raw = single_param(params, name)
    if raw is None or raw == "":
        return None
    try:
        return parse_timestamp(raw)
    except ValueError:
        raise invalid_input(f"{name} must be a date-time in ISO 8601 format.") from None


@dataclass
class SearchQuery:
    by_update: bool
    after: datetime
    before: datetime
    before_is_explicit: bool
    statuses: tuple[str, ...]
    marketplace_ids: tuple[str, ...]
    fulfilled_by: tuple[str, ...]
    page_size: int
    included: set[str]
    pagination_token: str | None

    def fingerprint(self, seller_id: str) -> str:
        """What must stay the same between the pages of one search."""
        parts = [
            seller_id,
            "updated" if self.by_update else "created",
            format_timestamp(self.after),
            format_timestamp(self.before) if self.before_is_explicit else "",
            ",".join(sorted(self.statuses)),
            ",".join(sorted(self.marketplace_ids)),
            ",".join(sorted(self.fulfilled_by)),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    @property
    def time_field(self) -> str:
        return "lastUpdatedTime" if self.by_update else "createdTime"

    def window(self) -> tuple[str, str]:
        """The inclusive time range in the stored format, rounded inwards to whole seconds."""
        after = self.after if not self.after.microsecond else self.after + timedelta(seconds=1)
        return format_timestamp(after), format_timestamp(self.before)

    def matches(self, order: dict, window: tuple[str, str]) -> bool:
        # Stored timestamps share one fixed UTC format, so string order is time order.
        moment = order[self.time_field]
        if not window[0] <= moment <= window[1]:
            return False
        if (
            self.marketplace_ids
            and order["salesChannel"]["marketplaceId"] not in self.marketplace_ids
        ):
            return False
        fulfillment = order["fulfillment"]
        if self.statuses and fulfillment["fulfillmentStatus"] not in self.statuses:
            return False
        return not (self.fulfilled_by and fulfillment["fulfilledBy"] not in self.fulfilled_by)

    def sort_key(self, order: dict) -> SearchKey:
        return search_key(order, self.time_field)


def parse_search(
    params: dict[str, list[str]], *, now: datetime, seller_marketplaces
) -> SearchQuery:
    created_after = _timestamp_param(params, "createdAfter")
    created_before = _timestamp_param(params, "createdBefore")
    updated_after = _timestamp_param(params, "lastUpdatedAfter")
    updated_before = _timestamp_param(params, "lastUpdatedBefore")

    if (created_after is None) == (updated_after is None):
        raise invalid_input("Exactly one of createdAfter and lastUpdatedAfter must be provided.")
    by_update = updated_after is not None
    if by_update and created_before is not None:
        raise invalid_input("createdBefore cannot be combined with lastUpdatedAfter.")
    if not by_update and updated_before is not None:
        raise invalid_input("lastUpdatedBefore cannot be combined with createdAfter.")

    after = updated_after if by_update else created_after
    explicit_before = updated_before if by_update else created_before
    before_name = "lastUpdatedBefore" if by_update else "createdBefore"
    after_name = "lastUpdatedAfter" if by_update else "createdAfter"
    latest_allowed = now - MIN_DISTANCE_FROM_NOW
    if explicit_before is not None:
        if explicit_before > latest_allowed:
            raise invalid_input(
                f"{before_name} must be at least two minutes before the time of the request."
            )
        if explicit_before < after:
            raise invalid_input(f"{before_name} must be equal to or after {after_name}.")
    before = explicit_before if explicit_before is not None else whole_seconds(latest_allowed)

    marketplace_ids = list_param(params, "marketplaceIds")
    if len(marketplace_ids) > MAX_MARKETPLACES:
        raise invalid_input(f"marketplaceIds accepts at most {MAX_MARKETPLACES} values.")
    for marketplace_id in marketplace_ids:
        if marketplace_id not in seller_marketplaces:
            raise invalid_input(
                f"The seller does not participate in marketplace '{marketplace_id}'."
            )

    raw_page_size = single_param(params, "maxResultsPerPage")
    page_size = MAX_PAGE_SIZE
    if raw_page_size is not None:
        try:
            page_size = int(raw_page_size)
        except ValueError:
            page_size = 0
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise invalid_input(
                f"maxResultsPerPage must be an integer between 1 and {MAX_PAGE_SIZE}."
            )

    return SearchQuery(
        by_update=by_update,
        after=after,
        before=before,
        before_is_explicit=explicit_before is not None,
        statuses=tuple(enum_list(params, "fulfillmentStatuses", FULFILLMENT_STATUSES)),
        marketplace_ids=tuple(marketplace_ids),
        fulfilled_by=tuple(enum_list(params, "fulfilledBy", FULFILLED_BY)),
        page_size=page_size,
        included=included_data(params),
        pagination_token=single_param(params, "paginationToken") or None,
    )


class PaginationTokens:
    """Opaque, signed tokens that remember where a search stopped and its time bound."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def issue(
        self, *, fingerprint: str, before: datetime, last_key: tuple[str, str], now: datetime
    ) -> str:
        payload = {
            "q": fingerprint,
            "b": format_timestamp(before),
            "k": list(last_key),
            "e": format_timestamp(now + PAGINATION_TOKEN_LIFETIME),
        }
        body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
        return (body + b"." + self._sign(body)).decode()

    def read(
        self, token: str, *, fingerprint: str, now: datetime
    ) -> tuple[datetime, tuple[str, str]]:
        body, _, signature = token.encode().partition(b".")
        if not body or not hmac.compare_digest(signature, self._sign(body)):
            raise invalid_input("Invalid paginationToken.")
        payload = json.loads(base64.urlsafe_b64decode(body))
        if parse_timestamp(payload["e"]) < now:
            raise invalid_input("The paginationToken has expired; start the search again.")
        if payload["q"] != fingerprint:
            raise invalid_input("The paginationToken was issued for different request parameters.")
        return parse_timestamp(payload["b"]), (payload["k"][0], payload["k"][1])

    def _sign(self, body: bytes) -> bytes:
        digest = hmac.new(self._secret, body, hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(digest)


def render_order(order: dict, included: set[str], malformed: str | None = None) -> dict:
    """The order as a caller sees it: base fields plus the datasets it asked for."""
    order_fields = set(ORDER_ALWAYS)
    item_fields = set(ITEM_ALWAYS)
    for dataset in included:
        order_fields.update(ORDER_DATASETS.get(dataset, ()))
        item_fields.update(ITEM_DATASETS.get(dataset, ()))
    rendered = {key: value for key, value in order.items() if key in order_fields}
    rendered["orderItems"] = [
        {key: value for key, value in item.items() if key in item_fields}
        for item in order["orderItems"]
    ]
    if malformed:
        # Breaking reaches into nested objects, which are shared with the stored order.
        rendered = copy.deepcopy(rendered)
        _break(rendered, malformed)
    return rendered


def _break(order: dict, kind: str) -> None:
    """Corrupt a rendered order the way a broken upstream record would; the id stays readable."""
    if kind == "missing_required":
        order.pop("orderItems", None)
        order.pop("createdTime", None)
    elif kind == "bad_types":
        order["createdTime"] = 1767225600
        for item in order.get("orderItems", []):
            item["quantityOrdered"] = "two"
    elif kind == "bad_date":
        order["createdTime"] = "yesterday afternoon"
        order["lastUpdatedTime"] = "31/12/2025 25:61"
    elif kind == "bad_enum":
        order.setdefault("fulfillment", {})["fulfillmentStatus"] = "LOST_IN_TRANSIT"
        order["fulfillment"]["fulfilledBy"] = "SOMEONE_ELSE"
    elif kind == "bad_amount":
        for item in order.get("orderItems", []):
            item["product"]["price"] = {"unitPrice": {"amount": "12,34.5x", "currencyCode": 7}}
        order["proceeds"] = {"grandTotal": {"amount": None, "currencyCode": "DOLLARS"}}
