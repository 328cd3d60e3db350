"""Merchant pages of the Commerce back office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commerce.exceptions import DefaultStatusRequired
from commerce.forms import OrderStatusAssignForm, OrderStatusCreateForm
from commerce.selectors import order_status_list
from commerce.services import order_status_assign, order_status_create
from common.forms import form_saved_through

MANAGE_STATUSES = "commerce.manage_order_statuses"
REFUSALS = {DefaultStatusRequired: "is_default"}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def order_status_list_page(request):
    """Every status and its states; Commerce administrators add and assign custom ones."""
    can_edit = request.user.has_perm(MANAGE_STATUSES)
    create_form = OrderStatusCreateForm(prefix="create")
    assign_form = OrderStatusAssignForm(prefix="assign")

    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only Commerce administrators may change order statuses.")
        if "create-code" in request.POST:
            create_form = OrderStatusCreateForm(request.POST, prefix="create")
            if form_saved_through(create_form, order_status_create, refusals=REFUSALS):
                label = create_form.cleaned_data["label"]
                messages.success(request, f"Order status “{label}” added.")
                return redirect("commerce:order-status-list")
        else:
            assign_form = OrderStatusAssignForm(request.POST, prefix="assign")
            if form_saved_through(assign_form, order_status_assign, refusals=REFUSALS):
                messages.success(request, "Order status assigned.")
                return redirect("commerce:order-status-list")

    context = {
        "statuses": order_status_list(),
        "can_edit": can_edit,
        "create_form": create_form,
        "assign_form": assign_form,
    }
    return render(request, "commerce/order_statuses.html", context)
