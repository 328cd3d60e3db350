"""Merchant pages of the Commerce back office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commerce.exceptions import DefaultStatusRequired
from commerce.forms import OrderStatusAssignForm, OrderStatusCreateForm
from commerce.selectors import order_status_list
from commerce.services import order_status_assign, order_status_create
from settings_app.selectors import user_manages_any_store


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def order_status_list_page(request):
    """Every status and its states; managers of a store add and assign custom ones."""
    can_edit = user_manages_any_store(user=request.user)
    create_form = OrderStatusCreateForm(prefix="create")
    assign_form = OrderStatusAssignForm(prefix="assign")

    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only a manager of an Amazon store may change order statuses.")
        if "create-code" in request.POST:
            create_form = OrderStatusCreateForm(request.POST, prefix="create")
            if _saved(create_form, order_status_create):
                label = create_form.cleaned_data["label"]
                messages.success(request, f"Order status “{label}” added.")
                return redirect("commerce:order-status-list")
        else:
            assign_form = OrderStatusAssignForm(request.POST, prefix="assign")
            if _saved(assign_form, order_status_assign):
                messages.success(request, "Order status assigned.")
                return redirect("commerce:order-status-list")

    context = {
        "statuses": order_status_list(),
        "can_edit": can_edit,
        "create_form": create_form,
        "assign_form": assign_form,
    }
    return render(request, "commerce/order_statuses.html", context)


def _saved(form, save) -> bool:
    """Run the service on a valid form; its refusals become the form's errors."""
    if not form.is_valid():
        return False
    try:
        save(**form.cleaned_data)
    except ValidationError as invalid:
        form.add_error(None, invalid)
        return False
    except DefaultStatusRequired as refused:
        form.add_error("is_default", str(refused))
        return False
    return True
