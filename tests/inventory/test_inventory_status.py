from decimal import Decimal

from inventory.selectors import (
    inventory_status_for_lines,
    order_inventory_status,
    salable_quantity,
)
from inventory.services import LedgerObject, product_get_or_create_placeholder, reservations_place
from inventory.status import InventoryStatus
from tests.inventory.factories import ProductFactory


def test_a_managed_sku_is_in_stock_while_its_salable_quantity_covers_the_order(db):
    # given 10 units of a managed SKU
    ProductFactory(sku="MUG-RED", quantity=10)

    # when orders of 10 and 11 units are judged
    [ten] = inventory_status_for_lines(lines=[("MUG-RED", 10)])
    [eleven] = inventory_status_for_lines(lines=[("MUG-RED", 11)])

    # then 10 fits and 11 does not
    assert salable_quantity(sku="MUG-RED") == Decimal(10)
    assert ten.status == InventoryStatus.IN_STOCK
    assert eleven.status == InventoryStatus.OUT_OF_STOCK
    assert eleven.salable == Decimal(10)


def test_reservations_and_the_threshold_come_off_the_salable_quantity(db):
    # given 10 units, a threshold of 2 and 3 units held by an order
    ProductFactory(sku="MUG-BLUE", quantity=10, out_of_stock_threshold=2)
    reservations_place(lines=[("MUG-BLUE", 3)], obj=LedgerObject("order", "1"))

    # when the SKU is read
    salable = salable_quantity(sku="MUG-BLUE")
    [five] = inventory_status_for_lines(lines=[("MUG-BLUE", 5)])
    [six] = inventory_status_for_lines(lines=[("MUG-BLUE", 6)])

    # then salable = 10 - 3 - 2
    assert salable == Decimal(5)
    assert five.status == InventoryStatus.IN_STOCK
    assert six.status == InventoryStatus.OUT_OF_STOCK


def test_a_threshold_above_the_quantity_leaves_nothing_salable(db):
    # given 3 units and an out-of-stock threshold of 5
    ProductFactory(sku="LAMP", quantity=3, out_of_stock_threshold=5)

    # when one unit is judged
    [line] = inventory_status_for_lines(lines=[("LAMP", 1)])

    # then the SKU is out of stock
    assert salable_quantity(sku="LAMP") == Decimal(-2)
    assert line.status == InventoryStatus.OUT_OF_STOCK


def test_an_unmanaged_sku_is_always_salable(db):
    # given an unmanaged SKU with no quantity at all
    ProductFactory(sku="EBOOK", manage_stock=False, quantity=0)

    # when a large order is judged
    [line] = inventory_status_for_lines(lines=[("EBOOK", 1000)])

    # then it is Do Not Manage, with no salable figure
    assert line.status == InventoryStatus.DO_NOT_MANAGE
    assert line.salable is None
    assert salable_quantity(sku="EBOOK") is None


def test_a_disabled_product_counts_its_managed_stock_like_any_other(db):
    # given two disabled products, one with stock and one without
    ProductFactory(sku="OLD-STOCKED", enabled=False, quantity=4)
    ProductFactory(sku="OLD-EMPTY", enabled=False, quantity=0)

    # when both are judged
    stocked, empty = inventory_status_for_lines(lines=[("OLD-STOCKED", 4), ("OLD-EMPTY", 1)])

    # then the enabled flag plays no part: stock decides
    assert stocked.status == InventoryStatus.IN_STOCK
    assert empty.status == InventoryStatus.OUT_OF_STOCK


def test_a_placeholder_product_is_disabled_and_do_not_manage(db):
    # given an ordered SKU the catalog does not know
    product, created = product_get_or_create_placeholder(sku="NEW-SKU", name="A new thing")

    # when it is judged
    [line] = inventory_status_for_lines(lines=[("NEW-SKU", 3)])

    # then it was created disabled and its stock is not managed
    assert created is True
    assert product.enabled is False
    assert product.name == "A new thing"
    assert line.status == InventoryStatus.DO_NOT_MANAGE


def test_a_sku_without_any_product_reads_as_do_not_manage(db):
    # given no product at all for the SKU
    # when it is judged
    [line] = inventory_status_for_lines(lines=[("NOBODY-KNOWS", 1)])

    # then it reads as the placeholder the importer is about to create would
    assert line.status == InventoryStatus.DO_NOT_MANAGE
    assert line.salable is None


def test_a_sku_marked_out_of_stock_is_out_of_stock_whatever_its_quantity(db):
    # given 50 units but the stock status set to out of stock
    ProductFactory(sku="RECALLED", quantity=50, is_in_stock=False)

    # when one unit is judged
    [line] = inventory_status_for_lines(lines=[("RECALLED", 1)])

    # then it is out of stock
    assert line.status == InventoryStatus.OUT_OF_STOCK


def test_lines_for_the_same_sku_are_summed(db):
    # given 5 units
    ProductFactory(sku="PEN", quantity=5)

    # when an order has two lines of 3 units of it
    first, second = inventory_status_for_lines(lines=[("PEN", 3), ("PEN", 3)])

    # then each line is judged on the 6 ordered, which 5 cannot cover
    assert first.requested_for_sku == Decimal(6)
    assert first.status == second.status == InventoryStatus.OUT_OF_STOCK


def test_an_order_is_out_of_stock_when_any_managed_line_is(db):
    # given one stocked SKU, one empty SKU and one unmanaged SKU
    ProductFactory(sku="A", quantity=5)
    ProductFactory(sku="B", quantity=0)
    ProductFactory(sku="C", manage_stock=False)

    # when orders mixing them are judged
    mixed = order_inventory_status(inventory_status_for_lines(lines=[("A", 1), ("B", 1), ("C", 1)]))
    stocked = order_inventory_status(inventory_status_for_lines(lines=[("A", 1), ("C", 1)]))
    unmanaged = order_inventory_status(inventory_status_for_lines(lines=[("C", 9)]))

    # then one empty managed line blocks the order; unmanaged lines never do
    assert mixed == InventoryStatus.OUT_OF_STOCK
    assert stocked == InventoryStatus.IN_STOCK
    assert unmanaged == InventoryStatus.DO_NOT_MANAGE


def test_the_status_of_an_order_takes_the_same_single_query_for_1_or_50_lines(
    db, django_assert_num_queries
):
    # given 50 products of mixed kinds
    for index in range(50):
        ProductFactory(sku=f"BULK-{index:02d}", manage_stock=index % 5 != 0, quantity=index)
    fifty_lines = [(f"BULK-{index:02d}", 1) for index in range(50)]

    # when an order of 1 line and an order of 50 lines are judged
    with django_assert_num_queries(1):
        one = inventory_status_for_lines(lines=fifty_lines[:1])
    with django_assert_num_queries(1):
        fifty = inventory_status_for_lines(lines=fifty_lines)

    # then each is one query, and every line got its own status
    assert [line.status for line in one] == [InventoryStatus.DO_NOT_MANAGE]
    assert len(fifty) == 50
    assert fifty[1].status == InventoryStatus.IN_STOCK
    assert fifty[5].status == InventoryStatus.DO_NOT_MANAGE


def test_a_placeholder_takes_an_over_long_amazon_title_cut_to_fit(db):
    # given an ordered item whose Amazon title is longer than a product name holds
    title = "Stainless steel water bottle " * 15

    # when its placeholder is created
    product, _ = product_get_or_create_placeholder(sku="BOTTLE-LONG", name=title)

    # then the product exists with the title's start, and a blank title falls back to the SKU
    product.refresh_from_db()
    assert len(title) > 255
    assert product.name == title.strip()[:255]
    assert product_get_or_create_placeholder(sku="NO-TITLE", name="  ")[0].name == "NO-TITLE"
