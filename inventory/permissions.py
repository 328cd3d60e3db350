"""Who may see and adjust inventory.

Stock is shared by every Amazon store. Viewing it needs ``inventory.view_stockitem``
(the "Inventory managers" group has it, and so does anyone holding a role on a store);
adjusting it needs ``inventory.adjust_stock`` (the "Inventory managers" group). Everyone
else is refused with 403: there is no per-store secret to hide behind 404.
"""

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

VIEW_PERMISSION = "inventory.view_stockitem"
ADJUST_PERMISSION = "inventory.adjust_stock"
VIEW_REFUSED = "Inventory is open to users holding a role on an Amazon store."
ADJUST_REFUSED = "Only inventory managers may adjust stock."


def user_can_view_inventory(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_PERMISSION)


def user_can_adjust_stock(user) -> bool:
    return user.is_authenticated and user.has_perm(ADJUST_PERMISSION)


def require_inventory_viewer(user) -> None:
    if not user_can_view_inventory(user):
        raise PermissionDenied(VIEW_REFUSED)


def require_inventory_manager(user) -> None:
    if not user_can_adjust_stock(user):
        raise PermissionDenied(ADJUST_REFUSED)


class CanViewInventory(BasePermission):
    message = VIEW_REFUSED

    def has_permission(self, request, view) -> bool:
        return bool(request.user) and user_can_view_inventory(request.user)


class CanAdjustInventory(BasePermission):
    message = ADJUST_REFUSED

    def has_permission(self, request, view) -> bool:
        return bool(request.user) and user_can_adjust_stock(request.user)
