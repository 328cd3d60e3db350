"""Every row lock the inventory services take, in one place.

Each helper evaluates its query at once (a lazy ``select_for_update`` locks nothing) and
locks several rows in primary-key order, so two transactions holding SKUs in common
always queue in the same order and never deadlock.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from inventory.models import StockItem


@dataclass(slots=True)
class LockedStockItem:
    """A locked stock item's figures, as the ledger writes read and move them.

    Not a model instance: a batch of orders locks hundreds of SKUs several times, and
    building model instances for them cost more than the lock itself.
    """

    pk: int
    sku: str
    manage_stock: bool
    is_in_stock: bool
    quantity: Decimal
    reservation_total: Decimal
    out_of_stock_threshold: Decimal

    @property
    def salable_quantity(self) -> Decimal:
        return self.quantity + self.reservation_total - self.out_of_stock_threshold


def stock_items_lock(*, stock_id: int, skus: Iterable[str]) -> dict[str, LockedStockItem]:
    """The stock items of these SKUs, locked, by SKU. SKUs without one are left out."""
    rows = (
        StockItem.objects.select_for_update(of=("self",))
        .filter(stock_id=stock_id, product__sku__in=sorted(set(skus)))
        .order_by("pk")
        .values_list(
            "pk",
            "product__sku",
            "manage_stock",
            "is_in_stock",
            "quantity",
            "reservation_total",
            "out_of_stock_threshold",
        )
    )
    return {row[1]: LockedStockItem(*row) for row in rows}


def stock_item_lock_by_sku(*, stock_id: int, sku: str) -> StockItem:
    """The SKU's stock item, locked; raises ``StockItem.DoesNotExist``."""
    return (
        StockItem.objects.select_for_update(of=("self",))
        .select_related("product")
        .get(stock_id=stock_id, product__sku=sku)
    )
