"""Ordered lines as the inventory reads them: a SKU and a positive quantity."""

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

ZERO = Decimal(0)


class InventoryLine(NamedTuple):
    sku: str
    quantity: Decimal


def quantities_by_sku(lines: Iterable[tuple[str, Decimal | int | str]]) -> dict[str, Decimal]:
    """The total quantity per SKU: lines for the same SKU are summed, never judged apart."""
    totals: dict[str, Decimal] = {}
    for sku, quantity in lines:
        quantity = as_line_quantity(quantity)
        if not sku:
            raise ValueError("An ordered line needs a SKU.")
        if quantity <= ZERO:
            raise ValueError(f"Ordered quantity of {sku!r} must be positive, got {quantity}.")
        totals[sku] = totals[sku] + quantity if sku in totals else quantity
    return totals


def as_line_quantity(quantity: Decimal | int | str) -> Decimal:
    if isinstance(quantity, Decimal):
        return quantity
    if isinstance(quantity, int):
        return Decimal(quantity)
    # Through str, so a float such as 0.1 becomes Decimal("0.1"), not its binary value.
    return Decimal(str(quantity))
