"""The Commerce back office, shaped the way Magento models it.

Website -> store (group) -> store view; order states are a fixed set, order statuses are
data (merchants add their own) assigned to states; customers are unique per
(email, website); orders are numbered per store view.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower


class Website(models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=255)
    default_group = models.ForeignKey(
        "StoreGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class StoreGroup(models.Model):
    """Magento's "store": a catalog root within a website, holding store views."""

    website = models.ForeignKey(Website, on_delete=models.PROTECT, related_name="groups")
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=255)
    default_store_view = models.ForeignKey(
        "StoreView", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = "store"

    def __str__(self):
        return self.name


class StoreView(models.Model):
    group = models.ForeignKey(StoreGroup, on_delete=models.PROTECT, related_name="store_views")
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=255)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"{self.group.website.name} / {self.group.name} / {self.name}"

    @property
    def website(self) -> Website:
        return self.group.website


class OrderState(models.TextChoices):
    NEW = "new", "New"
    PENDING_PAYMENT = "pending_payment", "Pending Payment"
    PROCESSING = "processing", "Processing"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed"
    CANCELED = "canceled", "Canceled"
    HOLDED = "holded", "On Hold"
    PAYMENT_REVIEW = "payment_review", "Payment Review"


# Where an order's state may move next, as Magento's order life cycle allows; staying in
# the same state (a status change or a comment) is always allowed. Closed and canceled are
# final. A change of the life cycle is a change of this table.
STATE_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderState.NEW: frozenset(
        {
            OrderState.PENDING_PAYMENT,
            OrderState.PROCESSING,
            OrderState.COMPLETE,
            OrderState.CLOSED,
            OrderState.CANCELED,
            OrderState.HOLDED,
            OrderState.PAYMENT_REVIEW,
        }
    ),
    OrderState.PENDING_PAYMENT: frozenset(
        {OrderState.NEW, OrderState.PROCESSING, OrderState.CANCELED, OrderState.PAYMENT_REVIEW}
    ),
    OrderState.PROCESSING: frozenset(
        {OrderState.COMPLETE, OrderState.CLOSED, OrderState.CANCELED, OrderState.HOLDED}
    ),
    OrderState.COMPLETE: frozenset({OrderState.CLOSED}),
    OrderState.CLOSED: frozenset(),
    OrderState.CANCELED: frozenset(),
    OrderState.HOLDED: frozenset({OrderState.NEW, OrderState.PROCESSING, OrderState.CANCELED}),
    OrderState.PAYMENT_REVIEW: frozenset(
        {OrderState.PROCESSING, OrderState.CANCELED, OrderState.HOLDED}
    ),
}


class OrderStatus(models.Model):
    code = models.SlugField(max_length=32, unique=True)
    label = models.CharField(max_length=128)

    class Meta:
        ordering = ["label"]
        verbose_name_plural = "order statuses"
        constraints = [
            # "Shipped" and "shipped" would be one status to a person reading a list.
            models.UniqueConstraint(
                Lower("code"),
                name="order_status_code_unique_any_case",
                violation_error_message="A status with this code already exists (in any "
                "letter case).",
            ),
        ]
        # Statuses and each state's default are shared by every store: changing them is a
        # back-office permission (the "Commerce administrators" group), not a store role.
        permissions = [
            (
                "manage_order_statuses",
                "Can add order statuses, assign them to states and choose each state's default",
            )
        ]

    def __str__(self):
        return self.label


class OrderStatusState(models.Model):
    """A status assigned to a state; exactly one default status per state."""

    status = models.ForeignKey(OrderStatus, on_delete=models.CASCADE, related_name="states")
    state = models.CharField(max_length=32, choices=OrderState.choices)
    is_default = models.BooleanField(default=False)
    visible_on_front = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status", "state"], name="status_state_once"),
            models.UniqueConstraint(
                fields=["state"], condition=Q(is_default=True), name="one_default_status_per_state"
            ),
        ]

    def __str__(self):
        return f"{self.status.code} -> {self.state}"


class Customer(models.Model):
    website = models.ForeignKey(Website, on_delete=models.PROTECT, related_name="customers")
    email = models.EmailField(max_length=255)
    firstname = models.CharField(max_length=255, blank=True)
    lastname = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "website", name="one_customer_per_email_and_website"
            ),
        ]

    def __str__(self):
        return self.email


class OrderNumberSequence(models.Model):
    """The last order number handed out in a store view; moved under a row lock."""

    store_view = models.OneToOneField(StoreView, on_delete=models.CASCADE, primary_key=True)
    prefix = models.CharField(max_length=16, blank=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.store_view.code}: {self.prefix}{self.last_value:09d}"


class Order(models.Model):
    increment_id = models.CharField(max_length=50)
    # The order's id in the sales channel it came from (Magento's ext_order_id): at most
    # one Commerce order per channel order, enforced by the database.
    external_order_id = models.CharField(max_length=64, blank=True)
    store_view = models.ForeignKey(StoreView, on_delete=models.PROTECT, related_name="orders")
    state = models.CharField(max_length=32, choices=OrderState.choices)
    status = models.ForeignKey(OrderStatus, on_delete=models.PROTECT, related_name="orders")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    customer_is_guest = models.BooleanField(default=True)
    customer_email = models.EmailField(max_length=255, blank=True)
    customer_firstname = models.CharField(max_length=255, blank=True)
    customer_lastname = models.CharField(max_length=255, blank=True)
    shipping_address = models.JSONField(default=dict, blank=True)
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    shipping_amount = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    tax_amount = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    discount_amount = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    grand_total = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    # Where an order on hold goes back to when it is released (Magento keeps the same).
    hold_before_state = models.CharField(max_length=32, choices=OrderState.choices, blank=True)
    hold_before_status = models.ForeignKey(
        OrderStatus, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["increment_id", "store_view"], name="one_order_number_per_store_view"
            ),
            models.UniqueConstraint(
                fields=["external_order_id"],
                condition=~Q(external_order_id=""),
                name="one_order_per_external_order",
            ),
            models.CheckConstraint(
                condition=Q(customer_is_guest=True, customer__isnull=True)
                | Q(customer_is_guest=False, customer__isnull=False),
                name="order_guest_xor_customer",
            ),
        ]
        indexes = [
            # The orders workspace filtered by state or status, newest first.
            models.Index(fields=["state", "-created_at", "-id"], name="order_by_state_recent"),
            models.Index(fields=["status", "-created_at", "-id"], name="order_by_status_recent"),
        ]

    def __str__(self):
        return self.increment_id


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    external_item_id = models.CharField(
        max_length=64, blank=True, help_text="The line's id in the sales channel it came from."
    )
    sku = models.CharField(max_length=128)
    name = models.CharField(max_length=500, blank=True)
    qty_ordered = models.DecimalField(max_digits=12, decimal_places=4)
    qty_shipped = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    qty_canceled = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    price = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    row_total = models.DecimalField(max_digits=14, decimal_places=4, default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(qty_ordered__gt=0), name="item_qty_positive"),
            models.CheckConstraint(
                condition=Q(qty_shipped__gte=0, qty_canceled__gte=0),
                name="item_shipped_canceled_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(qty_shipped__lte=F("qty_ordered") - F("qty_canceled")),
                name="item_never_ships_more_than_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.sku} x {self.qty_ordered}"


class OrderStatusHistory(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_history")
    state = models.CharField(max_length=32, choices=OrderState.choices)
    status = models.ForeignKey(OrderStatus, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "order status history"

    def __str__(self):
        return f"{self.order_id}: {self.status_id}"


class Shipment(models.Model):
    """Units of an order handed to a carrier; each one leaves its items and a history row."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Shipment {self.pk} of {self.order_id}"


class ShipmentItem(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(OrderItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=4)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_item_qty_positive"),
        ]

    def __str__(self):
        return f"{self.order_item_id} x {self.quantity}"
