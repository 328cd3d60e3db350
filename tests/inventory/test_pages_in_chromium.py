"""The inventory list in headless Chromium (the Debian package), at desk and phone widths.

Not marked ``browser``: that marker sends a test to the end of the session, where the
browser tests' own session-wide Playwright runs, and two sync Playwright loops cannot
share the main thread. This module starts its own and stops it before the next module.
"""

import os

import pytest
from playwright.sync_api import Page, sync_playwright

from settings_app.models import StoreRole
from tests.factories import AmazonStoreFactory, StoreAccessFactory, WebsiteFactory
from tests.inventory.factories import ProductFactory

# Transactional tests may have flushed what migrations installed: build a website here.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
LONG_SKU = "AMZ-" + "0" * 60


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API runs an event loop in this thread, which makes Django refuse
    # ORM calls here; the tests' own setup and checks are plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def logged_in_page(chromium, live_server, *, width: int) -> Page:
    manager = StoreAccessFactory(
        store=AmazonStoreFactory(website=WebsiteFactory()), role=StoreRole.MANAGER
    ).user
    viewport = {"width": width, "height": 900}
    context = chromium.new_context(base_url=live_server.url, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/?next=/inventory/")
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Inventory").wait_for()
    # The heading can show before the page's own stylesheet has loaded; measure after it.
    page.wait_for_load_state("load")
    return page


def stock_of_every_kind() -> None:
    ProductFactory(sku=LONG_SKU, name="Placeholder", enabled=False, manage_stock=False)
    ProductFactory(sku="LAMP-ÜBER", name="Desk lamp " * 12, quantity=0)
    ProductFactory(sku="MUG-RED", name="Red mug", quantity=12)


def status_badges(page: Page) -> list[dict]:
    return page.eval_on_selector_all(
        "table.inventory tbody td:last-child .badge",
        """badges => badges.map(badge => {
            const box = badge.getBoundingClientRect();
            return {text: badge.textContent, right: box.right, lines: badge.getClientRects().length,
                    height: box.height, lineHeight: parseFloat(getComputedStyle(badge).lineHeight)};
        })""",
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_every_status_shows_whole_on_one_line_without_sideways_scrolling(
    chromium, live_server, width
):
    # given an unmanaged placeholder with a long SKU, a product out of stock, one in stock
    stock_of_every_kind()

    # when a manager opens the inventory list on a desk screen and on a phone
    page = logged_in_page(chromium, live_server, width=width)

    # then the page does not scroll sideways and every status badge is whole, on one line,
    # inside the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    badges = status_badges(page)
    texts = sorted(badge["text"] for badge in badges)
    assert texts == ["Do Not Manage", "In-stock", "Out-of-stock"]
    for badge in badges:
        assert badge["lines"] == 1, badge
        assert badge["height"] < 2 * badge["lineHeight"], badge
        assert badge["right"] <= width, badge
    page.context.close()


def test_on_a_phone_each_product_shows_its_name_under_the_sku(chromium, live_server):
    # given a product
    ProductFactory(sku="MUG-RED", name="Red mug", quantity=12)

    # when the list is opened on a phone
    page = logged_in_page(chromium, live_server, width=390)

    # then the name is under the SKU and the figures carry their labels
    row = page.locator("table.inventory tbody tr").first
    assert row.locator("td.sku .name").inner_text() == "Red mug"
    assert row.locator("td.sku .name").is_visible()
    salable = row.locator("td[data-label=Salable]")
    assert salable.inner_text() == "12"
    assert salable.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Salable"'
    assert not page.locator("table.inventory thead").is_visible()
    page.context.close()
