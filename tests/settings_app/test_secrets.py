import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter

from settings_app.fields import cipher
from settings_app.models import StoreRole
from settings_app.services import amazon_store_create
from tests.factories import AmazonStoreFactory, StoreAccessFactory, default_website

REFRESH_TOKEN = "Atzr|IwEBIKv7-very-secret-refresh-token-0123456789"
CLIENT_SECRET = "amzn1.oa2-cs.v1.super-secret-client-secret-abcdef"


@pytest.fixture
def store_with_secrets(db):
    return AmazonStoreFactory(refresh_token=REFRESH_TOKEN, lwa_client_secret=CLIENT_SECRET)


def test_the_database_row_holds_only_ciphertext(store_with_secrets):
    # given a store saved with its secrets

    # when its row is read with plain SQL
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT refresh_token, lwa_client_secret FROM settings_app_amazonstore WHERE id = %s",
            [store_with_secrets.pk],
        )
        stored_token, stored_secret = cursor.fetchone()

    # then neither secret is readable there, but each decrypts back with the key
    assert REFRESH_TOKEN not in stored_token
    assert CLIENT_SECRET not in stored_secret
    assert "refresh-token" not in stored_token
    assert cipher().decrypt(stored_token.encode()).decode() == REFRESH_TOKEN
    assert cipher().decrypt(stored_secret.encode()).decode() == CLIENT_SECRET


def test_the_same_secret_is_stored_differently_each_time(db):
    # given two stores with the same refresh token
    first = AmazonStoreFactory(refresh_token=REFRESH_TOKEN)
    second = AmazonStoreFactory(refresh_token=REFRESH_TOKEN)

    # when their rows are read
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT refresh_token FROM settings_app_amazonstore WHERE id IN (%s, %s)",
            [first.pk, second.pk],
        )
        stored = {row[0] for row in cursor.fetchall()}

    # then the ciphertexts differ, so equal secrets cannot be spotted
    assert len(stored) == 2


def secret_fragments() -> list[str]:
    """The secrets and every part of them longer than the 4 characters a page may show."""
    return [REFRESH_TOKEN, CLIENT_SECRET, REFRESH_TOKEN[:-4], CLIENT_SECRET[:-4]]


@pytest.mark.parametrize(
    "url_name",
    [
        "settings_app:store-list",
        "operations:store-dashboard",
        "settings_app:order-settings",
        "api-store-list",
        "api-store-detail",
        "api-store-order-settings",
    ],
)
def test_no_page_or_api_response_shows_a_secret(client, store_with_secrets, url_name):
    # given the store's manager, logged in
    manager = StoreAccessFactory(store=store_with_secrets, role=StoreRole.MANAGER).user
    client.force_login(manager)
    args = [] if url_name.endswith("list") else [store_with_secrets.pk]

    # when they open the page or endpoint
    response = client.get(reverse(url_name, args=args))

    # then no secret, nor more than its last 4 characters, is in it
    assert response.status_code == 200
    body = response.content.decode()
    for fragment in secret_fragments():
        assert fragment not in body
        assert fragment.replace("|", "\\u007c") not in body


def test_a_short_secret_is_masked_entirely(client, db):
    # given a store whose client secret is too short to show any of it
    store = AmazonStoreFactory(lwa_client_secret="tiny-secret")
    client.force_login(StoreAccessFactory(store=store, role=StoreRole.OPERATOR).user)

    # when the API shows the store
    response = client.get(reverse("api-store-detail", args=[store.pk]))

    # then only the mask is shown
    assert response.json()["lwa_client_secret"] == "••••••••"


def error_report(request, exc_info) -> str:
    """The report Django mails for an unhandled error, with POST and every frame's variables."""
    return ExceptionReporter(request, *exc_info).get_traceback_html()


def test_a_failed_connect_reports_no_secret(db, settings):
    # given the encryption keys missing, so saving a store fails
    settings.ENCRYPTION_KEYS = []

    # when a store is connected
    with pytest.raises(ImproperlyConfigured) as failure:
        amazon_store_create(
            name="Keyless",
            seller_id="A1KEYLESS",
            region="na",
            marketplace_ids=["ATVPDKIKX0DER"],
            website=default_website(),
            lwa_client_id="amzn1.application-oa2-client.keyless",
            lwa_client_secret=CLIENT_SECRET,
            refresh_token=REFRESH_TOKEN,
        )

    # then its error report names the failure but shows no secret
    report = error_report(None, (failure.type, failure.value, failure.tb))
    assert "ENCRYPTION_KEYS is empty" in report
    for fragment in secret_fragments():
        assert fragment not in report


def test_a_failed_connect_in_the_admin_reports_no_secret(admin_user, settings):
    # given staff connecting a store while the encryption keys are missing
    settings.ENCRYPTION_KEYS = []
    staff = Client(raise_request_exception=False)
    staff.force_login(admin_user)
    form = {
        "name": "Keyless",
        "seller_id": "A1KEYLESS",
        "region": "na",
        "marketplace_ids": '["ATVPDKIKX0DER"]',
        "website": default_website().pk,
        "lwa_client_id": "amzn1.application-oa2-client.keyless",
        "new_lwa_client_secret": CLIENT_SECRET,
        "new_refresh_token": REFRESH_TOKEN,
        "access-TOTAL_FORMS": "0",
        "access-INITIAL_FORMS": "0",
    }

    # when the save fails
    response = staff.post(reverse("admin:settings_app_amazonstore_add"), form)

    # then neither the error page nor the error report shows the posted secrets
    assert response.status_code == 500
    report = error_report(response.wsgi_request, response.exc_info)
    assert "ENCRYPTION_KEYS" in report
    assert "new_refresh_token" in report
    for fragment in secret_fragments():
        assert fragment not in report
        assert fragment not in response.content.decode()
