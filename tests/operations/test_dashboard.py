"""The store dashboard: Recent Orders for everyone granted, with import on or off."""

from django.urls import reverse

from settings_app.services import order_settings_update
from tests.operations.factories import blocked_order, imported_order


def test_with_import_disabled_the_orders_are_still_listed(manager_client, manager, store):
    # given orders, then import disabled
    order = blocked_order(store=store)
    order_settings_update(settings=store.order_settings, user=manager, import_enabled=False)

    # when the dashboard is opened
    html = manager_client.get(reverse("operations:store-dashboard", args=[store.pk])).content

    # then the orders are there, with a word on what Disabled means
    assert order.amazon_order_id.encode() in html
    assert b"Import Amazon Orders is Disabled" in html


def test_an_operator_sees_recent_orders_but_no_action(operator_client, store):
    # given an imported and a blocked order
    imported = imported_order(store=store)
    blocked = blocked_order(store=store)

    # when an operator opens the dashboard and the blocked order
    dashboard = operator_client.get(reverse("operations:store-dashboard", args=[store.pk]))
    detail = operator_client.get(reverse("operations:amazon-order-detail", args=[blocked.pk]))

    # then they read both orders, with no recover form and no Retry button
    html = dashboard.content.decode()
    assert imported.amazon_order_id in html and blocked.amazon_order_id in html
    assert "Recover order" not in html
    assert "Retry</button>" not in detail.content.decode()
    assert "A manager of this store may retry" in detail.content.decode()


def test_the_newer_rows_are_those_past_the_newest_shown(manager_client, store):
    # given two orders shown, then a third arriving
    first = imported_order(store=store)
    second = imported_order(store=store)
    position = f"{second.purchased_at.isoformat()}|{second.pk}"
    third = blocked_order(store=store)

    # when the list asks for rows newer than the newest it shows
    url = reverse("operations:recent-orders-newer", args=[store.pk])
    body = manager_client.get(url, {"newest": position}).json()

    # then only the third comes, with its position to ask from next time
    assert body["count"] == 1
    assert third.amazon_order_id in body["rows_html"]
    assert first.amazon_order_id not in body["rows_html"]
    assert body["newest"] == f"{third.purchased_at.isoformat()}|{third.pk}"


def test_recover_with_a_blank_number_answers_400_at_the_field(manager_client, store):
    response = manager_client.post(
        reverse("operations:store-recover", args=[store.pk]), {"amazon_order_id": "  "}
    )
    assert response.status_code == 400
    assert response.context["recover_form"].errors["amazon_order_id"]
