"""Inserting and updating many rows in one statement, cheaply.

Django's ``bulk_update`` writes one ``CASE WHEN id = … THEN …`` per field and row, and
``bulk_create`` builds, then compiles, a model instance per row; for a page of orders
their Python alone takes longer than PostgreSQL spends on the rows. On PostgreSQL these
helpers write ``UPDATE … FROM (VALUES …)`` and ``INSERT … VALUES … RETURNING id`` with
psycopg2's ``execute_values``, each value adapted by its field only where psycopg2 would
not store it the same way itself (JSON); other databases (the embedded SQLite) go
through ``bulk_update`` and ``bulk_create``.
"""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.db import connections, router
from django.db.models import Field, Model
from django.utils import timezone
from psycopg2.extras import Json, execute_values

# Field types whose Python values psycopg2 adapts exactly as Django would save them
# (aware datetimes included: USE_TZ is on). Any other field's values go through
# ``get_db_prep_save``.
_NATIVE_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateTimeField",
        "DecimalField",
        "FloatField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "EmailField",
    }
)


class JsonText:
    """A JSON field's value with its JSON text already made: stored as that text.

    Serialising a large document (an Amazon order) costs more than storing it; whoever
    already holds its text passes both and nothing is serialised again.
    """

    __slots__ = ("text", "value")

    def __init__(self, value, text: str):
        self.value = value
        self.text = text


def _plain(value):
    return value.value if isinstance(value, JsonText) else value


def _prepared(fields: Sequence[Field], rows: Iterable[Sequence], connection) -> list[tuple]:
    adapt = [
        (index, field)
        for index, field in enumerate(fields)
        if field.get_internal_type() not in _NATIVE_TYPES
    ]
    if not adapt:
        return [tuple(row) for row in rows]
    prepared = []
    for row in rows:
        row = list(row)
        for index, field in adapt:
            value = row[index]
            if isinstance(value, JsonText):
                row[index] = Json(value.value, dumps=lambda _value, text=value.text: text)
            else:
                row[index] = field.get_db_prep_save(value, connection)
        prepared.append(tuple(row))
    return prepared


def rows_insert(
    model: type[Model], fields: Sequence[str], rows: Iterable[Sequence], *, returning: bool = False
) -> list[int]:
    """Insert one row per tuple of values (in ``fields`` order); their ids when asked.

    ``fields`` are names or attnames (``order`` or ``order_id``: the id either way).
    Every other column gets what ``save()`` would give it: now for ``auto_now`` and
    ``auto_now_add``, else the field's default ("" for text, NULL when nullable).
    """
    rows = list(rows)
    if not rows:
        return []
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create(
            [
                model(
                    **{
                        field.attname: _plain(value)
                        for field, value in zip(columns, row, strict=True)
                    }
                )
                for row in rows
            ]
        )
        return [instance.pk for instance in created] if returning else []
    filled = _defaults(model, columns)
    values = _prepared(columns, rows, connection)
    if filled:
        # The same defaults for every row: adapted once.
        columns += list(filled)
        extra = _prepared(list(filled), [tuple(filled.values())], connection)[0]
        values = [(*row, *extra) for row in values]
    quote = connection.ops.quote_name
    statement = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "  # noqa: S608
        "VALUES %s" + (f" RETURNING {quote(meta.pk.column)}" if returning else "")
    )
    with connection.cursor() as cursor:
        fetched = execute_values(cursor, statement, values, page_size=len(values), fetch=returning)
    return [row[0] for row in fetched] if returning else []


def _defaults(model: type[Model], given: Sequence[Field]) -> dict[Field, object]:
    now = timezone.now()
    filled = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            filled[field] = now
        else:
            filled[field] = field.get_default()
    return filled


def rows_update(rows: Sequence[Model], fields: Iterable[str]) -> None:
    """Save ``fields`` of every row (already fetched, keyed by primary key)."""
    rows = list(rows)
    if not rows:
        return
    model = type(rows[0])
    names = [model._meta.get_field(name).attname for name in fields]
    values_update(model, names, [(row.pk, *(getattr(row, name) for name in names)) for row in rows])


def values_update(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Set ``fields`` of the rows with these ids: each tuple is (id, *values in order)."""
    rows = list(rows)
    if not rows:
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        instances = []
        for row in rows:
            instance = model(pk=row[0])
            for field, value in zip(columns[1:], row[1:], strict=True):
                setattr(instance, field.attname, _plain(value))
            instances.append(instance)
        model.objects.bulk_update(instances, [field.name for field in columns[1:]])
        return
    table = connection.ops.quote_name(meta.db_table)
    names = [connection.ops.quote_name(field.column) for field in columns]
    casts = [field.cast_db_type(connection) for field in columns]
    template = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    # Names come from the model's own metadata, quoted; every value is a parameter.
    statement = (
        f"UPDATE {table} SET {assignments} FROM (VALUES %s) AS v({', '.join(names)}) "  # noqa: S608
        f"WHERE {table}.{names[0]} = v.{names[0]}"
    )
    values = _prepared(columns, rows, connection)
    with connection.cursor() as cursor:
        execute_values(cursor, statement, values, template=template, page_size=len(values))


def column_add(model: type[Model], field: str, amounts: Mapping[int, Decimal]) -> None:
    """Add each amount to ``field`` of the row with that id, in one statement.

    ``UPDATE … SET f = f + v.amount FROM (VALUES …)`` on PostgreSQL; the others get one
    ``F()`` update per row, which the embedded default's small batches afford.
    """
    if not amounts:
        return
    meta = model._meta
    column = meta.get_field(field)
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        from django.db.models import F

        for pk, amount in sorted(amounts.items()):
            model.objects.filter(pk=pk).update(**{field: F(field) + amount})
        return
    quote = connection.ops.quote_name
    table, name, pk = quote(meta.db_table), quote(column.column), quote(meta.pk.column)
    template = f"(%s::{meta.pk.cast_db_type(connection)}, %s::{column.cast_db_type(connection)})"
    statement = (
        f"UPDATE {table} SET {name} = {table}.{name} + v.amount "  # noqa: S608
        f"FROM (VALUES %s) AS v(id, amount) WHERE {table}.{pk} = v.id"
    )
    with connection.cursor() as cursor:
        execute_values(
            cursor,
            statement,
            sorted(amounts.items()),
            template=template,
            page_size=len(amounts),
        )
