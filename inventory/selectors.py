"""Reads of products, stock and the reservation ledger.

Salable quantity = quantity + sum(reservations) - out-of-stock threshold.
The sum is the stock item's running ``reservation_total``, so each figure is one indexed
row whatever the ledger's length. A SKU with no stock item in the stock (no product yet)
reads as "Do Not Manage": the importer gives such a SKU a disabled, unmanaged
placeholder product before it places the order, so the decision is the same before and
after.
"""

import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import F, QuerySet, Sum

from inventory.lines import as_line_quantity, quantities_by_sku
from inventory.models import (
    DEFAULT_STOCK_ID,
    Reservation,
    StockAdjustment,
    StockItem,
)
from inventory.status import InventoryStatus, inventory_status_for

# The two reads every order import makes are written in SQL: compiling the equivalent ORM
# query costs several times what PostgreSQL spends answering it (see bench/).
SALABLE_QUANTITY_SQL = """
SELECT si.quantity + si.reservation_total - si.out_of_stock_threshold
FROM inventory_stockitem si JOIN inventory_product p ON p.id = si.product_id
WHERE si.stock_id = %s AND p.sku = %s AND si.manage_stock
"""
STOCK_LEVELS_SQL = """
SELECT p.sku, si.manage_stock, si.is_in_stock,
       si.quantity + si.reservation_total - si.out_of_stock_threshold
FROM inventory_stockitem si JOIN inventory_product p ON p.id = si.product_id
WHERE si.stock_id = %s AND p.sku IN ({placeholders})
"""
QUANTITY_STEP = Decimal("0.0001")


def as_quantity(value) -> Decimal:
    """PostgreSQL hands back Decimal already; SQLite's numeric arithmetic gives floats."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(QUANTITY_STEP)


class StockLevel(NamedTuple):
    sku: str
    manage_stock: bool
    is_in_stock: bool
    salable: Decimal


class LineStatus(NamedTuple):
    sku: str
    quantity: Decimal
    requested_for_sku: Decimal
    status: InventoryStatus
    salable: Decimal | None


def salable_quantity(*, sku: str, stock_id: int = DEFAULT_STOCK_ID) -> Decimal | None:
    """The SKU's salable quantity; None when it is not managed (always salable)."""
    with connection.cursor() as cursor:
        cursor.execute(SALABLE_QUANTITY_SQL, [stock_id, sku])
        row = cursor.fetchone()
    return None if row is None else as_quantity(row[0])


@functools.lru_cache(maxsize=128)
def stock_levels_sql(sku_count: int) -> str:
    return STOCK_LEVELS_SQL.format(placeholders=", ".join(["%s"] * sku_count))


def stock_levels(*, skus: Iterable[str], stock_id: int = DEFAULT_STOCK_ID) -> dict[str, StockLevel]:
    """The figures of every given SKU that has a stock item, in one query."""
    skus = sorted(set(skus))
    if not skus:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(stock_levels_sql(len(skus)), [stock_id, *skus])
        rows = cursor.fetchall()
    # Positional construction: this runs once per line of every order imported.
    return {
        sku: StockLevel(sku, bool(managed), bool(in_stock), as_quantity(salable))
        for sku, managed, in_stock, salable in rows
    }


def inventory_status_for_lines(
    *, lines: Iterable[tuple[str, Decimal | int | str]], stock_id: int = DEFAULT_STOCK_ID
) -> list[LineStatus]:
    """Each line's status, judged on the total ordered for its SKU; one query in all."""
    lines = [(sku, as_line_quantity(quantity)) for sku, quantity in lines]
    requested = quantities_by_sku(lines)
    levels = stock_levels(skus=requested, stock_id=stock_id)
    judged = {sku: sku_status(levels.get(sku), total) for sku, total in requested.items()}
    return [LineStatus(sku, quantity, requested[sku], *judged[sku]) for sku, quantity in lines]


def sku_status(
    level: StockLevel | None, requested: Decimal
) -> tuple[InventoryStatus, Decimal | None]:
    """A SKU's status for the total ordered, and its salable quantity when managed."""
    if level is None or not level.manage_stock:
        return InventoryStatus.DO_NOT_MANAGE, None
    status = inventory_status_for(
        manage_stock=True, is_in_stock=level.is_in_stock, salable=level.salable, requested=requested
    )
    return status, level.salable


def order_inventory_status(line_statuses: Iterable[LineStatus]) -> InventoryStatus:
    """Out-of-stock if any managed line is; else In-stock if any line is managed."""
    found = {line.status for line in line_statuses}
    if InventoryStatus.OUT_OF_STOCK in found:
        return InventoryStatus.OUT_OF_STOCK
    if InventoryStatus.IN_STOCK in found:
        return InventoryStatus.IN_STOCK
    return InventoryStatus.DO_NOT_MANAGE


def stock_item_list(*, stock_id: int = DEFAULT_STOCK_ID, sku_prefix: str = "") -> QuerySet:
    """Stock items with their product, ordered by SKU (annotated as ``sku``)."""
    items = (
        StockItem.objects.filter(stock_id=stock_id)
        .select_related("product")
        .annotate(sku=F("product__sku"))
        .order_by("sku")
    )
    if sku_prefix:
        # A prefix match on the unique SKU index; no scan and no COUNT(*).
        items = items.filter(product__sku__startswith=sku_prefix)
    return items


def stock_item_page(
    *, stock_id: int = DEFAULT_STOCK_ID, sku_prefix: str = "", after: str = "", limit: int = 50
) -> tuple[list[StockItem], str | None]:
    """One page of stock items after the SKU ``after``, and the cursor of the next page."""
    items = stock_item_list(stock_id=stock_id, sku_prefix=sku_prefix)
    if after:
        items = items.filter(product__sku__gt=after)
    page = list(items[: limit + 1])
    if len(page) > limit:
        return page[:limit], page[limit - 1].sku
    return page, None


def stock_item_get(*, sku: str, stock_id: int = DEFAULT_STOCK_ID) -> StockItem | None:
    return (
        stock_item_list(stock_id=stock_id).select_related("stock").filter(product__sku=sku).first()
    )


def reservation_list_for_sku(*, sku: str, stock_id: int = DEFAULT_STOCK_ID) -> QuerySet:
    return Reservation.objects.filter(stock_id=stock_id, sku=sku).order_by("-id")


def reservation_page_for_sku(
    *, sku: str, stock_id: int = DEFAULT_STOCK_ID, before_id: int | None = None, limit: int = 50
) -> tuple[list[Reservation], int | None]:
    """Newest ledger rows first, keyset-paginated on the (stock, sku, id) index."""
    rows = reservation_list_for_sku(sku=sku, stock_id=stock_id)
    if before_id is not None:
        rows = rows.filter(id__lt=before_id)
    page = list(rows[: limit + 1])
    if len(page) > limit:
        return page[:limit], page[limit - 1].id
    return page, None


def reservation_sum_from_ledger(*, sku: str, stock_id: int = DEFAULT_STOCK_ID) -> Decimal:
    """The SKU's ledger summed row by row; the running total must always equal it."""
    total = Reservation.objects.filter(stock_id=stock_id, sku=sku).aggregate(total=Sum("quantity"))
    return total["total"] or Decimal(0)


def stock_adjustment_list(*, stock_item: StockItem, limit: int = 20) -> list[StockAdjustment]:
    return list(
        StockAdjustment.objects.filter(stock_item=stock_item)
        .select_related("user")
        .order_by("-created_at", "-pk")[:limit]
    )
