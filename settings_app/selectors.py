"""Reads of Amazon stores, always through the user's grants.

A user sees only the stores granted to them (superusers see all); a store that is not
granted does not exist for that user, so lookups raise Http404, never 403.
"""

from django.db.models import QuerySet
from django.http import Http404

from settings_app.models import AmazonStore, StoreAccess, StoreRole


def store_list_for_user(*, user) -> QuerySet[AmazonStore]:
    stores = AmazonStore.objects.select_related("website")
    if user.is_superuser:
        return stores
    return stores.filter(access__user=user).distinct()


def store_role_for_user(*, user, store: AmazonStore) -> str | None:
    if user.is_superuser:
        return StoreRole.MANAGER
    return (
        StoreAccess.objects.filter(user=user, store=store).values_list("role", flat=True).first()
    )


def store_get_for_user(*, user, store_id) -> AmazonStore:
    """The store if the user holds any role on it, else Http404."""
    try:
        return store_list_for_user(user=user).get(pk=store_id)
    except (AmazonStore.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such Amazon store.") from missing


def user_can_manage_store(*, user, store: AmazonStore) -> bool:
    return store_role_for_user(user=user, store=store) == StoreRole.MANAGER


def user_manages_any_store(*, user) -> bool:
    if user.is_superuser:
        return True
    return StoreAccess.objects.filter(user=user, role=StoreRole.MANAGER).exists()


def user_has_any_store(*, user) -> bool:
    if user.is_superuser:
        return True
    return StoreAccess.objects.filter(user=user).exists()
