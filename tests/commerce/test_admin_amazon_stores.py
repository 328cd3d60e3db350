"""The Amazon store admin: secrets are write-only, stores get their default settings."""

from django.db import connection
from django.urls import reverse

from commerce.models import StoreView
from settings_app.models import AmazonStore, OrderSettingsChange, StoreAccess
from tests.factories import AmazonStoreFactory, StoreAccessFactory, default_website

CLIENT_SECRET = "amzn1.oa2-cs.v1.0123456789abcdef-client-secret"
REFRESH_TOKEN = "Atzr|IwEBIExampleRefreshTokenThatMustNeverLeak-0123456789"


def _store_with_known_secrets() -> AmazonStore:
    return AmazonStoreFactory(lwa_client_secret=CLIENT_SECRET, refresh_token=REFRESH_TOKEN)


def _assert_no_secret(html: str) -> None:
    assert CLIENT_SECRET not in html
    assert REFRESH_TOKEN not in html
    assert "0123456789abcdef-client" not in html
    assert "ExampleRefreshToken" not in html


def test_no_admin_page_of_a_store_shows_its_secrets(admin_client, db):
    # given a store with known secrets and a user granted on it
    store = _store_with_known_secrets()
    StoreAccessFactory(store=store)
    pages = [
        reverse("admin:settings_app_amazonstore_changelist"),
        reverse("admin:settings_app_amazonstore_change", args=[store.pk]),
        reverse("admin:settings_app_amazonstore_history", args=[store.pk]),
        reverse("admin:settings_app_amazonstore_delete", args=[store.pk]),
        reverse("admin:settings_app_storeaccess_changelist"),
        reverse("admin:settings_app_ordersettings_changelist"),
        reverse("admin:settings_app_ordersettings_change", args=[store.pk]),
    ]

    # when every page is opened
    responses = [admin_client.get(page) for page in pages]

    # then each renders, showing at most the masked tail of the secrets
    for response in responses:
        assert response.status_code == 200
        _assert_no_secret(response.content.decode())
    change_page = responses[1].content.decode()
    assert "••••••••" in change_page
    assert REFRESH_TOKEN[-4:] in change_page


def test_a_store_added_in_the_admin_gets_default_settings_and_encrypted_secrets(admin_client, db):
    # given the add form filled in
    form = {
        "name": "EU Store",
        "seller_id": "A1SELLEREU0001",
        "region": "eu",
        "marketplace_ids": '["A1PA6795UKMFR9"]',
        "website": default_website().pk,
        "lwa_client_id": "amzn1.application-oa2-client.eu",
        "new_lwa_client_secret": CLIENT_SECRET,
        "new_refresh_token": REFRESH_TOKEN,
        "connected_at_0": "",
        "connected_at_1": "",
        "access-TOTAL_FORMS": "0",
        "access-INITIAL_FORMS": "0",
    }

    # when it is saved
    response = admin_client.post(reverse("admin:settings_app_amazonstore_add"), form)

    # then the store exists with its default order settings and its secrets stored encrypted
    assert response.status_code == 302
    store = AmazonStore.objects.get(seller_id="A1SELLEREU0001")
    assert (store.lwa_client_secret, store.refresh_token) == (CLIENT_SECRET, REFRESH_TOKEN)
    assert store.order_settings.store_view == StoreView.objects.get(code="default")
    assert store.connected_at is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lwa_client_secret, refresh_token FROM settings_app_amazonstore WHERE id = %s",
            [store.pk],
        )
        raw_secret, raw_token = cursor.fetchone()
    assert CLIENT_SECRET not in raw_secret
    assert REFRESH_TOKEN not in raw_token


def test_the_add_form_requires_the_secrets(admin_client, db):
    # given an add form without secrets
    form = {
        "name": "No Secrets",
        "seller_id": "A1NOSECRETS",
        "region": "na",
        "marketplace_ids": '["ATVPDKIKX0DER"]',
        "website": default_website().pk,
        "lwa_client_id": "client",
        "access-TOTAL_FORMS": "0",
        "access-INITIAL_FORMS": "0",
    }

    # when it is saved
    response = admin_client.post(reverse("admin:settings_app_amazonstore_add"), form)

    # then the form asks for them and no store is created
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"new_lwa_client_secret", "new_refresh_token"}
    assert not AmazonStore.objects.filter(seller_id="A1NOSECRETS").exists()


def _change_form(store: AmazonStore, **overrides) -> dict:
    form = {
        "name": store.name,
        "seller_id": store.seller_id,
        "region": store.region,
        "marketplace_ids": '["ATVPDKIKX0DER"]',
        "lwa_client_id": store.lwa_client_id,
        "is_active": "on",
        "connected_at_0": "2026-01-01",
        "connected_at_1": "00:00:00",
        "new_lwa_client_secret": "",
        "new_refresh_token": "",
        "access-TOTAL_FORMS": "0",
        "access-INITIAL_FORMS": "0",
    }
    form.update(overrides)
    return form


def test_blank_secret_fields_keep_the_stored_secrets(admin_client, db):
    # given a store with known secrets
    store = _store_with_known_secrets()

    # when it is renamed with the secret fields left blank
    response = admin_client.post(
        reverse("admin:settings_app_amazonstore_change", args=[store.pk]),
        _change_form(store, name="Renamed"),
    )

    # then the name changed and the secrets did not
    assert response.status_code == 302
    store.refresh_from_db()
    assert store.name == "Renamed"
    assert (store.lwa_client_secret, store.refresh_token) == (CLIENT_SECRET, REFRESH_TOKEN)


def test_a_new_refresh_token_replaces_the_stored_one(admin_client, db):
    # given a store with known secrets
    store = _store_with_known_secrets()

    # when a new refresh token is entered
    response = admin_client.post(
        reverse("admin:settings_app_amazonstore_change", args=[store.pk]),
        _change_form(store, new_refresh_token="Atzr|rotated-token-000000000001"),
    )

    # then only the token changed
    assert response.status_code == 302
    store.refresh_from_db()
    assert store.refresh_token == "Atzr|rotated-token-000000000001"
    assert store.lwa_client_secret == CLIENT_SECRET


def test_a_user_is_granted_a_store_in_the_admin(admin_client, db, django_user_model):
    # given a store and a user
    store = AmazonStoreFactory()
    user = django_user_model.objects.create_user("merchant", password="x")

    # when the user is granted manager
    response = admin_client.post(
        reverse("admin:settings_app_storeaccess_add"),
        {"user": user.pk, "store": store.pk, "role": "manager"},
    )

    # then the grant exists
    assert response.status_code == 302
    assert StoreAccess.objects.get(user=user, store=store).role == "manager"


def test_order_settings_saved_in_the_admin_follow_the_rules_and_leave_an_audit_row(
    admin_client, admin_user, db
):
    # given a store's settings and the change page
    store = AmazonStoreFactory()
    url = reverse("admin:settings_app_ordersettings_change", args=[store.pk])
    form = {
        "import_enabled": "on",
        "store_view": store.order_settings.store_view_id,
        "customer_creation": "new_account",
        "order_number_source": "amazon",
        "pending_orders": "reserve",
        "order_status": "default",
        "processing_status": "",
    }

    # when valid settings are saved
    response = admin_client.post(url, form)

    # then they are kept, with an audit row naming the admin
    assert response.status_code == 302
    store.order_settings.refresh_from_db()
    assert store.order_settings.customer_creation == "new_account"
    assert store.order_settings.order_number_source == "amazon"
    change = OrderSettingsChange.objects.get(store=store)
    assert change.changed_by == admin_user
    assert set(change.changes) == {"customer_creation", "order_number_source"}


def test_custom_order_status_without_processing_status_is_refused_at_its_field(admin_client, db):
    # given a store's settings
    store = AmazonStoreFactory()
    url = reverse("admin:settings_app_ordersettings_change", args=[store.pk])

    # when Custom is saved without a processing status
    response = admin_client.post(
        url,
        {
            "import_enabled": "on",
            "store_view": store.order_settings.store_view_id,
            "customer_creation": "guest",
            "order_number_source": "commerce",
            "pending_orders": "reserve",
            "order_status": "custom",
            "processing_status": "",
        },
    )

    # then the error is on that field and nothing changed
    assert response.status_code == 200
    assert "processing_status" in response.context["adminform"].form.errors
    store.order_settings.refresh_from_db()
    assert store.order_settings.order_status == "default"
    assert not OrderSettingsChange.objects.filter(store=store).exists()
