"""Permissions that follow from store roles, asked for through Django's permission API.

Lower apps never import settings_app: an inventory page asks ``user.has_perm(...)`` and
this backend answers from the user's grants. Holding any role on any Amazon store lets a
user view inventory (stock is what the store's orders draw on); changing shared things
(stock, order statuses) needs a group permission instead.
"""

from settings_app.models import StoreAccess

STORE_ROLE_PERMISSIONS = frozenset({"inventory.view_stockitem"})
CACHE_ATTRIBUTE = "_holds_a_store_role"


class StoreRolePermissionBackend:
    """Grants STORE_ROLE_PERMISSIONS to active users holding a role on any store."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if perm not in STORE_ROLE_PERMISSIONS or not user_obj.is_active:
            return False
        if user_obj.is_anonymous:
            return False
        if not hasattr(user_obj, CACHE_ATTRIBUTE):
            setattr(user_obj, CACHE_ATTRIBUTE, StoreAccess.objects.filter(user=user_obj).exists())
        return getattr(user_obj, CACHE_ATTRIBUTE)
