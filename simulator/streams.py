"""Streams of new orders: every few seconds, a seller gets orders created at that moment,
at the start of a lifecycle plan, for the advancing to move along."""

import math
from dataclasses import dataclass, field
from datetime import datetime

from simulator.generator import GenerateOptions

# The generate knobs a stream takes; its orders are always new, at the start of a plan.
STREAM_KNOBS = (
    "marketplace_ids",
    "skus",
    "fba_ratio",
    "prime_ratio",
    "business_ratio",
    "anonymous_fba_ratio",
    "non_amazon_ratio",
    "unknown_sku_ratio",
)
MAX_ORDERS_PER_TICK = 1000


@dataclass
class OrderStream:
    seller_id: str
    every: float
    count: int = 1
    knobs: dict = field(default_factory=dict)
    order_count: int = 0
    last_tick_at: str | None = None

    @classmethod
    def from_json(cls, body: dict) -> "OrderStream":
        """A stream as ``POST /_simulator/stream`` sets it; ``every`` 0 means none."""
        unknown = sorted(set(body) - {"sellerId", "every", "count", *STREAM_KNOBS})
        if unknown:
            raise ValueError(f"Unknown stream options: {', '.join(unknown)}.")
        every = body.get("every")
        if not _is_number(every) or not math.isfinite(every) or every < 0:
            raise ValueError("every must be a number of seconds, 0 or more (0 stops the stream).")
        count = body.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool):
            raise ValueError("count must be an integer.")
        if not 1 <= count <= MAX_ORDERS_PER_TICK:
            raise ValueError(f"count must be between 1 and {MAX_ORDERS_PER_TICK} orders a tick.")
        seller_id = body.get("sellerId")
        if seller_id is not None and not (isinstance(seller_id, str) and seller_id):
            raise ValueError("sellerId must be a seller id.")
        if seller_id is None and every:
            raise ValueError("sellerId is required to start a stream.")
        knobs = {name: body[name] for name in STREAM_KNOBS if name in body}
        GenerateOptions.from_json({**knobs, "count": count})
        return cls(seller_id=seller_id, every=float(every), count=count, knobs=knobs)

    @classmethod
    def from_state(cls, data: dict) -> "OrderStream":
        stream = cls.from_json(
            {key: value for key, value in data.items() if key not in ("orderCount", "lastTickAt")}
        )
        stream.order_count = data.get("orderCount", 0)
        stream.last_tick_at = data.get("lastTickAt")
        return stream

    def to_json(self) -> dict:
        return {
            "sellerId": self.seller_id,
            "every": self.every,
            "count": self.count,
            **self.knobs,
            "orderCount": self.order_count,
            "lastTickAt": self.last_tick_at,
        }

    def options(self, now: datetime) -> GenerateOptions:
        """One tick's orders: created now, at the first status of their plan."""
        return GenerateOptions.from_json(
            {
                **self.knobs,
                "count": self.count,
                "created_after": now.isoformat(),
                "created_before": now.isoformat(),
                "lifecycle": True,
                "at_start": True,
            }
        )


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
