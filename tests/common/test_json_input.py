"""JSON nested far too deep is bad input, on every API write and in the admin's JSON fields."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from common.json_input import TOO_DEEP
from settings_app.models import AmazonStore
from tests.factories import AmazonStoreFactory
from tests.inventory.factories import ProductFactory


def nested_lists(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_objects(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


DEEP_DOCUMENTS = [
    pytest.param(nested_lists(1_000), id="lists-1000"),
    pytest.param(nested_objects(1_000), id="objects-1000"),
    pytest.param(nested_lists(100_000), id="lists-100000"),
    pytest.param(nested_lists(65), id="lists-65"),
]


def api_writes(store) -> list[tuple[str, str]]:
    ProductFactory(sku="KETTLE", quantity=3)
    settings_url = reverse("api-store-order-settings", args=[store.pk])
    return [
        ("PUT", settings_url),
        ("PATCH", settings_url),
        ("POST", reverse("api-inventory-adjust", args=["KETTLE"])),
    ]


@pytest.fixture
def manager_api(manager, inventory_manager):
    """A store manager who also adjusts stock: every API write is open to them."""
    manager.groups.add(*inventory_manager.groups.all())
    api = APIClient()
    api.force_authenticate(manager)
    return api


@pytest.mark.parametrize("document", DEEP_DOCUMENTS)
def test_an_api_write_of_json_nested_too_deep_answers_400_saying_so(manager_api, store, document):
    # given every endpoint that takes a JSON body
    writes = api_writes(store)

    # when each is sent a document nested too deep
    responses = [
        manager_api.generic(method, url, document, content_type="application/json")
        for method, url in writes
    ]

    # then each answers 400 naming the problem
    assert [response.status_code for response in responses] == [400] * len(writes)
    assert {response.json()["detail"] for response in responses} == {TOO_DEEP}


def test_json_nested_to_the_limit_is_read_as_usual(manager_api, store):
    # given a document nested 64 deep, where only its shape is wrong
    body = json.dumps({"import_enabled": json.loads(nested_lists(63))})

    # when it is sent
    response = manager_api.generic(
        "PATCH",
        reverse("api-store-order-settings", args=[store.pk]),
        body,
        content_type="application/json",
    )

    # then the serializer judges it: a field error, not a parse error
    assert response.status_code == 400
    assert set(response.json()) == {"import_enabled"}


@pytest.mark.parametrize("document", DEEP_DOCUMENTS)
def test_the_admins_json_field_refuses_json_nested_too_deep_at_the_field(
    admin_client, db, document
):
    # given a store
    store = AmazonStoreFactory(marketplace_ids=["ATVPDKIKX0DER"])

    # when its marketplace ids are saved nested too deep
    response = admin_client.post(
        reverse("admin:settings_app_amazonstore_change", args=[store.pk]),
        {
            "name": store.name,
            "seller_id": store.seller_id,
            "region": store.region,
            "marketplace_ids": document,
            "website": store.website_id,
            "lwa_client_id": store.lwa_client_id,
            "is_active": "on",
            "connected_at_0": "2026-01-01",
            "connected_at_1": "00:00:00",
            "new_lwa_client_secret": "",
            "new_refresh_token": "",
            "access-TOTAL_FORMS": "0",
            "access-INITIAL_FORMS": "0",
        },
    )

    # then the form comes back with the error at that field and nothing changed
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["marketplace_ids"] == [TOO_DEEP]
    assert AmazonStore.objects.get(pk=store.pk).marketplace_ids == ["ATVPDKIKX0DER"]
