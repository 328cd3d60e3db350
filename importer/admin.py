"""The mirror in the Django admin: what Amazon said is read-only, here as everywhere."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyInline
from importer.models import (
    AmazonOrder,
    AmazonOrderDecision,
    AmazonOrderItem,
    AmazonOrderStatusHistory,
    Backfill,
    PollCursor,
    PollRun,
)


class AmazonOrderItemInline(ReadOnlyInline):
    model = AmazonOrderItem
    fields = [
        "order_item_id",
        "sku",
        "asin",
        "title",
        "quantity_ordered",
        "quantity_shipped",
        "unit_price",
        "currency",
    ]
    readonly_fields = fields


class AmazonOrderStatusHistoryInline(ReadOnlyInline):
    model = AmazonOrderStatusHistory
    fields = ["from_status", "to_status", "amazon_updated_at", "recorded_at", "poll_run"]
    readonly_fields = fields


class AmazonOrderDecisionInline(ReadOnlyInline):
    model = AmazonOrderDecision
    fields = ["created_at", "decision", "code", "reason", "trigger", "user", "commerce_order"]
    readonly_fields = fields


@admin.register(AmazonOrder)
class AmazonOrderAdmin(ReadOnlyAdmin):
    list_display = [
        "amazon_order_id",
        "store",
        "status",
        "channel",
        "marketplace_id",
        "purchased_at",
        "amazon_updated_at",
        "total_amount",
        "currency",
    ]
    list_filter = ["status", "channel", "store", "marketplace_id", "is_prime", "is_business"]
    list_select_related = ["store"]
    search_fields = ["amazon_order_id", "items__sku"]
    date_hierarchy = "purchased_at"
    ordering = ["-purchased_at"]
    show_full_result_count = False
    inlines = [AmazonOrderItemInline, AmazonOrderStatusHistoryInline, AmazonOrderDecisionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "store",
                    "amazon_order_id",
                    "status",
                    "channel",
                    "marketplace_id",
                    "purchased_at",
                    "amazon_updated_at",
                    ("total_amount", "currency"),
                    ("is_prime", "is_business"),
                ]
            },
        ),
        (
            "Import decision",
            {
                "fields": [
                    ("decision", "decision_code"),
                    "decision_reason",
                    "decision_details",
                    "commerce_order",
                    ("attempts", "retry_at"),
                    ("decided_at", "decided_revision", "revision"),
                ]
            },
        ),
        ("Buyer", {"fields": ["buyer_name", "buyer_email", "buyer_company"]}),
        (
            "Delivery address",
            {
                "fields": [
                    "ship_name",
                    "ship_company",
                    "ship_line1",
                    "ship_line2",
                    "ship_line3",
                    ("ship_postal_code", "ship_city"),
                    ("ship_district", "ship_state_or_region"),
                    "ship_country_code",
                    "ship_phone",
                ]
            },
        ),
        (
            "Mirror",
            {
                "classes": ["collapse"],
                "fields": ["received_at", "changed_at", "content_hash", "raw_payload"],
            },
        ),
    ]


@admin.register(PollRun)
class PollRunAdmin(ReadOnlyAdmin):
    list_display = [
        "store",
        "started_at",
        "finished_at",
        "outcome",
        "pages",
        "orders_seen",
        "orders_created",
        "orders_changed",
        "orders_unchanged",
        "error_count",
    ]
    list_filter = ["outcome", "store"]
    list_select_related = ["store"]
    date_hierarchy = "started_at"


@admin.register(PollCursor)
class PollCursorAdmin(admin.ModelAdmin):
    """Ops may clear a throttle or move the cursor back to re-read a period."""

    list_display = [
        "store",
        "updated_after",
        "next_token_issued_at",
        "throttled_until",
        "lease_owner",
        "lease_until",
        "last_run",
    ]
    list_select_related = ["store", "last_run"]
    fields = [
        "store",
        "updated_after",
        "throttled_until",
        "window_after",
        "window_before",
        "next_token_issued_at",
        "lease_owner",
        "lease_until",
        "last_run",
        "updated_at",
    ]
    readonly_fields = [
        "store",
        "window_after",
        "window_before",
        "next_token_issued_at",
        "lease_owner",
        "lease_until",
        "last_run",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Backfill)
class BackfillAdmin(ReadOnlyAdmin):
    list_display = ["store", "since", "until", "status", "pages", "orders_seen", "started_at"]
    list_filter = ["status", "store"]
    list_select_related = ["store"]
