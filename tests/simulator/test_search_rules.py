"""searchOrders: the published rules on time ranges, filters and pagination."""

import base64

import pytest

from tests.simulator.conftest import SELLER_ID

pytestmark = pytest.mark.integration

NOW = "2026-11-21T10:00:00Z"


@pytest.fixture
def frozen(simulator, seller):
    simulator.clock(now=NOW)
    return seller


def error_of(response) -> tuple[int, str, str]:
    error = response.json()["errors"][0]
    return response.status_code, error["code"], error["message"]


def test_last_updated_before_less_than_two_minutes_ago_is_refused(frozen):
    # when
    response = frozen.search(
        lastUpdatedAfter="2026-11-21T09:00:00Z", lastUpdatedBefore="2026-11-21T09:58:01Z"
    )

    # then
    assert error_of(response) == (
        400,
        "InvalidInput",
        "lastUpdatedBefore must be at least two minutes before the time of the request.",
    )


def test_last_updated_before_exactly_two_minutes_ago_is_accepted_and_echoed(frozen):
    # when
    response = frozen.search(
        lastUpdatedAfter="2026-11-21T09:00:00Z", lastUpdatedBefore="2026-11-21T09:58:00Z"
    )

    # then
    assert response.status_code == 200
    assert response.json()["lastUpdatedBefore"] == "2026-11-21T09:58:00Z"


def test_created_before_follows_the_same_two_minute_rule(frozen):
    # when
    response = frozen.search(
        createdAfter="2026-11-21T09:00:00Z", createdBefore="2026-11-21T09:59:00Z"
    )

    # then
    assert error_of(response)[:2] == (400, "InvalidInput")
    assert "two minutes" in error_of(response)[2]


def test_an_order_updated_inside_the_window_waits_for_the_next_search(simulator, frozen):
    # given
    order = simulator.create_order(SELLER_ID, order={"createdTime": "2026-11-21T09:59:00Z"})

    # when
    first = frozen.search(lastUpdatedAfter="2026-11-21T09:00:00Z").json()
    simulator.clock(offset_seconds=120)
    second = frozen.search(lastUpdatedAfter=first["lastUpdatedBefore"]).json()

    # then
    assert first["lastUpdatedBefore"] == "2026-11-21T09:58:00Z"
    assert first["orders"] == []
    assert [found["orderId"] for found in second["orders"]] == [order["orderId"]]
    assert second["lastUpdatedBefore"] == "2026-11-21T10:00:00Z"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"createdAfter": "2026-11-20T00:00:00Z", "lastUpdatedAfter": "2026-11-20T00:00:00Z"},
        {"createdAfter": "2026-11-20T00:00:00Z", "lastUpdatedBefore": "2026-11-21T00:00:00Z"},
        {"lastUpdatedAfter": "2026-11-20T00:00:00Z", "createdBefore": "2026-11-21T00:00:00Z"},
        {"lastUpdatedAfter": "2026-11-21T00:00:00Z", "lastUpdatedBefore": "2026-11-20T00:00:00Z"},
        {"lastUpdatedAfter": "last tuesday"},
        {"lastUpdatedAfter": "2026-11-20T00:00:00Z", "maxResultsPerPage": "0"},
        {"lastUpdatedAfter": "2026-11-20T00:00:00Z", "maxResultsPerPage": "101"},
        {"lastUpdatedAfter": "2026-11-20T00:00:00Z", "maxResultsPerPage": "ten"},
        {"lastUpdatedAfter": "2026-11-20T00:00:00Z", "fulfillmentStatuses": "SHIPPED,LOST"},
        {"lastUpdatedAfter": "2026-11-20T00:00:00Z", "fulfilledBy": "SELLER"},
        {"lastUpdatedAfter": "2026-11-20T00:00:00Z", "includedData": "BUYER,EVERYTHING"},
        {"lastUpdatedAfter": "2026-11-20T00:00:00Z", "marketplaceIds": "A1VC38T7YXB528"},
    ],
)
def test_invalid_parameters_get_invalid_input(frozen, params):
    # when
    response = frozen.search(**params)

    # then
    status, code, message = error_of(response)
    assert (status, code) == (400, "InvalidInput")
    assert message


def test_unknown_query_parameters_are_ignored(simulator, frozen):
    # given
    simulator.generate(SELLER_ID, count=3, seed=4, created_before="2026-11-21T08:00:00Z")

    # when
    response = frozen.search(
        lastUpdatedAfter="2020-01-01T00:00:00Z",
        MarketplaceId="ATVPDKIKX0DER",
        marketplace_ids="ATVPDKIKX0DER",
        somethingNew="yes",
    )

    # then
    assert response.status_code == 200
    assert len(response.json()["orders"]) == 3


def test_filters_narrow_by_status_channel_and_marketplace(simulator, frozen):
    # given
    simulator.generate(SELLER_ID, count=120, seed=8, created_before="2026-11-21T08:00:00Z")
    everything = [
        order
        for page in frozen.search_pages(
            lastUpdatedAfter="2020-01-01T00:00:00Z", includedData="FULFILLMENT"
        )
        for order in page["orders"]
    ]

    # when
    shipped_fba_in_us = [
        order
        for page in frozen.search_pages(
            lastUpdatedAfter="2020-01-01T00:00:00Z",
            fulfillmentStatuses="SHIPPED,PARTIALLY_SHIPPED",
            fulfilledBy="AMAZON",
            marketplaceIds="ATVPDKIKX0DER",
            includedData="FULFILLMENT",
        )
        for order in page["orders"]
    ]

    # then
    expected = {
        order["orderId"]
        for order in everything
        if order["fulfillment"]["fulfillmentStatus"] in {"SHIPPED", "PARTIALLY_SHIPPED"}
        and order["fulfillment"]["fulfilledBy"] == "AMAZON"
        and order["salesChannel"]["marketplaceId"] == "ATVPDKIKX0DER"
    }
    assert expected
    assert {order["orderId"] for order in shipped_fba_in_us} == expected


def test_repeated_array_parameters_work_like_comma_separated_ones(simulator, frozen):
    # given
    simulator.generate(SELLER_ID, count=60, seed=9, created_before="2026-11-21T08:00:00Z")

    # when
    repeated = frozen.search(
        lastUpdatedAfter="2020-01-01T00:00:00Z", marketplaceIds=["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"]
    ).json()
    comma = frozen.search(
        lastUpdatedAfter="2020-01-01T00:00:00Z", marketplaceIds="ATVPDKIKX0DER,A2EUQ1WTGCTBG2"
    ).json()

    # then
    assert repeated["orders"] == comma["orders"]
    assert {order["salesChannel"]["marketplaceId"] for order in comma["orders"]} == {
        "ATVPDKIKX0DER",
        "A2EUQ1WTGCTBG2",
    }


def test_search_by_creation_time_answers_created_before(simulator, frozen):
    # given
    inside = simulator.create_order(SELLER_ID, order={"createdTime": "2026-11-20T12:00:00Z"})
    simulator.create_order(SELLER_ID, order={"createdTime": "2026-11-19T12:00:00Z"})

    # when
    body = frozen.search(createdAfter="2026-11-20T00:00:00Z").json()

    # then
    assert [order["orderId"] for order in body["orders"]] == [inside["orderId"]]
    assert body["createdBefore"] == "2026-11-21T09:58:00Z"
    assert "lastUpdatedBefore" not in body


def test_pages_have_no_duplicates_even_when_orders_change_between_pages(simulator, frozen):
    # given
    ids = simulator.generate(SELLER_ID, count=30, seed=10, created_before="2026-11-21T08:00:00Z")
    first = frozen.search(lastUpdatedAfter="2020-01-01T00:00:00Z", maxResultsPerPage=10).json()
    for order in first["orders"][:3]:
        simulator.set_status(order["orderId"], "CANCELLED")

    # when
    token = first["pagination"]["nextToken"]
    rest = []
    while token:
        page = frozen.search(
            lastUpdatedAfter="2020-01-01T00:00:00Z", maxResultsPerPage=10, paginationToken=token
        ).json()
        assert page["lastUpdatedBefore"] == first["lastUpdatedBefore"]
        rest.extend(order["orderId"] for order in page["orders"])
        token = page.get("pagination", {}).get("nextToken")

    # then
    seen = [order["orderId"] for order in first["orders"]] + rest
    assert len(seen) == len(set(seen)) == 30
    assert set(seen) == set(ids)


def test_a_page_size_and_included_data_may_change_between_pages(simulator, frozen):
    # given
    simulator.generate(SELLER_ID, count=12, seed=11, created_before="2026-11-21T08:00:00Z")
    first = frozen.search(lastUpdatedAfter="2020-01-01T00:00:00Z", maxResultsPerPage=5).json()

    # when
    second = frozen.search(
        lastUpdatedAfter="2020-01-01T00:00:00Z",
        maxResultsPerPage=7,
        includedData="FULFILLMENT",
        paginationToken=first["pagination"]["nextToken"],
    ).json()

    # then
    assert len(second["orders"]) == 7
    assert all("fulfillment" in order for order in second["orders"])
    assert "pagination" not in second


def test_a_token_from_another_search_is_refused(simulator, frozen):
    # given
    simulator.generate(SELLER_ID, count=12, seed=12, created_before="2026-11-21T08:00:00Z")
    first = frozen.search(lastUpdatedAfter="2020-01-01T00:00:00Z", maxResultsPerPage=5).json()

    # when
    response = frozen.search(
        lastUpdatedAfter="2021-01-01T00:00:00Z", paginationToken=first["pagination"]["nextToken"]
    )

    # then
    assert error_of(response)[:2] == (400, "InvalidInput")
    assert "paginationToken" in error_of(response)[2]


def test_a_tampered_token_is_refused(simulator, frozen):
    # given
    simulator.generate(SELLER_ID, count=12, seed=13, created_before="2026-11-21T08:00:00Z")
    first = frozen.search(lastUpdatedAfter="2020-01-01T00:00:00Z", maxResultsPerPage=5).json()
    body, _, signature = first["pagination"]["nextToken"].partition(".")
    forged = base64.urlsafe_b64encode(
        base64.urlsafe_b64decode(body).replace(b'"q"', b'"Q"')
    ).decode()

    # when
    response = frozen.search(
        lastUpdatedAfter="2020-01-01T00:00:00Z", paginationToken=f"{forged}.{signature}"
    )

    # then
    assert error_of(response) == (400, "InvalidInput", "Invalid paginationToken.")


def test_a_token_expires_after_24_hours(simulator, frozen):
    # given
    simulator.generate(SELLER_ID, count=12, seed=14, created_before="2026-11-21T08:00:00Z")
    first = frozen.search(lastUpdatedAfter="2020-01-01T00:00:00Z", maxResultsPerPage=5).json()
    token = first["pagination"]["nextToken"]
    simulator.clock(offset_seconds=24 * 3600)
    frozen.forget_access_token()
    on_time = frozen.search(lastUpdatedAfter="2020-01-01T00:00:00Z", paginationToken=token)

    # when
    simulator.clock(offset_seconds=1)
    late = frozen.search(lastUpdatedAfter="2020-01-01T00:00:00Z", paginationToken=token)

    # then
    assert on_time.status_code == 200
    assert error_of(late)[:2] == (400, "InvalidInput")
    assert "expired" in error_of(late)[2]
