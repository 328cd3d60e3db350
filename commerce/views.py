"""Merchant pages of the Commerce back office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commerce.exceptions import CommerceError, DefaultStatusRequired
from commerce.forms import (
    OrderStatusAssignForm,
    OrderStatusCreateForm,
    OrderStatusDeleteForm,
    OrderStatusRenameForm,
    OrderStatusUnassignForm,
)
from commerce.selectors import order_status_list
from commerce.services import order_status_assign, order_status_create, order_status_unassign
from commerce.status_services import (
    STANDARD_STATUS_CODES,
    order_status_delete,
    order_status_rename,
)
from common.forms import form_saved_through

MANAGE_STATUSES = "commerce.manage_order_statuses"
REFUSALS = {DefaultStatusRequired: "is_default"}
# Rename, unassign and delete: each refusal is said above the list.
ROW_ACTIONS = {
    "rename": (OrderStatusRenameForm, order_status_rename, "Order status renamed."),
    "unassign": (OrderStatusUnassignForm, order_status_unassign, "Order status unassigned."),
    "delete": (OrderStatusDeleteForm, order_status_delete, "Order status deleted."),
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def order_status_list_page(request):
    """Every status and its states; Commerce administrators add and assign custom ones."""
    can_edit = request.user.has_perm(MANAGE_STATUSES)
    create_form = OrderStatusCreateForm(prefix="create")
    assign_form = OrderStatusAssignForm(prefix="assign")

    row_errors = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only Commerce administrators may change order statuses.")
        action = request.POST.get("action", "")
        if action in ROW_ACTIONS:
            form_class, service, done = ROW_ACTIONS[action]
            form = form_class(request.POST)
            if form_saved_through(form, service, refusals={CommerceError: None}):
                messages.success(request, done)
                return redirect("commerce:order-status-list")
            row_errors = [error for errors in form.errors.values() for error in errors]
        elif "create-code" in request.POST:
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
        "standard_codes": STANDARD_STATUS_CODES,
        "row_errors": row_errors,
        "can_edit": can_edit,
        "create_form": create_form,
        "assign_form": assign_form,
    }
    status = 400 if row_errors or create_form.errors or assign_form.errors else 200
    return render(request, "commerce/order_statuses.html", context, status=status)
