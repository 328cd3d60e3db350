"""Reads of Amazon stores, always through the user's grants.

A user sees only the stores granted to them (superusers see all); a store that is not
granted does not exist for that user, so lookups raise Http404, never 403.
"""

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.http import Http404

from commerce.models import OrderState, OrderStatus, OrderStatusState, StoreView
from settings_app.models import (
    AmazonStore,
    OrderSettings,
    StoreAccess,
    StoreRole,
)

# The states a custom Processing Order Status may start an order in, in order of preference.
PROCESSING_STATUS_STATES = (OrderState.NEW, OrderState.PROCESSING)


def store_list_for_user(*, user) -> QuerySet[AmazonStore]:
    stores = AmazonStore.objects.select_related("website")
    if user.is_superuser:
        return stores
    return stores.filter(access__user=user).distinct()


def store_role_for_user(*, user, store: AmazonStore) -> str | None:
    if user.is_superuser:
        return StoreRole.MANAGER
    return StoreAccess.objects.filter(user=user, store=store).values_list("role", flat=True).first()


def store_get_for_user(*, user, store_id) -> AmazonStore:
    """The store, annotated with the user's ``role``, if they hold one on it; else Http404."""
    try:
        return store_list_with_role_for_user(user=user).get(pk=store_id)
    except (AmazonStore.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such Amazon store.") from missing


def user_can_manage_store(*, user, store: AmazonStore) -> bool:
    return store_role_for_user(user=user, store=store) == StoreRole.MANAGER


def store_list_with_role_for_user(*, user) -> QuerySet[AmazonStore]:
    """The user's stores with their ``role`` and order settings, in one query."""
    own_role = StoreAccess.objects.filter(store=OuterRef("pk"), user=user).values("role")[:1]
    role = Value(StoreRole.MANAGER) if user.is_superuser else Subquery(own_role)
    return store_list_for_user(user=user).select_related("order_settings").annotate(role=role)


def order_settings_for_store(*, store: AmazonStore) -> OrderSettings:
    return OrderSettings.objects.select_related(
        "store__website", "store_view__group__website", "processing_status", "updated_by"
    ).get(store=store)


def store_view_choices(*, website_id: int) -> QuerySet[StoreView]:
    """Store views a store's orders may be imported into: the active ones of its website.

    A Commerce order's customer and numbers belong to one website; an Amazon store is
    added on a website, so its orders go to that website's views.
    """
    return StoreView.objects.filter(is_active=True, group__website_id=website_id).select_related(
        "group__website"
    )


def processing_status_choices() -> QuerySet[OrderStatus]:
    """Statuses a newly imported order may take: those assigned to state New or Processing.

    Custom statuses are offered when they are assigned to one of those states; the order
    then takes that state (New first). Any other status could never start an order.
    """
    assigned = OrderStatusState.objects.filter(
        status=OuterRef("pk"), state__in=PROCESSING_STATUS_STATES
    )
    return OrderStatus.objects.filter(Exists(assigned)).order_by("label", "pk")
