from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from inventory.exceptions import (
    EventDirectionError,
    InsufficientSalableQuantity,
    InsufficientStockQuantity,
    SkuOutOfStock,
    TransactionRequired,
)
from inventory.models import (
    AdjustmentKind,
    Reservation,
    ReservationEvent,
    ReservationImmutableError,
    StockAdjustment,
    StockItem,
)
from inventory.selectors import reservation_sum_from_ledger, salable_quantity
from inventory.services import (
    LedgerObject,
    product_get_or_create_placeholder,
    reservations_compensate,
    reservations_place,
    shipment_stock_deduct,
)
from tests.inventory.factories import ProductFactory

ORDER = LedgerObject("order", "17", "000000017")


def stock_item(sku: str) -> StockItem:
    return StockItem.objects.get(product__sku=sku)


def ledger(sku: str) -> list[tuple[str, Decimal]]:
    return list(
        Reservation.objects.filter(sku=sku).order_by("id").values_list("event_type", "quantity")
    )


def test_placing_an_order_holds_its_quantity_in_the_ledger(db):
    # given 10 units
    ProductFactory(sku="CUP", quantity=10)

    # when an order of 4 is placed
    rows = reservations_place(lines=[("CUP", 4)], obj=ORDER)

    # then one row holds -4 with the order's metadata, and 6 stay salable
    [row] = rows
    assert (row.event_type, row.quantity) == (ReservationEvent.ORDER_PLACED, Decimal(-4))
    assert (row.object_type, row.object_id, row.object_increment_id) == ("order", "17", "000000017")
    assert stock_item("CUP").quantity == Decimal(10)
    assert salable_quantity(sku="CUP") == Decimal(6)


def test_cancelling_the_order_nets_its_group_to_zero_and_restores_the_salable_quantity(db):
    # given an order holding 4 of 10 units
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 4)], obj=ORDER)

    # when it is canceled
    reservations_compensate(lines=[("CUP", 4)], obj=ORDER, event=ReservationEvent.ORDER_CANCELED)

    # then the ledger nets to zero and nothing left the stock
    assert ledger("CUP") == [("order_placed", Decimal(-4)), ("order_canceled", Decimal(4))]
    assert reservation_sum_from_ledger(sku="CUP") == 0
    assert stock_item("CUP").quantity == Decimal(10)
    assert salable_quantity(sku="CUP") == Decimal(10)


def test_shipping_the_order_deducts_the_stock_and_nets_the_ledger_to_zero(db):
    # given an order holding 4 of 10 units
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 4)], obj=ORDER)

    # when it ships
    shipment_stock_deduct(lines=[("CUP", 4)], obj=ORDER)

    # then 6 units are left, all salable, and the deduction is on record
    item = stock_item("CUP")
    assert ledger("CUP") == [("order_placed", Decimal(-4)), ("shipment_created", Decimal(4))]
    assert item.quantity == Decimal(6)
    assert item.reservation_total == 0
    assert salable_quantity(sku="CUP") == Decimal(6)
    adjustment = StockAdjustment.objects.filter(kind=AdjustmentKind.SHIPMENT).get()
    assert (adjustment.quantity_from, adjustment.quantity_to) == (Decimal(10), Decimal(6))
    assert "000000017" in adjustment.reason


def test_partial_shipment_then_cancel_of_the_rest_nets_to_zero(db):
    # given an order holding 5 units
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 5)], obj=ORDER)

    # when 2 ship and then the whole order is canceled
    shipment_stock_deduct(lines=[("CUP", 2)], obj=ORDER)
    reservations_compensate(lines=[("CUP", 5)], obj=ORDER, event=ReservationEvent.ORDER_CANCELED)

    # then only the 3 not shipped were given back, and 8 units remain, all salable
    assert ledger("CUP")[-1] == ("order_canceled", Decimal(3))
    assert reservation_sum_from_ledger(sku="CUP") == 0
    assert stock_item("CUP").quantity == Decimal(8)
    assert salable_quantity(sku="CUP") == Decimal(8)


def test_a_repeated_compensation_writes_nothing_the_second_time(db):
    # given a canceled order
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 4)], obj=ORDER)
    reservations_compensate(lines=[("CUP", 4)], obj=ORDER, event=ReservationEvent.ORDER_CANCELED)

    # when the cancel is replayed (a retried task)
    replay = reservations_compensate(
        lines=[("CUP", 4)], obj=ORDER, event=ReservationEvent.ORDER_CANCELED
    )

    # then nothing is given back twice
    assert replay == []
    assert salable_quantity(sku="CUP") == Decimal(10)


def test_a_pending_hold_is_released_in_the_transaction_that_places_the_order(db):
    # given an Amazon order seen as Pending holding 3 of 3 units
    ProductFactory(sku="BOOK", quantity=3)
    amazon_order = LedgerObject("amazon_order", "902-1845936-5435065")
    reservations_place(
        lines=[("BOOK", 3)], obj=amazon_order, event=ReservationEvent.PENDING_ORDER_RESERVED
    )

    # when it becomes Unshipped: the hold is released and the order placed together
    reservations_compensate(
        lines=[("BOOK", 3)], obj=amazon_order, event=ReservationEvent.PENDING_ORDER_RELEASED
    )
    reservations_place(lines=[("BOOK", 3)], obj=ORDER)

    # then the Amazon order's group is zero and the Commerce order holds the 3 units
    assert ledger("BOOK") == [
        ("pending_order_reserved", Decimal(-3)),
        ("pending_order_released", Decimal(3)),
        ("order_placed", Decimal(-3)),
    ]
    assert salable_quantity(sku="BOOK") == 0


def test_a_credit_memo_gives_back_what_the_order_still_holds(db):
    # given an order holding 2 units
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 2)], obj=ORDER)

    # when a credit memo is created for it
    reservations_compensate(
        lines=[("CUP", 2)], obj=ORDER, event=ReservationEvent.CREDITMEMO_CREATED
    )

    # then the hold is gone
    assert ledger("CUP")[-1] == ("creditmemo_created", Decimal(2))
    assert salable_quantity(sku="CUP") == Decimal(10)


def test_a_compensation_counts_only_its_own_objects_hold_not_another_type_with_the_same_id(db):
    # given an order and an Amazon order that share the id 17, holding 3 and 2 units
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 3)], obj=ORDER)
    pending = LedgerObject("amazon_order", ORDER.id)
    reservations_place(
        lines=[("CUP", 2)], obj=pending, event=ReservationEvent.PENDING_ORDER_RESERVED
    )

    # when the order is canceled for more than it holds
    reservations_compensate(lines=[("CUP", 5)], obj=ORDER, event=ReservationEvent.ORDER_CANCELED)

    # then it gives back its own 3; the Amazon order still holds its 2
    assert ledger("CUP")[-1] == ("order_canceled", Decimal(3))
    assert salable_quantity(sku="CUP") == Decimal(8)
    assert reservation_sum_from_ledger(sku="CUP") == Decimal(-2)


def test_an_oversell_attempt_names_the_sku_and_writes_nothing(db):
    # given 2 units of one SKU and plenty of another
    ProductFactory(sku="RARE", quantity=2)
    ProductFactory(sku="COMMON", quantity=100)

    # when an order wants 1 COMMON and 3 RARE
    with pytest.raises(InsufficientSalableQuantity) as refused:
        reservations_place(lines=[("COMMON", 1), ("RARE", 3)], obj=ORDER)

    # then the error says which SKU, how many were asked and how many were salable
    assert (refused.value.sku, refused.value.requested, refused.value.salable) == (
        "RARE",
        Decimal(3),
        Decimal(2),
    )
    assert "RARE" in str(refused.value)
    assert not Reservation.objects.exists()
    assert stock_item("COMMON").reservation_total == 0


def test_a_sku_set_out_of_stock_refuses_holds(db):
    # given a SKU with quantity but its stock status off
    ProductFactory(sku="RECALLED", quantity=5, is_in_stock=False)

    # when an order wants one
    with pytest.raises(SkuOutOfStock):
        reservations_place(lines=[("RECALLED", 1)], obj=ORDER)

    # then nothing is held
    assert not Reservation.objects.exists()


def test_unmanaged_and_unknown_skus_hold_nothing_and_ship_without_deduction(db):
    # given a placeholder product (unmanaged) and a SKU with no product at all
    product_get_or_create_placeholder(sku="PLACEHOLDER")

    # when an order of both is placed and shipped
    placed = reservations_place(lines=[("PLACEHOLDER", 2), ("GHOST", 1)], obj=ORDER)
    shipped = shipment_stock_deduct(lines=[("PLACEHOLDER", 2), ("GHOST", 1)], obj=ORDER)

    # then the ledger and the stock are untouched
    assert placed == shipped == []
    assert stock_item("PLACEHOLDER").quantity == 0
    assert not StockAdjustment.objects.exists()


def test_a_hold_taken_while_managed_is_released_by_the_shipment_after_management_is_off(db):
    # given an order holding 2 units, then the SKU switched to Do Not Manage
    ProductFactory(sku="SWITCHED", quantity=5)
    reservations_place(lines=[("SWITCHED", 2)], obj=ORDER)
    StockItem.objects.filter(product__sku="SWITCHED").update(manage_stock=False)

    # when the order ships
    shipment_stock_deduct(lines=[("SWITCHED", 2)], obj=ORDER)

    # then the quantity stays (not managed) but the hold does not linger
    assert stock_item("SWITCHED").quantity == Decimal(5)
    assert reservation_sum_from_ledger(sku="SWITCHED") == 0


def test_a_shipment_larger_than_the_stock_quantity_is_refused_and_writes_nothing(db):
    # given an order holding 4 units, then the merchant counts only 1 on the shelf
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 4)], obj=ORDER)
    StockItem.objects.filter(product__sku="CUP").update(quantity=1)

    # when the 4 ship
    with pytest.raises(InsufficientStockQuantity) as refused:
        shipment_stock_deduct(lines=[("CUP", 4)], obj=ORDER)

    # then neither the quantity nor the ledger moved
    assert refused.value.sku == "CUP"
    assert stock_item("CUP").quantity == Decimal(1)
    assert ledger("CUP") == [("order_placed", Decimal(-4))]


def test_holding_events_cannot_compensate_and_the_reverse(db):
    # given a product
    ProductFactory(sku="CUP")

    # when events are used the wrong way round
    # then they are refused
    with pytest.raises(EventDirectionError):
        reservations_place(lines=[("CUP", 1)], obj=ORDER, event=ReservationEvent.ORDER_CANCELED)
    with pytest.raises(EventDirectionError):
        reservations_compensate(lines=[("CUP", 1)], obj=ORDER, event=ReservationEvent.ORDER_PLACED)


def test_quantities_must_be_positive(db):
    # given a product
    ProductFactory(sku="CUP")

    # when a line carries zero
    # then it is refused before anything is written
    with pytest.raises(ValueError, match="positive"):
        reservations_place(lines=[("CUP", 0)], obj=ORDER)


@pytest.mark.parametrize(
    "quantity",
    [Decimal("0.00005"), Decimal("1.00001"), Decimal("NaN"), Decimal("Infinity"), "abc", 10**8],
)
def test_quantities_the_columns_cannot_hold_exactly_are_refused_before_any_write(db, quantity):
    # given an order holding 1 unit
    ProductFactory(sku="CUP", quantity=10)
    reservations_place(lines=[("CUP", 1)], obj=ORDER)

    # when a hold or a compensation names a quantity numeric(12, 4) would round or overflow
    # then each is refused, so no row is rounded apart from the running total
    with pytest.raises(ValueError):
        reservations_place(lines=[("CUP", quantity)], obj=LedgerObject("order", "18"))
    with pytest.raises(ValueError):
        reservations_compensate(
            lines=[("CUP", quantity)], obj=ORDER, event=ReservationEvent.ORDER_CANCELED
        )
    with pytest.raises(ValueError):
        shipment_stock_deduct(lines=[("CUP", quantity)], obj=ORDER)
    assert ledger("CUP") == [("order_placed", Decimal(-1))]
    assert stock_item("CUP").reservation_total == reservation_sum_from_ledger(sku="CUP")


def test_lines_summing_past_what_a_column_holds_are_refused(db):
    # given a product
    ProductFactory(sku="CUP")

    # when two lines of the same SKU together exceed numeric(12, 4)
    # then the order is refused as a whole
    with pytest.raises(ValueError, match="below"):
        reservations_place(lines=[("CUP", 60_000_000), ("CUP", 50_000_000)], obj=ORDER)
    assert not Reservation.objects.exists()


def test_the_running_total_always_equals_the_ledger_sum(db):
    # given a busy SKU
    ProductFactory(sku="BUSY", quantity=100)

    # when many orders are placed, some shipped, some canceled
    for number in range(12):
        order = LedgerObject("order", str(number))
        reservations_place(lines=[("BUSY", number % 3 + 1)], obj=order)
        if number % 4 == 0:
            shipment_stock_deduct(lines=[("BUSY", 1)], obj=order)
        if number % 4 == 1:
            reservations_compensate(
                lines=[("BUSY", 9)], obj=order, event=ReservationEvent.ORDER_CANCELED
            )

    # then the running total matches the ledger row by row
    assert stock_item("BUSY").reservation_total == reservation_sum_from_ledger(sku="BUSY")
    assert stock_item("BUSY").reservation_total < 0


def test_ledger_rows_cannot_be_updated_by_the_model_or_by_sql(db):
    # given a ledger row
    ProductFactory(sku="CUP")
    [row] = reservations_place(lines=[("CUP", 1)], obj=ORDER)

    # when someone tries to change it
    row.quantity = Decimal(-100)
    with pytest.raises(ReservationImmutableError):
        row.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Reservation.objects.filter(pk=row.pk).update(quantity=Decimal(-100))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE inventory_reservation SET sku = 'OTHER'")

    # then the row is as written
    assert Reservation.objects.get(pk=row.pk).quantity == Decimal(-1)


@pytest.mark.django_db(transaction=True)
def test_ledger_writes_refuse_to_run_outside_a_transaction():
    # given a product
    ProductFactory(sku="CUP")

    # when a hold is attempted in autocommit mode
    with pytest.raises(TransactionRequired):
        reservations_place(lines=[("CUP", 1)], obj=ORDER)

    # then nothing was written
    assert not Reservation.objects.exists()


def test_the_database_refuses_negative_stock_and_wrongly_signed_ledger_rows(db):
    # given a product
    ProductFactory(sku="CUP", quantity=1)

    # when rows break the invariants behind the services' back
    # then the database refuses each of them
    with pytest.raises(IntegrityError), transaction.atomic():
        StockItem.objects.filter(product__sku="CUP").update(quantity=Decimal(-1))
    with pytest.raises(IntegrityError), transaction.atomic():
        StockItem.objects.filter(product__sku="CUP").update(reservation_total=Decimal(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(
            stock_id=1,
            sku="CUP",
            quantity=Decimal(1),
            event_type=ReservationEvent.ORDER_PLACED,
            object_type="order",
            object_id="1",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(
            stock_id=1,
            sku="CUP",
            quantity=Decimal(-1),
            event_type=ReservationEvent.ORDER_CANCELED,
            object_type="order",
            object_id="1",
        )
    assert not Reservation.objects.exists()
