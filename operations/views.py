"""The operations pages: the store dashboard (details, Recent Orders, import health), one
Amazon order, and the Commerce orders workspace.

Every page needs a login and reads through the user's grants (``operations.selectors``),
so an order of a store not granted answers 404; only a manager of the order's store may
act (403 otherwise). Views stay thin: forms check input, selectors read, the engine's
services act (``operations.actions``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from common.keyset import keyset_page
from operations import actions
from operations.charts import health_charts
from operations.forms import (
    CommentForm,
    CommerceOrdersFilterForm,
    RecentOrdersFilterForm,
    RecoverOrderForm,
    StatusChangeForm,
)
from operations.rows import commerce_order_rows, recent_order_rows
from operations.selectors import (
    AMAZON_ORDER_KEYSET,
    COMMERCE_ORDER_KEYSET,
    STANDING_COUNT_CAP,
    amazon_order_detail,
    amazon_order_get_for_user,
    amazon_order_list,
    commerce_order_detail,
    commerce_order_get_for_user,
    commerce_order_list_for_user,
    import_health,
    order_status_filter_choices,
    settings_changes_for_store,
    store_view_choices_for_user,
)
from settings_app.fields import masked
from settings_app.models import StoreRole
from settings_app.selectors import order_settings_for_store, store_get_for_user

RECENT_ORDERS_PAGE_SIZE = 25
NEWER_ROWS_LIMIT = 50
WORKSPACE_PAGE_SIZE = 50
READ = ["GET", "HEAD"]


def _position(request, name: str, keyset):
    """The keyset position in ``?name=``; a forged or broken one is bad input (400)."""
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    key = keyset.parse(raw)
    if key is None:
        raise BadRequest(f"Invalid {name!r} position: use the page's Older and Newer links.")
    return key


def _require_manager(role: str | None, message: str) -> None:
    if role != StoreRole.MANAGER:
        raise PermissionDenied(message)


def _filters_or_400(form):
    if not form.is_valid():
        raise BadRequest(
            "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        )
    return form.cleaned_data


# --- The store dashboard ------------------------------------------------------------------------


@login_required
@require_http_methods(READ)
def store_dashboard(request, store_id):
    store = store_get_for_user(user=request.user, store_id=store_id)
    return render_dashboard(request, store=store, recover_form=RecoverOrderForm())


def _health_context(store) -> dict:
    return {
        "health": import_health(store=store),
        "health_cap": STANDING_COUNT_CAP,
        **health_charts(store=store),
    }


@login_required
@require_http_methods(READ)
def store_health(request, store_id):
    """The import health panel on a page of its own (e.g. for a wall screen)."""
    store = store_get_for_user(user=request.user, store_id=store_id)
    context = {"store": store, "active_tab": "health", **_health_context(store)}
    return render(request, "operations/store_health.html", context)


def render_dashboard(request, *, store, recover_form, status: int = 200):
    filters_form = RecentOrdersFilterForm(request.GET)
    filters = _filters_or_400(filters_form)
    page = keyset_page(
        amazon_order_list(store=store, **filters),
        keyset=AMAZON_ORDER_KEYSET,
        size=RECENT_ORDERS_PAGE_SIZE,
        after=_position(request, "after", AMAZON_ORDER_KEYSET),
        before=_position(request, "before", AMAZON_ORDER_KEYSET),
    )
    changes, view_names, status_labels = settings_changes_for_store(store=store)
    query = {key: value for key, value in filters.items() if value}
    context = {
        "store": store,
        "role": store.role,
        "can_manage": store.role == StoreRole.MANAGER,
        "order_settings": order_settings_for_store(store=store),
        "client_secret": masked(store.lwa_client_secret),
        "refresh_token": masked(store.refresh_token),
        "changes": changes,
        "store_view_names": view_names,
        "status_labels": status_labels,
        "filters_form": filters_form,
        "filter_query": query,
        "filtered": bool(query),
        "page": page,
        "rows": recent_order_rows(page.rows),
        "is_first_page": "after" not in request.GET and "before" not in request.GET,
        **_health_context(store),
        "recover_form": recover_form,
        "active_tab": "dashboard",
    }
    return render(request, "operations/store_dashboard.html", context, status=status)


@login_required
@require_http_methods(READ)
def recent_orders_newer(request, store_id):
    """Rows newer than the newest one shown (``?newest=``), oldest of them last, for the
    list to add on top without a reload; the same filters as the list. Without ``newest``,
    the newest rows."""
    store = store_get_for_user(user=request.user, store_id=store_id)
    filters = _filters_or_400(RecentOrdersFilterForm(request.GET))
    page = keyset_page(
        amazon_order_list(store=store, **filters),
        keyset=AMAZON_ORDER_KEYSET,
        size=NEWER_ROWS_LIMIT,
        before=_position(request, "newest", AMAZON_ORDER_KEYSET),
    )
    rows = render_to_string(
        "operations/_recent_order_rows.html", {"rows": recent_order_rows(page.rows)}
    )
    return JsonResponse(
        {
            "rows_html": rows,
            "count": len(page.rows),
            "newest": AMAZON_ORDER_KEYSET.position_of(page.rows[0]) if page.rows else None,
            "more": page.newer is not None,
        }
    )


@login_required
@require_http_methods(["POST"])
def store_recover_order(request, store_id):
    store = store_get_for_user(user=request.user, store_id=store_id)
    _require_manager(store.role, "Only a manager of this store may recover orders.")
    form = RecoverOrderForm(request.POST)
    if form.is_valid():
        try:
            order = actions.recover(
                store=store, amazon_order_id=form.cleaned_data["amazon_order_id"], user=request.user
            )
        except actions.Refused as refused:
            form.add_error("amazon_order_id", str(refused))
        else:
            messages.success(request, f"Amazon order {order.amazon_order_id} recovered.")
            return redirect("operations:amazon-order-detail", pk=order.pk)
    messages.error(request, "The order was not recovered: see the form below.")
    return render_dashboard(request, store=store, recover_form=form, status=400)


# --- One Amazon order -------------------------------------------------------------------------


@login_required
@require_http_methods(READ)
def amazon_order_page(request, pk):
    order = amazon_order_get_for_user(user=request.user, pk=pk)
    detail = amazon_order_detail(order=order)
    context = {
        "detail": detail,
        "order": order,
        "store": order.store,
        "can_manage": order.role == StoreRole.MANAGER,
        "can_retry": actions.can_retry(order),
        "can_import_now": actions.can_import_now(order),
    }
    return render(request, "operations/amazon_order.html", context)


@login_required
@require_http_methods(["POST"])
def amazon_order_retry(request, pk):
    """Retry (error, blocked) and Import now (skipped while import was disabled)."""
    order = amazon_order_get_for_user(user=request.user, pk=pk)
    _require_manager(order.role, "Only a manager of this store may retry its orders.")
    try:
        order = actions.retry(amazon_order=order, user=request.user)
    except actions.Refused as refused:
        messages.error(request, str(refused))
    else:
        if order.commerce_order_id:
            messages.success(
                request, f"Imported: Commerce order {order.commerce_order.increment_id}."
            )
        else:
            messages.info(request, f"Decided again: {order.get_decision_display()}.")
    return redirect("operations:amazon-order-detail", pk=pk)


# --- The Commerce orders workspace -------------------------------------------------------------


def _workspace_filters_form(request):
    return CommerceOrdersFilterForm(
        request.GET,
        store_views=store_view_choices_for_user(user=request.user),
        statuses=order_status_filter_choices(),
    )


@login_required
@require_http_methods(READ)
def commerce_order_list(request):
    form = _workspace_filters_form(request)
    filters = _filters_or_400(form)
    page = keyset_page(
        commerce_order_list_for_user(user=request.user, **filters),
        keyset=COMMERCE_ORDER_KEYSET,
        size=WORKSPACE_PAGE_SIZE,
        after=_position(request, "after", COMMERCE_ORDER_KEYSET),
        before=_position(request, "before", COMMERCE_ORDER_KEYSET),
    )
    query = {key: value for key, value in filters.items() if value}
    context = {
        "form": form,
        "page": page,
        "rows": commerce_order_rows(page.rows),
        "filter_query": query,
        "filtered": bool(query),
    }
    return render(request, "operations/commerce_orders.html", context)


@login_required
@require_http_methods(READ)
def commerce_order_page(request, pk):
    order = commerce_order_get_for_user(user=request.user, pk=pk)
    return render_commerce_order(request, order=order)


def render_commerce_order(request, *, order, forms=None, status: int = 200):
    detail = commerce_order_detail(order=order)
    forms = forms or {}
    context = {
        "order": order,
        "detail": detail,
        "amazon_order": getattr(order, "amazon_order", None),
        "can_manage": order.role == StoreRole.MANAGER,
        "status_form": forms.get("status")
        or StatusChangeForm(
            statuses=detail.statuses_in_state, initial={"status": order.status.code}
        ),
        "comment_form": forms.get("comment") or CommentForm(),
        "available": actions.commerce_actions_available(order),
    }
    return render(request, "operations/commerce_order.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def commerce_order_act(request, pk, action):
    """Change the status within the state, hold, unhold or cancel, through the engine."""
    order = commerce_order_get_for_user(user=request.user, pk=pk)
    _require_manager(order.role, "Only a manager of the order's store may change it.")
    if action == "status":
        detail_statuses = commerce_order_detail(order=order).statuses_in_state
        form = StatusChangeForm(request.POST, statuses=detail_statuses)
        forms = {"status": form}
    else:
        form = CommentForm(request.POST)
        forms = {"comment": form}
    if not form.is_valid():
        return render_commerce_order(request, order=order, forms=forms, status=400)
    try:
        actions.commerce_order_act(
            order=order, action=action, user=request.user, **form.cleaned_data
        )
    except actions.Refused as refused:
        form.add_error(None, str(refused))
        return render_commerce_order(request, order=order, forms=forms, status=400)
    messages.success(request, actions.DONE[action].format(number=order.increment_id))
    return redirect(reverse("operations:commerce-order-detail", kwargs={"pk": pk}))
