"""The API's exception handler: DRF's, with refused credentials counted per client address.

DRF checks throttles after authentication and permissions, so a request without valid
credentials is refused with 401 before any throttle counts it, and a client guessing
tokens would never be slowed down. Here each such refusal is counted by the anonymous
throttle; past its rate the answer is 429 instead.
"""

from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, Throttled
from rest_framework.views import exception_handler as drf_exception_handler

from common.throttling import AnonymousThrottle


def exception_handler(exc, context):
    if isinstance(exc, NotAuthenticated | AuthenticationFailed):
        throttle = AnonymousThrottle()
        if not throttle.allow_request(context["request"], context["view"]):
            exc = Throttled(wait=throttle.wait())
    return drf_exception_handler(exc, context)
