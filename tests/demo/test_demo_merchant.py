import socket
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import requests
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel
from importer.gateway.wire import access_tokens
from importer.models import AmazonOrder
from inventory.models import Product
from settings_app.management.commands.demo_merchant import (
    DEMO_CATALOG,
    demo_order_bodies,
)
from settings_app.models import AmazonStore, StoreAccess, StoreRole
from settings_app.selectors import store_list_for_user, user_can_manage_store

DEMO_SKUS = {sku for sku, _, _ in DEMO_CATALOG}
STATUSES_A_MERCHANT_MEETS = {"PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED"}


def log_in(*, username: str, password: str):
    """The user the login page would log in with these credentials, or None."""
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=username, password=password)


def _run_demo_merchant(*args: str) -> str:
    out = StringIO()
    call_command("demo_merchant", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def no_simulator(monkeypatch):
    monkeypatch.delenv("SIMULATOR_URL", raising=False)
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


def test_the_demo_merchant_can_log_in_and_manages_the_demo_store(db, no_simulator):
    # given an empty installation
    # when the demo merchant is created
    output = _run_demo_merchant()

    # then the printed login works and the user manages exactly the demo store
    assert "http://127.0.0.1:8000/" in output
    assert "Username:  demo" in output
    assert "Password:  demo-merchant" in output
    user = log_in(username="demo", password="demo-merchant")
    assert user is not None
    store = AmazonStore.objects.get()
    assert list(store_list_for_user(user=user)) == [store]
    assert user_can_manage_store(user=user, store=store)
    assert user.has_perm("inventory.adjust_stock")
    assert user.has_perm("commerce.manage_order_statuses")
    assert store.order_settings.import_enabled is True
    assert store.connected_at < datetime.now(UTC) - timedelta(days=1)
    assert set(Product.objects.values_list("sku", flat=True)) >= {"DEMO-KETTLE", "DEMO-MUG"}
    assert "SIMULATOR_URL not set" in output


def test_a_second_run_changes_nothing_but_restores_the_password(db, no_simulator):
    # given a demo merchant whose password was changed
    _run_demo_merchant()
    store = AmazonStore.objects.get()
    secret_before = store.refresh_token
    user = get_user_model().objects.get(username="demo")
    user.set_password("something else")
    user.save()

    # when the command runs again
    output = _run_demo_merchant("--url", "http://127.0.0.1:9000/")

    # then there is still one of each, with the same secrets, and the printed login works
    assert get_user_model().objects.filter(username="demo").count() == 1
    assert AmazonStore.objects.get().pk == store.pk
    assert AmazonStore.objects.get().refresh_token == secret_before
    assert StoreAccess.objects.get().role == StoreRole.MANAGER
    assert Product.objects.filter(sku__startswith="DEMO-").count() == 4
    assert "http://127.0.0.1:9000/" in output
    assert log_in(username="demo", password="demo-merchant") is not None


def test_the_password_can_be_chosen_in_the_environment(db, no_simulator, monkeypatch):
    # given a chosen password
    monkeypatch.setenv("DEMO_PASSWORD", "a-chosen-demo-password")

    # when the demo merchant is created
    output = _run_demo_merchant()

    # then that password is printed and works
    assert "Password:  a-chosen-demo-password" in output
    assert log_in(username="demo", password="a-chosen-demo-password") is not None


def test_the_command_prints_no_store_secret(db, no_simulator):
    # given a demo run
    output = _run_demo_merchant()

    # when its output is compared with the store's secrets
    store = AmazonStore.objects.get()

    # then neither secret was printed
    assert store.refresh_token not in output
    assert store.lwa_client_secret not in output


def _access_token(base_url: str, store: AmazonStore) -> requests.Response:
    return requests.post(
        f"{base_url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": store.refresh_token,
            "client_id": store.lwa_client_id,
            "client_secret": store.lwa_client_secret,
        },
        timeout=30,
    )


def _order_ids_of(base_url: str, store: AmazonStore) -> set[str]:
    token = _access_token(base_url, store).json()["access_token"]
    response = requests.get(
        f"{base_url}/orders/2026-01-01/orders",
        params={
            "createdAfter": (datetime.now(UTC) - timedelta(days=30)).isoformat(),
            "marketplaceIds": "ATVPDKIKX0DER",
            "maxResultsPerPage": 100,
        },
        headers={"x-amz-access-token": token},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return {order["orderId"] for order in response.json()["orders"]}


def _streams(base_url: str) -> list[dict]:
    return requests.get(f"{base_url}/_simulator/stream", timeout=30).json()["streams"]


@pytest.mark.integration
def test_with_a_simulator_the_seller_is_registered_and_demo_orders_generated(
    db, no_simulator, simulator, monkeypatch
):
    # given a running simulator that knows no seller
    monkeypatch.setenv("SIMULATOR_URL", simulator.base_url)

    # when the demo merchant is created
    output = _run_demo_merchant("--orders", "12")

    # then the store's own credentials open the simulator and its twelve orders are there
    store = AmazonStore.objects.get()
    assert "12 demo orders generated" in output
    assert _access_token(simulator.base_url, store).status_code == 200
    order_ids = _order_ids_of(simulator.base_url, store)
    assert len(order_ids) == 12
    assert store.refresh_token not in output


@pytest.mark.integration
def test_a_second_run_against_the_simulator_generates_no_more_orders(
    db, no_simulator, simulator, monkeypatch
):
    # given a demo merchant already seeded in the simulator
    monkeypatch.setenv("SIMULATOR_URL", simulator.base_url)
    _run_demo_merchant("--orders", "5")
    store = AmazonStore.objects.get()
    first_orders = _order_ids_of(simulator.base_url, store)

    # when the command runs again
    output = _run_demo_merchant("--orders", "5")

    # then the seller is refreshed and its orders are the same ones
    assert "already has its demo orders" in output
    assert _order_ids_of(simulator.base_url, store) == first_orders


def test_an_unreachable_simulator_is_reported_clearly(db, no_simulator, monkeypatch):
    # given a SIMULATOR_URL where nothing listens
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SIMULATOR_URL", f"http://127.0.0.1:{port}")

    # when the demo merchant is created
    with pytest.raises(CommandError, match="did not answer"):
        _run_demo_merchant()

    # then the merchant itself was still set up before the simulator was called
    assert log_in(username="demo", password="demo-merchant") is not None


def test_the_demo_orders_are_a_mix_a_merchant_sees_processed_at_once():
    # given
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    connected_at = now - timedelta(days=7)

    # when
    bodies = demo_order_bodies(seller_id="ADEMO", count=25, connected_at=connected_at, now=now)

    # then: every one placed after the connection and settled before the importer's
    # two-minute horizon, with a plan the advancing follows
    orders = [body["order"] for body in bodies]
    assert len(orders) == 25
    for order in orders:
        created = datetime.fromisoformat(order["createdTime"])
        updated = datetime.fromisoformat(order["lastUpdatedTime"])
        assert connected_at < created <= updated <= now - timedelta(minutes=3)
    assert all(body["plan"] for body in bodies)
    # both channels, every status a merchant meets
    assert {order["fulfillment"]["fulfilledBy"] for order in orders} == {"MERCHANT", "AMAZON"}
    assert {order["fulfillment"]["fulfillmentStatus"] for order in orders} >= (
        STATUSES_A_MERCHANT_MEETS
    )
    # the demo catalog, teapots beyond the one in stock, and SKUs the catalog lacks
    lines = [
        (item["product"]["sellerSku"], item["quantityOrdered"])
        for order in orders
        for item in order["orderItems"]
    ]
    assert {sku for sku, _ in lines} >= DEMO_SKUS
    assert any(sku == "DEMO-TEAPOT" and quantity > 1 for sku, quantity in lines)
    assert len({sku for sku, _ in lines} - DEMO_SKUS) >= 2


@pytest.mark.integration
def test_the_importers_first_poll_stores_every_demo_order(
    db, no_simulator, simulator, monkeypatch, settings
):
    # given: the demo merchant, and the importer pointed at the simulator
    monkeypatch.setenv("SIMULATOR_URL", simulator.base_url)
    _run_demo_merchant()
    store = AmazonStore.objects.get()
    settings.SP_API_ENDPOINT = simulator.base_url
    settings.LWA_TOKEN_URL = f"{simulator.base_url}/auth/o2/token"
    settings.REDIS_URL = None
    access_tokens.clear()

    # when
    out = StringIO()
    call_command("poll_amazon", "--store", str(store.pk), "--once", stdout=out)

    # then: all 25 stored at once, in every status and both channels, and each follows a
    # plan in the simulator, so the advancing moves it on
    assert "25 orders: 25 new" in out.getvalue()
    for order_id in AmazonOrder.objects.values_list("amazon_order_id", flat=True):
        assert simulator.stored_order(order_id)["plan"]
    assert set(AmazonOrder.objects.values_list("status", flat=True)) >= {
        AmazonOrderStatus.PENDING,
        AmazonOrderStatus.UNSHIPPED,
        AmazonOrderStatus.PARTIALLY_SHIPPED,
        AmazonOrderStatus.SHIPPED,
        AmazonOrderStatus.CANCELED,
    }
    assert set(AmazonOrder.objects.values_list("channel", flat=True)) == {
        FulfillmentChannel.FBM,
        FulfillmentChannel.FBA,
    }


@pytest.mark.integration
def test_the_demo_seller_gets_a_stream_of_new_demo_orders_once(
    db, no_simulator, simulator, monkeypatch
):
    # given
    monkeypatch.setenv("SIMULATOR_URL", simulator.base_url)

    # when: the command runs twice
    first = _run_demo_merchant()
    second = _run_demo_merchant()

    # then: one stream, every 20 s, of the demo catalog's SKUs
    [stream] = _streams(simulator.base_url)
    assert stream["sellerId"] == AmazonStore.objects.get().seller_id
    assert stream["every"] == 20
    assert set(stream["skus"]) == DEMO_SKUS
    assert stream["marketplace_ids"] == ["ATVPDKIKX0DER"]
    assert "a new order every 20 s" in first
    assert "a new order every 20 s" in second


@pytest.mark.integration
def test_the_stream_can_be_left_off(db, no_simulator, simulator, monkeypatch):
    # given: a stream from an earlier run
    monkeypatch.setenv("SIMULATOR_URL", simulator.base_url)
    _run_demo_merchant()

    # when
    output = _run_demo_merchant("--stream-every", "0")

    # then
    assert _streams(simulator.base_url) == []
    assert "no new orders will arrive" in output
