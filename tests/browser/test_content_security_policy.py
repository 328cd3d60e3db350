"""Every kind of page works in Chromium under the Content-Security-Policy, which refuses
inline scripts and styles: the dashboard, the admin, the API docs and the lockout page."""

import os
import re

import pytest
from django_celery_beat.models import CrontabSchedule
from playwright.sync_api import Page, expect

from settings_app.models import StoreRole
from tests.factories import (
    AmazonStoreFactory,
    StoreAccessFactory,
    UserFactory,
    WebsiteFactory,
    standard_statuses_ensure,
)
from tests.inventory.factories import ProductFactory
from tests.operations.factories import imported_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True, scope="module")
def orm_beside_the_playwright_loop():
    # Playwright's sync API runs an event loop in this thread, which makes Django refuse
    # ORM calls here; the test's own setup and checks are plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def refusals(page: Page) -> list[str]:
    """What the browser refused to run or load because of the policy, as it reported it."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    return refused


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_the_dashboard_admin_and_api_docs_work_under_the_policy(page: Page, refusals):
    # given a staff manager of a store with an imported order, a product and a crontab
    standard_statuses_ensure()
    store = AmazonStoreFactory(name="Acme US", website=WebsiteFactory())
    order = imported_order(store=store)
    staff = UserFactory(is_staff=True, is_superuser=True)
    StoreAccessFactory(store=store, user=staff, role=StoreRole.MANAGER)
    ProductFactory(sku="MUG-RED", name="Red mug", quantity=12)
    CrontabSchedule.objects.create(minute="0", hour="4")
    log_in(page, staff.username)
    expect(page.get_by_role("heading", name="Amazon stores")).to_be_visible()

    # when they use the dashboard: the order settings' script still disables fields
    page.goto(f"/stores/{store.pk}/")
    page.goto(f"/stores/{store.pk}/order-settings/")
    page.locator("#id_import_enabled").select_option(label="Disabled")
    expect(page.locator("#id_customer_creation")).to_be_disabled()
    page.goto("/inventory/")
    page.goto("/inventory/products/MUG-RED/")
    page.goto("/commerce/statuses/")

    # and the operations pages: the store's orders and health, one order, the workspace
    page.goto(f"/stores/{store.pk}/health/")
    page.goto(f"/amazon-orders/{order.pk}/")
    page.goto("/orders/")
    page.goto(f"/orders/{order.commerce_order_id}/")

    # and make an API token, shown once
    page.get_by_role("link", name="API tokens").click()
    page.get_by_role("button", name="Create a token").click()
    expect(page.locator("#new-token")).to_have_value(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()

    # and read the API docs: Swagger UI draws the endpoints
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_text("/api/stores/", exact=True).first).to_be_visible()

    # and use the admin, the periodic task form's crontab help included
    page.goto("/admin/")
    page.goto("/admin/settings_app/amazonstore/")
    page.goto(f"/admin/settings_app/amazonstore/{store.pk}/change/")
    page.goto("/admin/knox/authtoken/")
    page.goto("/admin/django_celery_beat/periodictask/add/")
    page.locator("#id_crontab").select_option(index=1)
    expect(page.locator(".field-crontab .help")).to_contain_text("Translation:")

    # then the browser refused nothing
    assert refusals == []


def test_the_lockout_page_works_under_the_policy(page: Page, refusals, settings):
    # given a merchant whose password was guessed wrong too often
    merchant = UserFactory()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, merchant.username, password=f"guess-{attempt}")

    # when they log in with the right password
    log_in(page, merchant.username)

    # then the lockout page shows, styled, and the browser refused nothing
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    expect(page.locator(".topbar")).to_have_css("background-color", "rgb(55, 51, 48)")
    assert refusals == []
