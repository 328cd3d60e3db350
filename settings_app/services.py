"""Writes of Amazon stores and their order settings."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from commerce.models import OrderStatus, StoreView, Website
from commerce.selectors import default_store_view_of_website
from settings_app.locks import order_settings_lock
from settings_app.models import (
    ORDER_SETTINGS_FIELDS,
    AmazonStore,
    CustomerCreation,
    OrderNumberSource,
    OrderSettings,
    OrderSettingsChange,
    OrderStatusMode,
    PendingOrders,
    StoreAccess,
)
from settings_app.selectors import processing_status_choices, store_view_choices


# An error report of a failed connect (a database error, say) lists every frame's
# variables; inside this service they hold the secrets in clear, so all are starred out.
@sensitive_variables()
@transaction.atomic
def amazon_store_create(
    *,
    name: str,
    seller_id: str,
    region: str,
    marketplace_ids: list[str],
    website: Website,
    lwa_client_id: str,
    lwa_client_secret: str,
    refresh_token: str,
    connected_at: datetime | None = None,
) -> AmazonStore:
    """Connect an Amazon store and give it the default order settings.

    The defaults: import Enabled into the default store view of the store's website,
    guest orders, Commerce order numbers, pending orders reserved, default order status.
    Raises ValidationError, saving nothing, for a store the model's rules refuse: a
    malformed marketplace list or a blank credential (keyed by field), a seller already
    connected in that region.
    """
    store = AmazonStore(
        name=name,
        seller_id=seller_id,
        region=region,
        marketplace_ids=marketplace_ids,
        website=website,
        lwa_client_id=lwa_client_id,
        lwa_client_secret=lwa_client_secret,
        refresh_token=refresh_token,
        connected_at=connected_at or timezone.now(),
    )
    store.full_clean()
    store.save()
    OrderSettings.objects.create(store=store, store_view=default_store_view_of_website(website))
    return store


def store_access_grant(*, user, store: AmazonStore, role: str) -> StoreAccess:
    access, _ = StoreAccess.objects.update_or_create(
        user=user, store=store, defaults={"role": role}
    )
    return access


CHOICE_FIELDS = {
    "customer_creation": CustomerCreation,
    "order_number_source": OrderNumberSource,
    "pending_orders": PendingOrders,
    "order_status": OrderStatusMode,
}


@transaction.atomic
def order_settings_update(*, settings: OrderSettings, user, **fields: Any) -> OrderSettings:
    """Validate and save a store's order settings; the only place their rules live.

    ``fields`` holds any subset of ORDER_SETTINGS_FIELDS; the others keep their saved
    values. ``store_view`` is a StoreView or its id, ``processing_status`` an OrderStatus
    or its code. The rules:

    - with import Disabled every other setting keeps its saved value, whatever was sent;
    - the store view must exist, be active and belong to the Amazon store's website;
    - Processing Order Status is required exactly when Order Status is Custom, and is one
      of the statuses a new order may take (assigned to state New or Processing); with
      Default it is cleared.

    Raises ValidationError keyed by field, having changed nothing. A save that changes
    something leaves an OrderSettingsChange row naming the user and each old → new value.
    """
    unknown = set(fields) - set(ORDER_SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not order settings: {', '.join(sorted(unknown))}")

    current = order_settings_lock(store_id=settings.store_id)
    wanted = _order_settings_validated(current=current, fields=fields)

    before = _order_settings_snapshot(current)
    for name, value in wanted.items():
        setattr(current, name, value)
    after = _order_settings_snapshot(current)
    changes = {
        name: {"old": before[name], "new": after[name]}
        for name in ORDER_SETTINGS_FIELDS
        if before[name] != after[name]
    }
    if changes:
        current.updated_by = user
        current.save()
        OrderSettingsChange.objects.create(
            store_id=current.store_id, changed_by=user, changes=changes
        )
    return current


def _order_settings_validated(*, current: OrderSettings, fields: dict[str, Any]) -> dict:
    """The values to save, or ValidationError with every field's error."""
    import_enabled = fields.get("import_enabled", current.import_enabled)
    if not isinstance(import_enabled, bool):
        raise ValidationError({"import_enabled": "Choose Enabled or Disabled."})
    if not import_enabled:
        return {"import_enabled": False}

    errors: dict[str, str] = {}
    wanted: dict[str, Any] = {"import_enabled": True}

    store_view = _active_store_view(
        fields.get("store_view", current.store_view_id), website_id=current.store.website_id
    )
    if store_view is None:
        errors["store_view"] = (
            f"Choose an active store view of website {current.store.website.name}."
        )
    wanted["store_view"] = store_view

    for name, choices in CHOICE_FIELDS.items():
        value = fields.get(name, getattr(current, name))
        if value not in choices.values:
            errors[name] = f"“{value}” is not one of the available choices."
        wanted[name] = value

    wanted["processing_status"] = None
    if wanted["order_status"] == OrderStatusMode.CUSTOM:
        chosen = fields.get("processing_status", current.processing_status)
        if chosen in (None, ""):
            errors["processing_status"] = (
                "Choose a Processing Order Status when Order Status is Custom."
            )
        else:
            status = _assignable_status(chosen)
            if status is None:
                errors["processing_status"] = (
                    "Choose one of the listed order statuses: one assigned to state New or "
                    "Processing."
                )
            wanted["processing_status"] = status

    if errors:
        raise ValidationError(errors)
    return wanted


def _active_store_view(value, *, website_id: int) -> StoreView | None:
    store_view_id = value.pk if isinstance(value, StoreView) else value
    try:
        return store_view_choices(website_id=website_id).filter(pk=int(store_view_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def _assignable_status(value) -> OrderStatus | None:
    code = value.code if isinstance(value, OrderStatus) else value
    if not isinstance(code, str):
        return None
    return processing_status_choices().filter(code=code).first()


def _order_settings_snapshot(settings: OrderSettings) -> dict[str, Any]:
    """The settings as an operator reads them in the audit trail: codes, not ids."""
    snapshot = {name: getattr(settings, name) for name in ("import_enabled", *CHOICE_FIELDS)}
    snapshot["store_view"] = settings.store_view.code
    snapshot["processing_status"] = (
        settings.processing_status.code if settings.processing_status else None
    )
    return snapshot
