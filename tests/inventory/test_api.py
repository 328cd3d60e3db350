import base64
from decimal import Decimal
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from inventory.models import StockAdjustment, StockItem
from inventory.services import LedgerObject, reservations_place
from tests.factories import UserFactory
from tests.inventory.factories import ProductFactory


def url(sku: str, suffix: str = "") -> str:
    return f"/api/inventory/{quote(sku)}/{suffix}"


def test_the_list_gives_every_skus_figures_by_sku(operator_api, django_assert_max_num_queries):
    # given a managed product with 2 of 10 units held and an unmanaged one
    ProductFactory(sku="B-MUG", quantity=10, out_of_stock_threshold=1)
    reservations_place(lines=[("B-MUG", 2)], obj=LedgerObject("order", "1"))
    ProductFactory(sku="A-EBOOK", manage_stock=False, quantity=0)

    # when the inventory is listed
    with django_assert_max_num_queries(3):
        response = operator_api.get("/api/inventory/")

    # then both come in SKU order with their figures
    assert response.status_code == 200
    ebook, mug = response.json()["results"]
    assert (ebook["sku"], ebook["status"], ebook["salable"]) == ("A-EBOOK", "do_not_manage", None)
    assert mug["sku"] == "B-MUG"
    assert (mug["quantity"], mug["reserved"], mug["salable"]) == ("10.0000", "2.0000", "7.0000")
    assert mug["status"] == "in_stock"


def test_the_list_filters_by_sku_prefix_and_pages_with_a_cursor(operator_api):
    # given 3 mugs and a plate, listed 2 per page
    for sku in ("MUG-1", "MUG-2", "MUG-3", "PLATE-1"):
        ProductFactory(sku=sku)

    # when the mugs are listed page by page
    page = operator_api.get("/api/inventory/", {"sku": "MUG-", "page_size": 2}).json()
    pages = [[row["sku"] for row in page["results"]]]
    while page["next"]:
        page = operator_api.get(page["next"]).json()
        pages.append([row["sku"] for row in page["results"]])

    # then every mug comes once, two by two, and the plate never
    assert pages == [["MUG-1", "MUG-2"], ["MUG-3"]]


def test_one_sku_including_slashes_and_spaces(operator_api):
    # given a SKU with a slash and a space
    ProductFactory(sku="BOX/12 pcs", quantity=4)

    # when it is read
    response = operator_api.get(url("BOX/12 pcs"))

    # then it is found
    assert response.status_code == 200
    assert response.json()["sku"] == "BOX/12 pcs"
    assert response.json()["salable"] == "4.0000"


def test_an_unknown_sku_answers_404(operator_api, inventory_manager_api):
    # given no such product
    # when it is read, its ledger listed and an adjustment posted
    responses = [
        operator_api.get(url("NOPE")),
        operator_api.get(url("NOPE", "reservations/")),
        inventory_manager_api.post(url("NOPE", "adjust/"), {"quantity": "1"}, format="json"),
    ]

    # then every one answers 404
    assert [response.status_code for response in responses] == [404, 404, 404]


def test_the_ledger_of_a_sku_comes_newest_first(operator_api):
    # given two orders holding units
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 1)], obj=LedgerObject("order", "1", "000000001"))
    reservations_place(lines=[("CUP", 2)], obj=LedgerObject("order", "2", "000000002"))

    # when its reservations are listed
    response = operator_api.get(url("CUP", "reservations/"))

    # then both rows come, newest first, with their metadata
    rows = response.json()["results"]
    assert [(row["object_increment_id"], row["quantity"]) for row in rows] == [
        ("000000002", "-2.0000"),
        ("000000001", "-1.0000"),
    ]
    assert rows[0]["event_type"] == "order_placed"


def test_an_inventory_manager_adjusts_a_quantity(inventory_manager_api, inventory_manager):
    # given 10 units with 4 held
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 4)], obj=LedgerObject("order", "1"))

    # when an inventory manager sets the quantity to 6
    response = inventory_manager_api.post(
        url("CUP", "adjust/"), {"quantity": "6", "reason": "Breakage"}, format="json"
    )

    # then the new figures come back and the change is recorded
    assert response.status_code == 200
    assert (response.json()["quantity"], response.json()["salable"]) == ("6.0000", "2.0000")
    adjustment = StockAdjustment.objects.latest("pk")
    assert (adjustment.user, adjustment.quantity_from, adjustment.quantity_to) == (
        inventory_manager,
        Decimal(10),
        Decimal(6),
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"quantity": "123456789012"}, "quantity"),
        ({"quantity": "1.00001"}, "quantity"),
        ({}, "quantity"),
        ({"quantity": "1", "reason": "x" * 256}, "reason"),
    ],
)
def test_bad_input_answers_400_with_field_errors(inventory_manager_api, payload, field):
    # given 10 units
    ProductFactory(sku="CUP", quantity=10)

    # when a bad adjustment is posted
    response = inventory_manager_api.post(url("CUP", "adjust/"), payload, format="json")

    # then the field is named and nothing changed
    assert response.status_code == 400
    assert field in response.json()
    assert StockItem.objects.get(product__sku="CUP").quantity == Decimal(10)


def test_a_store_manager_without_the_permission_cannot_set_any_stock(manager_api):
    # given 10 units of a SKU every store sells
    ProductFactory(sku="CUP", quantity=10)

    # when a manager of one Amazon store (not an inventory manager) sets it to 0
    response = manager_api.post(url("CUP", "adjust/"), {"quantity": "0"}, format="json")

    # then it is refused: stock is shared by every store
    assert response.status_code == 403
    assert StockItem.objects.get(product__sku="CUP").quantity == Decimal(10)


def test_an_operator_cannot_adjust(operator_api):
    # given 10 units
    ProductFactory(sku="CUP", quantity=10)

    # when an operator posts an adjustment
    response = operator_api.post(url("CUP", "adjust/"), {"quantity": "0"}, format="json")

    # then it is forbidden and nothing changed
    assert response.status_code == 403
    assert StockItem.objects.get(product__sku="CUP").quantity == Decimal(10)


@pytest.mark.parametrize("path", ["/api/inventory/", url("CUP"), url("CUP", "reservations/")])
def test_a_user_without_any_store_role_is_refused(db, path):
    # given a user holding no role on any store
    ProductFactory(sku="CUP")
    api = APIClient()
    api.force_authenticate(UserFactory())

    # when they read inventory
    response = api.get(path)

    # then it is forbidden
    assert response.status_code == 403


def test_an_anonymous_client_is_refused(db):
    # given no credentials
    # when the inventory is read
    response = APIClient().get("/api/inventory/")

    # then it is refused
    assert response.status_code in (401, 403)


def test_the_schema_documents_the_inventory_endpoints(operator_api):
    # given the API schema
    # when it is fetched
    response = operator_api.get("/api/schema/", {"format": "json"})

    # then every inventory endpoint is in it
    paths = response.json()["paths"]
    for path in (
        "/api/inventory/",
        "/api/inventory/{sku}/",
        "/api/inventory/{sku}/reservations/",
        "/api/inventory/{sku}/adjust/",
    ):
        assert path in paths


@pytest.mark.parametrize(
    "body",
    [
        '{"quantity": "NaN"}',
        '{"quantity": "Infinity"}',
        '{"quantity": "-Infinity"}',
        '{"quantity": "1e309"}',
        '{"quantity": 1e309}',
        '{"quantity": NaN}',
        '{"quantity": true}',
        '{"quantity": null}',
        '{"quantity": ["1"]}',
        '{"quantity": "1\\u0000"}',
        '{"quantity": "1", "reason": "a\\u0000b"}',
        "",
        "{",
        "[1]",
        "null",
    ],
)
def test_malformed_adjustment_bodies_answer_400_and_change_nothing(inventory_manager_api, body):
    # given 10 units
    ProductFactory(sku="CUP", quantity=10)

    # when a hostile or broken body is posted as JSON
    response = inventory_manager_api.post(
        url("CUP", "adjust/"), data=body, content_type="application/json"
    )

    # then it is a client error, and neither the quantity nor the history moved
    assert response.status_code == 400, response.content
    assert StockItem.objects.get(product__sku="CUP").quantity == Decimal(10)
    assert not StockAdjustment.objects.filter(kind="manual").exclude(reason="Created").exists()


@pytest.mark.parametrize("suffix", ["", "reservations/", "adjust/"])
def test_a_sku_holding_a_nul_character_answers_404(inventory_manager_api, suffix):
    # given a product; no SKU can hold NUL, PostgreSQL cannot store it
    ProductFactory(sku="CUP")

    # when a URL names a SKU with a NUL in it
    path = url("CUP\x00", suffix)
    response = (
        inventory_manager_api.post(path, {"quantity": "1"})
        if suffix
        else inventory_manager_api.get(path)
    )

    # then there is no such SKU
    assert response.status_code == 404


@pytest.mark.parametrize("sku_filter", ["MUG\x00", "M" * 65])
def test_a_sku_filter_no_sku_could_match_answers_400(operator_api, sku_filter):
    # given a product
    ProductFactory(sku="MUG-1")

    # when the list is filtered by a NUL or by more than a SKU can hold
    response = operator_api.get("/api/inventory/", {"sku": sku_filter})

    # then the parameter is named
    assert response.status_code == 400
    assert "sku" in response.json()


def forged_cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


@pytest.mark.parametrize(
    ("path", "position"),
    [
        ("/api/inventory/", "p=%00"),
        ("/api/inventory/CUP/reservations/", "p=abc"),
        ("/api/inventory/CUP/reservations/", "p=1.5"),
        ("/api/inventory/CUP/reservations/", "p=%00"),
        ("/api/inventory/CUP/reservations/", "p=%C2%B2"),
        ("/api/stores/", "p=abc"),
        ("/api/stores/", "p=99999999999999999999999"),
        ("/api/stores/", "p=%00"),
    ],
)
def test_a_forged_cursor_answers_400_naming_the_cursor(operator_api, path, position):
    # given a SKU with a ledger row
    ProductFactory(sku="CUP", quantity=5)
    reservations_place(lines=[("CUP", 1)], obj=LedgerObject("order", "1"))

    # when a page is asked for with a cursor whose position its column cannot hold
    response = operator_api.get(path, {"cursor": forged_cursor(position)})

    # then it is refused as bad input, not as a database error
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_the_ledger_and_one_sku_take_a_fixed_number_of_queries(
    operator_api, django_assert_max_num_queries
):
    # given a SKU with 30 ledger rows
    ProductFactory(sku="CUP", quantity=100)
    for number in range(30):
        reservations_place(lines=[("CUP", 1)], obj=LedgerObject("order", str(number)))

    # when its figures and its ledger are read
    with django_assert_max_num_queries(2):
        detail = operator_api.get(url("CUP"))
    with django_assert_max_num_queries(3):
        ledger = operator_api.get(url("CUP", "reservations/"))

    # then both answered, the ledger whole on one page
    assert detail.json()["reserved"] == "30.0000"
    assert len(ledger.json()["results"]) == 30


@pytest.mark.parametrize("path", ["/api/inventory/", "/api/stores/"])
def test_a_cursor_that_is_not_base64_answers_400(operator_api, path):
    # when a page is asked for with a cursor no page ever handed out
    response = operator_api.get(path, {"cursor": "%%%not-base64%%%"})

    # then it is refused as bad input
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]
