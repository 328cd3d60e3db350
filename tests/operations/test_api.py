"""The operations API: filters, cursor pages, JSON errors, and the OpenAPI schema."""

import pytest
from django.urls import reverse

from operations.api import AmazonOrderRowSerializer, CommerceOrderRowSerializer
from tests.operations.factories import blocked_order, error_order, imported_order


def test_a_store_is_listed_newest_first_in_cursor_pages(manager_api, store):
    # given 7 orders of the store
    made = [imported_order(store=store) for _ in range(7)]

    # when they are read 3 at a time, following next, then previous
    first = manager_api.get(f"/api/amazon-orders/?store={store.pk}&page_size=3").json()
    second = manager_api.get(first["next"]).json()
    third = manager_api.get(second["next"]).json()
    back = manager_api.get(third["previous"]).json()

    # then every order comes once, newest first, and going back gives the same page
    ids = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert ids == [order.pk for order in reversed(made)]
    assert third["next"] is None and first["previous"] is None
    assert [row["id"] for row in back["results"]] == [row["id"] for row in second["results"]]


def test_rows_have_the_documented_shape(manager_api, store):
    # given an imported order
    order = imported_order(store=store)

    # when the lists are read
    amazon = manager_api.get(f"/api/amazon-orders/?store={store.pk}").json()["results"][0]
    commerce = manager_api.get("/api/orders/").json()["results"][0]

    # then each row holds exactly the documented fields, amounts for machines and people
    assert set(amazon) == set(AmazonOrderRowSerializer().fields)
    assert set(commerce) == set(CommerceOrderRowSerializer().fields)
    assert amazon["total"] == {"amount": "196.6200", "currency": "USD", "formatted": "$196.62"}
    assert amazon["commerce_order"]["increment_id"] == order.commerce_order.increment_id
    assert amazon["purchased_at"].endswith("Z")


def test_filters_and_search(manager_api, store):
    # given a blocked, an error and an imported order
    blocked = blocked_order(store=store, buyer_name="Zoë Quinn")
    error_order(store=store)
    imported = imported_order(store=store)

    def ids(query: str) -> list[int]:
        response = manager_api.get(f"/api/amazon-orders/?store={store.pk}&{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    # then each filter and each kind of search finds its order
    assert ids("decision=blocked") == [blocked.pk]
    assert ids(f"search={blocked.amazon_order_id}") == [blocked.pk]
    assert ids(f"search={imported.commerce_order.increment_id}") == [imported.pk]
    assert ids("search=zoë") == [blocked.pk]
    assert set(ids("search=SKU-2")) == {blocked.pk, imported.pk, *ids("decision=error")}
    assert ids("channel=fba") == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "store=abc",
        "store={store}&decision=maybe",
        "store={store}&status=lost",
        "store={store}&cursor=bm90LWEtY3Vyc29y",
        "store={store}&cursor=" + "cD1ub3QtYS1wb3NpdGlvbg==",
        "store={store}&search=a%00b",
    ],
)
def test_bad_input_answers_400_in_json(manager_api, store, query):
    response = manager_api.get("/api/amazon-orders/?" + query.format(store=store.pk))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "query", ["?after=garbage", "?before=2026-01-01T00:00:00|x", "?decision=maybe", "?search=a%00b"]
)
def test_a_page_answers_400_to_bad_input(manager_client, store, query):
    response = manager_client.get(reverse("operations:store-dashboard", args=[store.pk]) + query)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url", ["/api/no-such-thing/", "/api/amazon-orders/999999/", "/api/orders/999999/"]
)
def test_a_json_client_gets_a_json_404(manager_api, url):
    response = manager_api.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."} or "detail" in response.json()


def test_an_anonymous_unknown_api_url_is_json_too(client, db):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_schema_documents_every_operations_endpoint(manager_api):
    # when the schema is read
    schema = manager_api.get("/api/schema/?format=json").json()
    paths = schema["paths"]

    # then every endpoint is there with its parameters and its errors
    expected = {
        "/api/amazon-orders/": (
            "get",
            {"store", "status", "channel", "decision", "search", "cursor"},
        ),
        "/api/amazon-orders/{id}/": ("get", set()),
        "/api/amazon-orders/{id}/retry/": ("post", set()),
        "/api/stores/{store_id}/recover/": ("post", set()),
        "/api/stores/{store_id}/health/": ("get", set()),
        "/api/orders/": ("get", {"store_view", "state", "status", "search", "cursor"}),
        "/api/orders/{id}/": ("get", set()),
        "/api/orders/{id}/status/": ("post", set()),
        "/api/orders/{id}/hold/": ("post", set()),
        "/api/orders/{id}/unhold/": ("post", set()),
        "/api/orders/{id}/cancel/": ("post", set()),
    }
    for path, (method, parameters) in expected.items():
        operation = paths[path][method]
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert parameters <= names, (path, names)
        assert "404" in operation["responses"] or path in {"/api/orders/"}, path
        if method == "post":
            assert {"403", "404"} <= set(operation["responses"]), path


def test_health_reports_the_figures_and_the_series(manager_api, store):
    imported_order(store=store)
    body = manager_api.get(f"/api/stores/{store.pk}/health/").json()
    assert body["orders_blocked"] == 0
    assert set(body["imports_per_hour_by_channel"]) == {"fba", "fbm"}
    assert len(body["imports_per_hour_by_channel"]["fbm"]) == 24
    assert body["last_successful_poll_at"] is None
