"""Seedable generator of realistic Orders API 2026-01-01 orders.

Orders are built in the complete wire shape (every dataset present); what a caller sees
is trimmed to the ``includedData`` it asks for when the order is served.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from simulator.catalog import (
    ADDRESSES,
    BUYER_NAMES,
    COMPANY_NAMES,
    marketplace_for,
    product_for_sku,
)
from simulator.clock import format_timestamp, parse_timestamp, whole_seconds
from simulator.lifecycle import (
    FULFILLMENT_STATUSES,
    PLAN_WEIGHTS,
    PLANS,
    apply_status,
    plan_fits,
)

CENT = Decimal("0.01")
RATIOS = (
    "fba_ratio",
    "prime_ratio",
    "business_ratio",
    "anonymous_fba_ratio",
    "non_amazon_ratio",
    "unknown_sku_ratio",
)


def _is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class GenerateOptions:
    """Knobs of ``POST /_simulator/generate``; every ratio is a probability per order."""

    count: int = 10
    seed: int | None = None
    marketplace_ids: list[str] = field(default_factory=list)
    fba_ratio: float = 0.5
    prime_ratio: float = 0.4
    business_ratio: float = 0.1
    anonymous_fba_ratio: float = 0.5
    non_amazon_ratio: float = 0.05
    unknown_sku_ratio: float = 0.1
    skus: list[str] = field(default_factory=list)
    created_after: datetime | None = None
    created_before: datetime | None = None
    lifecycle: bool = True
    at_start: bool = False
    status: str | None = None

    @classmethod
    def from_json(cls, body: dict) -> "GenerateOptions":
        known = {name for name in cls.__dataclass_fields__}
        unknown = sorted(set(body) - known - {"sellerId"})
        if unknown:
            raise ValueError(f"Unknown generate options: {', '.join(unknown)}.")
        values = {key: value for key, value in body.items() if key in known}
        for moment in ("created_after", "created_before"):
            if values.get(moment):
                values[moment] = parse_timestamp(values[moment])
        options = cls(**values)
        options._validate()
        return options

    def _validate(self) -> None:
        if not _is_integer(self.count) or not 0 < self.count <= 100_000:
            raise ValueError("count must be an integer between 1 and 100000.")
        if self.seed is not None and not _is_integer(self.seed):
            raise ValueError("seed must be an integer.")
        for name in RATIOS:
            ratio = getattr(self, name)
            if not _is_number(ratio) or not 0 <= ratio <= 1:
                raise ValueError(f"{name} must be a number between 0 and 1.")
        for name in ("skus", "marketplace_ids"):
            values = getattr(self, name)
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise ValueError(f"{name} must be a list of non-empty strings.")
        for name in ("lifecycle", "at_start"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false.")
        if self.status is not None and self.status not in FULFILLMENT_STATUSES:
            raise ValueError(f"status must be one of {', '.join(FULFILLMENT_STATUSES)}.")


@dataclass
class GeneratedOrder:
    order: dict
    plan: str | None
    step: int


class OrderGenerator:
    def __init__(self, rng: random.Random, titles: dict[str, str] | None = None) -> None:
        self.rng = rng
        # The seller's own listing titles by SKU; other SKUs get the catalog's.
        self.titles = titles or {}

    def order_id(self, marketplace_id: str, taken) -> str:
        prefix = self.rng.choice(marketplace_for(marketplace_id).order_prefixes)
        while True:
            candidate = f"{prefix}-{self.rng.randrange(10**7):07d}-{self.rng.randrange(10**7):07d}"
            if candidate not in taken:
                return candidate

    def sku(self, options: GenerateOptions) -> str:
        if options.skus and self.rng.random() >= options.unknown_sku_ratio:
            return self.rng.choice(options.skus)
        letters = "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(3))
        variant = self.rng.choice(("BLK", "WHT", "RED", "XL"))
        return f"{letters}-{self.rng.randrange(10000):04d}-{variant}"

    def generate(
        self, *, seller_marketplaces: list[str], options: GenerateOptions, now: datetime, taken
    ) -> GeneratedOrder:
        rng = self.rng
        marketplace_id = rng.choice(options.marketplace_ids or seller_marketplaces)
        fulfilled_by = "AMAZON" if rng.random() < options.fba_ratio else "MERCHANT"
        channel = (
            "NON_AMAZON"
            if fulfilled_by == "AMAZON" and rng.random() < options.non_amazon_ratio
            else "AMAZON"
        )
        skus: list[str] = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4, 5))):
            sku = self.sku(options)
            if sku not in skus:
                skus.append(sku)
        quantities = [rng.choice((1, 1, 1, 2, 3)) for _ in skus]
        # A requested status wins over the ratios when only one kind of order can have it.
        if options.status == "UNFULFILLABLE":
            fulfilled_by, channel = "AMAZON", "NON_AMAZON"
        elif options.status == "PARTIALLY_SHIPPED" and sum(quantities) < 2:
            quantities[0] = 2
        units = sum(quantities)

        plan, step = self._plan(options, fulfilled_by=fulfilled_by, channel=channel, units=units)
        latest = whole_seconds(options.created_before or now - timedelta(hours=1))
        earliest = whole_seconds(options.created_after or latest - timedelta(days=2))
        created = earliest + timedelta(
            seconds=rng.randrange(int((latest - earliest).total_seconds()) + 1)
        )
        order = self.build(
            order_id=self.order_id(marketplace_id, taken),
            marketplace_id=marketplace_id,
            fulfilled_by=fulfilled_by,
            channel=channel,
            items=[(sku, qty, None) for sku, qty in zip(skus, quantities, strict=True)],
            created=created,
            prime=rng.random() < options.prime_ratio,
            business=rng.random() < options.business_ratio,
            anonymous=fulfilled_by == "AMAZON" and rng.random() < options.anonymous_fba_ratio,
            preorder=PLANS[plan][0] == "PENDING_AVAILABILITY",
        )
        # Walk the plan up to its chosen step, each change a little after the last, and
        # never inside the two minutes a caller cannot see yet.
        moment = created
        ceiling = max(created, whole_seconds(now - timedelta(minutes=3)))
        for status in PLANS[plan][: step + 1]:
            apply_status(order, status, moment)
            moment = min(ceiling, moment + timedelta(minutes=rng.randrange(5, 240)))
        return GeneratedOrder(order=order, plan=plan if options.lifecycle else None, step=step)

    def _plan(self, options, *, fulfilled_by, channel, units) -> tuple[str, int]:
        candidates = [
            name
            for name in PLANS
            if plan_fits(name, fulfilled_by=fulfilled_by, channel_name=channel, units=units)
            and (options.status is None or options.status in PLANS[name])
        ]
        if not candidates:
            candidates = ["standard"]
        weights = [PLAN_WEIGHTS[name] for name in candidates]
        plan = self.rng.choices(candidates, weights=weights)[0]
        statuses = PLANS[plan]
        if options.status in statuses:
            return plan, statuses.index(options.status)
        if options.at_start:
            return plan, 0
        return plan, self.rng.randrange(len(statuses))

    def build(
        self,
        *,
        order_id: str,
        marketplace_id: str,
        fulfilled_by: str,
        channel: str,
        items: list[tuple[str, int, Decimal | None]],
        created: datetime,
        prime: bool,
        business: bool,
        anonymous: bool,
        preorder: bool,
    ) -> dict:
        rng = self.rng
        marketplace = marketplace_for(marketplace_id)
        currency = marketplace.currency

        def money(amount: Decimal) -> dict:
            return {"amount": str(amount.quantize(CENT)), "currencyCode": currency}

        order_items = []
        item_total = Decimal(0)
        for sku, quantity, price in items:
            product = product_for_sku(sku)
            title = self.titles.get(sku, product.title)
            unit_price = price if price is not None else product.unit_price
            line_total = unit_price * quantity
            item_total += line_total
            price_block = {"unitPrice": money(unit_price)}
            if business:
                price_block["priceDesignation"] = "BUSINESS_PRICE"
            order_items.append(
                {
                    "orderItemId": f"{rng.randrange(10**13, 10**14)}",
                    "quantityOrdered": quantity,
                    "product": {
                        "asin": product.asin,
                        "title": title,
                        "sellerSku": sku,
                        "condition": {"conditionType": "NEW", "conditionSubtype": "NEW"},
                        "price": price_block,
                    },
                    "proceeds": {
                        "proceedsTotal": money(line_total),
                        "breakdowns": [{"type": "ITEM", "subtotal": money(line_total)}],
                    },
                    "fulfillment": {"quantityFulfilled": 0, "quantityUnfulfilled": quantity},
                }
            )

        shipping = Decimal(0) if prime or fulfilled_by == "AMAZON" else Decimal("4.99")
        tax = (item_total * Decimal("0.08")).quantize(CENT)
        programs = []
        if prime:
            programs.append("PRIME")
        if business:
            programs.append("AMAZON_BUSINESS")
        if preorder:
            programs.append("PREORDER")

        order = {
            "orderId": order_id,
            "createdTime": format_timestamp(created),
            "lastUpdatedTime": format_timestamp(created),
            "salesChannel": {"channelName": channel, "marketplaceId": marketplace_id},
            "proceeds": {
                "grandTotal": money(item_total + shipping + tax),
                "breakdowns": [
                    {"type": "ITEM", "subtotal": money(item_total)},
                    {"type": "SHIPPING", "subtotal": money(shipping)},
                    {"type": "TAX", "subtotal": money(tax)},
                ],
            },
            "fulfillment": {
                "fulfillmentStatus": "PENDING",
                "fulfilledBy": fulfilled_by,
                "fulfillmentServiceLevel": "EXPEDITED" if prime else "STANDARD",
                "shipByWindow": {
                    "earliestDateTime": format_timestamp(created),
                    "latestDateTime": format_timestamp(created + timedelta(days=2)),
                },
                "deliverByWindow": {
                    "earliestDateTime": format_timestamp(created + timedelta(days=2)),
                    "latestDateTime": format_timestamp(created + timedelta(days=6)),
                },
            },
            "orderItems": order_items,
        }
        if channel == "AMAZON":
            order["salesChannel"]["marketplaceName"] = marketplace.name
        if programs:
            order["programs"] = programs
        if fulfilled_by == "MERCHANT" and rng.random() < 0.3:
            order["orderAliases"] = [
                {"aliasId": f"SO-{rng.randrange(10**6):06d}", "aliasType": "SELLER_ORDER_ID"}
            ]
        if not anonymous:
            order["buyer"], order["recipient"] = self._people(
                marketplace, fulfilled_by=fulfilled_by, business=business
            )
        return order

    def _people(self, marketplace, *, fulfilled_by: str, business: bool) -> tuple[dict, dict]:
        rng = self.rng
        name = rng.choice(BUYER_NAMES)
        buyer = {"buyerName": name}
        if fulfilled_by == "MERCHANT":
            # Amazon gives an anonymised relay address, and only to the merchant who ships.
            local = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(15))
            buyer["buyerEmail"] = f"{local}@{marketplace.email_domain}"
        street, city, region, postal = rng.choice(
            ADDRESSES.get(marketplace.country, ADDRESSES["US"])
        )
        address = {
            "name": name,
            "addressLine1": street,
            "city": city,
            "stateOrRegion": region,
            "postalCode": postal,
            "countryCode": marketplace.country if marketplace.country in ADDRESSES else "US",
            "addressType": "COMMERCIAL" if business else "RESIDENTIAL",
        }
        if business:
            company = rng.choice(COMPANY_NAMES)
            buyer["buyerCompanyName"] = company
            address["companyName"] = company
            if rng.random() < 0.5:
                buyer["buyerPurchaseOrderNumber"] = f"PO-{rng.randrange(10**5):05d}"
        if fulfilled_by == "MERCHANT":
            address["phone"] = f"+1 555-{rng.randrange(10**3):03d}-{rng.randrange(10**4):04d}"
        return buyer, {"deliveryAddress": address}
