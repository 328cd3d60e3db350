"""``manage.py demo_merchant``: a merchant to log in as, a store to look at, orders to import.

Idempotent: a second run finds the user, the store, the grant and the catalog it made
before (and resets the demo password, so the printed login always works). With
``SIMULATOR_URL`` set, the store's seller is registered in the local Amazon simulator with
the store's own credentials, and demo orders are generated the first time the simulator
sees that seller.
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
# connected a week back and the generated orders fall after that moment.
DEMO_CONNECTED_DAYS_AGO = 7
DEMO_ORDER_WINDOW = timedelta(days=2)
# sku, name, quantity (None: stock not managed). One SKU is short, so some orders block.
DEMO_CATALOG = [
    ("DEMO-KETTLE", "Electric Kettle 1.7 l", 50),
    ("DEMO-MUG", "Stoneware Mug", 200),
    ("DEMO-TEAPOT", "Glass Teapot", 1),
    ("DEMO-TEA-GIFT", "Tea Gift Card", None),
]
SIMULATOR_TIMEOUT_SECONDS = 30
DEMO_GROUPS = ("Inventory managers", "Commerce administrators")


@dataclass(frozen=True)
class SimulatorSeed:
    seller_was_known: bool
    generated_order_count: int


class Command(BaseCommand):
    help = (
        "Create the demo merchant (idempotent): user 'demo', manager of a demo Amazon store "
        "with a small catalog. With SIMULATOR_URL set, register the store's seller in the "
        "simulator and generate demo orders."
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
            help="Demo orders to generate when the simulator first sees the seller (default 25).",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Seed of the generated orders (default 2026)."
        )

    def handle(self, *args, url, orders, seed, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD
        user = demo_user_ensure(password=password)
        store = demo_store_ensure()
        store_access_grant(user=user, store=store, role=StoreRole.MANAGER)
        demo_catalog_ensure()

        simulator_url = os.environ.get("SIMULATOR_URL", "").rstrip("/")
        seed_result = None
        if simulator_url:
            seed_result = simulator_seed(
                base_url=simulator_url, store=store, order_count=orders, seed=seed
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
        elif seed_result.seller_was_known:
            self.stdout.write(
                f"  Simulator: seller {store.seller_id} refreshed at {simulator_url}; "
                "it already has its demo orders."
            )
        else:
            self.stdout.write(
                f"  Simulator: seller {store.seller_id} registered at {simulator_url}; "
                f"{seed_result.generated_order_count} demo orders generated."
            )


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
    *, base_url: str, store: AmazonStore, order_count: int, seed: int
) -> SimulatorSeed:
    """Register the store's seller (an upsert) and, if it is new there, generate orders."""
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
            },
        )
        generated = []
        if not seller_was_known and order_count > 0:
            now = datetime.now(UTC)
            created_after = max(store.connected_at, now - DEMO_ORDER_WINDOW)
            generated = _simulator_call(
                session,
                "POST",
                f"{base_url}/_simulator/generate",
                {
                    "sellerId": store.seller_id,
                    "count": order_count,
                    "seed": seed,
                    "skus": [sku for sku, _, _ in DEMO_CATALOG],
                    "created_after": created_after.isoformat().replace("+00:00", "Z"),
                },
            )["orderIds"]
    finally:
        session.close()
    return SimulatorSeed(seller_was_known=seller_was_known, generated_order_count=len(generated))


def _simulator_call(session: requests.Session, method: str, url: str, body=None) -> dict:
    try:
        response = session.request(method, url, json=body, timeout=SIMULATOR_TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise CommandError(f"The simulator at {url} did not answer: {error}") from error
    if response.status_code >= 400:
        # The body names the problem; the request body (credentials) is never echoed.
        raise CommandError(f"{method} {url} answered {response.status_code}: {response.text}")
    return response.json()
