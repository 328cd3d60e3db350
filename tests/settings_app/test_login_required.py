"""Every page and endpoint needs a login.

The routes are read from the project's URL configuration, so a page or endpoint added
later by any app is checked too: an anonymous visitor is sent to the login form by a
page and refused by the API, never served (200) and never met with a server error.
"""

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from settings_app.models import OrderSettings, OrderSettingsChange

# The only routes an anonymous visitor may use: logging in and out.
PUBLIC_ROUTES = {"login", "logout"}
# The admin sends anonymous visitors to its own login form; it is checked separately.
SEPARATELY_CHECKED_NAMESPACES = {"admin"}
# Ids are filled with the store's own id, so a route is checked on a row that exists.
SAMPLE_ARGUMENT = {"int": "{id}", "path": "SAMPLE-SKU", "str": "sample", "slug": "sample"}
ARGUMENT = re.compile(r"<(?:(?P<kind>\w+):)?\w+>")


def anonymous_routes(patterns=None, namespace="", prefix="") -> list[tuple[str, str]]:
    """(name, route) of every URL pattern, its arguments filled with sample values."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SEPARATELY_CHECKED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += anonymous_routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name or str(pattern.pattern)}"
            if pattern.name in PUBLIC_ROUTES and not namespace:
                continue
            route = ARGUMENT.sub(
                lambda argument: SAMPLE_ARGUMENT.get(argument["kind"] or "str", "sample"),
                "/" + prefix + str(pattern.pattern),
            )
            routes.append((name, route))
    return sorted(set(routes))


ROUTES = anonymous_routes()
LOGIN_PATH = resolve_url(settings.LOGIN_URL)


def is_api(route: str) -> bool:
    """Machine endpoints; the interactive docs are a page for people."""
    return route.startswith("/api/") and route != reverse("api-docs")


def test_every_app_has_its_routes_checked():
    # given the project's URL configuration

    # when its routes are collected

    # then the pages and the API of the store dashboard and the docs are among them
    names = {name for name, _ in ROUTES}
    assert {
        "settings_app:store-list",
        "settings_app:order-settings",
        "commerce:order-status-list",
        "api-store-order-settings",
        "order-status-list",
        "schema",
        "api-docs",
    } <= names
    assert all("<" not in route and "(?P" not in route for _, route in ROUTES)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[name for name, _ in ROUTES])
def test_an_anonymous_visitor_is_sent_to_log_in(client, store, name, route, method):
    # given an anonymous visitor and an existing store
    url = route.format(id=store.pk)

    # when they open or post to the page or endpoint
    response = getattr(client, method)(url, follow=not is_api(url))

    # then the API refuses them and a page ends on the login form, changing nothing
    if is_api(url):
        assert response.status_code == 401, response.content[:200]
        assert response.headers["WWW-Authenticate"].startswith("Token")
    else:
        assert response.redirect_chain, f"{url} answered {response.status_code}"
        final_url, _ = response.redirect_chain[-1]
        assert final_url.startswith(LOGIN_PATH)
    assert OrderSettings.objects.get(store=store).import_enabled is True
    assert not OrderSettingsChange.objects.exists()


def test_the_api_docs_and_schema_are_not_public(client, db):
    # given an anonymous visitor

    # when they ask for the OpenAPI schema and the interactive docs
    schema = client.get(reverse("schema"))
    docs = client.get(reverse("api-docs"))

    # then neither describes the API to them: the docs page sends them to log in
    assert schema.status_code == 401
    assert b"/api/stores/" not in schema.content
    assert docs.status_code == 302
    assert docs.headers["Location"].startswith(LOGIN_PATH)


@pytest.mark.parametrize("url_name", ["admin:index", "admin:settings_app_amazonstore_changelist"])
def test_the_admin_sends_an_anonymous_visitor_to_its_login(client, db, url_name):
    # given an anonymous visitor

    # when they open the admin
    response = client.get(reverse(url_name))

    # then they are asked to log in as staff
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
