"""API throttles: per user once logged in, per client address for refused credentials."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create

STORES = "api-store-list"


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = {"user": "3/minute", "anon": "3/minute"}


def test_a_user_past_their_rate_gets_429_json_saying_when_to_come_back(manager_api, low_rates):
    # given a user who made as many calls as their rate allows
    for _ in range(3):
        assert manager_api.get(reverse(STORES)).status_code == 200

    # when they call once more
    response = manager_api.get(reverse(STORES))

    # then they are told to wait, in JSON
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "throttled" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_user_has_a_rate_of_their_own(manager_api, operator_api, low_rates):
    # given one user past their rate
    for _ in range(4):
        manager_api.get(reverse(STORES))

    # when another user calls
    response = operator_api.get(reverse(STORES))

    # then they are served
    assert response.status_code == 200


def test_anonymous_calls_past_the_rate_get_429(db, low_rates):
    # given a client without credentials that made as many calls as allowed
    anonymous = APIClient()
    assert [anonymous.get(reverse(STORES)).status_code for _ in range(3)] == [401] * 3

    # when it calls once more
    response = anonymous.get(reverse(STORES))

    # then it is told to wait, in JSON
    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]


def test_guessed_tokens_are_throttled_per_client_and_a_real_token_still_works(
    manager, low_rates
):
    # given a client that sent three wrong tokens
    guesser = APIClient()
    for guess in ("a" * 64, "b" * 64, "c" * 64):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token {guess}")
        assert guesser.get(reverse(STORES)).status_code == 401

    # when it guesses again, and the merchant calls with their token from the same address
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {'d' * 64}")
    guessed = guesser.get(reverse(STORES))
    _, token = api_token_create(user=manager)
    merchant = APIClient()
    merchant.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    served = merchant.get(reverse(STORES))

    # then the guess is throttled, the merchant is served
    assert guessed.status_code == 429
    assert served.status_code == 200


def test_a_forged_forwarded_address_does_not_reset_the_count(db, low_rates):
    # given no proxy in front of the app (TRUSTED_PROXY_COUNT=0)
    anonymous = APIClient()

    # when each call claims another client address
    statuses = [
        anonymous.get(reverse(STORES), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]

    # then they are counted as the one client they are
    assert statuses == [401, 401, 401, 429]
