"""Row locks of settings_app, taken in one place so every writer locks the same way."""

from settings_app.models import OrderSettings


def order_settings_lock(*, store_id: int) -> OrderSettings:
    """Lock a store's order settings row until the transaction ends.

    Two saves of one store's settings run one after the other, so each audit row's "old"
    values are the ones the save really replaced.
    """
    return (
        OrderSettings.objects.select_for_update(of=("self",))
        .select_related("store__website")
        .get(store_id=store_id)
    )
