"""The operations view in headless Chromium: a blocked order from Recent Orders to its
Commerce number, the import health charts, and the pages at phone and desktop widths."""

import importlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from commerce.models import OrderStatus, OrderStatusState
from importer.models import DecisionTrigger, ImportDecision
from importer.services.decisions import amazon_orders_decide
from settings_app.models import StoreRole
from tests.factories import AmazonStoreFactory, StoreAccessFactory
from tests.importer.factories import mirrored
from tests.inventory.factories import ProductFactory

# Transactional tests before these may have flushed what migrations installed (the base
# website, the standard statuses), so the shop fixture installs the statuses again.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
INSTALLED = importlib.import_module("commerce.migrations.0002_install_defaults")

PASSWORD = "correct horse battery"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


# Tests here ask for django_db_setup first: the test database must exist before the
# session's Playwright loop starts, when this module runs alone.
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


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Amazon stores")).to_be_visible()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_sideways_scrolling(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def shop(db):
    """A store with a blocked lamp order among imported kettle orders, and its manager."""
    for code, label, states in INSTALLED.STATUSES:
        status, _ = OrderStatus.objects.get_or_create(code=code, defaults={"label": label})
        for state, is_default, visible in states:
            OrderStatusState.objects.get_or_create(
                status=status,
                state=state,
                defaults={"is_default": is_default, "visible_on_front": visible},
            )
    store = AmazonStoreFactory(name="Acme US")
    manager = StoreAccessFactory(store=store, role=StoreRole.MANAGER).user
    ProductFactory(sku="KETTLE", name="Kettle", quantity=50)
    ProductFactory(sku="LAMP", name="Desk lamp", quantity=0)
    rows = [mirrored(store, lines=[("KETTLE", 1)]) for _ in range(4)]
    blocked = mirrored(store, lines=[("LAMP", 3)])
    amazon_orders_decide(
        order_ids=[row.pk for row in [*rows, blocked]], trigger=DecisionTrigger.POLL
    )
    blocked.refresh_from_db()
    assert blocked.decision == ImportDecision.BLOCKED
    return store, manager, blocked


def test_a_blocked_order_is_retried_to_its_commerce_number(
    django_db_setup, page: Page, browser, live_server, shop, inventory_manager
):
    store, manager, blocked = shop

    # given the manager on the store dashboard
    log_in(page, manager.username)
    page.get_by_role("link", name="Acme US").click()
    expect(page.get_by_role("heading", name="Recent Orders")).to_be_visible()

    # then the import health charts are drawn
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(2)
    for index in range(2):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 80
    assert charts.nth(0).locator("path, polyline, line").count() > 0

    # when a new order arrives while the list is open
    fresh = mirrored(store, lines=[("KETTLE", 1)])
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    # then it appears on top without a reload
    newest = page.locator("#recent-orders-table tbody tr").first
    expect(newest).to_contain_text(fresh.amazon_order_id)
    expect(page.locator("#recent-orders-status")).to_contain_text("1 new order added")

    # when they filter Recent Orders to blocked orders
    page.get_by_label("Decision", exact=True).select_option(label="Blocked")
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("#recent-orders-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("LAMP is short by 3 (3 ordered, 0 salable)")
    screenshot(page, "recent-orders-blocked-desktop")

    # and open the order
    page.get_by_role("link", name=blocked.amazon_order_id).click()
    expect(
        page.get_by_role("heading", name=f"Amazon order {blocked.amazon_order_id}")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Retry")).to_be_visible()

    # when an inventory manager adds stock on the lamp's inventory page
    stock_context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    stock_page = stock_context.new_page()
    stock_page.goto("/accounts/login/?next=/inventory/products/LAMP/")
    stock_page.get_by_label("Username").fill(inventory_manager.username)
    stock_page.get_by_label("Password").fill(PASSWORD)
    stock_page.get_by_role("button", name="Log in").click()
    stock_page.get_by_label("Quantity on hand").fill("10")
    stock_page.get_by_label("Reason").fill("Delivery")
    stock_page.get_by_role("button", name="Save quantity").click()
    expect(stock_page.locator("body")).to_contain_text("Delivery")
    stock_context.close()

    # and the manager presses Retry
    page.get_by_role("button", name="Retry").click()

    # then the order shows its Commerce number, linked to the Commerce order
    blocked.refresh_from_db()
    assert blocked.decision == ImportDecision.CREATED
    number = blocked.commerce_order.increment_id
    link = page.get_by_role("link", name=f"Commerce order {number}").first
    expect(link).to_be_visible()
    screenshot(page, "retried-order-desktop")
    link.click()
    expect(page.get_by_role("heading", name=f"Order {number}")).to_be_visible()
    screenshot(page, "commerce-order-desktop")


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_pages_read_on_a_phone_and_a_desktop(
    django_db_setup, browser, live_server, shop, name, viewport
):
    store, manager, blocked = shop
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, manager.username)

    for slug, path in [
        ("dashboard", f"/stores/{store.pk}/"),
        ("amazon-order", f"/amazon-orders/{blocked.pk}/"),
        ("orders", "/orders/"),
    ]:
        # when each page is opened at this width
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        screenshot(page, f"{slug}-{name}")

        # then nothing spills sideways and no script or style broke
        assert no_sideways_scrolling(page), f"{path} scrolls sideways at {viewport['width']} px"
    expect(page.locator("svg.chart")).to_have_count(0)
    page.goto(f"/stores/{store.pk}/")
    expect(page.locator("svg.chart")).to_have_count(2)
    context.close()
