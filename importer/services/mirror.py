"""Writes of the Amazon order mirror: what Amazon said about each order, kept as it said it.

Every order the gateway fetches is stored whatever the store's order settings say;
deciding what to do with it is the decisions' business. A stored change bumps the
order's ``revision``, which tells the decisions there is news.

Rows are locked in primary-key order before they change, the order the decisions lock
them in, so a poll and a decision on the same orders queue instead of deadlocking.
Items keep their row (and id) per Amazon order item id: Commerce order lines and ledger
rows are traced back to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from common.bulk import rows_update
from importer.gateway.types import Money, Order
from importer.gateway.types import OrderItem as AmazonItem
from importer.models import AmazonOrder, AmazonOrderItem, AmazonOrderStatusHistory, PollRun
from settings_app.models import AmazonStore

MIRRORED_FIELDS = [
    "status",
    "channel",
    "marketplace_id",
    "purchased_at",
    "amazon_updated_at",
    "currency",
    "total_amount",
    "subtotal_amount",
    "shipping_amount",
    "tax_amount",
    "discount_amount",
    "ship_by_at",
    "is_prime",
    "is_business",
    "buyer_name",
    "buyer_email",
    "buyer_company",
    "ship_name",
    "ship_company",
    "ship_line1",
    "ship_line2",
    "ship_line3",
    "ship_city",
    "ship_district",
    "ship_state_or_region",
    "ship_postal_code",
    "ship_country_code",
    "ship_phone",
    "content_hash",
    "raw_payload",
    "changed_at",
]
ITEM_FIELDS = [
    "sku",
    "asin",
    "title",
    "quantity_ordered",
    "quantity_shipped",
    "unit_price",
    "row_total",
    "currency",
]


@dataclass(frozen=True)
class MirrorResult:
    created_ids: tuple[int, ...]
    changed_ids: tuple[int, ...]
    unchanged: int

    @property
    def news_ids(self) -> tuple[int, ...]:
        """Orders the decisions must look at: new ones and changed ones."""
        return self.created_ids + self.changed_ids


@transaction.atomic
def amazon_orders_mirror(
    *,
    store: AmazonStore,
    orders: Sequence[Order],
    now: datetime,
    poll_run: PollRun | None = None,
) -> MirrorResult:
    """Store what Amazon said about these orders; an order Amazon did not change is left be.

    Of two copies of one order the later update wins. A page costs a fixed number of
    queries whatever its size: one locked read, then at most one insert, update, item
    read, item update, item insert, item delete and history insert.
    """
    try:
        with transaction.atomic():
            return _mirror(store=store, orders=orders, now=now, poll_run=poll_run)
    except IntegrityError:
        # Another transaction stored one of these orders first (a recovery beside a poll):
        # it exists now, so this time it is read, locked and compared like any other.
        return _mirror(store=store, orders=orders, now=now, poll_run=poll_run)


def _mirror(
    *, store: AmazonStore, orders: Sequence[Order], now: datetime, poll_run: PollRun | None
) -> MirrorResult:
    latest: dict[str, Order] = {}
    for order in orders:
        seen = latest.get(order.order_id)
        if seen is None or order.updated_at >= seen.updated_at:
            latest[order.order_id] = order
    existing = {
        row.amazon_order_id: row
        for row in AmazonOrder.objects.select_for_update()
        .filter(store=store, amazon_order_id__in=sorted(latest))
        .order_by("pk")
        .only("pk", "amazon_order_id", "status", "amazon_updated_at", "content_hash", "revision")
    }
    created: list[tuple[AmazonOrder, Order]] = []
    changed: list[tuple[AmazonOrder, Order, str]] = []
    unchanged = 0
    for order in latest.values():
        row = existing.get(order.order_id)
        if row is None:
            row = AmazonOrder(
                store=store,
                amazon_order_id=order.order_id,
                received_at=now,
                **_mirrored(order, now),
            )
            created.append((row, order))
        elif order.updated_at < row.amazon_updated_at or order.content_hash == row.content_hash:
            unchanged += 1
        else:
            previous_status = row.status
            for field, value in _mirrored(order, now).items():
                setattr(row, field, value)
            row.revision += 1  # the row is locked: no other writer moves it meanwhile
            changed.append((row, order, previous_status))

    AmazonOrder.objects.bulk_create([row for row, _ in created])
    if changed:
        rows_update([row for row, _, _ in changed], [*MIRRORED_FIELDS, "revision"])
    _items_store(
        new=[(row, order) for row, order in created],
        changed=[(row, order) for row, order, _ in changed],
    )
    AmazonOrderStatusHistory.objects.bulk_create(
        [
            AmazonOrderStatusHistory(
                order=row,
                from_status="",
                to_status=order.status,
                amazon_updated_at=order.updated_at,
                recorded_at=now,
                poll_run=poll_run,
            )
            for row, order in created
        ]
        + [
            AmazonOrderStatusHistory(
                order=row,
                from_status=previous_status,
                to_status=order.status,
                amazon_updated_at=order.updated_at,
                recorded_at=now,
                poll_run=poll_run,
            )
            for row, order, previous_status in changed
            if previous_status != order.status
        ]
    )
    return MirrorResult(
        created_ids=tuple(row.pk for row, _ in created),
        changed_ids=tuple(row.pk for row, _, _ in changed),
        unchanged=unchanged,
    )


def _items_store(
    *, new: list[tuple[AmazonOrder, Order]], changed: list[tuple[AmazonOrder, Order]]
) -> None:
    """Insert new orders' items; update changed orders' items in place, by item id."""
    stored = {
        (item.order_id, item.order_item_id): item
        for item in AmazonOrderItem.objects.filter(order__in=[row for row, _ in changed])
    }
    inserted: list[AmazonOrderItem] = [
        _item_row(row, item) for row, order in new for item in order.items
    ]
    updated: list[AmazonOrderItem] = []
    kept: set[int] = set()
    for row, order in changed:
        for item in order.items:
            current = stored.get((row.pk, item.order_item_id))
            if current is None:
                inserted.append(_item_row(row, item))
                continue
            kept.add(current.pk)
            fresh = _item_row(row, item)
            if any(getattr(current, name) != getattr(fresh, name) for name in ITEM_FIELDS):
                for name in ITEM_FIELDS:
                    setattr(current, name, getattr(fresh, name))
                updated.append(current)
    vanished = [item.pk for item in stored.values() if item.pk not in kept]
    if vanished:
        AmazonOrderItem.objects.filter(pk__in=vanished).delete()
    if updated:
        rows_update(updated, ITEM_FIELDS)
    AmazonOrderItem.objects.bulk_create(inserted)


def _amount(money: Money | None):
    return money.amount if money else None


def _mirrored(order: Order, now: datetime) -> dict:
    buyer, address = order.buyer, order.address
    return {
        "status": order.status,
        "channel": order.channel,
        "marketplace_id": order.marketplace_id,
        "purchased_at": order.created_at,
        "amazon_updated_at": order.updated_at,
        "currency": order.total.currency if order.total else "",
        "total_amount": _amount(order.total),
        "subtotal_amount": _amount(order.subtotal),
        "shipping_amount": _amount(order.shipping),
        "tax_amount": _amount(order.tax),
        "discount_amount": _amount(order.discount),
        "ship_by_at": order.ship_by,
        "is_prime": order.is_prime,
        "is_business": order.is_business,
        "buyer_name": buyer.name if buyer else "",
        "buyer_email": buyer.email if buyer else "",
        "buyer_company": buyer.company if buyer else "",
        "ship_name": address.name if address else "",
        "ship_company": address.company if address else "",
        "ship_line1": address.line1 if address else "",
        "ship_line2": address.line2 if address else "",
        "ship_line3": address.line3 if address else "",
        "ship_city": address.city if address else "",
        "ship_district": address.district if address else "",
        "ship_state_or_region": address.state_or_region if address else "",
        "ship_postal_code": address.postal_code if address else "",
        "ship_country_code": address.country_code if address else "",
        "ship_phone": address.phone if address else "",
        "content_hash": order.content_hash,
        "raw_payload": order.raw,
        "changed_at": now,
    }


def _item_row(row: AmazonOrder, item: AmazonItem) -> AmazonOrderItem:
    return AmazonOrderItem(
        order=row,
        order_item_id=item.order_item_id,
        sku=item.sku,
        asin=item.asin,
        title=item.title,
        quantity_ordered=item.quantity_ordered,
        quantity_shipped=item.quantity_shipped,
        unit_price=_amount(item.unit_price),
        row_total=_amount(item.row_total),
        currency=(item.unit_price or item.row_total).currency
        if (item.unit_price or item.row_total)
        else "",
    )
