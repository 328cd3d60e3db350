"""``manage.py demo_merchant``: a merchant to log in as, a store to look at, orders to import.

Idempotent: a second run finds the user, the store, the grant and the catalog it made
before (and resets the demo password, so the printed login always works). With
``SIMULATOR_URL`` set, the store's seller is registered in the local Amazon simulator with
the store's own credentials; the first time the simulator sees that seller it gets a mix
of demo orders the importer picks up at once, and every run (re)starts the seller's
stream of new orders, which replaces the stream a previous run started.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from commerce.models import Website
from inventory.models import Product
from inventory.services import product_create
from settings_app.models import AmazonStore, Region, StoreRole
from settings_app.services import amazon_store_create, store_access_grant

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-merchant"  # noqa: S105 - the documented login of a local demo
DEMO_SELLER_ID = "ADEMOSELLER001"
DEMO_MARKETPLACE_ID = "ATVPDKIKX0DER"
# Orders created before a store is connected are never imported, so the demo store is
# connected a week back and the demo orders fall after that moment.
DEMO_CONNECTED_DAYS_AGO = 7
DEMO_ORDER_WINDOW = timedelta(days=2)
# The importer never asks for the last two minutes; a margin past them lets its first
# poll see every demo order.
DEMO_SETTLED_BEFORE_NOW = timedelta(minutes=3)
# sku, name, quantity (None: stock not managed). One SKU is short, so some orders block.
DEMO_CATALOG = [
    ("DEMO-KETTLE", "Electric Kettle 1.7 l", 50),
    ("DEMO-MUG", "Stoneware Mug", 200),
    ("DEMO-TEAPOT", "Glass Teapot", 1),
    ("DEMO-TEA-GIFT", "Tea Gift Card", None),
]
UNKNOWN_SKUS = ("TEA-TOWEL-LINEN", "CANDLE-SOY-200")
# The first demo orders: who fulfils, status, the lifecycle plan the status sits on (so the
# simulator's advancing moves the order on) and lines; more orders cycle through them.
# Both channels, every status a merchant meets, teapots beyond the one in stock (blocked
# as out of stock), and SKUs the catalog lacks (placeholder products).
DEMO_ORDERS = [
    ("MERCHANT", "PENDING", "standard", [("DEMO-KETTLE", 1)]),
    ("AMAZON", "PENDING", "standard", [("DEMO-MUG", 2)]),
    ("MERCHANT", "UNSHIPPED", "standard", [("DEMO-MUG", 1), ("DEMO-TEA-GIFT", 1)]),
    ("MERCHANT", "UNSHIPPED", "standard", [("DEMO-TEAPOT", 2)]),
    ("AMAZON", "UNSHIPPED", "split_shipment", [("DEMO-KETTLE", 1), ("DEMO-MUG", 2)]),
    ("MERCHANT", "PARTIALLY_SHIPPED", "split_shipment", [("DEMO-MUG", 3)]),
    ("AMAZON", "SHIPPED", "standard", [("DEMO-KETTLE", 1)]),
    ("MERCHANT", "SHIPPED", "standard", [("DEMO-MUG", 1), (UNKNOWN_SKUS[0], 1)]),
    ("MERCHANT", "CANCELLED", "cancelled_while_pending", [("DEMO-KETTLE", 1)]),
    ("AMAZON", "CANCELLED", "cancelled_after_unshipped", [("DEMO-MUG", 1)]),
    ("MERCHANT", "PENDING_AVAILABILITY", "preorder", [("DEMO-TEAPOT", 3)]),
    ("AMAZON", "PENDING", "cancelled_while_pending", [(UNKNOWN_SKUS[1], 1)]),
    ("MERCHANT", "UNSHIPPED", "cancelled_after_unshipped", [("DEMO-TEAPOT", 1)]),
]
DEMO_STREAM_EVERY_SECONDS = 20
DEMO_STREAM_UNKNOWN_SKU_RATIO = 0.1
SIMULATOR_TIMEOUT_SECONDS = 30
DEMO_GROUPS = ("Inventory managers", "Commerce administrators")


@dataclass(frozen=True)
class SimulatorSeed:
    seller_was_known: bool
    generated_order_count: int
    stream_every: float


class Command(BaseCommand):
    help = (
        "Create the demo merchant (idempotent): user 'demo', manager of a demo Amazon store "
        "with a small catalog. With SIMULATOR_URL set, register the store's seller in the "
        "simulator, give it demo orders once and a stream of new ones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Where the dashboard is served, for the printed instructions.",
        )
        parser.add_argument(
            "--orders",
            type=int,
            default=25,
            help="Demo orders to create when the simulator first sees the seller (default 25).",
        )
        parser.add_argument(
            "--stream-every",
            type=float,
            default=DEMO_STREAM_EVERY_SECONDS,
            help="Seconds between new orders streamed to the seller while the simulator runs "
            f"(default {DEMO_STREAM_EVERY_SECONDS}; 0 stops the stream).",
        )

    def handle(self, *args, url, orders, stream_every, **options):
        if stream_every < 0:
            raise CommandError("--stream-every must be 0 (no stream) or more seconds.")
        password = os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD
        user = demo_user_ensure(password=password)
        store = demo_store_ensure()
        store_access_grant(user=user, store=store, role=StoreRole.MANAGER)
        demo_catalog_ensure()

        simulator_url = os.environ.get("SIMULATOR_URL", "").rstrip("/")
        seed_result = None
        if simulator_url:
            seed_result = simulator_seed(
                base_url=simulator_url,
                store=store,
                order_count=orders,
                stream_every=stream_every,
            )

        self.stdout.write(self.style.SUCCESS("Demo merchant ready."))
        self.stdout.write(f"  Open:      {url}")
        self.stdout.write(f"  Username:  {DEMO_USERNAME}")
        self.stdout.write(f"  Password:  {password}")
        self.stdout.write(
            f"  Store:     {store.name} (seller {store.seller_id}); {DEMO_USERNAME} is its manager"
        )
        if seed_result is None:
            self.stdout.write("  Simulator: SIMULATOR_URL not set; no seller registered.")
            return
        if seed_result.seller_was_known:
            self.stdout.write(
                f"  Simulator: seller {store.seller_id} refreshed at {simulator_url}; "
                "it already has its demo orders."
            )
        else:
            self.stdout.write(
                f"  Simulator: seller {store.seller_id} registered at {simulator_url}; "
                f"{seed_result.generated_order_count} demo orders generated."
            )
        if seed_result.stream_every:
            self.stdout.write(
                f"  Stream:    a new order every {seed_result.stream_every:g} s while the "
                "simulator runs."
            )
        else:
            self.stdout.write("  Stream:    stopped; no new orders will arrive.")


def demo_user_ensure(*, password: str):
    """The demo merchant runs the whole back office: stock and order statuses too."""
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
    )
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.add(*Group.objects.filter(name__in=DEMO_GROUPS))
    return user


@transaction.atomic
def demo_store_ensure() -> AmazonStore:
    existing = AmazonStore.objects.filter(
        seller_id=DEMO_SELLER_ID, region=Region.NORTH_AMERICA
    ).first()
    if existing is not None:
        return existing
    return amazon_store_create(
        name="Demo Amazon Store",
        seller_id=DEMO_SELLER_ID,
        region=Region.NORTH_AMERICA,
        marketplace_ids=[DEMO_MARKETPLACE_ID],
        website=Website.objects.get(code="base"),
        lwa_client_id="amzn1.application-oa2-client.demo",
        # Random per installation: they only ever unlock the local simulator.
        lwa_client_secret=secrets.token_urlsafe(32),
        refresh_token=f"Atzr|demo-{secrets.token_urlsafe(48)}",
        connected_at=timezone.now() - timedelta(days=DEMO_CONNECTED_DAYS_AGO),
    )


def demo_catalog_ensure() -> None:
    existing = set(
        Product.objects.filter(sku__in=[sku for sku, _, _ in DEMO_CATALOG]).values_list(
            "sku", flat=True
        )
    )
    for sku, name, quantity in DEMO_CATALOG:
        if sku in existing:
            continue
        product_create(
            sku=sku,
            name=name,
            manage_stock=quantity is not None,
            quantity=Decimal(quantity or 0),
        )


def simulator_seed(
    *, base_url: str, store: AmazonStore, order_count: int, stream_every: float
) -> SimulatorSeed:
    """Register the store's seller (an upsert); if it is new there, create the demo orders;
    then start its stream (which replaces any stream it had)."""
    session = requests.Session()
    try:
        sellers = _simulator_call(session, "GET", f"{base_url}/_simulator/sellers")["sellers"]
        seller_was_known = any(seller["sellerId"] == store.seller_id for seller in sellers)
        _simulator_call(
            session,
            "POST",
            f"{base_url}/_simulator/sellers",
            {
                "sellerId": store.seller_id,
                "marketplaceIds": store.marketplace_ids,
                "clientId": store.lwa_client_id,
                "clientSecret": store.lwa_client_secret,
                "refreshToken": store.refresh_token,
                # Amazon lists the demo catalog's SKUs under the catalog's own names.
                "listings": {sku: name for sku, name, _ in DEMO_CATALOG},
            },
        )
        created = 0
        if not seller_was_known and order_count > 0:
            now = parse_amazon_time(
                _simulator_call(session, "GET", f"{base_url}/_simulator/clock")["now"]
            )
            for body in demo_order_bodies(
                seller_id=store.seller_id,
                count=order_count,
                connected_at=store.connected_at,
                now=now,
            ):
                _simulator_call(session, "POST", f"{base_url}/_simulator/orders", body)
                created += 1
        _simulator_call(
            session,
            "POST",
            f"{base_url}/_simulator/stream",
            {
                "sellerId": store.seller_id,
                "every": stream_every,
                "count": 1,
                "marketplace_ids": [DEMO_MARKETPLACE_ID],
                "skus": [sku for sku, _, _ in DEMO_CATALOG],
                "unknown_sku_ratio": DEMO_STREAM_UNKNOWN_SKU_RATIO,
            },
        )
    finally:
        session.close()
    return SimulatorSeed(
        seller_was_known=seller_was_known,
        generated_order_count=created,
        stream_every=stream_every,
    )


def demo_order_bodies(
    *, seller_id: str, count: int, connected_at: datetime, now: datetime
) -> list[dict]:
    """``POST /_simulator/orders`` bodies: DEMO_ORDERS in turn, created oldest first
    between the connection (or the demo window's start) and ten minutes ago, each last
    updated at least DEMO_SETTLED_BEFORE_NOW before ``now``."""
    earliest = max(connected_at, now - DEMO_ORDER_WINDOW) + timedelta(minutes=1)
    latest = now - DEMO_SETTLED_BEFORE_NOW - timedelta(minutes=7)
    settled = now - DEMO_SETTLED_BEFORE_NOW
    bodies = []
    for index in range(count):
        fulfilled_by, status, plan, lines = DEMO_ORDERS[index % len(DEMO_ORDERS)]
        created = earliest + (latest - earliest) * index / max(count - 1, 1)
        # An order past its plan's first status moved on some time after it was placed.
        updated = (
            created
            if status in ("PENDING", "PENDING_AVAILABILITY")
            else created + (settled - created) / 2
        )
        bodies.append(
            {
                "sellerId": seller_id,
                "plan": plan,
                "order": {
                    "createdTime": amazon_time(created),
                    "lastUpdatedTime": amazon_time(updated),
                    "salesChannel": {"marketplaceId": DEMO_MARKETPLACE_ID},
                    "fulfillment": {"fulfilledBy": fulfilled_by, "fulfillmentStatus": status},
                    "orderItems": [
                        {"product": {"sellerSku": sku}, "quantityOrdered": quantity}
                        for sku, quantity in lines
                    ],
                },
            }
        )
    return bodies


def amazon_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_amazon_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _simulator_call(session: requests.Session, method: str, url: str, body=None) -> dict:
    try:
        response = session.request(method, url, json=body, timeout=SIMULATOR_TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise CommandError(f"The simulator at {url} did not answer: {error}") from error
    if response.status_code >= 400:
        # The body names the problem; the request body (credentials) is never echoed.
        raise CommandError(f"{method} {url} answered {response.status_code}: {response.text}")
    return response.json()
