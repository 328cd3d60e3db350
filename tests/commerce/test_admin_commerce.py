"""The Commerce admin writes through the services."""

from django.db import connection
from django.urls import reverse

from commerce.models import (
    Order,
    OrderNumberSequence,
    OrderState,
    OrderStatus,
    OrderStatusState,
    StoreGroup,
    StoreView,
    Website,
)
from commerce.selectors import order_status_default_for_state
from commerce.services import order_status_create
from common.admin import LargeTablePaginator
from tests.commerce.factories import OrderFactory


def test_a_website_added_in_the_admin_comes_with_its_store_and_store_view(admin_client, db):
    # given the website add form
    form = {
        "code": "eu",
        "name": "Europe",
        "store_code": "eu_store",
        "store_name": "Europe Store",
        "store_view_code": "eu_en",
        "store_view_name": "English",
    }

    # when it is saved
    response = admin_client.post(reverse("admin:commerce_website_add"), form)

    # then the website has its default store and view, and the view its sequence
    assert response.status_code == 302
    website = Website.objects.get(code="eu")
    view = website.default_group.default_store_view
    assert view.code == "eu_en"
    assert OrderNumberSequence.objects.get(store_view=view).prefix == str(view.pk)


def test_a_taken_store_view_code_is_refused_at_its_field(admin_client, db):
    # given a form reusing the installed view code
    form = {
        "code": "eu",
        "name": "Europe",
        "store_code": "eu_store",
        "store_name": "Europe Store",
        "store_view_code": "default",
        "store_view_name": "English",
    }

    # when it is saved
    response = admin_client.post(reverse("admin:commerce_website_add"), form)

    # then the error is at that field and nothing was created
    assert response.status_code == 200
    assert "store_view_code" in response.context["adminform"].form.errors
    assert not Website.objects.filter(code="eu").exists()


def test_a_store_view_added_in_the_admin_gets_its_sequence(admin_client, db):
    # given an existing store
    group = StoreGroup.objects.get(code="main_website_store")

    # when a view is added to it
    response = admin_client.post(
        reverse("admin:commerce_storeview_add"),
        {"group": group.pk, "code": "french", "name": "French", "is_active": "on", "sort_order": 1},
    )

    # then it numbers with its id as prefix
    assert response.status_code == 302
    view = StoreView.objects.get(code="french")
    assert OrderNumberSequence.objects.get(store_view=view).prefix == str(view.pk)


def test_a_custom_status_added_in_the_admin_is_assigned_to_its_state(admin_client, db):
    # given the status add form
    form = {"code": "picking", "label": "Picking", "state": "processing", "visible_on_front": "on"}

    # when it is saved
    response = admin_client.post(reverse("admin:commerce_orderstatus_add"), form)

    # then the status belongs to processing, not as its default
    assert response.status_code == 302
    assignment = OrderStatusState.objects.get(status__code="picking")
    assert (assignment.state, assignment.is_default) == ("processing", False)


def test_making_an_assignment_the_default_in_the_admin_moves_the_flag(admin_client, db):
    # given a custom status assigned to processing
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)
    assignment = OrderStatusState.objects.get(status=status)

    # when it is made the default in the admin
    response = admin_client.post(
        reverse("admin:commerce_orderstatusstate_change", args=[assignment.pk]),
        {"make_default": "on", "visible_on_front": "on"},
    )

    # then it is the state's only default
    assert response.status_code == 302
    assert order_status_default_for_state(state=OrderState.PROCESSING) == status


def test_a_second_default_can_be_assigned_in_the_admin(admin_client, db):
    # given a custom status of processing only
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when it is assigned to on hold as its default
    response = admin_client.post(
        reverse("admin:commerce_orderstatusstate_add"),
        {"status": status.pk, "state": "holded", "make_default": "on", "visible_on_front": "on"},
    )

    # then on hold has it as its one default
    assert response.status_code == 302
    assert order_status_default_for_state(state=OrderState.HOLDED) == status
    assert OrderStatusState.objects.filter(state="holded", is_default=True).count() == 1


def test_the_default_flag_cannot_be_unticked_in_the_admin(admin_client, db):
    # given the default assignment of processing
    assignment = OrderStatusState.objects.get(state="processing", is_default=True)

    # when it is saved without the default flag
    response = admin_client.post(
        reverse("admin:commerce_orderstatusstate_change", args=[assignment.pk]),
        {"visible_on_front": "on"},
    )

    # then the form refuses and the default stays
    assert response.status_code == 200
    assert "make_default" in response.context["adminform"].form.errors
    assert order_status_default_for_state(state=OrderState.PROCESSING).code == "processing"


def test_an_order_status_change_in_the_admin_writes_history(admin_client, admin_user, db):
    # given a new order
    order = OrderFactory()
    processing = OrderStatus.objects.get(code="processing")

    # when staff move it to processing with a comment
    response = admin_client.post(
        reverse("admin:commerce_order_change", args=[order.pk]),
        {
            "state": "processing",
            "status": processing.pk,
            "comment": "Checked by hand",
            **_empty_inlines(),
        },
    )

    # then the order moved and its history names the staff user
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.state, order.status) == ("processing", processing)
    last = order.status_history.last()
    assert (last.comment, last.created_by) == ("Checked by hand", admin_user)


def test_an_illegal_state_change_is_refused_in_the_admin(admin_client, db):
    # given a canceled order
    order = OrderFactory(state=OrderState.CANCELED)

    # when staff try to reopen it
    response = admin_client.post(
        reverse("admin:commerce_order_change", args=[order.pk]),
        {
            "state": "processing",
            "status": OrderStatus.objects.get(code="processing").pk,
            **_empty_inlines(),
        },
    )

    # then the form refuses at the state and the order is unchanged
    assert response.status_code == 200
    assert "state" in response.context["adminform"].form.errors
    order.refresh_from_db()
    assert order.state == OrderState.CANCELED
    assert order.status_history.count() == 1


def _empty_inlines() -> dict:
    return {
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "status_history-TOTAL_FORMS": "0",
        "status_history-INITIAL_FORMS": "0",
        "shipments-TOTAL_FORMS": "0",
        "shipments-INITIAL_FORMS": "0",
    }


def test_a_large_unfiltered_list_is_paged_by_the_planner_estimate(db):
    # given an orders table PostgreSQL believes holds five million rows
    OrderFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pg_class SET reltuples = 5000000 WHERE oid = 'commerce_order'::regclass"
        )

    # when the unfiltered and a filtered list are paged
    unfiltered = LargeTablePaginator(Order.objects.all(), 100).count
    filtered = LargeTablePaginator(Order.objects.filter(state="new"), 100).count

    # then the first takes the estimate, the second is counted exactly
    assert unfiltered == 5_000_000
    assert filtered == 1


def test_a_small_table_is_counted_exactly(db):
    # given a few orders and fresh statistics
    OrderFactory()
    OrderFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE commerce_order")

    # when the unfiltered list is paged
    count = LargeTablePaginator(Order.objects.all(), 100).count

    # then the count is exact
    assert count == 2
