"""Row locks of the accounts services."""

from django.contrib.auth import get_user_model


def user_lock(*, user_id: int) -> None:
    """Lock the user's row: their token writes queue behind each other."""
    get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk").first()
