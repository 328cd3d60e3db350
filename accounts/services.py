"""Writes of API tokens (django-rest-knox): only a hash of each token is stored.

A token is shown once, when it is made; afterwards only its first characters identify it.
Tokens expire ``API_TOKEN_TTL_DAYS`` after they are made (knox's ``TOKEN_TTL``).
"""

from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from accounts.exceptions import ApiTokenLimitReached
from accounts.locks import user_lock
from accounts.selectors import api_tokens_for_user

MAX_LIVE_TOKENS_PER_USER = 10


@transaction.atomic
def api_token_create(*, user) -> tuple[AuthToken, str]:
    """A new token for the user: its stored row and the token itself, to show once."""
    user_lock(user_id=user.pk)
    now = timezone.now()
    AuthToken.objects.filter(user=user, expiry__lte=now).delete()
    if api_tokens_for_user(user=user, now=now).count() >= MAX_LIVE_TOKENS_PER_USER:
        raise ApiTokenLimitReached(
            f"You already have {MAX_LIVE_TOKENS_PER_USER} API tokens: revoke one you no "
            "longer use first."
        )
    return AuthToken.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user, digest: str) -> bool:
    """Revoke one of the user's tokens; False when they hold no such token."""
    deleted, _ = AuthToken.objects.filter(user=user, digest=digest).delete()
    return deleted > 0
