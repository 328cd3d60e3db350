"""Renaming, unassigning and deleting order statuses on the order status page, and codes
unique whatever their letter case (commerce.status_services, the page, the database)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from commerce.models import OrderState, OrderStatus, OrderStatusState
from commerce.services import order_status_create
from commerce.status_services import (
    StandardStatus,
    StatusInUse,
    order_status_delete,
    order_status_rename,
)
from tests.commerce.factories import OrderFactory

PAGE = reverse("commerce:order-status-list")


def test_codes_are_unique_whatever_their_case_in_the_database(db):
    # given a status "picking"
    OrderStatus.objects.create(code="picking", label="Picking")

    # when another is written as "Picking"
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderStatus.objects.create(code="Picking", label="Picking again")


def test_the_page_refuses_a_code_taken_in_another_case(commerce_administrator_client):
    # given a status "picking"
    order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when an administrator adds "PICKING"
    response = commerce_administrator_client.post(
        PAGE, {"create-code": "PICKING", "create-label": "Loud", "create-state": "processing"}
    )

    # then the error is at the code, 400, and nothing was added
    assert response.status_code == 400
    assert "already exists" in response.context["create_form"].errors["code"][0]
    assert OrderStatus.objects.filter(code__iexact="picking").count() == 1


def test_an_administrator_renames_a_status(commerce_administrator_client):
    # given a custom status
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when it is renamed on the page
    response = commerce_administrator_client.post(
        PAGE, {"action": "rename", "status": status.pk, "label": "Being picked"}, follow=True
    )

    # then its label changed, its code did not
    status.refresh_from_db()
    assert (status.code, status.label) == ("picking", "Being picked")
    assert "Order status renamed." in response.content.decode()


def test_an_administrator_unassigns_a_status_from_a_state(commerce_administrator_client):
    # given a custom status assigned to processing (not its default)
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when it is unassigned
    commerce_administrator_client.post(
        PAGE, {"action": "unassign", "status": status.pk, "state": OrderState.PROCESSING}
    )

    # then it is assigned to no state
    assert not OrderStatusState.objects.filter(status=status).exists()


def test_an_unused_custom_status_is_deleted(commerce_administrator_client):
    # given an unused custom status
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when it is deleted on the page
    response = commerce_administrator_client.post(
        PAGE, {"action": "delete", "status": status.pk}, follow=True
    )

    # then it and its assignment are gone
    assert not OrderStatus.objects.filter(pk=status.pk).exists()
    assert "Order status deleted." in response.content.decode()


def test_a_status_in_use_or_standard_is_not_deleted(commerce_administrator_client, db):
    # given a custom status an order uses, and a standard status
    used = order_status_create(code="picking", label="Picking", state=OrderState.NEW)
    OrderFactory(status=used)
    standard = OrderStatus.objects.get(code="holded")

    # when each is deleted
    page = commerce_administrator_client.post(PAGE, {"action": "delete", "status": used.pk})

    # then both stay, and the page says why with 400
    assert page.status_code == 400
    assert "used by orders" in page.content.decode()
    with pytest.raises(StatusInUse):
        order_status_delete(status=used)
    with pytest.raises(StandardStatus):
        order_status_delete(status=standard)
    assert OrderStatus.objects.filter(pk__in=[used.pk, standard.pk]).count() == 2


def test_a_status_chosen_in_a_stores_settings_is_not_deleted(store, manager):
    # given a custom status chosen as a store's Processing Order Status
    from settings_app.models import OrderStatusMode
    from settings_app.services import order_settings_update

    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        order_status=OrderStatusMode.CUSTOM,
        processing_status="picking",
    )

    # when it is deleted
    # then it is refused as in use
    with pytest.raises(StatusInUse):
        order_status_delete(status=status)
    assert OrderStatus.objects.filter(pk=status.pk).exists()


def test_a_blank_label_is_refused(db):
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        order_status_rename(status=status, label="   ")


@pytest.mark.parametrize("action", ["rename", "unassign", "delete"])
def test_only_administrators_change_statuses(manager_client, action):
    # given a custom status and a store manager who is no Commerce administrator
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when they try a change
    response = manager_client.post(
        PAGE, {"action": action, "status": status.pk, "label": "X", "state": "processing"}
    )

    # then they are refused and nothing changed
    assert response.status_code == 403
    assert OrderStatus.objects.get(pk=status.pk).label == "Picking"


def test_the_service_refuses_a_code_taken_in_another_case_before_the_database(db):
    # given a status "picking"
    from django.core.exceptions import ValidationError

    order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when the service is asked for "Picking"
    # then it refuses with a message for people, not a database error
    with pytest.raises(ValidationError, match="already exists"):
        order_status_create(code="Picking", label="Picking", state=OrderState.PROCESSING)
