from decimal import Decimal

from inventory.models import Reservation, ReservationEvent, StockItem
from inventory.selectors import reservation_sum_from_ledger, salable_quantity
from inventory.services import (
    LedgerObject,
    reservation_groups_cleanup,
    reservations_compensate,
    reservations_place,
    shipment_stock_deduct,
    zero_sum_rows_delete,
)
from inventory.tasks import reservations_cleanup
from tests.inventory.factories import ProductFactory


def remaining_groups() -> set[tuple[str, str]]:
    return set(Reservation.objects.values_list("object_id", "sku"))


def test_cleanup_removes_only_the_groups_that_sum_to_zero(db):
    # given a shipped order, a canceled order, an open order and a partly shipped order
    ProductFactory(sku="CUP", quantity=100)
    ProductFactory(sku="PLATE", quantity=100)
    shipped, canceled, still_open, partial = (
        LedgerObject("order", number) for number in ("1", "2", "3", "4")
    )
    reservations_place(lines=[("CUP", 2), ("PLATE", 1)], obj=shipped)
    shipment_stock_deduct(lines=[("CUP", 2), ("PLATE", 1)], obj=shipped)
    reservations_place(lines=[("CUP", 3)], obj=canceled)
    reservations_compensate(lines=[("CUP", 3)], obj=canceled, event=ReservationEvent.ORDER_CANCELED)
    reservations_place(lines=[("CUP", 4)], obj=still_open)
    reservations_place(lines=[("CUP", 5), ("PLATE", 2)], obj=partial)
    shipment_stock_deduct(lines=[("PLATE", 2)], obj=partial)
    salable_before = salable_quantity(sku="CUP"), salable_quantity(sku="PLATE")

    # when the cleanup runs
    deleted = reservation_groups_cleanup(batch_size=2)

    # then the zero-sum groups are gone, the open ones stay, and nothing salable moved
    assert deleted == 8
    assert remaining_groups() == {("3", "CUP"), ("4", "CUP")}
    assert (salable_quantity(sku="CUP"), salable_quantity(sku="PLATE")) == salable_before
    for sku in ("CUP", "PLATE"):
        assert StockItem.objects.get(
            product__sku=sku
        ).reservation_total == reservation_sum_from_ledger(sku=sku)


def test_an_object_whose_skus_only_cancel_out_across_skus_is_kept(db):
    # given one object holding CUP and an unrelated release of PLATE under the same object id
    ProductFactory(sku="CUP", quantity=10)
    ProductFactory(sku="PLATE", quantity=10)
    order = LedgerObject("order", "9")
    reservations_place(lines=[("CUP", 2)], obj=order)
    reservations_place(lines=[("PLATE", 2)], obj=order)
    reservations_compensate(lines=[("PLATE", 2)], obj=order, event=ReservationEvent.ORDER_CANCELED)

    # when the cleanup runs
    reservation_groups_cleanup()

    # then only the PLATE group (zero on its own) went; CUP's hold is intact
    assert remaining_groups() == {("9", "CUP")}
    assert salable_quantity(sku="CUP") == Decimal(8)


def test_the_periodic_task_runs_the_cleanup_and_a_second_run_finds_nothing(db):
    # given a canceled order
    ProductFactory(sku="CUP", quantity=10)
    order = LedgerObject("order", "5")
    reservations_place(lines=[("CUP", 1)], obj=order)
    reservations_compensate(lines=[("CUP", 1)], obj=order, event=ReservationEvent.ORDER_CANCELED)

    # when the task runs twice
    first = reservations_cleanup.apply().get()
    second = reservations_cleanup.apply().get()

    # then the first run removed the group and the second had nothing to do
    assert (first, second) == (2, 0)
    assert not Reservation.objects.exists()


def test_a_group_that_gained_a_row_since_the_scan_is_left_alone(db):
    # given a group seen at zero by the scan, which then takes a new hold before the delete
    ProductFactory(sku="CUP", quantity=10)
    order = LedgerObject("order", "7")
    reservations_place(lines=[("CUP", 1)], obj=order)
    reservations_compensate(lines=[("CUP", 1)], obj=order, event=ReservationEvent.ORDER_CANCELED)
    scanned_at_zero = {("order", "7", 1, "CUP")}
    reservations_place(lines=[("CUP", 2)], obj=order)

    # when the batch is deleted
    deleted = zero_sum_rows_delete(groups=scanned_at_zero)

    # then nothing went: the group no longer sums to zero
    assert deleted == 0
    assert Reservation.objects.count() == 3
    assert salable_quantity(sku="CUP") == Decimal(8)
