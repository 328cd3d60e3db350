"""The default stock, and a trigger that makes the reservation ledger append-only."""

from django.core.management.color import no_style
from django.db import migrations

DEFAULT_STOCK_ID = 1

POSTGRESQL_FORWARD = """
CREATE FUNCTION inventory_reservation_refuse_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'inventory_reservation is append-only: ledger rows are never updated'
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER inventory_reservation_append_only
    BEFORE UPDATE ON inventory_reservation
    FOR EACH ROW EXECUTE FUNCTION inventory_reservation_refuse_update();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS inventory_reservation_append_only ON inventory_reservation;
DROP FUNCTION IF EXISTS inventory_reservation_refuse_update();
"""
SQLITE_FORWARD = """
CREATE TRIGGER inventory_reservation_append_only
    BEFORE UPDATE ON inventory_reservation
BEGIN
    SELECT RAISE(ABORT, 'inventory_reservation is append-only: ledger rows are never updated');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS inventory_reservation_append_only;"


def install_default_stock(apps, schema_editor):
    Stock = apps.get_model("inventory", "Stock")
    Stock.objects.using(schema_editor.connection.alias).get_or_create(
        pk=DEFAULT_STOCK_ID, defaults={"code": "default", "name": "Default Stock"}
    )
    # The row was inserted with an explicit id: move the id sequence past it.
    for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Stock]):
        schema_editor.execute(statement)


def install_append_only_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def remove_append_only_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [
        migrations.RunPython(install_default_stock, migrations.RunPython.noop),
        migrations.RunPython(install_append_only_trigger, remove_append_only_trigger),
    ]
