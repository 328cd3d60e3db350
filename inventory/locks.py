"""Every row lock the inventory services take, in one place.

Each helper evaluates its query at once (a lazy ``select_for_update`` locks nothing) and
locks several rows in primary-key order, so two transactions holding SKUs in common
always queue in the same order and never deadlock.
"""

from collections.abc import Iterable

from django.db.models import F

from inventory.models import StockItem


def stock_items_lock(*, stock_id: int, skus: Iterable[str]) -> dict[str, StockItem]:
    """The stock items of these SKUs, locked, by SKU. SKUs without one are left out."""
    # The SKU as an annotation, not a joined product instance: a batch of orders locks
    # hundreds of SKUs several times, and half the instances were products never read.
    items = (
        StockItem.objects.select_for_update(of=("self",))
        .filter(stock_id=stock_id, product__sku__in=sorted(set(skus)))
        .annotate(sku=F("product__sku"))
        .order_by("pk")
    )
    return {item.sku: item for item in items}


def stock_item_lock_by_sku(*, stock_id: int, sku: str) -> StockItem:
    """The SKU's stock item, locked; raises ``StockItem.DoesNotExist``."""
    return (
        StockItem.objects.select_for_update(of=("self",))
        .select_related("product")
        .get(stock_id=stock_id, product__sku=sku)
    )
