"""Reads of the Commerce structure, statuses and customers."""

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower

from commerce.models import Customer, OrderStatus, OrderStatusState, StoreView, Website


def default_store_view_of_website(website: Website) -> StoreView:
    """The default store view of the website's default store, as Magento resolves it."""
    group = website.default_group or website.groups.order_by("pk").first()
    if group is None:
        raise StoreView.DoesNotExist(f"Website {website.code} has no store.")
    return group.default_store_view or group.store_views.order_by("sort_order", "pk").first()


def order_status_list() -> QuerySet[OrderStatus]:
    """Every status, custom ones included, with its state assignments (two queries)."""
    return OrderStatus.objects.order_by("label", "pk").prefetch_related(
        Prefetch("states", queryset=OrderStatusState.objects.order_by("state"))
    )


def order_status_choices() -> list[tuple[int, str]]:
    """(id, label) of every status, custom ones included, for a select."""
    return list(OrderStatus.objects.order_by("label", "pk").values_list("pk", "label"))


def order_status_list_for_state(*, state: str) -> QuerySet[OrderStatus]:
    return OrderStatus.objects.filter(states__state=state).order_by("label", "pk")


def order_status_default_for_state(*, state: str) -> OrderStatus:
    return OrderStatus.objects.get(states__state=state, states__is_default=True)


def order_status_is_assigned(*, status: OrderStatus, state: str) -> bool:
    return OrderStatusState.objects.filter(status=status, state=state).exists()


def customer_get_by_email(*, website: Website, email: str) -> Customer | None:
    """Matches the email in any letter case, through the unique lower(email) index."""
    return (
        Customer.objects.alias(email_lower=Lower("email"))
        .filter(website=website, email_lower=email.strip().lower())
        .first()
    )
