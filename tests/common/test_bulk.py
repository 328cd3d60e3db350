"""The bulk helpers write what save() would, in one statement each."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.bulk import column_add, rows_insert, values_update
from inventory.models import Reservation, ReservationEvent, StockItem
from inventory.services import product_create


@pytest.fixture
def cup(db):
    return StockItem.objects.get(product=product_create(sku="CUP", name="Cup", quantity=10))


def test_rows_insert_returns_ids_and_fills_every_column_not_given_as_save_would(cup):
    # given
    rows = [
        (1, "CUP", Decimal(-2), ReservationEvent.ORDER_PLACED, "order", "7"),
        (1, "CUP", Decimal(-1), ReservationEvent.ORDER_PLACED, "order", "8"),
    ]

    # when
    with CaptureQueriesContext(connection) as queries:
        ids = rows_insert(
            Reservation,
            ["stock_id", "sku", "quantity", "event_type", "object_type", "object_id"],
            rows,
            returning=True,
        )

    # then
    assert len(queries) == 1
    stored = list(Reservation.objects.filter(pk__in=ids).order_by("pk"))
    assert [row.pk for row in stored] == ids
    assert [(row.object_id, row.quantity) for row in stored] == [("7", -2), ("8", -1)]
    assert all(row.metadata == {} and row.object_increment_id == "" for row in stored)
    assert all(row.created_at is not None for row in stored)


def test_rows_insert_adapts_json_values(cup):
    # when
    [pk] = rows_insert(
        Reservation,
        ["stock_id", "sku", "quantity", "event_type", "object_type", "object_id", "metadata"],
        [(1, "CUP", -1, ReservationEvent.ORDER_PLACED, "order", "9", {"amazon": "1-2-3"})],
        returning=True,
    )

    # then
    assert Reservation.objects.get(pk=pk).metadata == {"amazon": "1-2-3"}


def test_values_update_and_column_add_each_take_one_statement(cup):
    # when
    with CaptureQueriesContext(connection) as queries:
        values_update(StockItem, ["is_in_stock"], [(cup.pk, False)])
        column_add(StockItem, "quantity", {cup.pk: Decimal("-2.5")})

    # then
    assert len(queries) == 2
    cup.refresh_from_db()
    assert (cup.is_in_stock, cup.quantity) == (False, Decimal("7.5"))
