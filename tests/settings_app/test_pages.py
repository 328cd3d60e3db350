import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
    return reverse("settings_app:order-settings", args=[store.pk])


def full_post(store, **overrides) -> dict:
    """What the browser sends when every field is enabled."""
    data = {
        "import_enabled": "1",
        "store_view": str(store.order_settings.store_view_id),
        "customer_creation": CustomerCreation.GUEST,
        "order_number_source": OrderNumberSource.COMMERCE,
        "pending_orders": PendingOrders.RESERVE,
        "order_status": OrderStatusMode.DEFAULT,
    }
    data.update(overrides)
    return data


def test_pages_ask_for_a_login(client, store):
    # given an anonymous visitor

    # when they open the store list and a store's pages
    urls = [
        reverse("settings_app:store-list"),
        reverse("operations:store-dashboard", args=[store.pk]),
        settings_url(store),
    ]
    responses = [client.get(url) for url in urls]

    # then each sends them to the login form
    for url, response in zip(urls, responses, strict=True):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert url in response["Location"]


def test_the_store_list_shows_only_the_users_stores_with_their_role(client, store, other_store):
    # given a user who manages one store and operates another, and a third store not theirs
    access = StoreAccessFactory(store=store, role=StoreRole.MANAGER)
    StoreAccessFactory(user=access.user, store=other_store, role=StoreRole.OPERATOR)
    hidden = AmazonStoreFactory(name="Somebody Else's Store")
    client.force_login(access.user)

    # when they open the store list
    response = client.get(reverse("settings_app:store-list"))

    # then they see their two stores, each with its role, and nothing of the third
    assert response.status_code == 200
    rows = {store.name: store.role for store in response.context["stores"]}
    assert rows == {store.name: StoreRole.MANAGER, other_store.name: StoreRole.OPERATOR}
    page = response.content.decode()
    assert store.seller_id in page
    assert "US (ATVPDKIKX0DER)" in page
    assert "Main Website" in page
    assert "Operator" in page
    assert hidden.name not in page


def test_the_store_list_runs_the_same_queries_for_one_or_many_stores(
    client, manager, store, django_assert_max_num_queries
):
    # given a user with one store
    client.force_login(manager)
    with CaptureQueriesContext(connection) as with_one_store:
        client.get(reverse("settings_app:store-list"))

    # when they are granted five more stores
    for _ in range(5):
        StoreAccessFactory(user=manager, role=StoreRole.OPERATOR)
    with django_assert_max_num_queries(len(with_one_store)) as with_six_stores:
        response = client.get(reverse("settings_app:store-list"))

    # then the page lists six stores with no more queries than for one
    assert len(response.context["stores"]) == 6
    assert len(with_six_stores) == len(with_one_store) <= 4


def test_the_dashboard_shows_the_store_with_its_secrets_masked(
    manager_client, store, django_assert_max_num_queries
):
    # given a store with a refresh token and client secret

    # when its manager opens the dashboard (details, Recent Orders, import health)
    with django_assert_max_num_queries(16):
        response = manager_client.get(reverse("operations:store-dashboard", args=[store.pk]))

    # then the details are there and only the last 4 characters of each secret
    page = response.content.decode()
    assert response.status_code == 200
    assert store.seller_id in page
    assert store.lwa_client_id in page
    assert store.refresh_token not in page
    assert store.lwa_client_secret not in page
    assert "••••••••" + store.refresh_token[-4:] in page
    assert "Order Settings" in page


def test_the_dashboard_lists_recent_settings_changes(manager_client, manager, store):
    # given a change of the order settings
    order_settings_update(settings=store.order_settings, user=manager, import_enabled=False)

    # when the dashboard is opened
    response = manager_client.get(reverse("operations:store-dashboard", args=[store.pk]))

    # then the change shows who made it and what changed, in the page's words
    page = response.content.decode()
    assert manager.username in page
    assert "Import Amazon Orders: Enabled → Disabled" in page
    assert "import_enabled" not in page
    assert "True" not in page


def test_the_order_settings_page_shows_every_field_and_the_save_button(
    manager_client, store, django_assert_max_num_queries
):
    # given a store with default settings

    # when its manager opens Order Settings
    with django_assert_max_num_queries(6):
        response = manager_client.get(settings_url(store))

    # then every setting is there, editable, with the save button
    page = response.content.decode()
    for label in [
        "Import Amazon Orders",
        "Import Into Store View",
        "Customer Creation",
        "Order Number Source",
        "Pending Orders",
        "Order Status",
        "Processing Order Status",
        "Save order settings",
    ]:
        assert label in page
    form = response.context["form"]
    assert not form.fields["customer_creation"].widget.attrs.get("disabled")
    # Processing Order Status applies only to Custom, so it starts disabled.
    assert form.fields["processing_status"].widget.attrs.get("disabled") is True
    assert "js/order_settings.js" in page


def test_custom_statuses_appear_as_processing_status_choices(manager_client, store):
    # given a custom status assigned to a state, and one assigned to none
    status = OrderStatus.objects.create(code="amazon_received", label="Amazon Received")
    OrderStatusState.objects.create(status=status, state=OrderState.PROCESSING)
    OrderStatus.objects.create(code="draft_idea", label="Draft Idea")

    # when the Order Settings page is opened
    response = manager_client.get(settings_url(store))

    # then the assigned custom status is offered beside the standard ones
    choices = dict(response.context["form"].fields["processing_status"].widget.choices)
    assert choices["amazon_received"] == "Amazon Received"
    assert choices["processing"] == "Processing"
    assert choices["fraud"] == "Suspected Fraud"
    assert "draft_idea" not in choices
    assert '<option value="amazon_received">Amazon Received</option>' in response.content.decode()


def test_the_order_settings_page_leads_to_the_order_statuses(manager_client, store):
    # given a store's manager

    # when they open Order Settings
    response = manager_client.get(settings_url(store))

    # then Processing Order Status links to the page where custom statuses are added
    statuses_url = reverse("commerce:order-status-list")
    assert f'<a href="{statuses_url}">See every order status or add a custom one</a>' in (
        response.content.decode()
    )


def test_saving_valid_settings_confirms_and_keeps_them(manager_client, store):
    # given a custom status and another store view of the store's website
    status = OrderStatus.objects.create(code="amazon_received", label="Amazon Received")
    OrderStatusState.objects.create(status=status, state=OrderState.PROCESSING)
    view = another_store_view(store.website)

    # when the manager saves the form
    response = manager_client.post(
        settings_url(store),
        full_post(
            store,
            store_view=str(view.pk),
            customer_creation=CustomerCreation.NEW_ACCOUNT,
            order_number_source=OrderNumberSource.AMAZON,
            pending_orders=PendingOrders.DO_NOT_RESERVE,
            order_status=OrderStatusMode.CUSTOM,
            processing_status="amazon_received",
        ),
        follow=True,
    )

    # then a confirmation shows and the page shows the saved values
    assert response.redirect_chain == [(settings_url(store), 302)]
    assert "Order settings saved." in response.content.decode()
    settings = OrderSettings.objects.get(store=store)
    assert settings.store_view == view
    assert settings.customer_creation == CustomerCreation.NEW_ACCOUNT
    assert settings.order_number_source == OrderNumberSource.AMAZON
    assert settings.pending_orders == PendingOrders.DO_NOT_RESERVE
    assert settings.processing_status == status
    assert response.context["form"]["processing_status"].value() == "amazon_received"


def test_custom_without_processing_status_shows_the_error_at_that_field(manager_client, store):
    # given default settings

    # when Custom is posted with no processing status
    response = manager_client.post(
        settings_url(store),
        full_post(store, customer_creation=CustomerCreation.NEW_ACCOUNT, order_status="custom"),
    )

    # then the page shows the error at Processing Order Status and nothing is saved
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["processing_status"]
    assert 'id="id_processing_status_error"' in response.content.decode()
    assert "not saved" in response.content.decode()
    settings = OrderSettings.objects.get(store=store)
    assert settings.customer_creation == CustomerCreation.GUEST
    assert settings.order_status == OrderStatusMode.DEFAULT


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("import_enabled", "perhaps"),
        ("store_view", "987654321"),
        ("customer_creation", "sometimes"),
        ("order_number_source", "random"),
        ("pending_orders", "always"),
        ("order_status", "mine"),
    ],
)
def test_an_invalid_value_shows_the_error_at_its_field(manager_client, store, field, value):
    # given default settings

    # when the form is posted with one invalid value
    response = manager_client.post(settings_url(store), full_post(store, **{field: value}))

    # then that field carries the error and nothing changed
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not OrderSettingsChange.objects.exists()


def test_an_inactive_store_view_posted_is_refused_at_its_field(manager_client, store):
    # given a switched-off store view
    view = another_store_view(store.website)
    StoreView.objects.filter(pk=view.pk).update(is_active=False)

    # when it is posted
    response = manager_client.post(settings_url(store), full_post(store, store_view=str(view.pk)))

    # then the error is at Import Into Store View
    assert list(response.context["form"].errors) == ["store_view"]
    assert OrderSettings.objects.get(store=store).store_view != view


def test_posting_disabled_keeps_every_other_value(manager_client, manager, store):
    # given custom settings
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        customer_creation=CustomerCreation.NEW_ACCOUNT,
        order_status=OrderStatusMode.CUSTOM,
        processing_status="processing",
    )

    # when Disabled is posted along with other values, as a tampered form would
    manager_client.post(
        settings_url(store),
        full_post(store, import_enabled="0", pending_orders=PendingOrders.DO_NOT_RESERVE),
    )

    # then only the import switch changed
    settings = OrderSettings.objects.get(store=store)
    assert settings.import_enabled is False
    assert settings.customer_creation == CustomerCreation.NEW_ACCOUNT
    assert settings.pending_orders == PendingOrders.RESERVE
    assert settings.order_status == OrderStatusMode.CUSTOM
    assert settings.processing_status.code == "processing"


def test_disabled_is_rendered_with_every_other_field_disabled(manager_client, manager, store):
    # given import disabled
    order_settings_update(settings=store.order_settings, user=manager, import_enabled=False)

    # when the page is opened
    response = manager_client.get(settings_url(store))

    # then only the import switch is enabled
    form = response.context["form"]
    disabled = {name for name, field in form.fields.items() if field.widget.attrs.get("disabled")}
    assert disabled == set(form.fields) - {"import_enabled"}


def test_posting_only_the_import_switch_as_the_browser_does_disables_import(manager_client, store):
    # given default settings

    # when the browser posts Disabled: the disabled fields are not sent at all
    response = manager_client.post(settings_url(store), {"import_enabled": "0"})

    # then import is off and the other values stay
    assert response.status_code == 302
    settings = OrderSettings.objects.get(store=store)
    assert settings.import_enabled is False
    assert settings.customer_creation == CustomerCreation.GUEST


def test_the_operator_sees_the_settings_read_only(operator_client, store):
    # given an operator of the store

    # when they open Order Settings
    response = operator_client.get(settings_url(store))

    # then every field is disabled and there is no save button
    assert response.status_code == 200
    form = response.context["form"]
    assert all(field.widget.attrs.get("disabled") for field in form.fields.values())
    page = response.content.decode()
    assert "Save order settings" not in page
    assert 'data-read-only="true"' in page


def test_the_operator_cannot_save_settings(operator_client, store):
    # given an operator of the store

    # when they post the form anyway
    response = operator_client.post(settings_url(store), full_post(store, import_enabled="0"))

    # then it is refused and nothing changed
    assert response.status_code == 403
    assert OrderSettings.objects.get(store=store).import_enabled is True
    assert not OrderSettingsChange.objects.exists()


def test_a_superuser_may_edit_any_store(client, store, django_user_model):
    # given a superuser without an explicit grant
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-12345-x")
    client.force_login(admin)

    # when they save a store's settings
    response = client.post(settings_url(store), {"import_enabled": "0"})

    # then it is saved
    assert response.status_code == 302
    assert OrderSettings.objects.get(store=store).import_enabled is False


def test_staff_allowed_to_add_stores_see_the_connect_link(client, django_user_model):
    # given a superuser, who is staff and holds every permission
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-12345-x")
    client.force_login(admin)

    # when they open the store list
    response = client.get(reverse("settings_app:store-list"))

    # then they are offered the admin form that connects a store
    assert reverse("admin:settings_app_amazonstore_add") in response.content.decode()


def test_managers_without_the_add_permission_see_no_connect_link(manager_client, store):
    # given a store manager who is not staff

    # when they open the store list
    response = manager_client.get(reverse("settings_app:store-list"))

    # then there is no link to add a store
    assert "Connect an Amazon store" not in response.content.decode()
