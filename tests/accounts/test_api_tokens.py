"""API tokens: hashed at rest, expiring, made and revoked by their holder on a page."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.exceptions import ApiTokenLimitReached
from accounts.services import MAX_LIVE_TOKENS_PER_USER, api_token_create
from tests.factories import UserFactory

STORE_LIST = "api-store-list"


def api_with(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_a_token_is_stored_only_as_a_hash_and_expires_after_the_configured_days(
    manager, settings
):
    # when a token is made
    made_at = timezone.now()
    row, token = api_token_create(user=manager)

    # then the database holds its hash and its first characters, never the token
    stored = AuthToken.objects.get(pk=row.pk)
    assert token not in {stored.digest, stored.token_key}
    assert token.startswith(stored.token_key)
    assert len(token) == 64
    expected_expiry = made_at + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    assert abs(stored.expiry - expected_expiry) < timedelta(seconds=5)


def test_a_token_calls_the_api_as_its_holder(manager, store):
    # given a manager's token
    _, token = api_token_create(user=manager)

    # when it reads the store list
    response = api_with(token).get(reverse(STORE_LIST))

    # then the manager's store is listed
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [store.pk]


def test_an_expired_token_is_refused(manager):
    # given a token past its expiry
    row, token = api_token_create(user=manager)
    AuthToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    # when it is used
    response = api_with(token).get(reverse(STORE_LIST))

    # then it no longer works
    assert response.status_code == 401


@pytest.mark.parametrize(
    "credential",
    [
        "0" * 63,
        "0" * 65,
        "Z" * 64,
        "\x00" * 64,
        "é" * 32,
        "ÿþ" * 32,
    ],
    ids=["short", "long", "not-hex", "nul", "non-ascii", "not-utf8"],
)
def test_a_credential_that_cannot_be_a_token_answers_401_not_500(db, credential):
    # when it is sent as a token
    response = api_with(credential).get(reverse(STORE_LIST))

    # then it is refused like any wrong token
    assert response.status_code == 401


def test_one_person_holds_a_bounded_number_of_live_tokens(manager):
    # given a manager holding as many tokens as allowed, and an expired one
    for _ in range(MAX_LIVE_TOKENS_PER_USER):
        api_token_create(user=manager)

    # when one more is asked for
    with pytest.raises(ApiTokenLimitReached):
        api_token_create(user=manager)

    # then there are still as many as allowed
    assert AuthToken.objects.filter(user=manager).count() == MAX_LIVE_TOKENS_PER_USER


def test_expired_tokens_do_not_count_and_are_cleared_when_a_new_one_is_made(manager):
    # given a manager whose tokens have all expired
    for _ in range(MAX_LIVE_TOKENS_PER_USER):
        api_token_create(user=manager)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(days=1))

    # when a new one is made
    row, _ = api_token_create(user=manager)

    # then it is the only one left
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [row.pk]


def test_the_page_needs_a_login(client, db):
    # when an anonymous visitor opens the page
    response = client.get(reverse("accounts:api-tokens"))

    # then they are sent to log in
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_top_menu_leads_to_the_api_tokens_page(manager_client):
    # when any page is opened
    response = manager_client.get(reverse("settings_app:store-list"))

    # then its menu links the API tokens page
    assert f'href="{reverse("accounts:api-tokens")}"' in response.content.decode()


def test_a_token_made_on_the_page_is_shown_once_and_works(manager_client, manager, store):
    # when the merchant creates a token
    response = manager_client.post(reverse("accounts:api-tokens"))

    # then the answer shows it in full, in a page the browser must not keep
    assert response.status_code == 200
    token = response.context["new_token"]
    assert token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert api_with(token).get(reverse(STORE_LIST)).status_code == 200

    # and afterwards the page lists it by its first characters only
    later = manager_client.get(reverse("accounts:api-tokens")).content.decode()
    assert token not in later
    assert f"{token[:8]}…" in later


def test_the_page_lists_only_the_users_own_live_tokens(manager_client, manager):
    # given the merchant's token, an expired one of theirs, and another user's token
    own, _ = api_token_create(user=manager)
    expired, _ = api_token_create(user=manager)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(days=1))
    other, _ = api_token_create(user=UserFactory())

    # when they open the page
    response = manager_client.get(reverse("accounts:api-tokens"))

    # then only their live token is there, with its dates
    assert [token.pk for token in response.context["tokens"]] == [own.pk]
    page = response.content.decode()
    assert f"{own.token_key[:8]}…" in page
    assert other.token_key[:8] not in page
    assert f"{own.expiry:%Y-%m-%d %H:%M} UTC" in page


def test_a_revoked_token_stops_working(manager_client, manager):
    # given the merchant's token
    row, token = api_token_create(user=manager)

    # when they revoke it on the page
    response = manager_client.post(reverse("accounts:api-token-revoke", args=[row.digest]))

    # then it is gone and refused
    assert response.status_code == 302
    assert not AuthToken.objects.filter(pk=row.pk).exists()
    assert api_with(token).get(reverse(STORE_LIST)).status_code == 401


def test_another_users_token_cannot_be_revoked(manager_client):
    # given another user's token
    row, token = api_token_create(user=UserFactory())

    # when the merchant tries to revoke it
    response = manager_client.post(reverse("accounts:api-token-revoke", args=[row.digest]))

    # then it does not exist for them and keeps working
    assert response.status_code == 404
    assert api_with(token).get(reverse(STORE_LIST)).status_code == 200


def test_no_admin_page_shows_a_full_token(admin_client, manager):
    # given a token
    row, token = api_token_create(user=manager)
    pages = [
        reverse("admin:knox_authtoken_changelist"),
        reverse("admin:knox_authtoken_change", args=[row.pk]),
        reverse("admin:knox_authtoken_delete", args=[row.pk]),
    ]

    # when staff open every admin page of it
    responses = [admin_client.get(page) for page in pages]

    # then each shows at most its first characters
    for response in responses:
        assert response.status_code == 200
        assert token not in response.content.decode()
        assert token[:15] not in response.content.decode()
    assert f"{token[:8]}…" in responses[0].content.decode()


def test_the_admin_makes_no_tokens(admin_client, db):
    # when staff open the add page
    response = admin_client.get(reverse("admin:knox_authtoken_add"))

    # then there is none: tokens are made by their holder, who alone sees them
    assert response.status_code == 403


def test_the_migration_drops_the_old_clear_text_tokens(db):
    # given the table of rest_framework.authtoken, still holding a token in clear
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('9944b09199c62bcf9418ad846dd0e4bb')")
    migration = importlib.import_module("accounts.migrations.0001_drop_rest_framework_authtoken")

    # when the migration runs
    from django.apps import apps

    with connection.schema_editor() as schema_editor:
        migration.drop_clear_text_tokens(apps, schema_editor)

    # then the table is gone
    assert "authtoken_token" not in connection.introspection.table_names()
