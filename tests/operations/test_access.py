"""Amazon orders and Commerce orders of a store not granted answer 404 everywhere, operators
read but cannot act, and every form needs its CSRF token.

The routes are read from the URL configuration: any page or endpoint taking an order id
(``pk``) that is added later is checked too.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from commerce.models import OrderStatusHistory
from importer.models import AmazonOrderDecision
from tests.operations.factories import error_order, imported_order

AMAZON_ORDER_ROUTES = {
    "operations:amazon-order-detail",
    "operations:amazon-order-retry",
    "api-amazon-order-detail",
    "api-amazon-order-retry",
}
COMMERCE_ORDER_ROUTES = {
    "operations:commerce-order-detail",
    "operations:commerce-order-status",
    "operations:commerce-order-hold",
    "operations:commerce-order-unhold",
    "operations:commerce-order-cancel",
    "api-order-detail",
    "api-order-status",
    "api-order-hold",
    "api-order-unhold",
    "api-order-cancel",
}
# Routes that act: POST only.
ACTION_ROUTES = {
    name
    for name in AMAZON_ORDER_ROUTES | COMMERCE_ORDER_ROUTES
    if name.rsplit("-", 1)[-1] in {"retry", "status", "hold", "unhold", "cancel"}
}


def order_routes(patterns=None, namespace="") -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= order_routes(pattern.url_patterns, inner)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and set(getattr(pattern.pattern, "converters", {})) == {"pk"}
        ):
            names.add(f"{namespace}{pattern.name}")
    return names


ROUTES = sorted(order_routes())


def test_every_order_route_is_known_here():
    # given the URL configuration

    # when the routes taking an order id are collected

    # then each is classed as an Amazon order or a Commerce order route
    assert set(ROUTES) == AMAZON_ORDER_ROUTES | COMMERCE_ORDER_ROUTES


def target_id(route: str, order) -> int:
    return order.commerce_order_id if route in COMMERCE_ORDER_ROUTES else order.pk


def send(client, method: str, url: str):
    if method == "post":
        return client.post(url, {"status": "processing", "comment": "x"})
    return client.get(url)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("route", ROUTES)
def test_an_order_of_a_store_not_granted_answers_404(
    client, manager_of_other_store, stranger_store, route, method
):
    # given a manager of another store, and an imported order of a store not granted to them
    order = imported_order(store=stranger_store)
    client.force_login(manager_of_other_store)
    history = OrderStatusHistory.objects.count()

    # when they open or act on it by its id
    response = send(client, method, reverse(route, kwargs={"pk": target_id(route, order)}))

    # then it does not exist for them (a method the route lacks says so), and nothing changed
    if (method == "get") == (route in ACTION_ROUTES):
        assert response.status_code == 405
    else:
        assert response.status_code == 404
    assert OrderStatusHistory.objects.count() == history


@pytest.mark.parametrize("route", ROUTES)
def test_a_guessed_order_id_answers_404(manager_client, store, route):
    # given an id no order has
    order = imported_order(store=store)

    # when a manager uses it
    url = reverse(route, kwargs={"pk": target_id(route, order) + 10_000})
    response = manager_client.post(url) if route in ACTION_ROUTES else manager_client.get(url)

    # then there is nothing there
    assert response.status_code == 404


@pytest.mark.parametrize("route", sorted(set(ROUTES) - ACTION_ROUTES))
def test_an_operator_reads_every_order_page_and_endpoint(operator_client, store, route):
    # given an imported order of the operator's store
    order = imported_order(store=store)

    # when they open it
    response = operator_client.get(reverse(route, kwargs={"pk": target_id(route, order)}))

    # then they may read it
    assert response.status_code == 200


@pytest.mark.parametrize("route", sorted(ACTION_ROUTES))
def test_an_operator_cannot_act(operator_client, store, route):
    # given an order in error of the operator's store, with a Commerce order
    order = error_order(store=store)
    imported = imported_order(store=store)
    decisions = AmazonOrderDecision.objects.count()
    history = OrderStatusHistory.objects.count()
    target = order.pk if route in AMAZON_ORDER_ROUTES else imported.commerce_order_id

    # when they try the action
    response = operator_client.post(
        reverse(route, kwargs={"pk": target}), {"status": "processing", "comment": "x"}
    )

    # then they are refused and nothing changed
    assert response.status_code == 403
    assert AmazonOrderDecision.objects.count() == decisions
    assert OrderStatusHistory.objects.count() == history


PAGE_ACTION_ROUTES = sorted(name for name in ACTION_ROUTES if name.startswith("operations:"))


@pytest.mark.parametrize("route", [*PAGE_ACTION_ROUTES, "operations:store-recover"])
def test_every_form_needs_its_csrf_token(manager, store, route):
    # given a manager whose browser does not send the CSRF token
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    order = imported_order(store=store)
    history = OrderStatusHistory.objects.count()
    if route == "operations:store-recover":
        url = reverse(route, kwargs={"store_id": store.pk})
    else:
        url = reverse(route, kwargs={"pk": target_id(route, order)})

    # when the form is posted
    response = client.post(url, {"status": "processing", "amazon_order_id": "902-1-2"})

    # then it is refused and nothing changed
    assert response.status_code == 403
    assert OrderStatusHistory.objects.count() == history


@pytest.mark.parametrize("route", sorted(name for name in ACTION_ROUTES if name.startswith("api-")))
def test_a_session_api_call_needs_its_csrf_token(manager, store, route):
    # given a manager using the API with the browser's session, without the CSRF token
    api = APIClient(enforce_csrf_checks=True)
    api.login(username=manager.username, password="correct horse battery")
    order = imported_order(store=store)

    # when they act
    response = api.post(reverse(route, kwargs={"pk": target_id(route, order)}), {}, format="json")

    # then the API refuses, in JSON
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_the_pages_forms_carry_the_csrf_token(manager_client, store):
    # given a blocked order with a Commerce order beside it
    order = imported_order(store=store)

    # when the manager opens the dashboard and the order pages
    pages = [
        manager_client.get(reverse("operations:store-dashboard", args=[store.pk])),
        manager_client.get(
            reverse("operations:commerce-order-detail", args=[order.commerce_order_id])
        ),
    ]

    # then every form that posts carries the token
    for page in pages:
        html = page.content.decode()
        assert html.count('method="post"') == html.count("csrfmiddlewaretoken")
