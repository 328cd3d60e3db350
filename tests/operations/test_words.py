"""What the operations pages say: amounts, decisions, settings changes, times with zones."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from common.timezones import COOKIE
from importer.models import DecisionCode, ImportDecision
from operations import words
from operations.charts import decisions_per_day_chart
from settings_app.models import ORDER_SETTINGS_FIELDS
from settings_app.services import order_settings_update
from tests.factories import another_store_view
from tests.operations.factories import amazon_order


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("196.62"), "USD", "$196.62"),
        (Decimal("1234.5"), "EUR", "€1,234.50"),
        (Decimal("1967"), "JPY", "¥1,967"),
        (Decimal("12.3"), "", "12.30"),
        (None, "USD", "—"),
        (Decimal("5"), "XYZ", "XYZ5.00"),
    ],
)
def test_amounts_are_written_as_people_write_them(amount, currency, expected):
    assert words.money(amount, currency) == expected


def test_every_order_setting_has_the_label_of_its_page():
    assert list(words.SETTING_LABELS) == list(ORDER_SETTINGS_FIELDS)


def test_settings_changes_read_in_labels():
    lines = words.setting_change_lines(
        {
            "import_enabled": {"old": True, "new": False},
            "store_view": {"old": "default", "new": "extra"},
            "processing_status": {"old": None, "new": "picking"},
            "pending_orders": {"old": "reserve", "new": "do_not_reserve"},
        },
        store_view_names={"default": "Default Store View", "extra": "Extra view"},
        status_labels={"picking": "Picking"},
    )
    assert lines == [
        "Import Amazon Orders: Enabled → Disabled",
        "Import Into Store View: Default Store View → Extra view",
        "Pending Orders: Reserve Quantity → Do Not Reserve Quantity",
        "Processing Order Status: none → Picking",
    ]


def test_a_blocked_decision_names_the_sku_and_its_shortfall():
    summary = words.decision_summary(
        decision=ImportDecision.BLOCKED,
        code=DecisionCode.OUT_OF_STOCK,
        reason="",
        details={"shortages": [{"sku": "LAMP", "ordered": "3", "salable": "1.0000", "short": "2"}]},
    )
    assert summary.label == "Blocked"
    assert summary.reason == "Out of stock"
    assert summary.lines == ("LAMP: 3 ordered, 1 salable, 2 short",)


def test_the_dashboard_shows_settings_changes_with_store_view_names(manager_client, manager, store):
    # given the store view changed to a second view of the website
    view = another_store_view(store.website)
    order_settings_update(settings=store.order_settings, user=manager, store_view=view.pk)

    # when the dashboard is opened
    page = manager_client.get(reverse("operations:store-dashboard", args=[store.pk]))

    # then the change reads in names, never codes or field names
    html = page.content.decode()
    assert "Import Into Store View: Default Store View → Extra view" in html
    assert "store_view" not in html.split("Recent settings changes")[1]


def test_times_show_in_the_viewers_zone_with_its_name(manager_client, store):
    # given an order purchased at 10:00 UTC, and a browser in Berlin
    amazon_order(store=store, purchased_at=datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    manager_client.cookies[COOKIE] = "Europe/Berlin"

    # when the dashboard is opened
    html = manager_client.get(reverse("operations:store-dashboard", args=[store.pk])).content

    # then the time is Berlin's, labelled, and the page says which zone it uses
    assert b"2026-06-01 12:00 CEST" in html
    assert b"Times in Europe/Berlin" in html


@pytest.mark.parametrize("cookie", ["", "Mars/Olympus", "../../etc", "UTC\x00"])
def test_an_unknown_zone_shows_utc_labelled(manager_client, store, cookie):
    amazon_order(store=store, purchased_at=datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    manager_client.cookies[COOKIE] = cookie
    html = manager_client.get(reverse("operations:store-dashboard", args=[store.pk])).content
    assert b"2026-06-01 10:00 UTC" in html


def test_the_api_speaks_utc_whatever_the_cookie(manager_api, store):
    amazon_order(store=store, purchased_at=datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    manager_api.cookies[COOKIE] = "Europe/Berlin"
    row = manager_api.get(f"/api/amazon-orders/?store={store.pk}").json()["results"][0]
    assert row["purchased_at"] == "2026-06-01T10:00:00Z"


def test_charts_are_svg_without_style_or_script():
    days = [datetime(2026, 6, day, tzinfo=UTC) for day in range(1, 8)]
    svg = str(decisions_per_day_chart({"created": [(day, 3) for day in days]}, zone="UTC"))
    assert svg.startswith("<svg") and 'viewBox="0 0' in svg
    assert "style" not in svg and "<script" not in svg
