"""API throttles: per user once logged in, per client address before.

Logged-in users are counted per user by the throttle DRF runs on every request. Requests
without valid credentials are counted per client address by the anonymous throttle, run
by the API's exception handler (``common.api_errors``): DRF refuses them before it checks
any throttle.

Rates come from the settings (``API_THROTTLE_RATES``, read from the environment) when a
request is counted, and counts live in the ``throttle`` cache: Redis when configured,
so every process of a deployment counts together.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, UserRateThrottle


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


def client_address(request) -> str:
    """The client's address as the throttles see it (``TRUSTED_PROXY_COUNT`` proxies in front).

    The login lockout uses it too, so both count the same client behind a proxy.
    """
    return BaseThrottle().get_ident(request)
