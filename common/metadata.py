"""OPTIONS answers like GET: a resource the user may not see does not exist for OPTIONS either.

DRF's metadata describes an endpoint without looking its object up (and swallows the 404
it meets while checking PUT), so OPTIONS on a store not granted to the user answered 200,
telling that the store exists. Here every endpoint whose URL names something (it has URL
arguments) looks it up first, the way the endpoint's GET does; an action endpoint that
only takes POST (``…/orders/7/hold/``) looks up the resource its URL sits under
(``…/orders/7/``). A missing or hidden resource answers 404.
"""

from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404, resolve
from rest_framework.metadata import SimpleMetadata
from rest_framework.mixins import ListModelMixin


class LookupFirstMetadata(SimpleMetadata):
    def determine_metadata(self, request, view):
        if view.kwargs:
            look_up_named_resource(request, view)
        return super().determine_metadata(request, view)


def look_up_named_resource(request, view) -> None:
    """Raise what the view's GET raises when the resource its URL names is not there.

    GET is safe, so running the view's own GET handler (its answer thrown away) looks the
    resource up exactly as a GET would, whatever the view's shape.
    """
    if isinstance(view, ListModelMixin):
        view.get_queryset()
    elif hasattr(view, "get_object"):
        view.get_object()
    elif hasattr(view, "get"):
        view.get(request, *view.args, **view.kwargs)
    else:
        look_up_named_resource(request, _parent_view(request, view))


def _parent_view(request, view):
    """The API view of the resource an action endpoint's URL sits under, set up for request."""
    parent_path = request.path_info.rstrip("/").rsplit("/", 1)[0] + "/"
    try:
        match = resolve(parent_path)
    except Resolver404:
        match = None
    view_class = getattr(getattr(match, "func", None), "cls", None)
    if view_class is None or not match.kwargs:
        raise ImproperlyConfigured(
            f"{type(view).__name__} takes URL arguments but has no GET, no get_object() and "
            f"no API resource above it ({parent_path}) to look them up: OPTIONS could not "
            "answer 404 where its other methods do."
        )
    parent = view_class(**match.func.initkwargs)
    parent.request, parent.args, parent.kwargs = request, match.args, match.kwargs
    parent.format_kwarg = None
    return parent
