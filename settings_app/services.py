"""Writes of Amazon stores and their order settings."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from commerce.models import Website
from commerce.selectors import default_store_view_of_website
from settings_app.models import AmazonStore, OrderSettings, StoreAccess


@transaction.atomic
def amazon_store_create(
    *,
    name: str,
    seller_id: str,
    region: str,
    marketplace_ids: list[str],
    website: Website,
    lwa_client_id: str,
    lwa_client_secret: str,
    refresh_token: str,
    connected_at: datetime | None = None,
) -> AmazonStore:
    """Connect an Amazon store and give it the default order settings (DOMAIN.md §2)."""
    store = AmazonStore.objects.create(
        name=name,
        seller_id=seller_id,
        region=region,
        marketplace_ids=list(marketplace_ids),
        website=website,
        lwa_client_id=lwa_client_id,
        lwa_client_secret=lwa_client_secret,
        refresh_token=refresh_token,
        connected_at=connected_at or timezone.now(),
    )
    OrderSettings.objects.create(store=store, store_view=default_store_view_of_website(website))
    return store


def store_access_grant(*, user, store: AmazonStore, role: str) -> StoreAccess:
    access, _ = StoreAccess.objects.update_or_create(
        user=user, store=store, defaults={"role": role}
    )
    return access
