"""The Order Settings page in headless Chromium, against a live server."""

import os

import pytest
from playwright.sync_api import Page, expect

from commerce.models import OrderState, OrderStatus, OrderStatusState
from settings_app.models import CustomerCreation, OrderSettings, OrderStatusMode, StoreRole
from tests.factories import AmazonStoreFactory, StoreAccessFactory, WebsiteFactory

# Transactional tests before these may have flushed what migrations installed (the base
# website, the standard statuses), so each test here builds the Commerce data it needs.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
OTHER_FIELDS = [
    "store_view",
    "customer_creation",
    "order_number_source",
    "pending_orders",
    "order_status",
    "processing_status",
]


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


def field(page: Page, name: str):
    return page.locator(f"#id_{name}")


def test_a_manager_edits_the_order_settings_in_the_browser(page: Page, tmp_path):
    # given a manager of a store and a custom status assigned to the processing state
    status = OrderStatus.objects.create(code="amazon_received", label="Amazon Received")
    OrderStatusState.objects.create(status=status, state=OrderState.PROCESSING)
    store = AmazonStoreFactory(name="Acme US", website=WebsiteFactory())
    manager = StoreAccessFactory(store=store, role=StoreRole.MANAGER).user

    # when they log in and open the store's Order Settings
    log_in(page, manager.username)
    page.get_by_role("link", name="Acme US").click()
    page.get_by_role("navigation", name="Store pages").get_by_role(
        "link", name="Order Settings"
    ).click()
    expect(page.get_by_role("heading", name="Order Settings")).to_be_visible()

    # then choosing Disabled disables every other field at once
    field(page, "import_enabled").select_option(label="Disabled")
    for name in OTHER_FIELDS:
        expect(field(page, name)).to_be_disabled()

    # and switching back enables them, Processing Order Status only with Custom
    field(page, "import_enabled").select_option(label="Enabled")
    for name in OTHER_FIELDS[:-1]:
        expect(field(page, name)).to_be_enabled()
    expect(field(page, "processing_status")).to_be_disabled()
    field(page, "order_status").select_option(label="Custom Order Status")
    expect(field(page, "processing_status")).to_be_enabled()

    # when they choose the custom status and a customer account, and save
    field(page, "processing_status").select_option(label="Amazon Received")
    field(page, "customer_creation").select_option(label="Build New Customer Account")
    page.screenshot(path=tmp_path / "order-settings.png", full_page=True)
    page.get_by_role("button", name="Save order settings").click()

    # then the page confirms, and after a reload the values are kept
    expect(page.get_by_role("status")).to_have_text("Order settings saved.")
    page.reload()
    expect(field(page, "import_enabled")).to_have_value("1")
    expect(field(page, "order_status")).to_have_value("custom")
    expect(field(page, "processing_status")).to_have_value("amazon_received")
    expect(field(page, "processing_status")).to_be_enabled()
    expect(field(page, "customer_creation")).to_have_value("new_account")
    saved = OrderSettings.objects.get(store=store)
    assert saved.order_status == OrderStatusMode.CUSTOM
    assert saved.processing_status == status
    assert saved.customer_creation == CustomerCreation.NEW_ACCOUNT
    assert (tmp_path / "order-settings.png").stat().st_size > 0


def test_custom_without_a_status_shows_the_error_at_its_field(page: Page):
    # given a manager of a store with default settings
    store = AmazonStoreFactory(name="Acme UK", website=WebsiteFactory())
    manager = StoreAccessFactory(store=store, role=StoreRole.MANAGER).user
    log_in(page, manager.username)
    page.goto(f"/stores/{store.pk}/order-settings/")

    # when Custom is saved without choosing a status
    field(page, "order_status").select_option(label="Custom Order Status")
    page.get_by_role("button", name="Save order settings").click()

    # then the error shows at Processing Order Status and nothing was saved
    expect(page.locator("#id_processing_status_error")).to_contain_text(
        "Choose a Processing Order Status"
    )
    expect(field(page, "processing_status")).to_be_enabled()
    assert OrderSettings.objects.get(store=store).order_status == OrderStatusMode.DEFAULT


def test_an_operator_sees_the_settings_read_only(page: Page):
    # given an operator of a store
    store = AmazonStoreFactory(name="Acme DE", website=WebsiteFactory())
    operator = StoreAccessFactory(store=store, role=StoreRole.OPERATOR).user

    # when they open its Order Settings
    log_in(page, operator.username)
    page.goto(f"/stores/{store.pk}/order-settings/")

    # then every field is disabled, the script enables none, and there is no save button
    for name in ["import_enabled", *OTHER_FIELDS]:
        expect(field(page, name)).to_be_disabled()
    field_count = page.get_by_role("button", name="Save order settings").count()
    assert field_count == 0


def test_on_a_narrow_screen_each_field_takes_the_full_width(page: Page):
    # given a manager of a store, on a phone-sized screen
    store = AmazonStoreFactory(name="Acme JP", website=WebsiteFactory())
    manager = StoreAccessFactory(store=store, role=StoreRole.MANAGER).user
    page.set_viewport_size({"width": 400, "height": 800})
    log_in(page, manager.username)

    # when they open its Order Settings
    page.goto(f"/stores/{store.pk}/order-settings/")

    # then every select sits below its label, as wide as the form, so its choice is readable
    form_box = page.locator("#order-settings-form").bounding_box()
    for name in ["import_enabled", *OTHER_FIELDS]:
        select_box = field(page, name).bounding_box()
        label_box = page.locator(f"label[for=id_{name}]").bounding_box()
        assert select_box["width"] >= 0.9 * form_box["width"]
        assert select_box["y"] >= label_box["y"] + label_box["height"]
