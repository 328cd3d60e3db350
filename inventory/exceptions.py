"""What the inventory services refuse, as exceptions callers can catch by name."""

from decimal import Decimal


class InventoryError(Exception):
    """Base of every rule the inventory services enforce."""


class TransactionRequired(InventoryError):
    """Ledger writes join the caller's transaction; there must be one."""


class ReservationRefused(InventoryError):
    """A hold was refused; nothing was written."""

    def __init__(self, message: str, *, sku: str):
        super().__init__(message)
        self.sku = sku


class InsufficientSalableQuantity(ReservationRefused):
    def __init__(self, *, sku: str, requested: Decimal, salable: Decimal):
        super().__init__(
            f"Cannot reserve {requested} of SKU {sku!r}: only {salable} salable.", sku=sku
        )
        self.requested = requested
        self.salable = salable


class SkuOutOfStock(ReservationRefused):
    def __init__(self, *, sku: str):
        super().__init__(f"SKU {sku!r} is set out of stock.", sku=sku)


class InsufficientStockQuantity(InventoryError):
    """A shipment would take the stock quantity below zero; nothing was written."""

    def __init__(self, *, sku: str, shipped: Decimal, quantity: Decimal):
        super().__init__(f"Cannot ship {shipped} of SKU {sku!r}: only {quantity} in stock.")
        self.sku = sku
        self.shipped = shipped
        self.quantity = quantity


class EventDirectionError(InventoryError):
    """A holding event was used to compensate, or the other way round."""
