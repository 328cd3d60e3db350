"""Reads of the Commerce structure."""

from commerce.models import StoreView, Website


def default_store_view_of_website(website: Website) -> StoreView:
    """The default store view of the website's default store, as Magento resolves it."""
    group = website.default_group or website.groups.order_by("pk").first()
    if group is None:
        raise StoreView.DoesNotExist(f"Website {website.code} has no store.")
    return group.default_store_view or group.store_views.order_by("sort_order", "pk").first()
