"""Every admin page of the Commerce and Amazon store models renders for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from commerce.models import Customer, Order
from commerce.services import ShipmentDraft, orders_ship
from settings_app.services import order_settings_update
from tests.commerce.factories import CustomerFactory, OrderFactory
from tests.factories import AmazonStoreFactory, StoreAccessFactory, UserFactory

ADMIN_MODELS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in {"commerce", "settings_app"}
    ),
    key=lambda model: model._meta.label,
)
MAX_QUERIES_PER_PAGE = 20


@pytest.fixture
def every_model_has_a_row(db):
    store = AmazonStoreFactory()
    StoreAccessFactory(store=store)
    order_settings_update(
        settings=store.order_settings, user=UserFactory(), customer_creation="new_account"
    )
    order = OrderFactory(customer=CustomerFactory())
    orders_ship(drafts=[ShipmentDraft(order=order, quantities={order.items.get().pk: 1})])
    return store


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_commerce_and_store_model_is_registered():
    # given the models of both apps
    # when the admin registry is read
    labels = {model._meta.label for model in ADMIN_MODELS}

    # then each of them has an admin
    assert labels == {
        "commerce.Customer",
        "commerce.Order",
        "commerce.OrderItem",
        "commerce.OrderNumberSequence",
        "commerce.OrderStatus",
        "commerce.OrderStatusHistory",
        "commerce.OrderStatusState",
        "commerce.Shipment",
        "commerce.StoreGroup",
        "commerce.StoreView",
        "commerce.Website",
        "settings_app.AmazonStore",
        "settings_app.OrderSettings",
        "settings_app.OrderSettingsChange",
        "settings_app.StoreAccess",
    }


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_the_changelist_renders_in_a_bounded_number_of_queries(
    admin_client, every_model_has_a_row, django_assert_max_num_queries, model
):
    # given a row of every model
    # when the changelist is opened
    with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
        response = admin_client.get(_url(model, "changelist"))

    # then it lists the row
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_the_change_page_renders(
    admin_client, every_model_has_a_row, django_assert_max_num_queries, model
):
    # given a row of the model
    row = model.objects.order_by("pk").first()

    # when its change page is opened
    with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
        response = admin_client.get(_url(model, "change", row.pk))

    # then it shows the row
    assert response.status_code == 200
    assert response.context["original"] == row


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_the_add_page_renders_where_staff_may_add(admin_client, rf, admin_user, model):
    # given whether the admin lets staff add this model
    request = rf.get("/")
    request.user = admin_user
    may_add = admin.site._registry[model].has_add_permission(request)

    # when the add page is opened
    response = admin_client.get(_url(model, "add"))

    # then it renders a form, or refuses for rows only the import writes
    assert response.status_code == (200 if may_add else 403)
    if may_add:
        assert response.context["adminform"].form.is_bound is False


def test_rows_written_by_the_import_cannot_be_added_by_staff(rf, admin_user):
    # given the models the import and the services write
    written_by_services = {
        "commerce.Order",
        "commerce.OrderItem",
        "commerce.OrderStatusHistory",
        "commerce.OrderNumberSequence",
        "commerce.Shipment",
        "settings_app.OrderSettings",
        "settings_app.OrderSettingsChange",
    }
    request = rf.get("/")
    request.user = admin_user

    # when their admins are asked whether a superuser may add
    addable = {
        model._meta.label
        for model in ADMIN_MODELS
        if admin.site._registry[model].has_add_permission(request)
    }

    # then none of them may be added, the others may
    assert addable == {model._meta.label for model in ADMIN_MODELS} - written_by_services


def test_the_order_list_searches_by_exact_number(admin_client, db):
    # given two orders
    wanted = OrderFactory()
    OrderFactory()

    # when the order list is searched by number
    response = admin_client.get(_url(Order, "changelist"), {"q": wanted.increment_id})

    # then only that order is listed
    assert list(response.context["cl"].result_list) == [wanted]


def test_the_customer_list_finds_an_email_in_any_letter_case(admin_client, db):
    # given two customers
    wanted = CustomerFactory(email="Buyer@Example.com")
    CustomerFactory()

    # when the list is searched in another letter case
    response = admin_client.get(_url(Customer, "changelist"), {"q": " buyer@EXAMPLE.com"})

    # then the customer is found
    assert list(response.context["cl"].result_list) == [wanted]
