"""Inventory races on a real PostgreSQL (see tests/concurrency.py for the harness)."""

import itertools
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from inventory.exceptions import InsufficientSalableQuantity
from inventory.models import Product, Reservation, ReservationEvent, StockAdjustment, StockItem
from inventory.selectors import reservation_sum_from_ledger, salable_quantity
from inventory.services import (
    LedgerObject,
    product_get_or_create_placeholder,
    reservation_groups_cleanup,
    reservations_compensate,
    reservations_place,
    shipment_stock_deduct,
    stock_item_adjust,
)
from tests.concurrency import run_in_threads
from tests.inventory.factories import ProductFactory


@pytest.fixture(autouse=True)
def real_postgresql(transactional_db):
    # SQLite serialises every writer on one file lock: a race there proves nothing.
    if connection.vendor != "postgresql":
        pytest.fail("Concurrency tests need PostgreSQL: set DATABASE_URL.")


def test_forty_concurrent_orders_for_ten_units_never_oversell():
    # given 10 units, and an observer reading the salable quantity throughout
    ProductFactory(sku="HOT-ITEM", quantity=10)
    seen: list[Decimal] = []
    done = threading.Event()

    def observe() -> None:
        try:
            while not done.is_set():
                seen.append(salable_quantity(sku="HOT-ITEM"))
        finally:
            connection.close()

    observer = threading.Thread(target=observe)
    observer.start()

    # when 40 open transactions, each having read 10 salable, reserve 1 at the same moment
    def reserve_one(index: int, barrier: threading.Barrier) -> tuple[Decimal, str]:
        with transaction.atomic():
            salable_seen = salable_quantity(sku="HOT-ITEM")
            barrier.wait()
            try:
                reservations_place(
                    lines=[("HOT-ITEM", 1)], obj=LedgerObject("order", f"race-{index}")
                )
            except InsufficientSalableQuantity:
                return salable_seen, "refused"
            # Keep the lock a moment so the others really queue behind it.
            time.sleep(0.005)
        return salable_seen, "reserved"

    outcomes = run_in_threads(40, reserve_one)
    done.set()
    observer.join(timeout=30)

    # then all 40 raced from the same 10, exactly 10 succeeded, and salable never went below 0
    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    assert [salable_seen for salable_seen, _ in outcomes] == [Decimal(10)] * 40
    results = [result for _, result in outcomes]
    assert results.count("reserved") == 10, results
    assert results.count("refused") == 30, results
    assert salable_quantity(sku="HOT-ITEM") == 0
    assert Reservation.objects.filter(sku="HOT-ITEM").count() == 10
    assert reservation_sum_from_ledger(sku="HOT-ITEM") == Decimal(-10)
    assert StockItem.objects.get(product__sku="HOT-ITEM").reservation_total == Decimal(-10)
    assert seen, "the observer read the salable quantity"
    assert min(seen) >= 0


def test_concurrent_orders_locking_skus_in_opposite_line_order_do_not_deadlock():
    # given two SKUs with plenty of stock
    ProductFactory(sku="LEFT", quantity=100)
    ProductFactory(sku="RIGHT", quantity=100)

    # when 20 open transactions name the SKUs in opposite orders at the same moment
    def reserve_both(index: int, barrier: threading.Barrier) -> str:
        lines = [("LEFT", 1), ("RIGHT", 1)]
        if index % 2:
            lines.reverse()
        with transaction.atomic():
            salable_quantity(sku=lines[0][0])
            barrier.wait()
            reservations_place(lines=lines, obj=LedgerObject("order", f"pair-{index}"))
            time.sleep(0.005)
        return "reserved"

    outcomes = run_in_threads(20, reserve_both)

    # then every one of them succeeds
    assert outcomes == ["reserved"] * 20
    assert salable_quantity(sku="LEFT") == salable_quantity(sku="RIGHT") == Decimal(80)


def test_two_concurrent_imports_of_an_unknown_sku_create_one_placeholder():
    # given a SKU nobody has seen
    # when two open transactions, both having found no product, create its placeholder
    def import_order(index: int, barrier: threading.Barrier) -> tuple[bool, bool]:
        with transaction.atomic():
            known_before = Product.objects.filter(sku="FRESH-SKU").exists()
            barrier.wait()
            _, created = product_get_or_create_placeholder(
                sku="FRESH-SKU", name=f"Title seen by import {index}"
            )
            # Hold the transaction open so the other insert must wait on this one.
            time.sleep(0.2)
        return known_before, created

    outcomes = run_in_threads(2, import_order)

    # then one created it, the other found it, and it has exactly one stock item
    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    assert [known_before for known_before, _ in outcomes] == [False, False]
    assert sorted(created for _, created in outcomes) == [False, True]
    assert Product.objects.filter(sku="FRESH-SKU").count() == 1
    assert StockItem.objects.filter(product__sku="FRESH-SKU").count() == 1
    assert Product.objects.get(sku="FRESH-SKU").enabled is False


def test_the_cleanup_runs_while_an_import_holds_its_skus_lock_and_neither_waits():
    # given a canceled order's zero-sum group, and an import holding CUP's lock, uncommitted
    ProductFactory(sku="CUP", quantity=10)
    canceled = LedgerObject("order", "canceled")
    with transaction.atomic():
        reservations_place(lines=[("CUP", 2)], obj=canceled)
        reservations_compensate(
            lines=[("CUP", 2)], obj=canceled, event=ReservationEvent.ORDER_CANCELED
        )
    import_holds_lock, cleanup_done = threading.Event(), threading.Event()

    def import_order(index: int, barrier: threading.Barrier) -> str:
        with transaction.atomic():
            reservations_place(lines=[("CUP", 3)], obj=LedgerObject("order", "importing"))
            import_holds_lock.set()
            # The import stays open until the cleanup is over, or gives up after 10 s.
            return "committed" if cleanup_done.wait(timeout=10) else "cleanup was blocked"

    def clean_up(index: int, barrier: threading.Barrier) -> int:
        import_holds_lock.wait(timeout=10)
        try:
            return reservation_groups_cleanup()
        finally:
            cleanup_done.set()

    # when the cleanup runs while the import's transaction is open
    def work(index: int, barrier: threading.Barrier):
        return (import_order, clean_up)[index](index, barrier)

    outcomes = run_in_threads(2, work)

    # then the cleanup removed the canceled group without waiting, and the import committed
    assert outcomes == ["committed", 2], outcomes
    assert list(Reservation.objects.values_list("object_id", "quantity")) == [
        ("importing", Decimal(-3))
    ]
    assert StockItem.objects.get(product__sku="CUP").reservation_total == Decimal(-3)
    assert salable_quantity(sku="CUP") == Decimal(7)


def test_adjustments_racing_each_other_and_a_shipment_leave_an_unbroken_audit_trail():
    # given a SKU with 100 units, 2 of them held by an order about to ship
    ProductFactory(sku="MUG", quantity=100)
    shipped_order = LedgerObject("order", "ships", "000000042")
    with transaction.atomic():
        reservations_place(lines=[("MUG", 2)], obj=shipped_order)

    # when ten open transactions, all having read 100, adjust or ship at the same moment
    def adjust_or_ship(index: int, barrier: threading.Barrier) -> str:
        with transaction.atomic():
            StockItem.objects.get(product__sku="MUG")
            barrier.wait()
            if index == 0:
                shipment_stock_deduct(lines=[("MUG", 2)], obj=shipped_order)
            else:
                stock_item_adjust(sku="MUG", quantity=Decimal(100 + index), reason="count")
            # Keep the lock a moment so the others really queue behind it.
            time.sleep(0.005)
        return "done"

    outcomes = run_in_threads(10, adjust_or_ship)

    # then each audit row starts where the one before it ended, and the last is the stock
    assert outcomes == ["done"] * 10, outcomes
    trail = list(
        StockAdjustment.objects.filter(stock_item__product__sku="MUG")
        .order_by("pk")
        .values_list("quantity_from", "quantity_to")
    )
    assert len(trail) == 11
    assert trail[0] == (Decimal(0), Decimal(100))
    for (_, before), (after, _) in itertools.pairwise(trail):
        assert after == before, trail
    assert StockItem.objects.get(product__sku="MUG").quantity == trail[-1][1]
