"""OPTIONS answers like GET: a resource the user may not see does not exist for OPTIONS either.

DRF's metadata describes an endpoint without looking its object up (and swallows the 404
it meets while checking PUT), so OPTIONS on a store not granted to the user answered 200,
telling that the store exists. Here every endpoint whose URL names something (it has URL
arguments) looks it up first, the way its GET does: a missing or hidden one answers 404.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.metadata import SimpleMetadata
from rest_framework.mixins import ListModelMixin


class LookupFirstMetadata(SimpleMetadata):
    def determine_metadata(self, request, view):
        if view.kwargs:
            look_up_named_resource(view)
        return super().determine_metadata(request, view)


def look_up_named_resource(view) -> None:
    """Raise what the view's GET raises when the resource its URL names is not there."""
    if isinstance(view, ListModelMixin):
        view.get_queryset()
    elif hasattr(view, "get_object"):
        view.get_object()
    else:
        raise ImproperlyConfigured(
            f"{type(view).__name__} takes URL arguments: give it get_object() or "
            "get_queryset() so OPTIONS answers 404 where its GET would."
        )
