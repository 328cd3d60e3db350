"""A store not granted to a user does not exist for them, on every page and endpoint.

The routes are read from the project's URL configuration, so a page or endpoint added
later under a store id is checked too.
"""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from settings_app.models import AmazonStore, OrderSettings, OrderSettingsChange, StoreRole
from tests.factories import AmazonStoreFactory, StoreAccessFactory

METHODS = ["get", "post", "put", "patch", "delete"]
# Routes that only act (POST): an operator may not use them at all.
STORE_ACTION_ROUTES = {"operations:store-recover", "api-store-recover"}
KNOWN_STORE_ROUTES = {
    *STORE_ACTION_ROUTES,
    "operations:store-dashboard",
    "operations:recent-orders-newer",
    "api-store-health",
    "settings_app:order-settings",
    "api-store-detail",
    "api-store-order-settings",
}


def store_scoped_route_names(patterns=None, namespace="") -> list[str]:
    """Names of every URL pattern whose only argument is a store id."""
    names = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += store_scoped_route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            if set(converters) == {"store_id"}:
                names.append(f"{namespace}{pattern.name}")
    return sorted(set(names))


STORE_ROUTES = store_scoped_route_names()


def request(client, method: str, url: str):
    if method in {"put", "patch"}:
        body = json.dumps({"import_enabled": False})
        return getattr(client, method)(url, body, content_type="application/json")
    if method == "post":
        return client.post(url, {"import_enabled": "0"})
    return getattr(client, method)(url)


def test_every_known_store_page_and_endpoint_is_checked():
    # given the project's URL configuration

    # when the routes taking a store id are collected

    # then the dashboard, settings page and both API endpoints are among them
    assert set(STORE_ROUTES) >= KNOWN_STORE_ROUTES


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("route", STORE_ROUTES)
def test_a_store_not_granted_answers_404(db, client, route, method):
    # given a manager of store A and a store B they were not granted
    store_a = AmazonStoreFactory()
    store_b = AmazonStoreFactory()
    client.force_login(StoreAccessFactory(store=store_a, role=StoreRole.MANAGER).user)

    # when they use the route on store B, and the same route on their own store A
    on_b = request(client, method, reverse(route, kwargs={"store_id": store_b.pk}))
    on_a = request(client, method, reverse(route, kwargs={"store_id": store_a.pk}))

    # then store B does not exist for them; a method no route supports says so for both
    if on_a.status_code == 405:
        assert on_b.status_code == 405
    else:
        assert on_b.status_code == 404
    assert OrderSettings.objects.get(store=store_b).import_enabled is True
    assert not OrderSettingsChange.objects.filter(store=store_b).exists()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("route", STORE_ROUTES)
def test_a_guessed_store_id_answers_404(manager_client, store, route, method):
    # given an id no store has
    guessed = (AmazonStore.objects.order_by("-pk").values_list("pk", flat=True).first()) + 1000

    # when a user with a store tries it
    response = request(manager_client, method, reverse(route, kwargs={"store_id": guessed}))

    # then there is nothing there
    assert response.status_code in {404, 405}


@pytest.mark.parametrize("route", STORE_ROUTES)
def test_an_operator_reads_every_store_page_and_endpoint(operator_client, store, route):
    # given an operator of the store

    # when they open each page and endpoint of it
    url = reverse(route, kwargs={"store_id": store.pk})
    response = operator_client.get(url)

    # then they may read it; a route that only acts refuses them
    if route in STORE_ACTION_ROUTES:
        assert response.status_code == 405
        assert (
            operator_client.post(url, {"amazon_order_id": "902-1845936-5435065"}).status_code == 403
        )
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("route", STORE_ROUTES)
def test_a_user_with_no_grant_at_all_gets_404(client, store, django_user_model, route):
    # given a logged-in user without any store
    client.force_login(django_user_model.objects.create_user("nobody", password="pw-1234-x"))

    # when they open a store's page or endpoint (or act on it)
    url = reverse(route, kwargs={"store_id": store.pk})
    response = client.post(url) if route in STORE_ACTION_ROUTES else client.get(url)

    # then the store does not exist for them
    assert response.status_code == 404


def role_shown(response) -> str | None:
    """The role a store page or endpoint shows the user; None where it shows none."""
    if response["Content-Type"].startswith("application/json"):
        return response.json().get("role")
    try:
        return response.context["store"].role
    except (KeyError, TypeError):
        return None


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("route", STORE_ROUTES)
def test_an_operator_of_a_store_that_also_has_a_manager_may_only_read(
    client, store, route, method
):
    # given one store with two grants: a manager (granted first) and an operator
    StoreAccessFactory(store=store, role=StoreRole.MANAGER)
    operator = StoreAccessFactory(store=store, role=StoreRole.OPERATOR).user
    client.force_login(operator)

    # when the operator uses the store's page or endpoint
    response = request(client, method, reverse(route, kwargs={"store_id": store.pk}))

    # then the operator reads as an operator and writes nothing: their role, not the other's
    if method == "get":
        assert response.status_code in {200, 405}
        if response.status_code == 200:
            assert role_shown(response) in {StoreRole.OPERATOR, None}
    else:
        assert response.status_code in {403, 405}
    assert OrderSettings.objects.get(store=store).import_enabled is True
    assert not OrderSettingsChange.objects.filter(store=store).exists()


def test_the_store_list_shows_an_operator_their_own_role_beside_a_manager(client, store):
    # given one store with a manager (granted first) and an operator
    StoreAccessFactory(store=store, role=StoreRole.MANAGER)
    operator = StoreAccessFactory(store=store, role=StoreRole.OPERATOR).user
    client.force_login(operator)

    # when the operator lists their stores, on the page and through the API
    page = client.get(reverse("settings_app:store-list"))
    api = client.get(reverse("api-store-list"))

    # then the store is listed with the operator's role
    assert [each.role for each in page.context["stores"]] == [StoreRole.OPERATOR]
    assert [each["role"] for each in api.json()["results"]] == [StoreRole.OPERATOR]
