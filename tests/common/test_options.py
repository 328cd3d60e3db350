"""OPTIONS on any API endpoint that names a resource answers like its GET: 404 when hidden."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.inventory.factories import ProductFactory


def api_routes_naming_a_resource() -> list[tuple[str, list[str]]]:
    """(URL name, converter names) of every API route that takes URL arguments."""
    found = []

    def walk(patterns, inside_api: bool) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, inside_api or str(entry.pattern) == "api/")
            elif isinstance(entry, URLPattern) and inside_api and entry.pattern.converters:
                converters = [
                    type(converter).__name__ for converter in entry.pattern.converters.values()
                ]
                found.append((entry.name, converters))

    walk(get_resolver().url_patterns, inside_api=False)
    return found


ROUTES = api_routes_naming_a_resource()


def arguments(converters: list[str], *, store_id: int, sku: str) -> list:
    value_by_converter = {"IntConverter": store_id, "SkuConverter": sku}
    return [value_by_converter[converter] for converter in converters]


def test_the_api_has_routes_naming_stores_and_skus():
    # then the checks below cover both kinds of resource
    assert {converter for _, converters in ROUTES for converter in converters} == {
        "IntConverter",
        "SkuConverter",
    }


@pytest.fixture
def manager_api(manager, inventory_manager):
    """A store manager who also adjusts stock: every endpoint is open to them."""
    manager.groups.add(*inventory_manager.groups.all())
    api = APIClient()
    api.force_authenticate(manager)
    return api


@pytest.mark.parametrize(("name", "converters"), ROUTES, ids=[name for name, _ in ROUTES])
def test_options_on_a_store_not_granted_or_an_unknown_sku_answers_404(
    manager_api, other_store, name, converters
):
    # given a store the user may not see and a SKU that does not exist
    url = reverse(name, args=arguments(converters, store_id=other_store.pk, sku="NO-SUCH-SKU"))

    # when OPTIONS asks about it
    response = manager_api.options(url)

    # then it does not exist, as for GET
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "converters"), ROUTES, ids=[name for name, _ in ROUTES])
def test_options_on_a_visible_resource_describes_it(manager_api, store, name, converters):
    # given the manager's store and an existing SKU
    ProductFactory(sku="KETTLE")
    url = reverse(name, args=arguments(converters, store_id=store.pk, sku="KETTLE"))

    # when OPTIONS asks about it
    response = manager_api.options(url)

    # then it is described
    assert response.status_code == 200
    assert response.json()["name"]
