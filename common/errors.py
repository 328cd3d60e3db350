"""Error pages that answer a JSON client in JSON.

DRF answers its own views' errors in JSON; these handlers cover the rest: an unknown URL
under /api/, a page's 400/403/404/500 asked for with ``Accept: application/json`` (the
Recent Orders poll). People get the HTML pages.
"""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

API_PREFIX = "/api/"
MESSAGES = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "Server error.",
}


def wants_json(request) -> bool:
    if request.path.startswith(API_PREFIX):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _ours(exception) -> str:
    """The message of a refusal our own code raised (written for people); else nothing.
    Django's own exceptions (e.g. a suspicious header) may echo input: never shown."""
    if isinstance(exception, BadRequest | PermissionDenied) and str(exception):
        return str(exception)
    return ""


def _json(status: int, exception=None) -> JsonResponse:
    return JsonResponse({"detail": _ours(exception) or MESSAGES[status]}, status=status)


def bad_request(request, exception):
    if wants_json(request):
        return _json(400, exception)
    body = render_to_string("400.html", {"exception": _ours(exception)}, request=request)
    return HttpResponseBadRequest(body)


def permission_denied(request, exception):
    if wants_json(request):
        return _json(403, exception)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if wants_json(request):
        return _json(404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if wants_json(request):
        return _json(500)
    return defaults.server_error(request)
