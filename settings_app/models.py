"""Amazon stores, who may see them, and each store's order settings."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from commerce.models import OrderStatus, StoreView, Website
from settings_app.fields import EncryptedTextField
from settings_app.marketplaces import marketplace_label, validate_marketplace_ids


class Region(models.TextChoices):
    NORTH_AMERICA = "na", "North America"
    EUROPE = "eu", "Europe"
    FAR_EAST = "fe", "Far East"


class AmazonStore(models.Model):
    name = models.CharField(max_length=255)
    seller_id = models.CharField(max_length=64)
    region = models.CharField(max_length=2, choices=Region.choices)
    marketplace_ids = models.JSONField(default=list, validators=[validate_marketplace_ids])
    website = models.ForeignKey(Website, on_delete=models.PROTECT, related_name="amazon_stores")
    lwa_client_id = models.CharField("LWA client id", max_length=255)
    lwa_client_secret = EncryptedTextField("LWA client secret")
    refresh_token = EncryptedTextField()
    is_active = models.BooleanField(default=True)
    connected_at = models.DateTimeField(
        help_text="Amazon orders created before this moment are never imported."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seller_id", "region"], name="one_store_per_seller"),
        ]

    def __str__(self):
        return self.name

    @property
    def marketplace_labels(self) -> list[str]:
        return [marketplace_label(marketplace_id) for marketplace_id in self.marketplace_ids]


class StoreRole(models.TextChoices):
    MANAGER = "manager", "Manager"
    OPERATOR = "operator", "Operator"


class StoreAccess(models.Model):
    """A user's grant on one Amazon store: managers edit, operators only view."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="store_access"
    )
    store = models.ForeignKey(AmazonStore, on_delete=models.CASCADE, related_name="access")
    role = models.CharField(max_length=16, choices=StoreRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "store"], name="one_role_per_user_and_store"),
        ]
        verbose_name_plural = "store access"

    def __str__(self):
        return f"{self.user} is {self.role} of {self.store}"


class CustomerCreation(models.TextChoices):
    GUEST = "guest", "No Customer Creation (guest)"
    NEW_ACCOUNT = "new_account", "Build New Customer Account"


class OrderNumberSource(models.TextChoices):
    COMMERCE = "commerce", "Build Using Commerce Order Number"
    AMAZON = "amazon", "Use Amazon Order Number"


class PendingOrders(models.TextChoices):
    RESERVE = "reserve", "Reserve Quantity"
    DO_NOT_RESERVE = "do_not_reserve", "Do Not Reserve Quantity"


class OrderStatusMode(models.TextChoices):
    DEFAULT = "default", "Default Order Status"
    CUSTOM = "custom", "Custom Order Status"


# The settings a merchant edits, in the order the page shows them. Every list of them
# (form, API, admin, audit trail) is this one.
ORDER_SETTINGS_FIELDS = (
    "import_enabled",
    "store_view",
    "customer_creation",
    "order_number_source",
    "pending_orders",
    "order_status",
    "processing_status",
)


class OrderSettings(models.Model):
    store = models.OneToOneField(
        AmazonStore, on_delete=models.CASCADE, primary_key=True, related_name="order_settings"
    )
    import_enabled = models.BooleanField("Import Amazon Orders", default=True)
    store_view = models.ForeignKey(
        StoreView, on_delete=models.PROTECT, related_name="+", verbose_name="Import Into Store View"
    )
    customer_creation = models.CharField(
        max_length=16, choices=CustomerCreation.choices, default=CustomerCreation.GUEST
    )
    order_number_source = models.CharField(
        max_length=16, choices=OrderNumberSource.choices, default=OrderNumberSource.COMMERCE
    )
    pending_orders = models.CharField(
        max_length=16, choices=PendingOrders.choices, default=PendingOrders.RESERVE
    )
    order_status = models.CharField(
        max_length=16, choices=OrderStatusMode.choices, default=OrderStatusMode.DEFAULT
    )
    processing_status = models.ForeignKey(
        OrderStatus,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Processing Order Status",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name_plural = "order settings"
        constraints = [
            # Disabled import keeps the other values, so this holds either way.
            models.CheckConstraint(
                condition=Q(order_status=OrderStatusMode.DEFAULT, processing_status__isnull=True)
                | Q(order_status=OrderStatusMode.CUSTOM, processing_status__isnull=False),
                name="processing_status_exactly_when_custom",
            ),
        ]

    def __str__(self):
        return f"Order settings of {self.store}"


class OrderSettingsChange(models.Model):
    """One saved edit of a store's order settings: who, when, and each field's old → new.

    Values are stored as the codes an operator reads (store view and status codes, choice
    values), never secrets; the row outlives the user who made the change.
    """

    store = models.ForeignKey(
        AmazonStore, on_delete=models.CASCADE, related_name="order_settings_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(help_text='{"field": {"old": value, "new": value}, …}')

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["store", "-changed_at"], name="settings_change_by_store")]

    def __str__(self):
        return f"{self.store} changed {', '.join(self.changes)} at {self.changed_at:%Y-%m-%d %H:%M}"
