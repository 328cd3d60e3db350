"""The operations pages and their API with 1,000,000 Amazon orders and their Commerce orders.

Creates its own database (``BENCH_DATABASE_URL``'s, dropped first; its name must say
"bench"), migrates it, bulk-loads one store's million orders with generate_series (items,
status history, decisions, Commerce orders with their items and history), then times each
page and endpoint in-process with Django's test client, logged in as the store's manager,
and, in the same round-robin, the bare SQL those requests ran (captured once, replayed on
the raw connection). Prints median and p95, query counts and the ratio to the bare SQL.
"""

import argparse
import os
import time
from urllib.parse import urlencode

from bench.inventory_bench import disposable_database_name, figures, recreate_database, timed

ORDERS = 1_000_000
DAYS = 365
SKUS = 5_000
TARGET_P95_MS = 50.0
TARGET_RATIO = 3.0

# Order n (1..N): purchased n * span / N seconds after the start, newest last. Decisions
# cycle so every kind is present: 0-69 created (with a Commerce order), 70-79 blocked,
# 80-87 waiting, 88-92 held, 93-96 skipped, 97-99 error. Every fourth is FBA.
LOAD_COMMERCE_ORDERS = """
INSERT INTO commerce_order
    (id, increment_id, external_order_id, state, status_id, customer_is_guest, customer_email,
     customer_firstname, customer_lastname, shipping_address, currency, subtotal,
     shipping_amount, tax_amount, discount_amount, grand_total, created_at, updated_at,
     store_view_id, hold_before_state)
SELECT n, lpad(n::text, 9, '0'),
       '111-' || lpad(n::text, 7, '0') || '-' || lpad(mod(n, 9973)::text, 7, '0'),
       'new', %(pending)s, true, 'buyer' || n || '@marketplace.amazon.com', 'Buyer', n::text,
       '{"name": "Buyer", "city": "Portland", "country_code": "US"}'::jsonb, 'USD',
       42.00, 4.99, 3.10, 0, 50.09,
       %(start)s::timestamptz + (n * %(step)s) * interval '1 second' + interval '7 minutes',
       %(start)s::timestamptz + (n * %(step)s) * interval '1 second' + interval '7 minutes',
       %(view)s, ''
FROM generate_series(1, %(orders)s) AS n
WHERE mod(n, 100) < 70
"""
LOAD_COMMERCE_ITEMS = """
INSERT INTO commerce_orderitem
    (order_id, sku, name, qty_ordered, qty_shipped, qty_canceled, price, row_total,
     external_item_id)
SELECT o.id, 'BENCH-' || lpad(mod(o.id * 7 + line, %(skus)s)::text, 5, '0'), 'Product', line, 0, 0,
       10.50, 10.50 * line, o.id || '-' || line
FROM commerce_order o, generate_series(1, 2) AS line
"""
LOAD_COMMERCE_HISTORY = """
INSERT INTO commerce_orderstatushistory (order_id, state, status_id, comment, created_at)
SELECT o.id, 'new', %(pending)s, '', o.created_at FROM commerce_order o
"""
LOAD_AMAZON_ORDERS = """
INSERT INTO importer_amazonorder
    (id, store_id, amazon_order_id, status, channel, marketplace_id, purchased_at,
     amazon_updated_at, currency, total_amount, is_prime, is_business, buyer_name, buyer_email,
     buyer_company, ship_name, ship_company, ship_line1, ship_line2, ship_line3, ship_city,
     ship_district, ship_state_or_region, ship_postal_code, ship_country_code, ship_phone,
     ship_by_at, subtotal_amount, shipping_amount, tax_amount, discount_amount, content_hash,
     raw_payload, received_at, changed_at, revision, decision, decision_code, decision_reason,
     decision_details, decided_at, decided_revision, attempts, retry_at, commerce_order_id)
SELECT n, %(store)s,
       '111-' || lpad(n::text, 7, '0') || '-' || lpad(mod(n, 9973)::text, 7, '0'),
       CASE WHEN kind < 70 THEN 'unshipped' WHEN kind < 93 THEN 'pending' ELSE 'unshipped' END,
       CASE WHEN mod(n, 4) = 0 THEN 'fba' ELSE 'fbm' END, 'ATVPDKIKX0DER',
       purchased, purchased + interval '5 minutes', 'USD', 50.09, mod(n, 3) = 0, false,
       CASE WHEN mod(n, 4) = 0 THEN '' ELSE 'Buyer ' || n END,
       CASE WHEN mod(n, 4) = 0 THEN '' ELSE 'x' || n || '@marketplace.amazon.com' END, '',
       CASE WHEN mod(n, 4) = 0 THEN '' ELSE 'Buyer ' || n END, '', '7 Harbour Road', '', '',
       'Portland', '', 'ME', '04101', 'US', '', purchased + interval '2 days',
       42.00, 4.99, 3.10, 0, md5(n::text) || md5(n::text), NULL,
       purchased + interval '6 minutes', purchased + interval '6 minutes', 1,
       CASE WHEN kind < 70 THEN 'created' WHEN kind < 80 THEN 'blocked'
            WHEN kind < 88 THEN 'waiting' WHEN kind < 93 THEN 'held'
            WHEN kind < 97 THEN 'skipped' ELSE 'error' END,
       CASE WHEN kind < 70 THEN 'created' WHEN kind < 80 THEN 'out_of_stock'
            WHEN kind < 88 THEN 'pending' WHEN kind < 93 THEN 'pending_held'
            WHEN kind < 97 THEN 'import_disabled' ELSE 'failed' END,
       CASE WHEN kind < 70 THEN 'Unshipped: created, and its quantity reserved.'
            WHEN kind < 80 THEN 'Out of stock: BENCH-00001 is short by 2 (2 ordered, 0 salable).'
            WHEN kind < 88 THEN 'Pending on Amazon.'
            WHEN kind < 93 THEN 'Pending; its quantity is held.'
            WHEN kind < 97 THEN 'Import was disabled.'
            ELSE 'Placing it failed (attempt 5 of 5); retry it by hand.' END,
       CASE WHEN kind BETWEEN 70 AND 79
            THEN ('{"shortages": [{"sku": "BENCH-00001", "ordered": "2", "salable": "0", '
                  '"short": "2"}]}')::jsonb
            WHEN kind >= 97 THEN '{"error": "IntegrityError: duplicate key"}'::jsonb
            ELSE '{}'::jsonb END,
       purchased + interval '7 minutes', 1, CASE WHEN kind >= 97 THEN 5 ELSE 0 END, NULL,
       CASE WHEN kind < 70 THEN n END
FROM generate_series(1, %(orders)s) AS n,
     LATERAL (SELECT mod(n, 100) AS kind,
                     %(start)s::timestamptz + (n * %(step)s) * interval '1 second' AS purchased
             ) AS o
"""
LOAD_AMAZON_ITEMS = """
INSERT INTO importer_amazonorderitem
    (order_id, order_item_id, sku, asin, title, quantity_ordered, quantity_shipped, unit_price,
     row_total, currency)
SELECT o.id, o.id || '-' || line, 'BENCH-' || lpad(mod(o.id * 7 + line, %(skus)s)::text, 5, '0'),
       'B0BENCH' || line, 'Bench product ' || line, line, 0, 10.50, 10.50 * line, 'USD'
FROM importer_amazonorder o, generate_series(1, 2) AS line
"""
LOAD_STATUS_HISTORY = """
INSERT INTO importer_amazonorderstatushistory
    (order_id, from_status, to_status, amazon_updated_at, recorded_at)
SELECT o.id, '', o.status, o.amazon_updated_at, o.received_at FROM importer_amazonorder o
"""
LOAD_DECISIONS = """
INSERT INTO importer_amazonorderdecision
    (order_id, decision, code, reason, details, settings_used, amazon_status, revision, attempts,
     trigger, created_at, commerce_order_id)
SELECT o.id, o.decision, o.decision_code, o.decision_reason, o.decision_details,
       '{"import_enabled": true, "store_view": "default", "customer_creation": "guest",
         "order_number_source": "commerce", "pending_orders": "reserve",
         "order_status": "default", "processing_status": null}'::jsonb,
       o.status, 1, o.attempts, 'poll', o.decided_at, o.commerce_order_id
FROM importer_amazonorder o
"""


def load(*, orders: int):
    """The store, its manager, a million orders; returns (store, manager)."""
    from datetime import UTC, datetime, timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from commerce.models import OrderStatus, StoreView, Website
    from settings_app.models import Region, StoreRole
    from settings_app.services import amazon_store_create, store_access_grant

    website = Website.objects.get(code="base")
    store = amazon_store_create(
        name="Bench store",
        seller_id="ABENCH00000001",
        region=Region.NORTH_AMERICA,
        marketplace_ids=["ATVPDKIKX0DER"],
        website=website,
        lwa_client_id="amzn1.application-oa2-client.bench",
        lwa_client_secret="bench-client-secret",
        refresh_token="Atzr|bench-refresh-token",
        connected_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    manager = get_user_model().objects.create_user("bench-manager", password="bench-password-1")
    store_access_grant(user=manager, store=store, role=StoreRole.MANAGER)
    end = timezone.now() - timedelta(minutes=30)
    start = end - timedelta(days=DAYS)
    params = {
        "store": store.pk,
        "orders": orders,
        "start": start,
        "step": DAYS * 86400 / orders,
        "skus": SKUS,
        "pending": OrderStatus.objects.get(code="pending").pk,
        "view": StoreView.objects.get(code="default").pk,
    }
    steps = [
        ("Commerce orders", LOAD_COMMERCE_ORDERS),
        ("Commerce order items", LOAD_COMMERCE_ITEMS),
        ("Commerce order history", LOAD_COMMERCE_HISTORY),
        ("Amazon orders", LOAD_AMAZON_ORDERS),
        ("Amazon order items", LOAD_AMAZON_ITEMS),
        ("Amazon status history", LOAD_STATUS_HISTORY),
        ("Decisions", LOAD_DECISIONS),
    ]
    with connection.cursor() as cursor:
        for label, statement in steps:
            began = time.perf_counter()
            cursor.execute(statement, params)
            print(
                f"  loaded {label}: {cursor.rowcount:,} rows in {time.perf_counter() - began:.1f} s"
            )
        for table in ("commerce_order", "importer_amazonorder"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    return store, manager


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed runs per figure")
    parser.add_argument("--keep", action="store_true", help="reuse an already loaded database")
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--only", default="", help="measure only titles containing this text")
    options = parser.parse_args()
    failures = measure(options, os.environ["DATABASE_URL"])["failures"]
    raise SystemExit(0 if not failures else 1)


def measure(options, url: str) -> dict:
    """Load (unless ``options.keep``) and time every page; the rows measured, and misses."""
    if not url.startswith("postgres"):
        raise SystemExit("The pages benchmark needs a PostgreSQL DATABASE_URL.")
    disposable_database_name(url)
    os.environ["DATABASE_URL"] = url
    # Hundreds of timed requests a minute from one user: the API's throttle (120/minute)
    # would answer most of them 429. Measured here is the page, not the throttle.
    os.environ.setdefault("API_THROTTLE_USER_RATE", "1000000/minute")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amazon_orders.settings")
    started = time.perf_counter()
    if not options.keep:
        recreate_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from importer.models import AmazonOrder
    from settings_app.models import AmazonStore

    # No setup_test_environment(): it instruments template rendering for the test client
    # (copying every template's context), which is no part of a server's time.
    settings.ALLOWED_HOSTS = ["*"]
    if not options.keep:
        call_command("migrate", verbosity=0)
        load(orders=options.orders)
    analyze()
    store = AmazonStore.objects.get(seller_id="ABENCH00000001")
    manager = get_user_model().objects.get(username="bench-manager")
    count = AmazonOrder.objects.filter(store=store).count()
    print(
        f"Database {connection.settings_dict['NAME']}: {count:,} Amazon orders in one store "
        f"(ready in {time.perf_counter() - started:.1f} s)"
    )

    client = Client()
    client.force_login(manager)
    pages = [case for case in cases(store) if options.only.lower() in case[0].lower()]
    failures = []
    measured = []
    columns = ("queries", "median", "p95", "SQL med", "SQL p95", "ratio")
    print(f"\n{'':48} " + " ".join(f"{column:>8}" for column in columns))
    for title, url in pages:
        client.get(url)  # warm: the charts' counts are shared for a minute, as in use
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{title}: {url} answered {response.status_code}")
        statements = [query["sql"] for query in captured.captured_queries]
        raw = connection.connection.cursor()

        def bare(statements=statements, raw=raw) -> None:
            for statement in statements:
                raw.execute(statement)
                raw.fetchall()

        page_samples, sql_samples = timed([lambda url=url: client.get(url), bare], options.runs)
        page_median, page_p95 = figures(page_samples)
        sql_median, sql_p95 = figures(sql_samples)
        ratio = page_median / sql_median
        ok = page_p95 < TARGET_P95_MS and ratio <= TARGET_RATIO
        if not ok and not title.startswith("floor"):
            failures.append(title)
        measured.append(
            {
                "title": title,
                "queries": len(statements),
                "median_ms": round(page_median, 3),
                "p95_ms": round(page_p95, 3),
                "sql_median_ms": round(sql_median, 3),
                "sql_p95_ms": round(sql_p95, 3),
                "ratio": round(ratio, 2),
                "met": ok,
            }
        )
        print(
            f"{title:48} {len(statements):7d} {page_median:8.2f} {page_p95:8.2f} "
            f"{sql_median:8.2f} {sql_p95:8.2f} {ratio:5.1f}x{'' if ok else '  MISSED'}"
        )
    print(
        f"\ntarget: p95 < {TARGET_P95_MS:.0f} ms and median within {TARGET_RATIO:.0f}x the bare "
        f"SQL: {'MET' if not failures else 'MISSED by ' + ', '.join(failures)}"
    )
    return {"orders": count, "pages": measured, "failures": failures}


# --- In bin/bench's registry (bench/runner.py) -------------------------------------------


def add_arguments(group) -> None:
    group.add_argument(
        "--pages-orders", type=int, default=None, help="orders loaded (1000000; quick 100000)"
    )
    group.add_argument(
        "--pages-runs", type=int, default=None, help="timed runs per page (200; quick 30)"
    )
    group.add_argument("--pages-keep", action="store_true", help="reuse a loaded database")
    group.add_argument("--pages-only", default="", help="only titles containing this text")


def run(options) -> dict:
    from bench import harness

    measured = measure(
        argparse.Namespace(
            orders=options.pages_orders or (100_000 if options.quick else ORDERS),
            runs=options.pages_runs or (30 if options.quick else 200),
            keep=options.pages_keep,
            only=options.pages_only,
        ),
        harness.database_url("pages"),
    )
    return {
        **measured,
        "figures": [
            {
                "name": f"page {row['title']}: p95 ({row['queries']} queries)",
                "value": row["p95_ms"],
                "unit": f"ms ({row['ratio']}x SQL)",
                "target": f"< {TARGET_P95_MS:g} ms, <= {TARGET_RATIO:g}x",
                "met": None if row["title"].startswith("floor") else row["met"],
            }
            for row in measured["pages"]
        ],
    }


def chart(result: dict, path) -> None:
    from bench.charts import pyplot, save

    plt = pyplot()
    rows = result["pages"]
    figure, axis = plt.subplots(figsize=(10, 0.32 * len(rows) + 1.5))
    titles = [row["title"] for row in rows]
    axis.barh(titles, [row["p95_ms"] for row in rows], color="#c9d9f2", label="p95")
    axis.barh(titles, [row["median_ms"] for row in rows], color="#3b7dd8", label="median")
    axis.plot([row["sql_median_ms"] for row in rows], titles, "k|", label="bare SQL median")
    axis.axvline(TARGET_P95_MS, color="#d83b3b", linewidth=1, label=f"{TARGET_P95_MS:g} ms")
    axis.invert_yaxis()
    axis.set_xlabel("ms")
    axis.tick_params(axis="y", labelsize=7)
    axis.legend(fontsize=8)
    save(figure, path, f"Operations pages with {result['orders']:,} Amazon orders")


def cases(store) -> list[tuple[str, str]]:
    """(title, url) of every page and endpoint measured; positions taken from the data."""
    from base64 import b64encode

    from importer.models import AmazonOrder
    from operations.selectors import AMAZON_ORDER_KEYSET

    orders = AmazonOrder.objects.filter(store=store).order_by("-purchased_at", "-pk")
    deep = orders[orders.count() // 2]
    deep_position = AMAZON_ORDER_KEYSET.position_of(deep)
    newest = AMAZON_ORDER_KEYSET.position_of(orders.first())
    one = orders.filter(decision="created").first()
    number = one.amazon_order_id
    dashboard = f"/stores/{store.pk}/"
    api = "/api/amazon-orders/"
    # The API's cursor, as DRF writes it: base64 of its own query string.
    cursor = b64encode(urlencode({"p": deep_position}).encode()).decode()
    return [
        # The floor: what any page and endpoint of the project costs around its queries.
        ("floor: store list page (existing)", "/stores/"),
        ("floor: API order statuses (existing)", "/api/order-statuses/"),
        ("Recent Orders: first page (dashboard)", dashboard),
        ("Recent Orders: filtered (blocked)", dashboard + "?decision=blocked"),
        ("Recent Orders: search by Amazon number", dashboard + "?" + urlencode({"search": number})),
        ("Recent Orders: search by SKU", dashboard + "?search=BENCH-00042"),
        ("Recent Orders: search by buyer name", dashboard + "?search=Buyer+12345"),
        (
            "Recent Orders: deep page (halfway back)",
            dashboard + "?" + urlencode({"after": deep_position}),
        ),
        (
            "Recent Orders: the 20-second poll",
            f"/stores/{store.pk}/recent-orders/newer/?" + urlencode({"newest": newest}),
        ),
        ("Amazon order detail", f"/amazon-orders/{one.pk}/"),
        ("Commerce orders list", "/orders/"),
        ("Commerce orders list: state filter", "/orders/?state=new"),
        ("Commerce orders list: a rare state", "/orders/?state=holded"),
        ("Commerce order detail", f"/orders/{one.commerce_order_id}/"),
        ("Import health panel", f"/stores/{store.pk}/health/"),
        ("API import health", f"/api/stores/{store.pk}/health/"),
        ("API Amazon orders: first page", f"{api}?store={store.pk}"),
        ("API Amazon orders: filtered", f"{api}?store={store.pk}&decision=blocked"),
        ("API Amazon orders: search", f"{api}?" + urlencode({"store": store.pk, "search": number})),
        (
            "API Amazon orders: deep page",
            f"{api}?" + urlencode({"store": store.pk, "cursor": cursor}),
        ),
        ("API Amazon order detail", f"{api}{one.pk}/"),
        ("API Commerce orders", "/api/orders/"),
        ("API Commerce order detail", f"/api/orders/{one.commerce_order_id}/"),
    ]


if __name__ == "__main__":
    main()
