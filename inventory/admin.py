"""Admin: products and stock settings are editable; quantities move only through the
services (so every change is audited) and the ledger is read-only."""

from django.contrib import admin

from inventory.models import Product, Reservation, Stock, StockAdjustment, StockItem
from inventory.services import stock_item_ensure


@admin.register(Stock)
class StockAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


class StockItemInline(admin.TabularInline):
    model = StockItem
    extra = 0
    fields = [
        "stock",
        "manage_stock",
        "is_in_stock",
        "out_of_stock_threshold",
        "quantity",
        "reservation_total",
    ]
    readonly_fields = ["stock", "quantity", "reservation_total"]
    can_delete = False

    def has_add_permission(self, request, obj):
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "enabled", "created_at"]
    list_filter = ["enabled"]
    search_fields = ["sku", "name"]
    inlines = [StockItemInline]

    def get_readonly_fields(self, request, obj=None):
        # The ledger names SKUs as text: a SKU never changes once it exists.
        return ["sku", "created_at"] if obj else ["created_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # Inventory lists stock items: without one the new product would not show there.
            # It starts managed with no quantity, so it cannot be oversold before a count.
            stock_item_ensure(product=obj)


@admin.register(StockAdjustment)
class StockAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "stock_item", "kind", "quantity_from", "quantity_to", "user"]
    list_filter = ["kind"]
    search_fields = ["stock_item__product__sku"]
    list_select_related = ["stock_item__product", "stock_item__stock", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "created_at",
        "sku",
        "quantity",
        "event_type",
        "object_type",
        "object_id",
        "object_increment_id",
    ]
    list_filter = ["event_type", "object_type"]
    search_fields = ["=sku", "=object_id", "=object_increment_id"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
