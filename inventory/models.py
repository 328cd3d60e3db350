"""Catalog products, their stock, and the reservation ledger, kept the way Magento's
multi-source inventory keeps them.

The ledger (``Reservation``) is append-only: a PostgreSQL/SQLite trigger rejects every
UPDATE, and the only DELETE is the cleanup of object groups that sum to zero. Each stock
item carries ``reservation_total``, the running sum of its SKU's ledger rows, moved in
the same transaction as every ledger insert; it makes the salable quantity one indexed
row read however long the ledger grows.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from inventory.status import InventoryStatus, inventory_status_for

DEFAULT_STOCK_ID = 1
QUANTITY_DIGITS = {"max_digits": 12, "decimal_places": 4}
SKU_MAX_LENGTH = 64


class Stock(models.Model):
    """A stock (Magento MSI's stock id). One default stock, installed by migration."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=255)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Product(models.Model):
    sku = models.CharField("SKU", max_length=SKU_MAX_LENGTH, unique=True)
    name = models.CharField(max_length=255)
    # Catalog visibility only: a disabled product's stock counts like any other, so the
    # placeholders created for unknown ordered SKUs can still take orders.
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sku"]
        constraints = [
            models.CheckConstraint(condition=~Q(sku=""), name="product_sku_not_empty"),
        ]

    def __str__(self):
        return self.sku


class StockItem(models.Model):
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock_items")
    manage_stock = models.BooleanField(
        default=True, help_text='Off means "Do Not Manage": the SKU is always salable.'
    )
    quantity = models.DecimalField(default=0, **QUANTITY_DIGITS)
    is_in_stock = models.BooleanField(
        "in stock",
        default=True,
        help_text="Stock status: when off, a managed SKU is out of stock whatever its quantity.",
    )
    out_of_stock_threshold = models.DecimalField(default=0, **QUANTITY_DIGITS)
    reservation_total = models.DecimalField(
        default=0,
        editable=False,
        help_text="Running sum of this SKU's reservation ledger rows in this stock.",
        **QUANTITY_DIGITS,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["stock", "product"]
        # Stock is shared by every store: adjusting it is a back-office permission (the
        # "Inventory managers" group), not a store role.
        permissions = [("adjust_stock", "Can adjust stock quantities")]
        constraints = [
            models.UniqueConstraint(fields=["stock", "product"], name="one_stock_item_per_sku"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="stock_item_quantity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(out_of_stock_threshold__gte=0),
                name="stock_item_threshold_not_negative",
            ),
            # Compensations never exceed what an object still holds, so the ledger of a
            # SKU can only hold quantity, never add it.
            models.CheckConstraint(
                condition=Q(reservation_total__lte=0), name="stock_item_reservations_hold_only"
            ),
        ]

    def __str__(self):
        return f"{self.product} in {self.stock}"

    @property
    def reserved(self) -> Decimal:
        return -self.reservation_total

    @property
    def salable_quantity(self) -> Decimal:
        return self.quantity + self.reservation_total - self.out_of_stock_threshold

    @property
    def status(self) -> InventoryStatus:
        return inventory_status_for(
            manage_stock=self.manage_stock,
            is_in_stock=self.is_in_stock,
            salable=self.salable_quantity,
            requested=None,
        )


class AdjustmentKind(models.TextChoices):
    MANUAL = "manual", "Adjusted by a merchant"
    SHIPMENT = "shipment", "Shipment"


class StockAdjustment(models.Model):
    """One change of a stock item's quantity: who, when, from, to and why."""

    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(max_length=16, choices=AdjustmentKind.choices)
    quantity_from = models.DecimalField(**QUANTITY_DIGITS)
    quantity_to = models.DecimalField(**QUANTITY_DIGITS)
    reason = models.CharField(max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.stock_item}: {self.quantity_from} -> {self.quantity_to}"


class ReservationEvent(models.TextChoices):
    ORDER_PLACED = "order_placed", "Order placed"
    ORDER_CANCELED = "order_canceled", "Order canceled"
    SHIPMENT_CREATED = "shipment_created", "Shipment created"
    CREDITMEMO_CREATED = "creditmemo_created", "Credit memo created"
    PENDING_ORDER_RESERVED = "pending_order_reserved", "Pending order reserved"
    PENDING_ORDER_RELEASED = "pending_order_released", "Pending order released"


# The rules of the ledger as data: which events hold quantity (negative rows) and which
# give it back (positive rows). The check constraint below is built from these sets.
HOLDING_EVENTS = frozenset({ReservationEvent.ORDER_PLACED, ReservationEvent.PENDING_ORDER_RESERVED})
COMPENSATING_EVENTS = frozenset(
    {
        ReservationEvent.ORDER_CANCELED,
        ReservationEvent.SHIPMENT_CREATED,
        ReservationEvent.CREDITMEMO_CREATED,
        ReservationEvent.PENDING_ORDER_RELEASED,
    }
)


# Compensations that make quantity salable again (a shipment also takes the quantity).
RELEASING_EVENTS = frozenset(
    {
        ReservationEvent.ORDER_CANCELED,
        ReservationEvent.CREDITMEMO_CREATED,
        ReservationEvent.PENDING_ORDER_RELEASED,
    }
)


class LedgerObjectType(models.TextChoices):
    ORDER = "order", "Commerce order"
    AMAZON_ORDER = "amazon_order", "Amazon order"


class ReservationImmutableError(Exception):
    """Raised on any attempt to change a ledger row."""


class Reservation(models.Model):
    """One row of the append-only reservation ledger."""

    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField("SKU", max_length=SKU_MAX_LENGTH)
    quantity = models.DecimalField(**QUANTITY_DIGITS)
    event_type = models.CharField(max_length=32, choices=ReservationEvent.choices)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    object_increment_id = models.CharField(max_length=64, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            # A SKU's ledger newest first, and its sum by an index-only scan. The quantity
            # is a key column rather than INCLUDE so SQLite builds the same index.
            models.Index(
                fields=["stock", "sku", "id", "quantity"], name="reservation_stock_sku_qty"
            ),
            # An object's group: what it still holds per SKU, and the cleanup's grouping.
            models.Index(
                fields=["object_type", "object_id", "stock", "sku", "quantity"],
                name="reservation_object_group_qty",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(event_type__in=sorted(HOLDING_EVENTS), quantity__lt=0)
                    | Q(event_type__in=sorted(COMPENSATING_EVENTS), quantity__gt=0)
                ),
                name="reservation_sign_matches_event",
            ),
        ]

    def __str__(self):
        return f"{self.event_type} {self.sku} {self.quantity}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReservationImmutableError("Reservation rows are append-only.")
        super().save(*args, **kwargs)
