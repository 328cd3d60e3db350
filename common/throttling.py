"""API throttles: per user once logged in, per client address before.

DRF checks throttles after authentication and permissions, so a request without valid
credentials is refused with 401 before any throttle counts it, and a client guessing
tokens would never be slowed down. Here those refusals are counted per address by the
anonymous throttle, in the exception handler; past its rate they answer 429 instead.
Logged-in users are counted per user by the throttle DRF runs on every request.

Rates come from the settings (``API_THROTTLE_RATES``, read from the environment) when a
request is counted, and counts live in the ``throttle`` cache: Redis when configured,
so every process of a deployment counts together.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, Throttled
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, UserRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler


class _ConfiguredRate:
    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class UserThrottle(_ConfiguredRate, UserRateThrottle):
    pass


class AnonymousThrottle(_ConfiguredRate, AnonRateThrottle):
    pass


def exception_handler(exc, context):
    """DRF's, with refused credentials counted per client address (429 past the rate)."""
    if isinstance(exc, NotAuthenticated | AuthenticationFailed):
        throttle = AnonymousThrottle()
        if not throttle.allow_request(context["request"], context["view"]):
            exc = Throttled(wait=throttle.wait())
    return drf_exception_handler(exc, context)


def client_address(request) -> str:
    """The client's address as the throttles see it (``TRUSTED_PROXY_COUNT`` proxies in front).

    The login lockout uses it too, so both count the same client behind a proxy.
    """
    return BaseThrottle().get_ident(request)
