"""The user's Amazon stores and each store's order settings (the dashboard is in operations).

Every page needs a login and looks the store up through the user's grants, so a store
that is not granted answers 404 whatever the id; only a manager may save settings.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from settings_app.forms import OrderSettingsForm
from settings_app.models import StoreRole
from settings_app.selectors import (
    order_settings_for_store,
    store_get_for_user,
    store_list_with_role_for_user,
)
from settings_app.services import order_settings_update


@login_required
@require_http_methods(["GET", "HEAD"])
def store_list(request):
    stores = store_list_with_role_for_user(user=request.user)
    return render(request, "settings_app/store_list.html", {"stores": stores})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def order_settings(request, store_id):
    store = store_get_for_user(user=request.user, store_id=store_id)
    can_manage = store.role == StoreRole.MANAGER
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("Only a manager of this store may change its order settings.")

    settings = order_settings_for_store(store=store)
    form = OrderSettingsForm(
        request.POST if request.method == "POST" else None,
        settings=settings,
        read_only=not can_manage,
    )
    if request.method == "POST" and form.is_valid():
        try:
            order_settings_update(settings=settings, user=request.user, **form.posted_settings())
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, "Order settings saved.")
            return redirect("settings_app:order-settings", store_id=store.pk)
    if form.errors:
        messages.error(request, "Order settings were not saved: correct the fields marked below.")

    context = {
        "store": store,
        "form": form,
        "can_manage": can_manage,
        "order_settings": settings,
        "active_tab": "order-settings",
    }
    return render(request, "settings_app/order_settings.html", context)
