"""OPTIONS on any API endpoint that names a resource answers like its other methods: 404
when the resource is missing or hidden from the user, a description when it is theirs."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.inventory.factories import ProductFactory
from tests.operations.factories import imported_order


def api_routes_naming_a_resource() -> list[tuple[str, list[str]]]:
    """(URL name, URL argument names) of every API route that takes URL arguments."""
    found = []

    def walk(patterns, inside_api: bool) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, inside_api or str(entry.pattern) == "api/")
            elif isinstance(entry, URLPattern) and inside_api and entry.pattern.converters:
                found.append((entry.name, sorted(entry.pattern.converters)))

    walk(get_resolver().url_patterns, inside_api=False)
    return found


ROUTES = api_routes_naming_a_resource()
# What a route's `pk` is, by the start of its name; a new kind of route must be added here.
PK_KINDS = {"api-amazon-order-": "amazon_order", "api-order-": "order"}


def resources_of(store, *, sku: str) -> dict[str, object]:
    amazon_order = imported_order(store=store)
    return {
        "store_id": store.pk,
        "sku": sku,
        "amazon_order": amazon_order.pk,
        "order": amazon_order.commerce_order_id,
    }


def url(name: str, arguments: list[str], resources: dict[str, object]) -> str:
    kwargs = {}
    for argument in arguments:
        if argument == "pk":
            [kind] = [kind for start, kind in PK_KINDS.items() if name.startswith(start)]
            kwargs[argument] = resources[kind]
        else:
            kwargs[argument] = resources[argument]
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def manager_api(manager, inventory_manager):
    """A store manager who also adjusts stock: every endpoint is open to them."""
    manager.groups.add(*inventory_manager.groups.all())
    api = APIClient()
    api.force_authenticate(manager)
    return api


def test_the_api_has_routes_naming_stores_skus_and_orders():
    # then the checks below cover every kind of resource
    assert {argument for _, arguments in ROUTES for argument in arguments} == {
        "store_id",
        "sku",
        "pk",
    }


@pytest.mark.parametrize(("name", "arguments"), ROUTES, ids=[name for name, _ in ROUTES])
def test_options_on_a_resource_not_granted_or_unknown_answers_404(
    manager_api, other_store, name, arguments
):
    # given a store the user may not see, its orders, and a SKU that does not exist
    hidden = url(name, arguments, resources_of(other_store, sku="NO-SUCH-SKU"))

    # when OPTIONS asks about them
    response = manager_api.options(hidden)

    # then they do not exist, as for every other method
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "arguments"), ROUTES, ids=[name for name, _ in ROUTES])
def test_options_on_a_visible_resource_describes_it(manager_api, store, name, arguments):
    # given the manager's store, its orders, and an existing SKU
    ProductFactory(sku="KETTLE")
    visible = url(name, arguments, resources_of(store, sku="KETTLE"))

    # when OPTIONS asks about them
    response = manager_api.options(visible)

    # then they are described
    assert response.status_code == 200
    assert response.json()["name"]
