"""Who may see and adjust inventory.

Stock is shared by every Amazon store, so access follows the store roles as a whole:
any role on any store lets a user view inventory, managing any store lets them adjust
it. Everyone else is refused with 403: there is no per-store secret to hide behind 404.
"""

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from settings_app.selectors import user_has_any_store, user_manages_any_store

VIEW_REFUSED = "Inventory is open to users holding a role on at least one Amazon store."
ADJUST_REFUSED = "Only a manager of at least one Amazon store may adjust stock."


def require_inventory_viewer(user) -> None:
    if not user_has_any_store(user=user):
        raise PermissionDenied(VIEW_REFUSED)


def require_inventory_manager(user) -> None:
    if not user_manages_any_store(user=user):
        raise PermissionDenied(ADJUST_REFUSED)


class CanViewInventory(BasePermission):
    message = VIEW_REFUSED

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and user_has_any_store(
            user=request.user
        )


class CanAdjustInventory(BasePermission):
    message = ADJUST_REFUSED

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and user_manages_any_store(
            user=request.user
        )
