"""A text field encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256).

The database row holds only ciphertext; the first key of ``settings.ENCRYPTION_KEYS``
encrypts and every listed key decrypts, so keys can be rotated.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return cipher().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return cipher().decrypt(value.encode()).decode()
        except InvalidToken as error:
            raise ImproperlyConfigured(
                "A stored secret cannot be decrypted with ENCRYPTION_KEYS; was the key changed "
                "without keeping the old one in the list?"
            ) from error


def masked(secret: str) -> str:
    """What pages and API responses show of a secret: never more than its last 4 chars."""
    if not secret:
        return ""
    return "•" * 8 + (secret[-4:] if len(secret) >= 12 else "")
