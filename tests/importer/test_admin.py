from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from importer.models import AmazonOrder, PollCursor, PollRun
from importer.services.mirror import amazon_orders_mirror
from tests.factories import UserFactory
from tests.importer.factories import order

SEEN_AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def mirrored_order(store):
    amazon_orders_mirror(store=store, orders=[order(order_id="114-5550001-0000001")], now=SEEN_AT)
    return AmazonOrder.objects.get(amazon_order_id="114-5550001-0000001")


def test_the_order_list_shows_mirrored_orders_in_a_bounded_number_of_queries(
    admin_client, store, django_assert_max_num_queries
):
    # given
    amazon_orders_mirror(store=store, orders=[order() for _ in range(30)], now=SEEN_AT)

    # when
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:importer_amazonorder_changelist"))

    # then
    assert response.status_code == 200
    assert response.content.count(b"113-") >= 30


def test_an_order_shows_its_items_and_status_history_and_cannot_be_changed(
    admin_client, mirrored_order
):
    # given
    url = reverse("admin:importer_amazonorder_change", args=[mirrored_order.pk])

    # when
    page = admin_client.get(url)
    attempt = admin_client.post(url, {"status": "canceled"})

    # then
    assert page.status_code == 200
    content = page.content.decode()
    assert "SKU-1" in content and "SKU-2" in content
    assert "Unshipped" in content
    assert 'name="_save"' not in content
    assert attempt.status_code == 403
    mirrored_order.refresh_from_db()
    assert mirrored_order.status == "unshipped"


def test_mirrored_orders_cannot_be_added_or_deleted_from_the_admin(admin_client, mirrored_order):
    # when
    add = admin_client.get(reverse("admin:importer_amazonorder_add"))
    delete = admin_client.post(
        reverse("admin:importer_amazonorder_delete", args=[mirrored_order.pk]), {"post": "yes"}
    )

    # then
    assert add.status_code == 403
    assert delete.status_code == 403
    assert AmazonOrder.objects.filter(pk=mirrored_order.pk).exists()


def test_poll_runs_and_cursors_are_listed_without_the_stores_secrets(admin_client, store):
    # given
    run = PollRun.objects.create(
        store=store, started_at=timezone.now(), outcome="completed", pages=2, orders_seen=7
    )
    PollCursor.objects.create(store=store, updated_after=SEEN_AT, last_run=run)

    # when
    runs = admin_client.get(reverse("admin:importer_pollrun_changelist"))
    cursor = admin_client.get(reverse("admin:importer_pollcursor_change", args=[store.pk]))

    # then
    assert runs.status_code == 200 and cursor.status_code == 200
    for page in (runs.content.decode(), cursor.content.decode()):
        assert store.name in page
        assert store.refresh_token not in page
        assert store.lwa_client_secret not in page


def test_an_order_shows_its_decisions_and_a_backfill_is_listed(admin_client, store, mirrored_order):
    from importer.models import Backfill
    from importer.services.decisions import amazon_orders_decide

    # given a decided order (its SKUs unknown, so it is created) and a backfill
    amazon_orders_decide(order_ids=[mirrored_order.pk], trigger="poll")
    Backfill.objects.create(
        store=store, since=SEEN_AT, until=SEEN_AT, started_at=SEEN_AT, updated_at=SEEN_AT
    )

    # when staff open the order and the backfills
    page = admin_client.get(reverse("admin:importer_amazonorder_change", args=[mirrored_order.pk]))
    backfills = admin_client.get(reverse("admin:importer_backfill_changelist"))

    # then the decision and its history show, read-only
    content = page.content.decode()
    assert "Unshipped: created, and its quantity reserved." in content
    assert "Commerce order created" in content
    assert backfills.status_code == 200 and str(store) in backfills.content.decode()
