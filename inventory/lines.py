"""Ordered lines as the inventory reads them: a SKU and a positive quantity."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from inventory.models import QUANTITY_DIGITS

ZERO = Decimal(0)
# What the ledger and the stock columns hold exactly: numeric(12, 4).
QUANTITY_STEP = Decimal(1).scaleb(-QUANTITY_DIGITS["decimal_places"])
QUANTITY_LIMIT = Decimal(10) ** (QUANTITY_DIGITS["max_digits"] - QUANTITY_DIGITS["decimal_places"])


def quantities_by_sku(lines: Iterable[tuple[str, Decimal | int | str]]) -> dict[str, Decimal]:
    """The total quantity per SKU: lines for the same SKU are summed, never judged apart.

    A quantity must be one the columns hold exactly: the database would round a finer one
    in each ledger row and in the running total separately, and the two would drift apart.
    """
    totals: dict[str, Decimal] = {}
    for sku, quantity in lines:
        quantity = as_line_quantity(quantity)
        if not sku:
            raise ValueError("An ordered line needs a SKU.")
        if not quantity.is_finite() or quantity <= ZERO:
            raise ValueError(f"Ordered quantity of {sku!r} must be positive, got {quantity}.")
        if quantity >= QUANTITY_LIMIT or quantity != quantity.quantize(QUANTITY_STEP):
            raise ValueError(
                f"Ordered quantity of {sku!r} must be below {QUANTITY_LIMIT} in steps of "
                f"{QUANTITY_STEP}, got {quantity}."
            )
        totals[sku] = totals[sku] + quantity if sku in totals else quantity
    for sku, total in totals.items():
        if total >= QUANTITY_LIMIT:
            raise ValueError(f"Ordered quantity of {sku!r} must be below {QUANTITY_LIMIT}.")
    return totals


def as_line_quantity(quantity: Decimal | int | str) -> Decimal:
    if isinstance(quantity, Decimal):
        return quantity
    if isinstance(quantity, int):
        return Decimal(quantity)
    # Through str, so a float such as 0.1 becomes Decimal("0.1"), not its binary value.
    try:
        return Decimal(str(quantity))
    except InvalidOperation as not_a_number:
        raise ValueError(f"Ordered quantity must be a number, got {quantity!r}.") from not_a_number
