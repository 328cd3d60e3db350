"""Everything the simulator knows, behind one lock, and how it is kept on disk."""

import contextlib
import copy
import json
import os
import random
import secrets
import tempfile
import threading
import time
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from simulator import jsontext, schema
from simulator.clock import Clock, format_timestamp, parse_timestamp, whole_seconds
from simulator.errors import ApiError, ControlError, LwaError, quota_exceeded, unauthorized
from simulator.faults import FaultInjector, FaultSettings
from simulator.generator import GenerateOptions, OrderGenerator
from simulator.lifecycle import FULFILLMENT_STATUSES, PLANS, StatusChangeError, apply_status
from simulator.orders_api import (
    MALFORMED_KINDS,
    PaginationTokens,
    included_data,
    parse_search,
    render_order,
)
from simulator.ratelimit import RateLimiter
from simulator.search_index import SearchIndex
from simulator.streams import OrderStream

ACCESS_TOKEN_LIFETIME = timedelta(hours=1)
STATE_FORMAT_VERSION = 1
OPERATIONS = ("searchOrders", "getOrder", "token")


def _empty_stats() -> dict:
    return {
        "calls": dict.fromkeys(OPERATIONS, 0),
        "throttled": {"searchOrders": 0, "getOrder": 0},
        "faults": {},
        "responses": {operation: {} for operation in OPERATIONS},
    }


class Simulator:
    """The simulator's whole state.

    A stored order is never changed in place: a status change stores a changed copy. So a
    response being written outside the lock can share parts of stored orders safely.
    """

    def __init__(
        self,
        *,
        state_file: Path | None = None,
        seed: int | None = None,
        time_scale: float = 1.0,
        rate_limits: bool = True,
        monotonic=time.monotonic,
    ) -> None:
        self.lock = threading.RLock()
        self.monotonic = monotonic
        self._save_lock = threading.Lock()
        self.state_file = state_file
        self.seed = seed
        self.defaults = {"time_scale": time_scale, "rate_limits": rate_limits}
        self.clock = Clock()
        self.rate_limiter = RateLimiter(
            time_scale=time_scale, enabled=rate_limits, monotonic=monotonic
        )
        self.faults = FaultInjector(seed)
        self.changed = threading.Event()
        self.advance_every = 0.0
        self.advance_fraction = 1.0
        self._clear()
        if state_file is not None and state_file.exists():
            self._load(json.loads(state_file.read_text(encoding="utf-8")))

    def _clear(self) -> None:
        self.sellers: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.orders: dict[str, dict] = {}
        self.search_index = SearchIndex()
        self.streams: dict[str, OrderStream] = {}
        # When each stream ticks next, on the monotonic clock: a restart starts afresh.
        self._stream_due: dict[str, float] = {}
        self.stats = _empty_stats()
        self.secret = secrets.token_bytes(32)
        self.rng = random.Random(self.seed)
        self.tokens = PaginationTokens(self.secret)

    # ----------------------------------------------------------------- persistence

    def _mark_changed(self) -> None:
        self.changed.set()

    def to_json(self) -> dict:
        with self.lock:
            return {
                "version": STATE_FORMAT_VERSION,
                "secret": self.secret.hex(),
                "sellers": self.sellers,
                "access_tokens": self.access_tokens,
                "orders": self.orders,
                "stats": self.stats,
                "clock": self.clock.to_dict(),
                "faults": self.faults.settings.to_json(),
                "config": self.config_json(),
                "streams": [stream.to_json() for stream in self.streams.values()],
            }

    def _load(self, data: dict) -> None:
        if data.get("version") != STATE_FORMAT_VERSION:
            raise ValueError(f"Unsupported state file format {data.get('version')!r}.")
        self.secret = bytes.fromhex(data["secret"])
        self.tokens = PaginationTokens(self.secret)
        self.sellers = data["sellers"]
        self.access_tokens = data["access_tokens"]
        self.orders = data["orders"]
        self.search_index = SearchIndex()
        by_seller: dict[str, list[dict]] = {}
        for record in self.orders.values():
            by_seller.setdefault(record["sellerId"], []).append(record["order"])
        for seller_id, orders in by_seller.items():
            self.search_index.add_many(seller_id, orders)
        self.stats = data["stats"]
        self.clock.load(data["clock"])
        self.faults.configure(FaultSettings.from_json(data["faults"]))
        self._apply_config(data["config"])
        for stream_data in data.get("streams", []):
            self._start_stream(OrderStream.from_state(stream_data))

    def save(self) -> None:
        """Write the state atomically: a temporary file in the same folder, then a rename."""
        if self.state_file is None:
            return
        with self._save_lock:
            self.changed.clear()
            with self.lock:
                payload = jsontext.encode(self.to_json())
            folder = self.state_file.parent
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                dir=folder, prefix=f".{self.state_file.name}.", suffix=".tmp"
            )
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(payload)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(temporary, self.state_file)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
                raise

    # ----------------------------------------------------------------- statistics

    def count_call(self, operation: str) -> None:
        with self.lock:
            self.stats["calls"][operation] = self.stats["calls"].get(operation, 0) + 1

    def count_response(self, operation: str, status: int) -> None:
        with self.lock:
            by_status = self.stats["responses"].setdefault(operation, {})
            by_status[str(status)] = by_status.get(str(status), 0) + 1

    def count_fault(self, kind: str) -> None:
        with self.lock:
            self.stats["faults"][kind] = self.stats["faults"].get(kind, 0) + 1

    def stats_json(self) -> dict:
        with self.lock:
            return json.loads(json.dumps(self.stats))

    # ----------------------------------------------------------------- Login with Amazon

    def issue_access_token(self, form: dict[str, str]) -> dict:
        grant_type = form.get("grant_type")
        if not grant_type:
            raise LwaError(
                400, "invalid_request", "The request is missing a required parameter : grant_type"
            )
        if grant_type != "refresh_token":
            raise LwaError(
                400,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server",
            )
        for name in ("client_id", "client_secret", "refresh_token"):
            if not form.get(name):
                raise LwaError(
                    400, "invalid_request", f"The request is missing a required parameter : {name}"
                )
        with self.lock:
            client_sellers = [
                s for s in self.sellers.values() if s["clientId"] == form["client_id"]
            ]
            if not any(
                secrets.compare_digest(s["clientSecret"], form["client_secret"])
                for s in client_sellers
            ):
                raise LwaError(401, "invalid_client", "Client authentication failed")
            seller = next(
                (
                    s
                    for s in client_sellers
                    if secrets.compare_digest(s["refreshToken"], form["refresh_token"])
                ),
                None,
            )
            if seller is None:
                raise LwaError(
                    400,
                    "invalid_grant",
                    "The request has an invalid grant parameter : refresh_token",
                )
            now = self.clock.now()
            self.access_tokens = {
                token: grant
                for token, grant in self.access_tokens.items()
                if parse_timestamp(grant["expiresAt"]) > now
            }
            token = "Atza|" + secrets.token_urlsafe(48)
            self.access_tokens[token] = {
                "sellerId": seller["sellerId"],
                "expiresAt": format_timestamp(now + ACCESS_TOKEN_LIFETIME),
            }
            self._mark_changed()
            return {
                "access_token": token,
                "refresh_token": seller["refreshToken"],
                "token_type": "bearer",
                "expires_in": int(ACCESS_TOKEN_LIFETIME.total_seconds()),
            }

    def authenticate(self, access_token: str | None) -> str:
        """The seller an access token speaks for; 403 unless it is known and live."""
        with self.lock:
            grant = self.access_tokens.get(access_token or "")
            if grant is None or parse_timestamp(grant["expiresAt"]) <= self.clock.now():
                raise unauthorized()
            if grant["sellerId"] not in self.sellers:
                raise unauthorized()
            return grant["sellerId"]

    def expire_access_tokens(self) -> int:
        with self.lock:
            expired = len(self.access_tokens)
            self.access_tokens.clear()
            self._mark_changed()
            return expired

    # ----------------------------------------------------------------- SP-API operations

    def admit(self, seller_id: str, operation: str) -> None:
        if not self.rate_limiter.allow(seller_id, operation):
            with self.lock:
                self.stats["throttled"][operation] = self.stats["throttled"].get(operation, 0) + 1
            raise quota_exceeded()

    def search_orders(self, seller_id: str, params: dict[str, list[str]]) -> dict:
        with self.lock:
            now = self.clock.now()
            seller = self.sellers[seller_id]
            query = parse_search(params, now=now, seller_marketplaces=seller["marketplaceIds"])
            fingerprint = query.fingerprint(seller_id)
            after_key: tuple[str, str] | None = None
            if query.pagination_token:
                query.before, after_key = self.tokens.read(
                    query.pagination_token, fingerprint=fingerprint, now=now
                )
            since, until = query.window()
            # One record past the page tells whether another page follows.
            matching = []
            for order_id in self.search_index.order_ids(
                seller_id, query.time_field, since=since, until=until, after=after_key
            ):
                record = self.orders[order_id]
                if query.matches(record["order"], (since, until)):
                    matching.append(record)
                    if len(matching) > query.page_size:
                        break
            page = matching[: query.page_size]
            body: dict = {
                "orders": [
                    render_order(record["order"], query.included, record.get("malformed"))
                    for record in page
                ]
            }
            if len(matching) > len(page):
                body["pagination"] = {
                    "nextToken": self.tokens.issue(
                        fingerprint=fingerprint,
                        before=query.before,
                        last_key=query.sort_key(page[-1]["order"]),
                        now=now,
                    )
                }
            bound = "lastUpdatedBefore" if query.by_update else "createdBefore"
            body[bound] = format_timestamp(query.before)
            return body

    def get_order(self, seller_id: str, order_id: str, params: dict[str, list[str]]) -> dict:
        with self.lock:
            included = included_data(params)
            record = self.orders.get(order_id)
            if record is None or record["sellerId"] != seller_id:
                raise ApiError(404, "NotFound", f"Order {order_id} was not found.")
            return {"order": render_order(record["order"], included, record.get("malformed"))}

    # ----------------------------------------------------------------- control API

    def _seller(self, seller_id) -> dict:
        seller = self.sellers.get(seller_id)
        if seller is None:
            raise ControlError(404, f"Unknown seller {seller_id!r}; register it first.")
        return seller

    @staticmethod
    def public_seller(seller: dict) -> dict:
        return {
            "sellerId": seller["sellerId"],
            "marketplaceIds": seller["marketplaceIds"],
            "clientId": seller["clientId"],
        }

    def register_seller(self, body: dict) -> dict:
        required = ("sellerId", "marketplaceIds", "clientId", "clientSecret", "refreshToken")
        missing = [name for name in required if not body.get(name)]
        if missing:
            raise ControlError(400, f"Missing fields: {', '.join(missing)}.")
        marketplace_ids = body["marketplaceIds"]
        if not isinstance(marketplace_ids, list) or not all(
            isinstance(m, str) for m in marketplace_ids
        ):
            raise ControlError(400, "marketplaceIds must be a list of marketplace ids.")
        seller = {name: body[name] for name in required}
        listings = body.get("listings", {})
        if not isinstance(listings, dict) or not all(
            isinstance(sku, str) and isinstance(title, str) and sku and title
            for sku, title in listings.items()
        ):
            raise ControlError(400, "listings must map each SKU to its title.")
        if listings:
            seller["listings"] = listings
        with self.lock:
            for other in self.sellers.values():
                if (
                    other["sellerId"] != seller["sellerId"]
                    and other["refreshToken"] == seller["refreshToken"]
                ):
                    raise ControlError(409, "That refresh token already belongs to another seller.")
            self.sellers[seller["sellerId"]] = seller
            self._mark_changed()
        return self.public_seller(seller)

    def sellers_json(self) -> list[dict]:
        with self.lock:
            return [self.public_seller(seller) for seller in self.sellers.values()]

    def create_order(self, body: dict) -> dict:
        given = body.get("order") or {}
        malformed = body.get("malformed")
        plan = body.get("plan")
        if not isinstance(given, dict):
            raise ControlError(400, "order must be an object in the Orders API 2026-01-01 shape.")
        if malformed is not None and malformed not in MALFORMED_KINDS:
            raise ControlError(400, f"malformed must be one of {', '.join(MALFORMED_KINDS)}.")
        if plan is not None and plan not in PLANS:
            raise ControlError(400, f"plan must be one of {', '.join(PLANS)}.")
        with self.lock:
            seller = self._seller(body.get("sellerId"))
            order = self._order_from_partial(seller, given, plan)
            if order["orderId"] in self.orders:
                raise ControlError(409, f"Order {order['orderId']} already exists.")
            problems = schema.check(order, "Order", strict=False)
            if problems:
                raise ControlError(
                    400, "The order does not fit the published model: " + "; ".join(problems)
                )
            status = order["fulfillment"]["fulfillmentStatus"]
            self.orders[order["orderId"]] = {
                "sellerId": seller["sellerId"],
                "order": order,
                "malformed": malformed,
                "plan": plan,
                "step": PLANS[plan].index(status) if plan and status in PLANS[plan] else 0,
            }
            self.search_index.add(seller["sellerId"], order)
            self._mark_changed()
            return json.loads(json.dumps(order))

    def _order_from_partial(self, seller: dict, given: dict, plan: str | None) -> dict:
        generator = OrderGenerator(self.rng, titles=seller.get("listings"))
        now = whole_seconds(self.clock.now())
        channel = given.get("salesChannel") or {}
        fulfillment = given.get("fulfillment") or {}
        if not isinstance(channel, dict) or not isinstance(fulfillment, dict):
            raise ControlError(400, "salesChannel and fulfillment must be objects.")
        marketplace_id = channel.get("marketplaceId") or seller["marketplaceIds"][0]
        fulfilled_by = fulfillment.get("fulfilledBy") or self.rng.choice(("AMAZON", "MERCHANT"))
        status = fulfillment.get("fulfillmentStatus") or (PLANS[plan][0] if plan else "PENDING")
        if status not in FULFILLMENT_STATUSES:
            raise ControlError(400, f"Unknown fulfillmentStatus {status!r}.")
        try:
            created = parse_timestamp(given["createdTime"]) if given.get("createdTime") else now
            updated = (
                parse_timestamp(given["lastUpdatedTime"]) if given.get("lastUpdatedTime") else None
            )
        except (TypeError, ValueError) as error:
            raise ControlError(400, f"Invalid timestamp: {error}") from None
        options = GenerateOptions()
        given_items = given.get("orderItems")
        if given_items is None:
            given_items = [{}]
        if (
            not isinstance(given_items, list)
            or not given_items
            or not all(isinstance(item, dict) for item in given_items)
        ):
            raise ControlError(400, "orderItems must be a non-empty list of objects.")
        items = []
        for item in given_items:
            product = item.get("product") or {}
            amount = ((product.get("price") or {}).get("unitPrice") or {}).get("amount")
            try:
                price = Decimal(amount) if amount is not None else None
            except (InvalidOperation, TypeError):
                raise ControlError(400, f"Invalid unit price {amount!r}.") from None
            quantity = item.get("quantityOrdered", 1)
            if not isinstance(quantity, int) or quantity < 1:
                raise ControlError(400, "quantityOrdered must be a positive integer.")
            items.append((product.get("sellerSku") or generator.sku(options), quantity, price))
        programs = given.get("programs") or []
        order = generator.build(
            order_id=given.get("orderId") or generator.order_id(marketplace_id, self.orders),
            marketplace_id=marketplace_id,
            fulfilled_by=fulfilled_by,
            channel=channel.get("channelName") or "AMAZON",
            items=items,
            created=whole_seconds(created),
            prime="PRIME" in programs,
            business="AMAZON_BUSINESS" in programs,
            anonymous=False,
            preorder=status == "PENDING_AVAILABILITY",
        )
        generated_items = order.pop("orderItems")
        merged = _merge(order, {key: value for key, value in given.items() if key != "orderItems"})
        merged["orderItems"] = [
            _merge(generated, item)
            for generated, item in zip(generated_items, given_items, strict=True)
        ]
        try:
            apply_status(merged, status, whole_seconds(updated or created))
        except StatusChangeError as error:
            raise ControlError(400, str(error)) from None
        merged["createdTime"] = format_timestamp(created)
        return merged

    def stored_order(self, order_id: str) -> dict:
        with self.lock:
            record = self.orders.get(order_id)
            if record is None:
                raise ControlError(404, f"Unknown order {order_id!r}.")
            return json.loads(json.dumps(record))

    def set_status(self, order_id: str, body: dict) -> dict:
        status = body.get("status")
        with self.lock:
            record = self.orders.get(order_id)
            if record is None:
                raise ControlError(404, f"Unknown order {order_id!r}.")
            order = copy.deepcopy(record["order"])
            try:
                apply_status(order, status, whole_seconds(self.clock.now()))
            except StatusChangeError as error:
                raise ControlError(400, str(error)) from None
            self._replace_order(record, order)
            plan = record.get("plan")
            if plan and status in PLANS[plan]:
                record["step"] = PLANS[plan].index(status)
            else:
                record["plan"] = None
            self._mark_changed()
            return json.loads(json.dumps(record["order"]))

    def generate(self, body: dict) -> dict:
        try:
            options = GenerateOptions.from_json(body)
        except (TypeError, ValueError) as error:
            raise ControlError(400, str(error)) from None
        with self.lock:
            seller = self._seller(body.get("sellerId"))
            foreign = set(options.marketplace_ids) - set(seller["marketplaceIds"])
            if foreign:
                raise ControlError(400, f"The seller is not in marketplaces {sorted(foreign)}.")
            rng = random.Random(options.seed) if options.seed is not None else self.rng
            order_ids = self._generate_orders(seller, options, rng)
            self._mark_changed()
            return {"orderIds": order_ids}

    def _generate_orders(
        self, seller: dict, options: GenerateOptions, rng: random.Random
    ) -> list[str]:
        generator = OrderGenerator(rng, titles=seller.get("listings"))
        now = self.clock.now()
        order_ids = []
        for _ in range(options.count):
            generated = generator.generate(
                seller_marketplaces=seller["marketplaceIds"],
                options=options,
                now=now,
                taken=self.orders,
            )
            order_id = generated.order["orderId"]
            self.orders[order_id] = {
                "sellerId": seller["sellerId"],
                "order": generated.order,
                "malformed": None,
                "plan": generated.plan,
                "step": generated.step,
            }
            order_ids.append(order_id)
        self.search_index.add_many(
            seller["sellerId"], (self.orders[order_id]["order"] for order_id in order_ids)
        )
        return order_ids

    # ----------------------------------------------------------------- order streams

    def set_stream(self, body: dict) -> dict:
        """Start, replace or (``every`` 0) stop a seller's stream; with no seller, stop all."""
        try:
            stream = OrderStream.from_json(body)
        except (TypeError, ValueError) as error:
            raise ControlError(400, str(error)) from None
        with self.lock:
            if stream.seller_id is None and not stream.every:
                self.streams.clear()
                self._stream_due.clear()
            else:
                seller = self._seller(stream.seller_id)
                foreign = set(stream.knobs.get("marketplace_ids", [])) - set(
                    seller["marketplaceIds"]
                )
                if foreign:
                    raise ControlError(400, f"The seller is not in marketplaces {sorted(foreign)}.")
                self.streams.pop(stream.seller_id, None)
                self._stream_due.pop(stream.seller_id, None)
                if stream.every:
                    self._start_stream(stream)
            self._mark_changed()
            return self.streams_json()

    def _start_stream(self, stream: OrderStream) -> None:
        self.streams[stream.seller_id] = stream
        self._stream_due[stream.seller_id] = self.monotonic() + stream.every

    def streams_json(self) -> dict:
        with self.lock:
            return {"streams": [stream.to_json() for stream in self.streams.values()]}

    def run_due_streams(self) -> list[str]:
        """One tick of every stream whose time has come; the ids of the orders created."""
        with self.lock:
            moment = self.monotonic()
            now = whole_seconds(self.clock.now())
            created = []
            for seller_id, stream in self.streams.items():
                if moment < self._stream_due[seller_id]:
                    continue
                self._stream_due[seller_id] = moment + stream.every
                order_ids = self._generate_orders(
                    self.sellers[seller_id], stream.options(now), self.rng
                )
                stream.order_count += len(order_ids)
                stream.last_tick_at = format_timestamp(now)
                created.extend(order_ids)
            if created:
                self._mark_changed()
            return created

    def advance(self, body: dict) -> dict:
        """Move orders that follow a plan ``steps`` statuses further along it."""
        try:
            steps = int(body.get("steps", 1))
            fraction = float(body.get("fraction", 1.0))
        except (TypeError, ValueError):
            raise ControlError(400, "steps must be an integer and fraction a number.") from None
        if steps < 1 or not 0.0 <= fraction <= 1.0:
            raise ControlError(400, "steps must be at least 1 and fraction between 0 and 1.")
        seller_id = body.get("sellerId")
        only = set(body.get("orderIds") or [])
        with self.lock:
            now = whole_seconds(self.clock.now())
            changed = []
            for order_id, record in self.orders.items():
                plan = record.get("plan")
                if not plan or record["step"] >= len(PLANS[plan]) - 1:
                    continue
                if seller_id and record["sellerId"] != seller_id:
                    continue
                if only and order_id not in only:
                    continue
                if fraction < 1.0 and self.rng.random() >= fraction:
                    continue
                target = min(record["step"] + steps, len(PLANS[plan]) - 1)
                order = copy.deepcopy(record["order"])
                for status in PLANS[plan][record["step"] + 1 : target + 1]:
                    apply_status(order, status, now)
                self._replace_order(record, order)
                record["step"] = target
                changed.append({"orderId": order_id, "status": PLANS[plan][target]})
            if changed:
                self._mark_changed()
            return {"advanced": changed}

    def _replace_order(self, record: dict, order: dict) -> None:
        self.search_index.replace(record["sellerId"], record["order"], order)
        record["order"] = order

    def set_faults(self, body: dict) -> dict:
        try:
            settings = FaultSettings.from_json(body)
        except (TypeError, ValueError) as error:
            raise ControlError(400, str(error)) from None
        self.faults.configure(settings)
        self._mark_changed()
        return settings.to_json()

    def config_json(self) -> dict:
        return {
            "time_scale": self.rate_limiter.time_scale,
            "rate_limits": self.rate_limiter.enabled,
            "advance_every": self.advance_every,
            "advance_fraction": self.advance_fraction,
        }

    def configure(self, body: dict) -> dict:
        unknown = sorted(
            set(body) - {"time_scale", "rate_limits", "advance_every", "advance_fraction"}
        )
        if unknown:
            raise ControlError(400, f"Unknown settings: {', '.join(unknown)}.")
        try:
            self._apply_config(body)
        except (TypeError, ValueError) as error:
            raise ControlError(400, str(error)) from None
        self._mark_changed()
        return self.config_json()

    def _apply_config(self, body: dict) -> None:
        time_scale = body.get("time_scale")
        if time_scale is not None and float(time_scale) <= 0:
            raise ValueError("time_scale must be positive.")
        advance_every = float(body.get("advance_every", self.advance_every))
        advance_fraction = float(body.get("advance_fraction", self.advance_fraction))
        if advance_every < 0 or not 0 <= advance_fraction <= 1:
            raise ValueError("advance_every must be >= 0 and advance_fraction between 0 and 1.")
        self.rate_limiter.configure(
            time_scale=float(time_scale) if time_scale is not None else None,
            enabled=bool(body["rate_limits"]) if "rate_limits" in body else None,
        )
        self.advance_every = advance_every
        self.advance_fraction = advance_fraction

    def set_clock(self, body: dict) -> dict:
        try:
            if body.get("now"):
                self.clock.freeze(whole_seconds(parse_timestamp(body["now"])))
            elif body.get("offset_seconds") is not None:
                self.clock.shift(float(body["offset_seconds"]))
            else:
                self.clock.real_time()
        except (TypeError, ValueError) as error:
            raise ControlError(400, f"Invalid clock setting: {error}") from None
        self._mark_changed()
        return self.clock_json()

    def clock_json(self) -> dict:
        return {"now": format_timestamp(self.clock.now()), **self.clock.to_dict()}

    def reset(self) -> None:
        with self.lock:
            self._clear()
            self.clock.real_time()
            self.faults.configure(FaultSettings())
            self.rate_limiter.reset()
            self.advance_every = 0.0
            self.advance_fraction = 1.0
            self.rate_limiter.configure(
                time_scale=self.defaults["time_scale"], enabled=self.defaults["rate_limits"]
            )
            self._mark_changed()


def _merge(generated: dict, given: dict) -> dict:
    """Given fields win; nested objects merge; a null removes what was generated."""
    merged = dict(generated)
    for key, value in given.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged
