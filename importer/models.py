"""The Amazon order mirror, the import's decisions, the poll cursor per store, and the
record of every poll and backfill.

Every order the gateway fetches is stored here whatever the store's order settings say.
Each mirrored order carries its current import decision; every decision that changed
something is kept in ``AmazonOrderDecision``. ``revision`` counts the changes Amazon
made that the mirror stored, ``decided_revision`` the last one a decision has seen: an
order whose latest change has no decision yet is one where they differ.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from commerce.models import Order as CommerceOrder
from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel
from settings_app.models import AmazonStore


class ImportDecision(models.TextChoices):
    UNDECIDED = "undecided", "Not decided yet"
    WAITING = "waiting", "Waiting"
    HELD = "held", "Held"
    BLOCKED = "blocked", "Blocked"
    SKIPPED = "skipped", "Skipped"
    ERROR = "error", "Error"
    CREATED = "created", "Created"
    CANCELED = "canceled", "Canceled"
    SHIPPED = "shipped", "Shipped"


class DecisionCode(models.TextChoices):
    """Why an order has its decision; ``details`` carries the figures (see each code)."""

    # waiting
    AWAITING_AMAZON_SHIPMENT = "awaiting_amazon_shipment", "Fulfilled by Amazon, not shipped yet"
    PENDING = "pending", "Pending on Amazon"
    PREORDER = "preorder", "Pre-order awaiting availability"
    PENDING_NOT_HELD = "pending_not_held", "Pending; not enough stock to hold"  # shortages
    # held
    PENDING_HELD = "pending_held", "Pending; its quantity is held"  # held: [{sku, quantity}]
    # blocked
    OUT_OF_STOCK = "out_of_stock", "Out of stock"  # shortages: [{sku, ordered, salable, short}]
    INVALID_SETTINGS = "invalid_settings", "The store's order settings no longer apply"
    COMMERCE_ORDER_ON_HOLD = "commerce_order_on_hold", "Its Commerce order is on hold"
    # skipped
    IMPORT_DISABLED = "import_disabled", "Import was disabled"
    BEFORE_CONNECTION = "before_connection", "Created before the store was connected"
    STORE_INACTIVE = "store_inactive", "The store is inactive"
    # error
    FAILED = "failed", "Placing it failed"  # error: the exception's message
    # created, shipped
    CREATED = "created", "Commerce order created"
    PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
    SHIPPED = "shipped", "Shipped"
    # canceled
    CANCELED = "canceled", "Canceled"
    CANCELED_BEFORE_IMPORT = "canceled_before_import", "Canceled before it was imported"


class DecisionTrigger(models.TextChoices):
    POLL = "poll", "A poll stored a change"
    SWEEP = "sweep", "The sweep found it undecided"
    STOCK = "stock", "Stock of one of its SKUs changed"
    RETRY = "retry", "Retried"
    IMPORT_NOW = "import_now", "Imported by hand"
    RECOVER = "recover", "Recovered by Amazon order id"
    BACKFILL = "backfill", "Backfill"
    COMMERCE = "commerce", "Its Commerce order changed"


class AmazonOrder(models.Model):
    store = models.ForeignKey(AmazonStore, on_delete=models.CASCADE, related_name="amazon_orders")
    amazon_order_id = models.TextField("Amazon order id")
    status = models.CharField(max_length=32, choices=AmazonOrderStatus.choices)
    channel = models.CharField(max_length=3, choices=FulfillmentChannel.choices)
    marketplace_id = models.TextField(blank=True)
    purchased_at = models.DateTimeField()
    amazon_updated_at = models.DateTimeField(help_text="Amazon's last update time of the order.")
    currency = models.CharField(max_length=3, blank=True)
    total_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    is_prime = models.BooleanField(default=False)
    is_business = models.BooleanField(default=False)
    buyer_name = models.TextField(blank=True)
    buyer_email = models.TextField(blank=True)
    buyer_company = models.TextField(blank=True)
    ship_name = models.TextField(blank=True)
    ship_company = models.TextField(blank=True)
    ship_line1 = models.TextField(blank=True)
    ship_line2 = models.TextField(blank=True)
    ship_line3 = models.TextField(blank=True)
    ship_city = models.TextField(blank=True)
    ship_district = models.TextField(blank=True)
    ship_state_or_region = models.TextField(blank=True)
    ship_postal_code = models.TextField(blank=True)
    ship_country_code = models.TextField(blank=True)
    ship_phone = models.TextField(blank=True)
    ship_by_at = models.DateTimeField(
        null=True, blank=True, help_text="The latest time Amazon promised the order ships."
    )
    subtotal_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    shipping_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    tax_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    discount_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    content_hash = models.CharField(
        max_length=64, help_text="Digest of Amazon's JSON for the order; a change means news."
    )
    raw_payload = models.JSONField(null=True, blank=True)
    received_at = models.DateTimeField(help_text="When the mirror first saw the order.")
    changed_at = models.DateTimeField(help_text="When the mirror last stored a change.")
    revision = models.PositiveIntegerField(
        default=1, help_text="Changes of the order the mirror stored, the first one included."
    )

    # The import's current decision (its history is AmazonOrderDecision).
    decision = models.CharField(
        max_length=16, choices=ImportDecision.choices, default=ImportDecision.UNDECIDED
    )
    decision_code = models.CharField(
        max_length=32,
        choices=DecisionCode.choices,
        blank=True,
        help_text="Why, as a code the pages and filters read.",
    )
    decision_reason = models.TextField(blank=True)
    decision_details = models.JSONField(default=dict, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_revision = models.PositiveIntegerField(
        default=0, help_text="The revision the current decision has seen."
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Failed attempts in a row; back to 0 after a decision succeeds."
    )
    retry_at = models.DateTimeField(
        null=True, blank=True, help_text="When an order in error is tried again by itself."
    )
    commerce_order = models.OneToOneField(
        CommerceOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amazon_order",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "amazon_order_id"], name="one_mirror_row_per_amazon_order"
            ),
            models.CheckConstraint(
                condition=Q(total_amount__isnull=True) | ~Q(currency=""),
                name="amazon_order_total_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(decided_revision__lte=F("revision")),
                name="amazon_order_decided_no_further_than_stored",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "-purchased_at", "-id"], name="amazon_order_recent"),
            models.Index(
                fields=["store", "status", "-purchased_at", "-id"], name="amazon_order_by_status"
            ),
            models.Index(
                fields=["store", "decision", "-purchased_at", "-id"],
                name="amazon_order_by_decision",
            ),
            models.Index(
                fields=["store", "-amazon_updated_at"], name="amazon_order_recently_changed"
            ),
            # The sweep: orders whose latest change no decision has seen, and errors due again.
            models.Index(
                fields=["id"],
                condition=Q(decided_revision__lt=F("revision")),
                name="amazon_order_undecided",
            ),
            models.Index(
                fields=["retry_at"],
                condition=Q(retry_at__isnull=False),
                name="amazon_order_retry_due",
            ),
        ]

    def __str__(self):
        return self.amazon_order_id


class AmazonOrderItem(models.Model):
    order = models.ForeignKey(AmazonOrder, on_delete=models.CASCADE, related_name="items")
    order_item_id = models.TextField()
    sku = models.TextField("SKU", blank=True)
    asin = models.TextField("ASIN", blank=True)
    title = models.TextField(blank=True)
    quantity_ordered = models.PositiveIntegerField()
    quantity_shipped = models.PositiveIntegerField(default=0)
    unit_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    row_total = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="What the seller receives for the line, as Amazon reports it.",
    )
    currency = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "order_item_id"], name="one_row_per_order_item"
            ),
        ]
        indexes = [models.Index(fields=["sku"], name="amazon_order_item_sku")]

    def __str__(self):
        return f"{self.sku or self.asin} x {self.quantity_ordered}"


class AmazonOrderStatusHistory(models.Model):
    """One row per status change the mirror saw; the first row has no from-status."""

    order = models.ForeignKey(AmazonOrder, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=32, choices=AmazonOrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=AmazonOrderStatus.choices)
    amazon_updated_at = models.DateTimeField(help_text="Amazon's update time carrying the change.")
    recorded_at = models.DateTimeField()
    poll_run = models.ForeignKey(
        "PollRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "Amazon order status history"
        ordering = ["order", "recorded_at", "pk"]
        indexes = [models.Index(fields=["order", "recorded_at"], name="amazon_order_history")]

    def __str__(self):
        return f"{self.order}: {self.from_status or '∅'} → {self.to_status}"


class AmazonOrderDecision(models.Model):
    """One decision the import made about an Amazon order that changed something.

    ``settings_used`` holds the store's order settings as they were when it was made.
    """

    order = models.ForeignKey(AmazonOrder, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=16, choices=ImportDecision.choices)
    code = models.CharField(max_length=32, choices=DecisionCode.choices, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    settings_used = models.JSONField(default=dict, blank=True)
    amazon_status = models.CharField(max_length=32, choices=AmazonOrderStatus.choices)
    revision = models.PositiveIntegerField()
    commerce_order = models.ForeignKey(
        CommerceOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    trigger = models.CharField(max_length=16, choices=DecisionTrigger.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["order", "created_at", "pk"]
        indexes = [
            models.Index(fields=["order", "created_at"], name="amazon_order_decisions"),
            models.Index(fields=["created_at"], name="amazon_order_decisions_by_time"),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.decision}"


class PollOutcome(models.TextChoices):
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    PARTIAL = "partial", "Stopped after the page limit"
    THROTTLED = "throttled", "Throttled"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


class PollRun(models.Model):
    """What one poll of one store did; ops read these rows rather than logs."""

    store = models.ForeignKey(AmazonStore, on_delete=models.CASCADE, related_name="poll_runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=16, choices=PollOutcome.choices, default=PollOutcome.RUNNING
    )
    window_after = models.DateTimeField(null=True, blank=True)
    window_before = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    orders_seen = models.PositiveIntegerField(default=0)
    orders_created = models.PositiveIntegerField(default=0)
    orders_changed = models.PositiveIntegerField(default=0)
    orders_unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text="Orders that could not be read: id and reason."
    )
    message = models.TextField(blank=True, help_text="Why the run stopped, when it did not finish.")

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["store", "-started_at"], name="poll_run_recent")]

    def __str__(self):
        return f"Poll of {self.store} at {self.started_at:%Y-%m-%d %H:%M:%S} ({self.outcome})"


class PollCursor(models.Model):
    """Where the next poll of a store starts, and who is polling it now.

    Everything Amazon updated before `updated_after` is in the mirror. While a window is
    being paged through, `window_*` and `next_token` hold it so a stopped poll resumes it.
    """

    store = models.OneToOneField(
        AmazonStore, on_delete=models.CASCADE, primary_key=True, related_name="poll_cursor"
    )
    updated_after = models.DateTimeField(null=True, blank=True)
    window_after = models.DateTimeField(null=True, blank=True)
    window_before = models.DateTimeField(null=True, blank=True)
    next_token = models.TextField(blank=True)
    next_token_issued_at = models.DateTimeField(null=True, blank=True)
    throttled_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_run = models.ForeignKey(
        PollRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(next_token="")
                | Q(window_after__isnull=False, window_before__isnull=False),
                name="poll_cursor_token_has_window",
            ),
        ]

    def __str__(self):
        return f"Cursor of {self.store}"


class RateLimitBucket(models.Model):
    """Token buckets kept in the database when no Redis is configured (embedded default)."""

    key = models.CharField(max_length=255, unique=True)
    tokens = models.FloatField()
    refilled_at = models.FloatField(help_text="Unix time of the last refill.")
    announced_rate = models.FloatField(
        null=True, blank=True, help_text="Rate Amazon announced in x-amzn-RateLimit-Limit."
    )

    def __str__(self):
        return self.key


class BackfillStatus(models.TextChoices):
    RUNNING = "running", "Running"
    PAUSED = "paused", "Stopped before the end; run it again to resume"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class Backfill(models.Model):
    """One backfill of a store's orders updated in [since, until); resumable from its page.

    ``position`` is Amazon's last-update time of the newest order read so far, which
    tells how far through the window it has come (Amazon returns orders oldest first).
    """

    store = models.ForeignKey(AmazonStore, on_delete=models.CASCADE, related_name="backfills")
    since = models.DateTimeField()
    until = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=BackfillStatus.choices, default=BackfillStatus.RUNNING
    )
    next_token = models.TextField(blank=True)
    next_token_issued_at = models.DateTimeField(null=True, blank=True)
    position = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    orders_seen = models.PositiveIntegerField(default=0)
    orders_new = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["store", "-started_at"], name="backfill_recent")]

    def __str__(self):
        return f"Backfill of {self.store} from {self.since:%Y-%m-%d}"

    @property
    def progress(self) -> float:
        """How far through [since, until) the backfill has read, from 0 to 1."""
        if self.status == BackfillStatus.COMPLETED:
            return 1.0
        if self.position is None:
            return 0.0
        span = (self.until - self.since).total_seconds()
        done = (self.position - self.since).total_seconds()
        return min(1.0, max(0.0, done / span)) if span > 0 else 1.0
