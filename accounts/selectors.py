"""Reads of a user's API tokens: never the token, only its first characters and dates."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken


def api_tokens_for_user(*, user, now: datetime | None = None) -> QuerySet[AuthToken]:
    """The user's tokens that still work, newest first."""
    now = now or timezone.now()
    return (
        AuthToken.objects.filter(user=user)
        .filter(Q(expiry__isnull=True) | Q(expiry__gt=now))
        .order_by("-created")
    )
