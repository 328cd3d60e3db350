from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import Product, Reservation, StockItem
from inventory.selectors import reservation_sum_from_ledger
from inventory.services import LedgerObject, reservations_place
from inventory.status import InventoryStatus
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


def test_a_product_added_in_the_admin_gets_a_managed_stock_item_with_nothing_to_sell(
    admin_client,
):
    # given an administrator on the add form
    # when they add a product
    form = {"sku": "NEW-LAMP", "name": "Lamp", "enabled": "on"}
    inline = {"stock_items-TOTAL_FORMS": "0", "stock_items-INITIAL_FORMS": "0"}
    response = admin_client.post(reverse("admin:inventory_product_add"), {**form, **inline})

    # then it has a managed stock item with no quantity, so it shows in inventory, out of stock
    assert response.status_code == 302
    item = StockItem.objects.get(product__sku="NEW-LAMP")
    assert (item.manage_stock, item.quantity, item.reservation_total) == (True, 0, 0)
    assert item.status == InventoryStatus.OUT_OF_STOCK
    listed = admin_client.get(reverse("inventory:product-list"))
    assert [row.sku for row in listed.context["items"]] == ["NEW-LAMP"]


def test_the_admin_cannot_delete_ledger_rows_so_the_running_total_stays_true(admin_client):
    # given a product with a hold
    ProductFactory(sku="CUP", quantity=5)
    [row] = reservations_place(lines=[("CUP", 2)], obj=LedgerObject("order", "1"))

    # when an administrator tries the delete page and the bulk delete action
    delete_page = admin_client.post(
        reverse("admin:inventory_reservation_delete", args=[row.pk]), {"post": "yes"}
    )
    bulk = admin_client.post(
        reverse("admin:inventory_reservation_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )

    # then both are refused and the row and the total are intact
    assert delete_page.status_code == 403
    assert bulk.status_code in (200, 302)
    assert Reservation.objects.filter(pk=row.pk).exists()
    assert StockItem.objects.get(product__sku="CUP").reservation_total == Decimal(-2)
    assert reservation_sum_from_ledger(sku="CUP") == Decimal(-2)
