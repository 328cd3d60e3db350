import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from commerce.models import OrderState, OrderStatus, OrderStatusState, StoreView
from settings_app.models import (
    CustomerCreation,
    OrderNumberSource,
    OrderSettings,
    OrderSettingsChange,
    OrderStatusMode,
    PendingOrders,
    StoreRole,
)
from settings_app.services import order_settings_update
from tests.factories import (
    AmazonStoreFactory,
    StoreAccessFactory,
    another_store_view,
)


def settings_url(store) -> str:
    return reverse("api-store-order-settings", args=[store.pk])


def full_settings(store, **overrides) -> dict:
    body = {
        "import_enabled": True,
        "store_view": store.order_settings.store_view_id,
        "customer_creation": CustomerCreation.GUEST,
        "order_number_source": OrderNumberSource.COMMERCE,
        "pending_orders": PendingOrders.RESERVE,
        "order_status": OrderStatusMode.DEFAULT,
        "processing_status": None,
    }
    body.update(overrides)
    return body


def test_the_api_needs_authentication(store):
    # given an anonymous client
    api = APIClient()

    # when it asks for stores and settings
    responses = [
        api.get(reverse("api-store-list")),
        api.get(reverse("api-store-detail", args=[store.pk])),
        api.get(settings_url(store)),
        api.patch(settings_url(store), {"import_enabled": False}, format="json"),
    ]

    # then every answer asks it to authenticate
    assert [response.status_code for response in responses] == [401, 401, 401, 401]
    assert OrderSettings.objects.get(store=store).import_enabled is True


def test_token_authentication_works(manager, store):
    # given a manager's API token
    _, token = api_token_create(user=manager)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    # when the token is used to read the store list
    response = api.get(reverse("api-store-list"))

    # then the store is listed
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [store.pk]


def test_the_store_list_shows_only_granted_stores(manager_api, store, other_store):
    # given a manager of one store and another store not granted to them

    # when they list stores
    response = manager_api.get(reverse("api-store-list"))

    # then only their store is there, with their role and masked secrets
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == store.pk
    assert row["name"] == store.name
    assert row["seller_id"] == store.seller_id
    assert row["region"] == "na"
    assert row["marketplace_ids"] == ["ATVPDKIKX0DER"]
    assert row["website"] == {"id": store.website_id, "code": "base", "name": "Main Website"}
    assert row["role"] == StoreRole.MANAGER
    assert row["import_enabled"] is True
    assert row["refresh_token"] == "••••••••" + store.refresh_token[-4:]
    assert row["lwa_client_secret"] == "••••••••" + store.lwa_client_secret[-4:]


def test_the_store_list_runs_the_same_queries_for_one_or_many_stores(
    manager_api, manager, store, django_assert_max_num_queries
):
    # given a user with one store
    with CaptureQueriesContext(connection) as with_one_store:
        manager_api.get(reverse("api-store-list"))

    # when they are granted five more stores
    for _ in range(5):
        StoreAccessFactory(user=manager, role=StoreRole.OPERATOR)
    with django_assert_max_num_queries(len(with_one_store)) as with_six_stores:
        response = manager_api.get(reverse("api-store-list"))

    # then six stores come back with no more queries than one
    assert len(response.json()["results"]) == 6
    assert {row["role"] for row in response.json()["results"]} == {"manager", "operator"}
    assert len(with_six_stores) == len(with_one_store) <= 2


def test_the_store_detail(operator_api, store):
    # given an operator of the store

    # when they read it
    response = operator_api.get(reverse("api-store-detail", args=[store.pk]))

    # then they get its details and their role
    assert response.status_code == 200
    assert response.json()["id"] == store.pk
    assert response.json()["role"] == StoreRole.OPERATOR


def test_reading_the_order_settings(operator_api, store):
    # given a store with default settings

    # when an operator reads them
    response = operator_api.get(settings_url(store))

    # then the defaults come back
    assert response.status_code == 200
    assert response.json() == {
        "import_enabled": True,
        "store_view": store.order_settings.store_view_id,
        "customer_creation": "guest",
        "order_number_source": "commerce",
        "pending_orders": "reserve",
        "order_status": "default",
        "processing_status": None,
        "updated_at": response.json()["updated_at"],
        "updated_by": None,
    }


def test_put_replaces_the_settings(manager_api, manager, store):
    # given a custom status and another store view of the store's website
    status = OrderStatus.objects.create(code="amazon_received", label="Amazon Received")
    OrderStatusState.objects.create(status=status, state=OrderState.PROCESSING)
    view = another_store_view(store.website)

    # when the manager puts a full set of settings
    response = manager_api.put(
        settings_url(store),
        full_settings(
            store,
            store_view=view.pk,
            customer_creation="new_account",
            order_number_source="amazon",
            pending_orders="do_not_reserve",
            order_status="custom",
            processing_status="amazon_received",
        ),
        format="json",
    )

    # then the saved settings come back and are stored, with an audit row
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["store_view"] == view.pk
    assert body["processing_status"] == "amazon_received"
    assert body["updated_by"] == manager.username
    settings = OrderSettings.objects.get(store=store)
    assert settings.processing_status == status
    assert settings.pending_orders == PendingOrders.DO_NOT_RESERVE
    assert OrderSettingsChange.objects.get(store=store).changed_by == manager


def test_patch_changes_only_what_is_sent(manager_api, store):
    # given default settings

    # when one field is patched
    response = manager_api.patch(
        settings_url(store), {"customer_creation": "new_account"}, format="json"
    )

    # then only that field changed
    assert response.status_code == 200
    settings = OrderSettings.objects.get(store=store)
    assert settings.customer_creation == CustomerCreation.NEW_ACCOUNT
    assert settings.order_number_source == OrderNumberSource.COMMERCE


def test_custom_without_processing_status_answers_400_at_that_field(manager_api, store):
    # given default settings

    # when Custom is put without a processing status
    response = manager_api.put(
        settings_url(store),
        full_settings(store, customer_creation="new_account", order_status="custom"),
        format="json",
    )

    # then 400 names the field, and nothing was saved
    assert response.status_code == 400
    assert set(response.json()) == {"processing_status"}
    settings = OrderSettings.objects.get(store=store)
    assert settings.order_status == OrderStatusMode.DEFAULT
    assert settings.customer_creation == CustomerCreation.GUEST


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"import_enabled": "perhaps"}, "import_enabled"),
        ({"store_view": 987654321}, "store_view"),
        ({"store_view": "abc"}, "store_view"),
        ({"customer_creation": "sometimes"}, "customer_creation"),
        ({"order_number_source": "random"}, "order_number_source"),
        ({"pending_orders": "always"}, "pending_orders"),
        ({"order_status": "mine"}, "order_status"),
        ({"order_status": "custom", "processing_status": "no_such_status"}, "processing_status"),
        ({"order_status": "custom", "processing_status": ""}, "processing_status"),
        ({"order_status": "custom", "processing_status": 17}, "processing_status"),
        ({"order_status": "custom", "processing_status": ["pending"]}, "processing_status"),
        ({"import_enabled": None}, "import_enabled"),
        ({"import_enabled": 2}, "import_enabled"),
        ({"store_view": None}, "store_view"),
        ({"store_view": True}, "store_view"),
        ({"store_view": [1]}, "store_view"),
        ({"store_view": 10**30}, "store_view"),
        ({"store_view": -1}, "store_view"),
        ({"customer_creation": None}, "customer_creation"),
        ({"pending_orders": ["reserve"]}, "pending_orders"),
    ],
)
def test_bad_input_answers_400_with_the_field_error(manager_api, store, body, field):
    # given default settings

    # when an invalid value is patched
    response = manager_api.patch(settings_url(store), body, format="json")

    # then 400 names that field and nothing was saved
    assert response.status_code == 400
    assert field in response.json()
    assert not OrderSettingsChange.objects.exists()


def test_an_inactive_store_view_answers_400(manager_api, store):
    # given a switched-off store view
    view = another_store_view(store.website)
    StoreView.objects.filter(pk=view.pk).update(is_active=False)

    # when it is chosen
    response = manager_api.patch(settings_url(store), {"store_view": view.pk}, format="json")

    # then it is refused at that field
    assert response.status_code == 400
    assert set(response.json()) == {"store_view"}


@pytest.mark.parametrize(
    "body", ["{not json", "[]", '"text"', "null", "17", '{"import_enabled": NaN}', b"\xff\xfe{}"]
)
def test_malformed_bodies_answer_400_not_500(manager_api, store, body):
    # given a manager

    # when a body that is not a settings object is sent
    response = manager_api.generic(
        "PATCH", settings_url(store), body, content_type="application/json"
    )

    # then it is a client error
    assert response.status_code == 400


def test_put_with_missing_fields_answers_400(manager_api, store):
    # given a manager

    # when a PUT leaves required fields out
    response = manager_api.put(settings_url(store), {"import_enabled": True}, format="json")

    # then the missing fields are named
    assert response.status_code == 400
    assert {"store_view", "customer_creation", "order_status"} <= set(response.json())


def test_disabling_through_the_api_keeps_the_other_values(manager_api, manager, store):
    # given custom settings
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        order_status=OrderStatusMode.CUSTOM,
        processing_status="processing",
    )

    # when import is disabled and other values are sent along
    response = manager_api.put(
        settings_url(store),
        full_settings(store, import_enabled=False, pending_orders="do_not_reserve"),
        format="json",
    )

    # then only the import switch changed
    assert response.status_code == 200
    assert response.json()["import_enabled"] is False
    assert response.json()["processing_status"] == "processing"
    assert response.json()["pending_orders"] == "reserve"


def test_default_order_status_clears_the_processing_status(manager_api, manager, store):
    # given custom settings
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        order_status=OrderStatusMode.CUSTOM,
        processing_status="processing",
    )

    # when Default is patched
    response = manager_api.patch(settings_url(store), {"order_status": "default"}, format="json")

    # then the processing status is gone
    assert response.status_code == 200
    assert response.json()["processing_status"] is None
    assert OrderSettings.objects.get(store=store).processing_status is None


@pytest.mark.parametrize("method", ["put", "patch"])
def test_the_operator_cannot_change_settings(operator_api, store, method):
    # given an operator of the store

    # when they try to write the settings
    response = getattr(operator_api, method)(
        settings_url(store), full_settings(store, import_enabled=False), format="json"
    )

    # then 403 and nothing changed
    assert response.status_code == 403
    assert OrderSettings.objects.get(store=store).import_enabled is True
    assert not OrderSettingsChange.objects.exists()


def test_an_operators_write_to_a_store_not_granted_answers_404_not_403(operator_api):
    # given a store the operator has no grant on
    stranger = AmazonStoreFactory()

    # when they try to write its settings
    response = operator_api.patch(settings_url(stranger), {"import_enabled": False}, format="json")

    # then the store does not exist for them
    assert response.status_code == 404
