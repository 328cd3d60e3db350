"""The inventory dashboard: products with their stock, one product's ledger, adjustments.

Login required; who may view and adjust is decided in ``inventory.permissions``. Lists
page by key (SKU, ledger id), never by COUNT(*) or OFFSET, so they stay fast with
millions of ledger rows.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inventory.forms import LedgerPageForm, ProductSearchForm, StockAdjustForm
from inventory.models import StockItem
from inventory.permissions import (
    require_inventory_manager,
    require_inventory_viewer,
    user_can_adjust_stock,
)
from inventory.selectors import (
    reservation_page_for_sku,
    stock_adjustment_list,
    stock_item_get,
    stock_item_page,
)
from inventory.services import stock_item_adjust

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "HEAD"])
def product_list(request):
    require_inventory_viewer(request.user)
    query = ProductSearchForm(request.GET)
    if not query.is_valid():
        context = {"query": query, "items": [], "search": "", "after": "", "next_after": None}
        return render(request, "inventory/product_list.html", context, status=400)
    search, after = query.cleaned_data["sku"], query.cleaned_data["after"]
    items, next_after = stock_item_page(sku_prefix=search, after=after, limit=PAGE_SIZE)
    context = {
        "query": query,
        "items": items,
        "search": search,
        "after": after,
        "next_after": next_after,
    }
    return render(request, "inventory/product_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def product_detail(request, sku):
    require_inventory_viewer(request.user)
    return render_product_detail(request, sku=sku, form=StockAdjustForm())


@login_required
@require_http_methods(["POST"])
def product_adjust(request, sku):
    require_inventory_manager(request.user)
    form = StockAdjustForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Stock was not adjusted: correct the fields marked below.")
        return render_product_detail(request, sku=sku, form=form, status=400)
    try:
        adjustment = stock_item_adjust(
            sku=sku,
            quantity=form.cleaned_data["quantity"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except StockItem.DoesNotExist as missing:
        raise Http404("No such SKU.") from missing
    messages.success(
        request,
        f"Quantity of {sku} set from {plain(adjustment.quantity_from)} "
        f"to {plain(adjustment.quantity_to)}.",
    )
    return redirect("inventory:product-detail", sku=sku)


def render_product_detail(request, *, sku: str, form: StockAdjustForm, status: int = 200):
    item = stock_item_get(sku=sku)
    if item is None:
        raise Http404("No such SKU.")
    ledger_page = LedgerPageForm(request.GET)
    if not ledger_page.is_valid():
        raise BadRequest("The ledger page must start before a positive row id.")
    before = ledger_page.cleaned_data["before"]
    reservations, next_before = reservation_page_for_sku(sku=sku, before_id=before, limit=PAGE_SIZE)
    context = {
        "item": item,
        "product": item.product,
        "reservations": reservations,
        "before": before,
        "next_before": next_before,
        "adjustments": stock_adjustment_list(stock_item=item),
        "can_adjust": user_can_adjust_stock(request.user),
        "form": form,
    }
    return render(request, "inventory/product_detail.html", context, status=status)


def plain(quantity: Decimal) -> str:
    """8.0000 reads as 8 and 2.5000 as 2.5."""
    return f"{quantity.normalize():f}"
