"""Each list and detail page and endpoint costs the same number of queries for 10 orders as
for 200, and for an order of 2 items as for one of 60."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from importer.models import ImportDecision
from tests.operations.factories import blocked_order, error_order, imported_order


def orders_of_every_kind(store, count: int) -> list:
    made = []
    for index in range(count):
        kind = (imported_order, blocked_order, error_order)[index % 3]
        made.append(kind(store=store, items=1 + index % 3))
    return made


def queries(client, url: str) -> int:
    # The health charts are counted once a minute; each measure starts without them.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


LISTS = [
    lambda store: reverse("operations:store-dashboard", args=[store.pk]),
    lambda store: reverse("operations:store-dashboard", args=[store.pk]) + "?decision=blocked",
    lambda store: reverse("operations:store-dashboard", args=[store.pk]) + "?search=SKU-2",
    lambda store: reverse("operations:recent-orders-newer", args=[store.pk]),
    lambda store: reverse("operations:commerce-order-list"),
    lambda store: reverse("operations:commerce-order-list") + "?state=new",
    lambda store: f"/api/amazon-orders/?store={store.pk}",
    lambda store: f"/api/amazon-orders/?store={store.pk}&decision=error&search=Jane",
    lambda store: "/api/orders/",
    lambda store: f"/api/stores/{store.pk}/health/",
]


@pytest.mark.parametrize("url_of", LISTS)
def test_a_list_costs_the_same_for_10_and_200_orders(manager_client, store, url_of):
    # given a store with 10 orders of every kind
    orders_of_every_kind(store, 10)
    with_10 = queries(manager_client, url_of(store))

    # when it has 200
    orders_of_every_kind(store, 190)
    with_200 = queries(manager_client, url_of(store))

    # then the page or endpoint makes no more queries
    assert with_200 == with_10 <= 18


DETAILS = [
    lambda order: reverse("operations:amazon-order-detail", args=[order.pk]),
    lambda order: f"/api/amazon-orders/{order.pk}/",
    lambda order: reverse("operations:commerce-order-detail", args=[order.commerce_order_id]),
    lambda order: f"/api/orders/{order.commerce_order_id}/",
]


@pytest.mark.parametrize("url_of", DETAILS)
def test_a_detail_costs_the_same_for_2_and_60_items(manager_client, store, url_of):
    # given an imported order of 2 items, and one of 60, among 10 and 200 orders
    orders_of_every_kind(store, 10)
    small = imported_order(store=store, items=2)
    with_2 = queries(manager_client, url_of(small))
    orders_of_every_kind(store, 190)
    large = imported_order(store=store, items=60)

    # when each is opened
    with_60 = queries(manager_client, url_of(large))

    # then both cost the same
    assert with_60 == with_2 <= 14


def test_recent_orders_shows_every_decision_in_words(manager_client, store):
    # given orders of each kind
    orders_of_every_kind(store, 3)

    # when the dashboard lists them
    page = manager_client.get(
        reverse("operations:store-dashboard", args=[store.pk])
    ).content.decode()

    # then each decision says what happened, with its figures
    assert "Commerce order 0" in page  # the created order's Commerce number, linked
    assert "SKU-2: 2 ordered, 0 salable, 2 short" in page
    assert "is not assigned to state" in page and "after 3 attempts" in page
    assert "$196.62" in page
    assert ImportDecision.BLOCKED.label in page
