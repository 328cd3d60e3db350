"""Repeated failed logins lock the username for that client, on the login page and the admin."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct horse battery"
LOGIN_PAGES = [
    pytest.param("login", id="login-page"),
    pytest.param("admin:login", id="admin"),
]


@pytest.fixture
def merchant(db):
    return UserFactory(username="merchant", is_staff=True)


def log_in(client, page: str, password: str, address: str = "203.0.113.7", username="merchant"):
    return client.post(
        reverse(page),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_a_hundred_wrong_passwords_then_the_right_one_is_refused(client, merchant, page):
    # given a hundred wrong passwords for the merchant
    for attempt in range(100):
        log_in(client, page, f"guess-{attempt}")

    # when the right password comes next
    response = log_in(client, page, PASSWORD)

    # then it is refused too, with a page saying what happened and when to try again
    assert response.status_code == 429
    assert not logged_in(client)
    page_text = response.content.decode()
    assert "Too many failed logins" in page_text
    assert "Try again after" in page_text
    assert response["Retry-After"] == "900"


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_fewer_wrong_passwords_than_the_limit_do_not_lock(client, merchant, page, settings):
    # given one wrong password less than the limit
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, page, f"guess-{attempt}")

    # when the right one comes
    response = log_in(client, page, PASSWORD)

    # then the merchant is in
    assert response.status_code == 302
    assert logged_in(client)


def test_the_limit_and_the_wait_are_settings(client, merchant, settings):
    # given a limit of two and a wait of one minute
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)

    # when two wrong passwords come, then the right one
    log_in(client, "login", "guess-1")
    log_in(client, "login", "guess-2")
    response = log_in(client, "login", PASSWORD)

    # then the right one is refused, for a minute
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "paused for 1 minute." in response.content.decode()


def test_the_lock_holds_the_username_for_that_client_only(client, merchant, settings):
    # given the merchant locked out from one address
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "login", f"guess-{attempt}", address="203.0.113.7")

    # when the merchant logs in from their own address, and another user from the first
    own = log_in(client, "login", PASSWORD, address="198.51.100.20")
    client.logout()
    UserFactory(username="colleague")
    colleague = log_in(client, "login", PASSWORD, address="203.0.113.7", username="colleague")

    # then both are in: a stranger's guesses cannot lock a merchant out everywhere
    assert own.status_code == 302
    assert colleague.status_code == 302


def test_the_lock_ends_after_the_wait(client, merchant, settings):
    # given the merchant locked out, then the wait gone by
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "login", f"guess-{attempt}")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    # when the right password comes
    response = log_in(client, "login", PASSWORD)

    # then the merchant is in
    assert response.status_code == 302
    assert logged_in(client)


def test_failed_logins_are_recorded_without_their_passwords(client, merchant):
    # when a wrong password is tried
    log_in(client, "login", "my-other-secret-password")

    # then the attempt is recorded, its password is not
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "merchant"
    assert "my-other-secret-password" not in attempt.post_data


def test_the_lockout_page_has_the_products_look(client, merchant, settings):
    # given the merchant locked out
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "login", f"guess-{attempt}")

    # when they try again
    response = log_in(client, "login", PASSWORD)

    # then the page is one of the product's, with a way back to the login
    page = response.content.decode()
    assert 'class="topbar"' in page
    assert "css/app.css" in page
    assert f'href="{reverse("login")}"' in page


def test_a_login_in_code_without_a_request_goes_through_the_backends(client, merchant):
    # when a test logs in the way Django's test client does, with no request to judge
    logged = client.login(username="merchant", password=PASSWORD)

    # then the credentials alone decide
    assert logged is True
