"""Django admin of Amazon stores, their access grants and order settings.

Secrets are write-only here: the forms never carry a stored secret back to the browser,
pages show only the masked form, a blank secret field keeps the current value, and
error reports of a failed save star out the posted secrets.
Stores are created through ``amazon_store_create`` (default order settings) and order
settings are saved through ``order_settings_update`` (its rules and its audit row).
"""

from django import forms
from django.contrib import admin
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from common.admin import EditableAdmin, ReadOnlyAdmin, adopt
from settings_app.fields import masked
from settings_app.models import (
    ORDER_SETTINGS_FIELDS,
    AmazonStore,
    OrderSettings,
    OrderSettingsChange,
    StoreAccess,
)
from settings_app.services import amazon_store_create, order_settings_update


def _secret_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only: stored encrypted and never shown again. "
        "Leave blank to keep the current value.",
    )


SECRET_FORM_FIELDS = ("new_lwa_client_secret", "new_refresh_token")


class AmazonStoreForm(forms.ModelForm):
    new_lwa_client_secret = _secret_field("LWA client secret")
    new_refresh_token = _secret_field("Refresh token")

    class Meta:
        model = AmazonStore
        fields = [
            "name",
            "seller_id",
            "region",
            "marketplace_ids",
            "website",
            "lwa_client_id",
            "is_active",
            "connected_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name in ("new_lwa_client_secret", "new_refresh_token"):
                self.fields[name].required = True
                self.fields[name].help_text = "Stored encrypted and never shown again."
            connected_at = self.fields.get("connected_at")
            if connected_at is not None:
                connected_at.required = False
                connected_at.help_text = (
                    "Amazon orders created before this moment are never imported. Blank: now."
                )


class StoreAccessInline(admin.TabularInline):
    model = StoreAccess
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(AmazonStore)
class AmazonStoreAdmin(EditableAdmin):
    form = AmazonStoreForm
    list_display = [
        "name",
        "seller_id",
        "region",
        "website",
        "is_active",
        "connected_at",
        "refresh_token_masked",
    ]
    list_select_related = ["website"]
    list_filter = ["region", "is_active", "website"]
    search_fields = ["name", "seller_id"]
    inlines = [StoreAccessInline]

    @method_decorator(sensitive_post_parameters(*SECRET_FORM_FIELDS))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_fieldsets(self, request, obj=None):
        store = ["name", "seller_id", "region", "marketplace_ids", "website"]
        if obj is None:
            return [
                (None, {"fields": store}),
                (
                    "Login with Amazon",
                    {"fields": ["lwa_client_id", "new_lwa_client_secret", "new_refresh_token"]},
                ),
                ("Import", {"fields": ["connected_at"]}),
            ]
        return [
            (None, {"fields": store}),
            (
                "Login with Amazon",
                {
                    "fields": [
                        "lwa_client_id",
                        "lwa_client_secret_masked",
                        "new_lwa_client_secret",
                        "refresh_token_masked",
                        "new_refresh_token",
                    ]
                },
            ),
            ("Import", {"fields": ["is_active", "connected_at", "created_at"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["website", "lwa_client_secret_masked", "refresh_token_masked", "created_at"]

    @admin.display(description="Current LWA client secret")
    def lwa_client_secret_masked(self, store: AmazonStore) -> str:
        return masked(store.lwa_client_secret)

    @admin.display(description="Refresh token")
    def refresh_token_masked(self, store: AmazonStore) -> str:
        return masked(store.refresh_token)

    @sensitive_variables()
    def save_model(self, request, obj, form, change):
        secrets = form.cleaned_data
        if change:
            if secrets.get("new_lwa_client_secret"):
                obj.lwa_client_secret = secrets["new_lwa_client_secret"]
            if secrets.get("new_refresh_token"):
                obj.refresh_token = secrets["new_refresh_token"]
            super().save_model(request, obj, form, change)
            return
        created = amazon_store_create(
            name=obj.name,
            seller_id=obj.seller_id,
            region=obj.region,
            marketplace_ids=obj.marketplace_ids,
            website=obj.website,
            lwa_client_id=obj.lwa_client_id,
            lwa_client_secret=secrets["new_lwa_client_secret"],
            refresh_token=secrets["new_refresh_token"],
            connected_at=secrets.get("connected_at"),
        )
        adopt(obj, created)


@admin.register(StoreAccess)
class StoreAccessAdmin(admin.ModelAdmin):
    list_display = ["user", "store", "role"]
    list_select_related = ["user", "store"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "store__name", "store__seller_id"]
    autocomplete_fields = ["user", "store"]


class OrderSettingsForm(forms.ModelForm):
    """Saves through ``order_settings_update`` while validating.

    The service validates and writes in one locked step and raises field-keyed errors
    having changed nothing, so calling it from ``clean`` puts its errors on the admin's
    fields; the admin view runs in one transaction and this form has no inlines after it.
    """

    editor = None

    class Meta:
        model = OrderSettings
        fields = list(ORDER_SETTINGS_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        saved = order_settings_update(
            settings=self.instance,
            user=self.editor,
            **{name: cleaned.get(name) for name in ORDER_SETTINGS_FIELDS},
        )
        cleaned.update({name: getattr(saved, name) for name in ORDER_SETTINGS_FIELDS})
        return cleaned


@admin.register(OrderSettings)
class OrderSettingsAdmin(admin.ModelAdmin):
    form = OrderSettingsForm
    list_display = ["store", *ORDER_SETTINGS_FIELDS, "updated_at"]
    list_select_related = ["store", "store_view", "processing_status"]
    list_filter = ["import_enabled", "customer_creation", "order_number_source", "order_status"]
    search_fields = ["store__name", "store__seller_id"]
    fields = ["store", *ORDER_SETTINGS_FIELDS, "updated_at", "updated_by"]
    readonly_fields = ["store", "updated_at", "updated_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    def save_model(self, request, obj, form, change):
        """Nothing left to write: the form's clean saved through the service."""


@admin.register(OrderSettingsChange)
class OrderSettingsChangeAdmin(ReadOnlyAdmin):
    list_display = ["store", "changed_by", "changed_at", "changed_fields"]
    list_select_related = ["store", "changed_by"]
    search_fields = ["store__name"]
    show_full_result_count = False

    @admin.display(description="Changed")
    def changed_fields(self, change: OrderSettingsChange) -> str:
        return ", ".join(change.changes)
