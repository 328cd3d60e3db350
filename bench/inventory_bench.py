"""Salable quantity and order inventory status with a million-row reservation ledger.

Creates its own database (``BENCH_DATABASE_URL``'s, dropped first), migrates it, loads
1,000,000 ledger rows for one SKU with generate_series, then times the services against
the bare SQL that computes the same numbers: once from the running total the services
read, once by summing the ledger itself. Prints medians, p95 and ratios.
"""

import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from bench import harness

# The pages benchmark (bench/pages_bench.py) takes these from here.
from bench.harness import disposable_database_name as disposable_database_name
from bench.harness import recreate_database as recreate_database

HOT_SKU = "BENCH-HOT-0001"
LEDGER_ROWS = 1_000_000
ORDER_LINES = 50
ROWS_PER_OTHER_SKU = 2_000
TARGET_MS = 5.0
TARGET_RATIO = 2.0

SALABLE_FROM_RUNNING_TOTAL = """
SELECT si.quantity + si.reservation_total - si.out_of_stock_threshold
FROM inventory_stockitem si JOIN inventory_product p ON p.id = si.product_id
WHERE si.stock_id = 1 AND p.sku = %s AND si.manage_stock
"""
SALABLE_FROM_LEDGER = """
SELECT si.quantity - si.out_of_stock_threshold + COALESCE(
    (SELECT SUM(r.quantity) FROM inventory_reservation r WHERE r.stock_id = 1 AND r.sku = %s), 0)
FROM inventory_stockitem si JOIN inventory_product p ON p.id = si.product_id
WHERE si.stock_id = 1 AND p.sku = %s AND si.manage_stock
"""
LEVELS_FROM_RUNNING_TOTAL = """
SELECT p.sku, si.manage_stock, si.is_in_stock,
       si.quantity + si.reservation_total - si.out_of_stock_threshold
FROM inventory_stockitem si JOIN inventory_product p ON p.id = si.product_id
WHERE si.stock_id = 1 AND p.sku = ANY(%s)
"""
LEVELS_FROM_LEDGER = """
SELECT p.sku, si.manage_stock, si.is_in_stock,
       si.quantity - si.out_of_stock_threshold + COALESCE(SUM(r.quantity), 0)
FROM inventory_stockitem si JOIN inventory_product p ON p.id = si.product_id
LEFT JOIN inventory_reservation r ON r.stock_id = si.stock_id AND r.sku = p.sku
WHERE si.stock_id = 1 AND p.sku = ANY(%s)
GROUP BY p.sku, si.manage_stock, si.is_in_stock, si.quantity, si.out_of_stock_threshold
"""


def load(other_skus: list[str]) -> None:
    """One hot SKU with a million rows, and 49 others with a few thousand each.

    Rows come in pairs per order (placed, then shipped or canceled) and every tenth
    order is still open, so the ledger looks like one the cleanup has not reached yet.
    The running totals are then set from the ledger, as the services would have left them.
    """
    from django.db import connection

    from inventory.services import product_create

    product_create(sku=HOT_SKU, name="Hot seller", quantity=Decimal(5_000_000))
    for index, sku in enumerate(other_skus):
        product_create(
            sku=sku, name=f"Product {sku}", quantity=Decimal(10_000), manage_stock=index % 7 != 3
        )
    with connection.cursor() as cursor:
        cursor.execute(LEDGER_INSERT, [HOT_SKU, LEDGER_ROWS])
        for sku in other_skus:
            cursor.execute(LEDGER_INSERT, [sku, ROWS_PER_OTHER_SKU])
        cursor.execute(
            """
            UPDATE inventory_stockitem si SET reservation_total = totals.total
            FROM (SELECT r.sku, SUM(r.quantity) AS total FROM inventory_reservation r
                  GROUP BY r.sku) totals, inventory_product p
            WHERE p.id = si.product_id AND p.sku = totals.sku
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE inventory_reservation")
        cursor.execute("VACUUM ANALYZE inventory_stockitem")
        cursor.execute("VACUUM ANALYZE inventory_product")


# Row n belongs to order ceil(n/2): odd rows hold 1 unit, even rows ship or cancel it,
# except every tenth order, whose second row is a second hold: still open.
LEDGER_INSERT = """
INSERT INTO inventory_reservation
    (stock_id, sku, quantity, event_type, object_type, object_id, object_increment_id,
     metadata, created_at)
SELECT 1, %s,
       CASE WHEN open THEN -1 ELSE 1 END,
       CASE WHEN open THEN 'order_placed'
            WHEN mod(n, 4) = 0 THEN 'shipment_created' ELSE 'order_canceled' END,
       'order', order_number::text, lpad(order_number::text, 9, '0'), '{}'::jsonb,
       now() - (n || ' seconds')::interval
FROM generate_series(1, %s) AS n,
     LATERAL (SELECT (n + 1) / 2 AS order_number) AS numbered,
     LATERAL (SELECT mod(n, 2) = 1 OR mod(order_number, 10) = 0 AS open) AS kind
"""


def timed(calls: list[Callable[[], object]], runs: int) -> list[list[float]]:
    """Samples of each call, taken round-robin so all of them meet the same machine load."""
    for _ in range(min(50, runs)):
        for call in calls:
            call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for call, taken in zip(calls, samples, strict=True):
            start = time.perf_counter_ns()
            call()
            taken.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def figures(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def report(title: str, service: list[float], bare: list[float], ledger: list[float]) -> dict:
    """Service and bare running-total SQL are sampled together; the slow ledger sum apart."""
    service_median = figures(service)[0]
    ratio = service_median / figures(bare)[0]
    ok = service_median < TARGET_MS and ratio <= TARGET_RATIO
    print(f"\n{title}")
    print(f"  {'':44} {'median ms':>10} {'p95 ms':>10}")
    for label, samples in (
        ("service", service),
        ("bare SQL on the running total (same number)", bare),
        ("bare SQL summing the ledger (same number)", ledger),
    ):
        median, p95 = figures(samples)
        print(f"  {label:44} {median:10.3f} {p95:10.3f}")
    print(f"  ratio service / bare SQL on the running total: {ratio:.2f}x")
    versus_ledger = service_median / figures(ledger)[0]
    print(f"  ratio service / bare SQL summing the ledger:   {versus_ledger:.4f}x")
    verdict = "MET" if ok else "MISSED"
    print(f"  target: median < {TARGET_MS} ms and <= {TARGET_RATIO}x the bare SQL: {verdict}")
    return {
        "title": title,
        "service_ms": [round(value, 4) for value in figures(service)],
        "bare_ms": [round(value, 4) for value in figures(bare)],
        "ledger_ms": [round(value, 3) for value in figures(ledger)],
        "ratio": round(ratio, 2),
        "met": ok,
    }


def add_arguments(group) -> None:
    group.add_argument(
        "--inventory-runs", type=int, default=None, help="timed runs per figure (2000; quick 200)"
    )
    group.add_argument(
        "--inventory-keep", action="store_true", help="reuse an already loaded database"
    )


def run(options) -> dict:
    runs = options.inventory_runs or (200 if options.quick else 2000)
    url = harness.database_url("inventory")
    harness.disposable_database_name(url)
    other_skus = [f"BENCH-{index:04d}" for index in range(2, ORDER_LINES + 1)]

    started = time.perf_counter()
    if not options.inventory_keep:
        harness.recreate_database(url)
    harness.django_setup(url)
    from django.core.management import call_command
    from django.db import connection

    from inventory.models import Reservation
    from inventory.selectors import inventory_status_for_lines, salable_quantity

    if not options.inventory_keep:
        call_command("migrate", verbosity=0)
        load(other_skus)
    rows = Reservation.objects.filter(sku=HOT_SKU).count()
    print(
        f"Database {connection.settings_dict['NAME']}: {rows:,} ledger rows for {HOT_SKU}, "
        f"{Reservation.objects.count():,} in all (ready in {time.perf_counter() - started:.1f} s)"
    )

    connection.ensure_connection()
    raw = connection.connection.cursor()

    def bare(query: str, params: list) -> Callable[[], list]:
        def run() -> list:
            raw.execute(query, params)
            return raw.fetchall()

        return run

    service_value = salable_quantity(sku=HOT_SKU)
    [(bare_value,)] = bare(SALABLE_FROM_RUNNING_TOTAL, [HOT_SKU])()
    [(ledger_value,)] = bare(SALABLE_FROM_LEDGER, [HOT_SKU, HOT_SKU])()
    print(
        f"Salable quantity of {HOT_SKU}: service {service_value}, bare running total "
        f"{bare_value}, bare ledger sum {ledger_value}: "
        f"{'consistent' if service_value == bare_value == ledger_value else 'INCONSISTENT'}"
    )
    salable_ok = report(
        f"Salable quantity of one SKU with {rows:,} ledger rows ({runs} runs)",
        *timed(
            [lambda: salable_quantity(sku=HOT_SKU), bare(SALABLE_FROM_RUNNING_TOTAL, [HOT_SKU])],
            runs,
        ),
        *timed([bare(SALABLE_FROM_LEDGER, [HOT_SKU, HOT_SKU])], max(20, runs // 100)),
    )

    skus = [HOT_SKU, *other_skus]
    lines = [(sku, 1) for sku in skus]
    by_service = {line.sku: line.salable for line in inventory_status_for_lines(lines=lines)}
    by_ledger = {
        sku: (salable if managed else None)
        for sku, managed, _, salable in bare(LEVELS_FROM_LEDGER, [skus])()
    }
    print(
        f"\nStatus of a {len(lines)}-line order: "
        f"{'consistent' if by_service == by_ledger else 'INCONSISTENT'} with the ledger"
    )
    status_ok = report(
        f"Inventory status of a {len(lines)}-line order ({runs} runs)",
        *timed(
            [
                lambda: inventory_status_for_lines(lines=lines),
                bare(LEVELS_FROM_RUNNING_TOTAL, [skus]),
            ],
            runs,
        ),
        *timed([bare(LEVELS_FROM_LEDGER, [skus])], max(20, runs // 100)),
    )
    return {
        "ledger_rows": rows,
        "salable": salable_ok,
        "order_status": status_ok,
        "figures": [
            {
                "name": f"salable quantity, {rows:,} ledger rows: median",
                "value": salable_ok["service_ms"][0],
                "unit": "ms",
                "target": f"< {TARGET_MS:g}",
                "met": salable_ok["service_ms"][0] < TARGET_MS,
            },
            {
                "name": "salable quantity / bare SQL",
                "value": salable_ok["ratio"],
                "unit": "x",
                "target": f"<= {TARGET_RATIO:g}",
                "met": salable_ok["ratio"] <= TARGET_RATIO,
            },
            {
                "name": f"{len(lines)}-line order status: median",
                "value": status_ok["service_ms"][0],
                "unit": "ms",
                "target": f"< {TARGET_MS:g}",
                "met": status_ok["service_ms"][0] < TARGET_MS,
            },
            {
                "name": f"{len(lines)}-line order status / bare SQL",
                "value": status_ok["ratio"],
                "unit": "x",
                "target": f"<= {TARGET_RATIO:g}",
                "met": status_ok["ratio"] <= TARGET_RATIO,
            },
        ],
    }


def chart(result: dict, path) -> None:
    from bench.charts import pyplot, save

    plt = pyplot()
    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    for axis, key in zip(axes, ("salable", "order_status"), strict=True):
        part = result[key]
        labels = ["service", "bare SQL\n(running total)", "bare SQL\n(summing the ledger)"]
        medians = [part["service_ms"][0], part["bare_ms"][0], part["ledger_ms"][0]]
        axis.bar(labels, medians, color=["#3b7dd8", "#7aa6e8", "#cccccc"])
        axis.set_yscale("log")
        axis.set_ylabel("median ms (log)")
        axis.axhline(TARGET_MS, color="#d83b3b", linewidth=1, label=f"target {TARGET_MS:g} ms")
        axis.set_title(f"{part['title']}\nratio {part['ratio']}x", fontsize=9)
        axis.legend(fontsize=8)
    save(figure, path, f"Inventory reads with {result['ledger_rows']:,} ledger rows")
