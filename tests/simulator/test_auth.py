"""Login with Amazon token refresh, and the access token every SP-API call requires."""

import pytest

from tests.simulator.conftest import register

pytestmark = pytest.mark.integration

UNAUTHORIZED = {
    "errors": [
        {
            "code": "Unauthorized",
            "message": "Access to requested resource is denied.",
            "details": "",
        }
    ]
}


def test_refresh_token_grant_returns_a_bearer_access_token(seller):
    # when
    response = seller.request_token()

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["refresh_token"] == seller.refresh_token
    assert body["access_token"].startswith("Atza|")


@pytest.mark.parametrize(
    ("overrides", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "amzn1.application-oa2-client.unknown"}, 401, "invalid_client"),
        ({"refresh_token": "Atzr|revoked"}, 400, "invalid_grant"),
        ({"grant_type": "authorization_code"}, 400, "unsupported_grant_type"),
        ({"grant_type": None}, 400, "invalid_request"),
        ({"refresh_token": None}, 400, "invalid_request"),
    ],
)
def test_bad_credentials_get_login_with_amazon_errors(seller, overrides, status, error):
    # when
    response = seller.request_token(**overrides)

    # then
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error", "error_description"}
    assert body["error"] == error
    assert body["error_description"]


@pytest.mark.parametrize("token", [None, "", "Atza|never-issued"])
def test_sp_api_calls_without_a_live_token_are_refused(seller, token):
    # given
    headers = {} if token is None else {"x-amz-access-token": token}

    # when
    response = seller.session.get(
        f"{seller.base_url}/orders/2026-01-01/orders",
        params={"lastUpdatedAfter": "2020-01-01T00:00:00Z"},
        headers=headers,
        timeout=30,
    )

    # then
    assert response.status_code == 403
    assert response.json() == UNAUTHORIZED


def test_an_access_token_expires_an_hour_after_it_was_issued(simulator, seller):
    # given
    simulator.clock(now="2026-11-21T10:00:00Z")
    token = seller.access_token
    simulator.clock(offset_seconds=3599)
    still_valid = seller.get_order("111-0000000-0000000", token=token)

    # when
    simulator.clock(offset_seconds=2)
    expired = seller.get_order("111-0000000-0000000", token=token)

    # then
    assert still_valid.status_code == 404
    assert expired.status_code == 403
    assert expired.json() == UNAUTHORIZED


def test_a_token_only_ever_shows_its_own_sellers_orders(simulator, seller):
    # given
    other = register(simulator, "A2SELLEROTHER")
    mine = simulator.generate("A2SELLERWIRE", count=3, seed=1)
    theirs = simulator.generate("A2SELLEROTHER", count=2, seed=2)

    # when
    listed = seller.search(lastUpdatedAfter="2020-01-01T00:00:00Z").json()["orders"]
    foreign = seller.get_order(theirs[0])

    # then
    assert sorted(order["orderId"] for order in listed) == sorted(mine)
    assert foreign.status_code == 404
    assert foreign.json()["errors"][0]["code"] == "NotFound"
    assert other.get_order(theirs[0]).status_code == 200
