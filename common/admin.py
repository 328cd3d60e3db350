"""Admin plumbing every app's admin uses: read-only admins, service-created rows, big lists."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import JSONField, Model, QuerySet
from django.utils.functional import cached_property

from common.json_input import BoundedJSONField


class LargeTablePaginator(Paginator):
    """Takes an unfiltered list's size from PostgreSQL's statistics instead of counting.

    The admin counts every list it pages; on a table of millions of rows that count alone
    takes seconds. Past ``EXACT_COUNT_LIMIT`` rows the planner's estimate is close enough
    to page by. Filtered lists and small tables are counted exactly.
    """

    EXACT_COUNT_LIMIT = 100_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            estimate = _estimated_row_count(queryset)
            if estimate > self.EXACT_COUNT_LIMIT:
                return estimate
        return super().count


def _estimated_row_count(queryset: QuerySet) -> int:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return -1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row else -1


def adopt(unsaved: Model, created: Model) -> None:
    """Make the admin's unsaved instance the row a service created.

    The admin keeps using its own instance after ``save_model`` (log entry, redirect,
    inlines), so it takes the created row's key and values.
    """
    unsaved.pk = created.pk
    unsaved.refresh_from_db()
    unsaved._state.adding = False


class EditableAdmin(admin.ModelAdmin):
    """An admin whose forms read JSON with a bound on nesting: too deep is a field error."""

    formfield_overrides = {JSONField: {"form_class": BoundedJSONField}}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services: staff read them, nobody edits them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
