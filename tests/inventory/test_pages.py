from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.models import AdjustmentKind, StockAdjustment, StockItem
from inventory.services import LedgerObject, reservations_place
from tests.factories import UserFactory
from tests.inventory.factories import ProductFactory


def test_the_list_shows_quantity_reserved_salable_and_status(inventory_manager_client):
    # given a managed product with 3 of 10 units held, and an unmanaged placeholder
    ProductFactory(sku="MUG-RED", quantity=10, out_of_stock_threshold=1)
    reservations_place(lines=[("MUG-RED", 3)], obj=LedgerObject("order", "1"))
    ProductFactory(sku="PLACEHOLDER-1", manage_stock=False, enabled=False, quantity=0)

    # when the inventory list is opened
    response = inventory_manager_client.get(reverse("inventory:product-list"))

    # then each row carries its figures and status
    assert response.status_code == 200
    items = {item.sku: item for item in response.context["items"]}
    assert (items["MUG-RED"].quantity, items["MUG-RED"].reserved) == (Decimal(10), Decimal(3))
    assert items["MUG-RED"].salable_quantity == Decimal(6)
    page = response.content.decode()
    assert "In-stock" in page
    assert "Do Not Manage" in page
    assert "disabled" in page


def test_the_list_searches_by_sku_prefix_and_pages_by_key(inventory_manager_client):
    # given 60 mugs and 5 plates
    for index in range(60):
        ProductFactory(sku=f"MUG-{index:03d}")
    for index in range(5):
        ProductFactory(sku=f"PLATE-{index}")

    # when the mugs are searched, then the next page is followed
    first = inventory_manager_client.get(reverse("inventory:product-list"), {"sku": "MUG-"})
    second = inventory_manager_client.get(
        reverse("inventory:product-list"), {"sku": "MUG-", "after": first.context["next_after"]}
    )

    # then the pages hold 50 and 10 mugs, in SKU order, and no plate
    first_skus = [item.sku for item in first.context["items"]]
    second_skus = [item.sku for item in second.context["items"]]
    assert first_skus == [f"MUG-{index:03d}" for index in range(50)]
    assert second_skus == [f"MUG-{index:03d}" for index in range(50, 60)]
    assert second.context["next_after"] is None


def test_the_list_takes_the_same_queries_for_3_or_45_products(
    inventory_manager_client, django_assert_max_num_queries
):
    # given 3 products
    for index in range(3):
        ProductFactory(sku=f"FEW-{index}")

    # when the list is opened with 3, then with 45 products
    with django_assert_max_num_queries(6) as few:
        inventory_manager_client.get(reverse("inventory:product-list"))
    for index in range(42):
        ProductFactory(sku=f"MANY-{index:02d}")
    with django_assert_max_num_queries(6) as many:
        response = inventory_manager_client.get(reverse("inventory:product-list"))

    # then the query count does not grow with the rows
    assert len(response.context["items"]) == 45
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_product_page_shows_its_ledger_newest_first_in_pages(
    inventory_manager_client, django_assert_max_num_queries
):
    # given 55 orders holding one unit each
    ProductFactory(sku="BUSY", quantity=100)
    for number in range(55):
        reservations_place(lines=[("BUSY", 1)], obj=LedgerObject("order", str(number)))

    # when its page and the next ledger page are opened
    with django_assert_max_num_queries(8):
        first = inventory_manager_client.get(reverse("inventory:product-detail", args=["BUSY"]))
    second = inventory_manager_client.get(
        reverse("inventory:product-detail", args=["BUSY"]),
        {"before": first.context["next_before"]},
    )

    # then the rows come 50 then 5, newest first, with their objects
    first_ids = [row.object_id for row in first.context["reservations"]]
    second_ids = [row.object_id for row in second.context["reservations"]]
    assert first_ids == [str(number) for number in range(54, 4, -1)]
    assert second_ids == ["4", "3", "2", "1", "0"]
    assert "Adjust quantity" in first.content.decode()


def test_a_sku_with_slashes_and_spaces_has_its_own_page(inventory_manager_client):
    # given a SKU the way merchants write them
    ProductFactory(sku="BOX/12 pcs")

    # when its page is opened
    response = inventory_manager_client.get(
        reverse("inventory:product-detail", args=["BOX/12 pcs"])
    )

    # then it is found
    assert response.status_code == 200
    assert response.context["product"].sku == "BOX/12 pcs"


def test_an_inventory_manager_adjusts_the_quantity_and_the_change_is_recorded(
    inventory_manager_client, inventory_manager
):
    # given 10 units
    ProductFactory(sku="CUP", quantity=10)

    # when an inventory manager sets the quantity to 25
    asked_at = timezone.now()
    response = inventory_manager_client.post(
        reverse("inventory:product-adjust", args=["CUP"]),
        {"quantity": "25", "reason": "Stock count"},
    )

    # then it is saved and the adjustment records who, when, from and to
    assert response.status_code == 302
    assert StockItem.objects.get(product__sku="CUP").quantity == Decimal(25)
    adjustment = StockAdjustment.objects.filter(kind=AdjustmentKind.MANUAL).latest("pk")
    assert (adjustment.user, adjustment.quantity_from, adjustment.quantity_to) == (
        inventory_manager,
        Decimal(10),
        Decimal(25),
    )
    assert adjustment.reason == "Stock count"
    assert asked_at <= adjustment.created_at <= timezone.now()


def test_a_negative_quantity_is_refused_with_the_field_marked(inventory_manager_client):
    # given 10 units
    ProductFactory(sku="CUP", quantity=10)

    # when a manager posts -1
    response = inventory_manager_client.post(
        reverse("inventory:product-adjust", args=["CUP"]), {"quantity": "-1"}
    )

    # then the form says why and nothing changed
    assert response.status_code == 400
    assert "quantity" in response.context["form"].errors
    assert StockItem.objects.get(product__sku="CUP").quantity == Decimal(10)


def test_an_operator_sees_inventory_but_cannot_adjust_it(operator_client):
    # given a product
    ProductFactory(sku="CUP", quantity=10)

    # when an operator opens the page and then posts an adjustment
    page = operator_client.get(reverse("inventory:product-detail", args=["CUP"]))
    post = operator_client.post(
        reverse("inventory:product-adjust", args=["CUP"]), {"quantity": "0"}
    )

    # then the page has no form and the post is forbidden
    assert page.status_code == 200
    assert "Adjust quantity" not in page.content.decode()
    assert post.status_code == 403
    assert StockItem.objects.get(product__sku="CUP").quantity == Decimal(10)


@pytest.mark.parametrize("page", ["inventory:product-list", "inventory:product-detail"])
def test_a_user_without_any_store_role_is_refused(db, client, page):
    # given a product and a user with no store role
    ProductFactory(sku="CUP")
    client.force_login(UserFactory())

    # when they open an inventory page
    args = ["CUP"] if page.endswith("detail") else []
    response = client.get(reverse(page, args=args))

    # then it is forbidden
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    # given nobody logged in
    # when the inventory is opened
    response = client.get(reverse("inventory:product-list"))

    # then the login page is asked for
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_unknown_sku_answers_404(inventory_manager_client):
    # given no such product
    # when its page is opened or adjusted
    page = inventory_manager_client.get(reverse("inventory:product-detail", args=["NOPE"]))
    post = inventory_manager_client.post(
        reverse("inventory:product-adjust", args=["NOPE"]), {"quantity": 1}
    )

    # then both answer 404
    assert (page.status_code, post.status_code) == (404, 404)


def test_the_navigation_links_to_inventory(inventory_manager_client):
    # given a logged-in manager
    # when any page is opened
    response = inventory_manager_client.get(reverse("inventory:product-list"))

    # then the top navigation links to the inventory
    assert f'href="{reverse("inventory:product-list")}"' in response.content.decode()


def test_the_adjustment_message_shows_quantities_as_people_write_them(inventory_manager_client):
    # given 8 units
    ProductFactory(sku="CUP", quantity=8)

    # when an inventory manager sets 2.5
    response = inventory_manager_client.post(
        reverse("inventory:product-adjust", args=["CUP"]), {"quantity": "2.5"}, follow=True
    )

    # then the message reads plainly
    assert "Quantity of CUP set from 8 to 2.5." in response.content.decode()


@pytest.mark.parametrize("query", [{"sku": "MUG\x00"}, {"after": "MUG\x00"}, {"sku": "M" * 65}])
def test_a_search_no_sku_could_match_answers_400_with_the_reason(inventory_manager_client, query):
    # given a product
    ProductFactory(sku="MUG-1")

    # when the list is asked for with a NUL or an over-long SKU in its query string
    response = inventory_manager_client.get(reverse("inventory:product-list"), query)

    # then the page says the search was not understood, and lists nothing
    assert response.status_code == 400
    assert "The search was not understood" in response.content.decode()
    assert response.context["items"] == []


@pytest.mark.parametrize("before", ["abc", "\u00b2", "-1", "0", "1.5"])
def test_a_ledger_page_that_cannot_exist_answers_400(inventory_manager_client, before):
    # given a product
    ProductFactory(sku="CUP")

    # when its page is asked for before a row id that is not a positive whole number
    response = inventory_manager_client.get(
        reverse("inventory:product-detail", args=["CUP"]), {"before": before}
    )

    # then it is a client error
    assert response.status_code == 400


@pytest.mark.parametrize("page", ["inventory:product-detail", "inventory:product-adjust"])
def test_a_sku_holding_a_nul_character_has_no_page(inventory_manager_client, page):
    # given a product; no SKU can hold NUL, PostgreSQL cannot store it
    ProductFactory(sku="CUP", quantity=10)

    # when a URL names the SKU with a NUL appended
    path = reverse("inventory:product-list") + "products/CUP%00/"
    if page.endswith("adjust"):
        response = inventory_manager_client.post(path + "adjust/", {"quantity": "1"})
    else:
        response = inventory_manager_client.get(path)

    # then there is no such page, and the stock did not move
    assert response.status_code == 404
    assert StockItem.objects.get(product__sku="CUP").quantity == Decimal(10)


@pytest.mark.parametrize("quantity", ["NaN", "Infinity", "-Infinity", "1e309", "1e-9", "abc", ""])
def test_a_quantity_that_is_not_a_finite_amount_is_refused(inventory_manager_client, quantity):
    # given 10 units
    ProductFactory(sku="CUP", quantity=10)

    # when a manager posts it
    response = inventory_manager_client.post(
        reverse("inventory:product-adjust", args=["CUP"]), {"quantity": quantity}
    )

    # then the field is marked and nothing changed
    assert response.status_code == 400
    assert "quantity" in response.context["form"].errors
    assert StockItem.objects.get(product__sku="CUP").quantity == Decimal(10)
