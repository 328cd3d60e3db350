"""Times shown in the viewer's own time zone, always labelled with it.

A small static script (``static/js/timezone.js``) stores the browser's IANA zone in a
cookie; this middleware activates it for the request. Until the browser has said, or when
the cookie names no zone we know, pages show UTC, labelled as such.
"""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import timezone

COOKIE = "tz"
KNOWN_ZONES = frozenset(available_timezones())


def viewer_zone(cookie_value: str | None) -> ZoneInfo | None:
    if not cookie_value or cookie_value not in KNOWN_ZONES:
        return None
    try:
        return ZoneInfo(cookie_value)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class ViewerTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The API speaks UTC to every client; pages speak the viewer's zone.
        api = request.path.startswith("/api/")
        zone = None if api else viewer_zone(request.COOKIES.get(COOKIE))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def current_zone_name() -> str:
    return timezone.get_current_timezone_name()
