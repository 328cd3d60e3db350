"""The Amazon order mirror, the poll cursor per store, and the record of every poll.

Every order the gateway fetches is stored here whatever the store's order settings say;
deciding what to do with it is another step's business.
"""

from django.db import models
from django.db.models import Q

from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel
from settings_app.models import AmazonStore


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
    content_hash = models.CharField(
        max_length=64, help_text="Digest of Amazon's JSON for the order; a change means news."
    )
    raw_payload = models.JSONField(null=True, blank=True)
    received_at = models.DateTimeField(help_text="When the mirror first saw the order.")
    changed_at = models.DateTimeField(help_text="When the mirror last stored a change.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "amazon_order_id"], name="one_mirror_row_per_amazon_order"
            ),
            models.CheckConstraint(
                condition=Q(total_amount__isnull=True) | ~Q(currency=""),
                name="amazon_order_total_has_currency",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "-purchased_at"], name="amazon_order_recent"),
            models.Index(fields=["store", "status"], name="amazon_order_by_status"),
            models.Index(
                fields=["store", "-amazon_updated_at"], name="amazon_order_recently_changed"
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
    currency = models.CharField(max_length=3, blank=True)

    class Meta:
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
