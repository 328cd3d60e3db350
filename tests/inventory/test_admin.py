import pytest
from django.urls import reverse

from inventory.models import Product, Reservation
from inventory.services import LedgerObject, reservations_place
from tests.factories import UserFactory
from tests.inventory.factories import ProductFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:inventory_product_changelist",
        "admin:inventory_reservation_changelist",
        "admin:inventory_stockadjustment_changelist",
        "admin:inventory_stock_changelist",
    ],
)
def test_the_admin_lists_inventory(admin_client, changelist):
    # given a product with a hold
    ProductFactory(sku="CUP", quantity=5)
    reservations_place(lines=[("CUP", 1)], obj=LedgerObject("order", "1"))

    # when an administrator opens the list
    response = admin_client.get(reverse(changelist))

    # then it renders
    assert response.status_code == 200


def test_the_admin_never_edits_the_ledger_nor_a_sku(admin_client):
    # given a product with a hold
    product = ProductFactory(sku="CUP", quantity=5)
    [row] = reservations_place(lines=[("CUP", 1)], obj=LedgerObject("order", "1"))

    # when an administrator opens the ledger row and posts a new SKU for the product
    ledger_page = admin_client.get(reverse("admin:inventory_reservation_change", args=[row.pk]))
    admin_client.post(
        reverse("admin:inventory_product_change", args=[product.pk]),
        {"sku": "RENAMED", "name": "Cup", "enabled": "on"},
    )

    # then the ledger row is read-only and the SKU unchanged
    assert ledger_page.status_code == 200
    assert 'name="quantity"' not in ledger_page.content.decode()
    assert Product.objects.get(pk=product.pk).sku == "CUP"
    assert Reservation.objects.get(pk=row.pk).quantity == -1
