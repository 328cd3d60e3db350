"""Recent Orders' search by the start of a buyer's name, in any letter case.

A prefix LIKE on lower(buyer_name) uses an index only with text_pattern_ops, which is
PostgreSQL's; the embedded SQLite default searches without it.
"""

from django.db import migrations

INDEX = "amazon_order_buyer_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON importer_amazonorder "
            "(store_id, lower(buyer_name) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("importer", "0002_decisions_and_backfills")]

    operations = [migrations.RunPython(create, drop)]
