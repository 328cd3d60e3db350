"""API authentication by hashed, expiring tokens (django-rest-knox).

``Authorization: Token <token>``. A credential that cannot be a token (not the hex
characters knox makes, or not their number) is refused before any lookup: bytes that are
not UTF-8 or hold a NUL would otherwise fail in the decoding or in the database (a 500).
"""

import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.settings import knox_settings
from rest_framework.exceptions import AuthenticationFailed


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        if not re.fullmatch(rb"[0-9a-f]+", token) or len(token) != _token_length():
            raise AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(token)


def _token_length() -> int:
    return len(knox_settings.TOKEN_PREFIX) + knox_settings.AUTH_TOKEN_CHARACTER_LENGTH


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema (and the docs' Authorize button) describes the token."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )
