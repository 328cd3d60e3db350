"""Races on a real PostgreSQL: every worker thread holds its own connection."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from inventory.exceptions import InsufficientSalableQuantity
from inventory.models import Product, Reservation, StockItem
from inventory.selectors import reservation_sum_from_ledger, salable_quantity
from inventory.services import LedgerObject, product_get_or_create_placeholder, reservations_place
from tests.inventory.factories import ProductFactory


def run_in_threads(count: int, work) -> list:
    """Start ``count`` threads that call ``work(index, barrier)``; their results, in order."""
    barrier = threading.Barrier(count, timeout=30)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            results[index] = work(index, barrier)
        except BaseException as error:  # the test inspects every outcome, failures included
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
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

    # when 40 transactions each try to reserve 1 at the same moment
    def reserve_one(index: int, barrier: threading.Barrier) -> str:
        barrier.wait()
        try:
            with transaction.atomic():
                reservations_place(
                    lines=[("HOT-ITEM", 1)], obj=LedgerObject("order", f"race-{index}")
                )
                # Keep the lock a moment so the others really queue behind it.
                time.sleep(0.005)
        except InsufficientSalableQuantity:
            return "refused"
        return "reserved"

    outcomes = run_in_threads(40, reserve_one)
    done.set()
    observer.join(timeout=30)

    # then exactly 10 succeed, the rest are refused, and salable never went below 0
    assert outcomes.count("reserved") == 10, outcomes
    assert outcomes.count("refused") == 30, outcomes
    assert salable_quantity(sku="HOT-ITEM") == 0
    assert Reservation.objects.filter(sku="HOT-ITEM").count() == 10
    assert reservation_sum_from_ledger(sku="HOT-ITEM") == Decimal(-10)
    assert StockItem.objects.get(product__sku="HOT-ITEM").reservation_total == Decimal(-10)
    assert seen, "the observer read the salable quantity"
    assert min(seen) >= 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_locking_skus_in_opposite_line_order_do_not_deadlock():
    # given two SKUs with plenty of stock
    ProductFactory(sku="LEFT", quantity=100)
    ProductFactory(sku="RIGHT", quantity=100)

    # when 20 transactions name the SKUs in opposite orders at the same moment
    def reserve_both(index: int, barrier: threading.Barrier) -> str:
        lines = [("LEFT", 1), ("RIGHT", 1)]
        if index % 2:
            lines.reverse()
        barrier.wait()
        with transaction.atomic():
            reservations_place(lines=lines, obj=LedgerObject("order", f"pair-{index}"))
            time.sleep(0.005)
        return "reserved"

    outcomes = run_in_threads(20, reserve_both)

    # then every one of them succeeds
    assert outcomes == ["reserved"] * 20
    assert salable_quantity(sku="LEFT") == salable_quantity(sku="RIGHT") == Decimal(80)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_imports_of_an_unknown_sku_create_one_placeholder():
    # given a SKU nobody has seen
    # when two imports create its placeholder at the same moment, each in its transaction
    def import_order(index: int, barrier: threading.Barrier) -> bool:
        barrier.wait()
        with transaction.atomic():
            _, created = product_get_or_create_placeholder(
                sku="FRESH-SKU", name=f"Title seen by import {index}"
            )
            # Hold the transaction open so the other insert must wait on this one.
            time.sleep(0.2)
        return created

    outcomes = run_in_threads(2, import_order)

    # then one created it, the other found it, and it has exactly one stock item
    assert sorted(outcomes) == [False, True], outcomes
    assert Product.objects.filter(sku="FRESH-SKU").count() == 1
    assert StockItem.objects.filter(product__sku="FRESH-SKU").count() == 1
    assert Product.objects.get(sku="FRESH-SKU").enabled is False
