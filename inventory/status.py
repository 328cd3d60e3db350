"""An ordered SKU's inventory status, as the order-creation rules read it. No database here."""

from decimal import Decimal

from django.db import models


class InventoryStatus(models.TextChoices):
    IN_STOCK = "in_stock", "In-stock"
    OUT_OF_STOCK = "out_of_stock", "Out-of-stock"
    DO_NOT_MANAGE = "do_not_manage", "Do Not Manage"


def inventory_status_for(
    *, manage_stock: bool, is_in_stock: bool, salable: Decimal, requested: Decimal | None
) -> InventoryStatus:
    """In-stock: managed and the salable quantity covers the request; Out-of-stock: managed
    and it does not (or the stock status is off); Do Not Manage: always salable.

    ``requested=None`` asks whether anything at all is salable.
    """
    if not manage_stock:
        return InventoryStatus.DO_NOT_MANAGE
    enough = salable > 0 if requested is None else salable >= requested
    return InventoryStatus.IN_STOCK if is_in_stock and enough else InventoryStatus.OUT_OF_STOCK
