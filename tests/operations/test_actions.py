"""The actions of the operations view, through the import engine's services, end to end."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from commerce.models import Order, OrderState, OrderStatus, OrderStatusHistory
from importer.models import AmazonOrder, AmazonOrderDecision, DecisionTrigger, ImportDecision
from importer.services.decisions import amazon_orders_decide
from inventory.models import Reservation
from inventory.services import stock_item_adjust
from settings_app.models import OrderNumberSource
from settings_app.services import order_settings_update
from tests.importer.factories import mirrored
from tests.inventory.factories import ProductFactory

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def kettles(db):
    return ProductFactory(sku="KETTLE", quantity=10)


def decided(row) -> AmazonOrder:
    amazon_orders_decide(order_ids=[row.pk], trigger=DecisionTrigger.POLL)
    return AmazonOrder.objects.get(pk=row.pk)


def order_in_error(store, manager) -> tuple[AmazonOrder, Order]:
    """An order whose Amazon number is already taken as a Commerce number: it fails."""
    order_settings_update(
        settings=store.order_settings, user=manager, order_number_source=OrderNumberSource.AMAZON
    )
    row = mirrored(store, lines=[("KETTLE", 1)])
    clash = Order.objects.create(
        increment_id=row.amazon_order_id,
        store_view=store.order_settings.store_view,
        state=OrderState.NEW,
        status=OrderStatus.objects.get(code="pending"),
        currency="USD",
    )
    row = decided(row)
    assert row.decision == ImportDecision.ERROR
    return row, clash


def test_retry_of_an_error_order_creates_the_commerce_order_once(
    manager_client, manager, store, kettles
):
    # given an order in error whose cause is then removed
    row, clash = order_in_error(store, manager)
    clash.delete()
    url = reverse("operations:amazon-order-retry", args=[row.pk])

    # when the manager presses Retry
    first = manager_client.post(url, follow=True)

    # then the Commerce order exists, once, and the page shows its number
    row.refresh_from_db()
    assert row.decision == ImportDecision.CREATED
    number = row.commerce_order.increment_id
    assert f"Commerce order {number}" in first.content.decode()
    assert Order.objects.filter(external_order_id=row.amazon_order_id).count() == 1

    # when they press it again
    decisions = AmazonOrderDecision.objects.filter(order=row).count()
    second = manager_client.post(url, follow=True)

    # then nothing more happens, and the page says why
    assert Order.objects.filter(external_order_id=row.amazon_order_id).count() == 1
    assert AmazonOrderDecision.objects.filter(order=row).count() == decisions
    assert "only orders in error, blocked" in second.content.decode()


def test_retry_through_the_api_is_idempotent(manager_api, manager, store, kettles):
    # given an order in error whose cause is then removed
    row, clash = order_in_error(store, manager)
    clash.delete()

    # when it is retried twice through the API
    first = manager_api.post(f"/api/amazon-orders/{row.pk}/retry/")
    second = manager_api.post(f"/api/amazon-orders/{row.pk}/retry/")

    # then the first creates the order, the second is refused with a reason, creating nothing
    assert first.status_code == 200
    assert first.json()["decision"]["decision"] == "created"
    assert first.json()["commerce_order"]["increment_id"] == row.amazon_order_id
    assert second.status_code == 400
    assert "retried" in second.json()["detail"]
    assert Order.objects.filter(external_order_id=row.amazon_order_id).count() == 1


def test_a_blocked_order_is_imported_by_retry_once_stock_comes(
    manager_client, manager, store, inventory_manager
):
    # given an order for 3 lamps with none in stock
    ProductFactory(sku="LAMP", quantity=0)
    row = decided(mirrored(store, lines=[("LAMP", 3)]))
    assert row.decision == ImportDecision.BLOCKED
    page = manager_client.get(reverse("operations:amazon-order-detail", args=[row.pk]))
    assert "LAMP is short by 3 (3 ordered, 0 salable)" in page.content.decode()

    # when stock comes and the manager retries
    stock_item_adjust(sku="LAMP", quantity=Decimal(5), user=inventory_manager, reason="Delivery")
    manager_client.post(reverse("operations:amazon-order-retry", args=[row.pk]))

    # then the order is created
    row.refresh_from_db()
    assert row.decision == ImportDecision.CREATED


def test_import_now_imports_an_order_skipped_while_import_was_disabled(
    manager_client, manager, store, kettles
):
    # given an order that came while import was disabled
    order_settings_update(settings=store.order_settings, user=manager, import_enabled=False)
    row = decided(mirrored(store, lines=[("KETTLE", 1)]))
    assert row.decision == ImportDecision.SKIPPED
    page = manager_client.get(reverse("operations:amazon-order-detail", args=[row.pk]))
    assert "Import now" in page.content.decode()

    # when the manager imports it now
    manager_client.post(reverse("operations:amazon-order-retry", args=[row.pk]))

    # then it is created, and its history says a person imported it
    row.refresh_from_db()
    assert row.decision == ImportDecision.CREATED
    last = AmazonOrderDecision.objects.filter(order=row).order_by("-created_at", "-pk").first()
    assert (last.trigger, last.user) == (DecisionTrigger.IMPORT_NOW, manager)


@pytest.mark.integration
def test_recover_by_id_imports_an_order_the_poller_never_saw(
    client, simulated_store, sp_api, kettles
):
    # given an Unshipped order on Amazon that no poll has stored, and a manager
    from settings_app.models import StoreRole
    from tests.factories import StoreAccessFactory

    manager = StoreAccessFactory(store=simulated_store, role=StoreRole.MANAGER).user
    client.force_login(manager)
    created = sp_api.create_order(
        simulated_store.seller_id,
        order={
            "createdTime": T0.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lastUpdatedTime": T0.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "fulfillment": {"fulfilledBy": "MERCHANT", "fulfillmentStatus": "UNSHIPPED"},
        },
    )
    order_id = created["orderId"]
    assert not AmazonOrder.objects.filter(amazon_order_id=order_id).exists()

    # when the manager recovers it by its number on the dashboard
    response = client.post(
        reverse("operations:store-recover", args=[simulated_store.pk]),
        {"amazon_order_id": f"  {order_id} "},
        follow=True,
    )

    # then it is mirrored, decided, and its page is shown
    row = AmazonOrder.objects.get(store=simulated_store, amazon_order_id=order_id)
    assert response.redirect_chain[-1][0] == reverse(
        "operations:amazon-order-detail", args=[row.pk]
    )
    assert row.decision != ImportDecision.UNDECIDED
    last = AmazonOrderDecision.objects.filter(order=row).order_by("-pk").first()
    assert last.trigger == DecisionTrigger.RECOVER

    # when an unknown number is asked for, through the API
    unknown = client.post(
        f"/api/stores/{simulated_store.pk}/recover/",
        {"amazon_order_id": "999-0000000-0000000"},
        content_type="application/json",
    )

    # then the reason is at the field, 400
    assert unknown.status_code == 400
    assert "999-0000000-0000000" in unknown.json()["amazon_order_id"][0]


def ledger_of(order: Order) -> dict:
    rows = Reservation.objects.filter(object_type="order", object_id=str(order.pk))
    return {row["sku"]: row["total"] for row in rows.values("sku").annotate(total=Sum("quantity"))}


def test_cancel_from_the_workspace_compensates_reservations_exactly_once(
    manager_client, manager, store, kettles
):
    # given an imported order holding 2 kettles
    row = decided(mirrored(store, lines=[("KETTLE", 2)]))
    order = row.commerce_order
    assert ledger_of(order) == {"KETTLE": Decimal(-2)}
    url = reverse("operations:commerce-order-cancel", args=[order.pk])

    # when the manager cancels it, twice
    first = manager_client.post(url, {"comment": "Buyer asked"}, follow=True)
    second = manager_client.post(url, {"comment": "again"})

    # then it is canceled, gives its 2 kettles back once, and the history names who
    order.refresh_from_db()
    assert order.state == OrderState.CANCELED
    assert ledger_of(order) == {"KETTLE": Decimal(0)}
    assert (
        Reservation.objects.filter(object_id=str(order.pk), event_type="order_canceled").count()
        == 1
    )
    assert "canceled" in first.content.decode()
    assert second.status_code in {302, 400}
    last = OrderStatusHistory.objects.filter(order=order).order_by("-pk").first()
    assert last.created_by == manager


def test_a_manager_changes_the_status_holds_and_releases_an_order(
    manager_api, manager, store, kettles
):
    # given an imported order and a custom status of its state
    from commerce.services import order_status_create

    row = decided(mirrored(store, lines=[("KETTLE", 1)]))
    order = row.commerce_order
    order_status_create(code="amazon_checked", label="Amazon Checked", state=order.state)

    # when the manager changes its status, holds it, and releases it through the API
    changed = manager_api.post(
        f"/api/orders/{order.pk}/status/", {"status": "amazon_checked"}, format="json"
    )
    held = manager_api.post(f"/api/orders/{order.pk}/hold/", {"comment": "Check"}, format="json")
    released = manager_api.post(f"/api/orders/{order.pk}/unhold/", {}, format="json")

    # then each took effect and each history row names the manager
    assert changed.status_code == 200, changed.json()
    assert changed.json()["status_label"] == "Amazon Checked"
    assert held.json()["state"] == OrderState.HOLDED
    assert released.json()["state"] != OrderState.HOLDED
    rows = OrderStatusHistory.objects.filter(order=order).order_by("pk")
    assert [row.created_by for row in rows][-3:] == [manager] * 3


def test_a_status_of_another_state_is_refused_with_400(manager_api, store, kettles):
    # given an imported order in state New
    row = decided(mirrored(store, lines=[("KETTLE", 1)]))

    # when a status of another state is asked for
    response = manager_api.post(
        f"/api/orders/{row.commerce_order_id}/status/", {"status": "complete"}, format="json"
    )

    # then it is refused for people, and nothing changed
    assert response.status_code == 400
    assert "current state" in response.json()["detail"]
