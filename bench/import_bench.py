"""Import throughput: simulated orders through the real pipeline, against plain SQL.

For each worker count: a fresh database (catalog of 500 SKUs with plenty of stock, one
Amazon store), the simulator holding the orders (rate limits off), ``N`` Celery worker
processes on a queue of this run. The span runs from sending ``importer.tasks.poll_store``
until the last order is decided (the latest ``decided_at``): the poll pages through
searchOrders, mirrors each page, and the deciders create Commerce orders, ledger rows,
shipments and decision history. The importer's buckets do not pace it: with
``SP_API_RATE_SCALE=1e6`` a searchOrders token refills in 0.2 ms.

The floor, in the same run: every row the pipeline left in the database (mirror, Commerce,
ledger, decisions) written again into a copy of the starting database with psycopg2's
``execute_values``, one transaction per 100 orders as the poll pages them, running totals
moved per batch. The ratio is span / floor.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from psycopg2.extras import Json, execute_values

from bench import harness

TARGET_ORDERS_PER_SECOND = 1000.0
TARGET_FLOOR_RATIO = 3.0
RATE_SCALE_OFF = 1_000_000
BATCH_ORDERS = 100

# What the pipeline writes, parents first, each with the joins that tell which batch of
# 100 Amazon orders (in id order, ``bench_batch``) a row belongs to. Rows of no order
# (placeholders, customers, poll runs) go in the first batch.
BY_COMMERCE_ORDER = "LEFT JOIN bench_batch b ON b.commerce_order_id = t.order_id"
BATCHED_TABLES = {
    "inventory_product": ("", "NULL"),
    "inventory_stockitem": ("", "NULL"),
    "commerce_customer": ("", "NULL"),
    "importer_pollrun": ("", "NULL"),
    "commerce_order": ("LEFT JOIN bench_batch b ON b.commerce_order_id = t.id", "b.batch"),
    "importer_amazonorder": ("LEFT JOIN bench_batch b ON b.id = t.id", "b.batch"),
    "importer_amazonorderitem": ("LEFT JOIN bench_batch b ON b.id = t.order_id", "b.batch"),
    "importer_amazonorderstatushistory": (
        "LEFT JOIN bench_batch b ON b.id = t.order_id",
        "b.batch",
    ),
    "importer_amazonorderdecision": ("LEFT JOIN bench_batch b ON b.id = t.order_id", "b.batch"),
    "commerce_orderitem": (BY_COMMERCE_ORDER, "b.batch"),
    "commerce_orderstatushistory": (BY_COMMERCE_ORDER, "b.batch"),
    "commerce_shipment": (BY_COMMERCE_ORDER, "b.batch"),
    "commerce_shipmentitem": (
        "LEFT JOIN commerce_shipment s ON s.id = t.shipment_id "
        "LEFT JOIN bench_batch b ON b.commerce_order_id = s.order_id",
        "b.batch",
    ),
    "inventory_reservation": (
        "LEFT JOIN bench_batch pending ON t.object_type = 'amazon_order' AND pending.id = "
        "CASE WHEN t.object_type = 'amazon_order' THEN t.object_id::bigint END "
        "LEFT JOIN bench_batch placed ON t.object_type = 'order' AND placed.commerce_order_id = "
        "CASE WHEN t.object_type = 'order' THEN t.object_id::bigint END",
        "coalesce(pending.batch, placed.batch)",
    ),
    "inventory_stockadjustment": (
        "",
        "((row_number() OVER (ORDER BY t.id) - 1) * (SELECT max(batch) + 1 FROM bench_batch) "
        "/ (SELECT count(*) FROM inventory_stockadjustment))",
    ),
}
BATCHES_TABLE = """
CREATE TEMPORARY TABLE bench_batch AS
SELECT id, commerce_order_id, (row_number() OVER (ORDER BY id) - 1) / 100 AS batch
FROM importer_amazonorder;
CREATE INDEX ON bench_batch (id);
CREATE INDEX ON bench_batch (commerce_order_id);
ANALYZE bench_batch;
"""


def run_rounds(*, orders: int, worker_counts: list[int], log_folder: Path) -> dict:
    url = harness.database_url("import")
    floor_url = harness.database_url("import_floor")
    harness.django_setup(url)
    rounds = []
    with harness.Simulator("--no-rate-limits", "--seed", "7") as simulator:
        simulator.register_seller()
        started = time.perf_counter()
        mix = harness.generate_mix(simulator, orders)
        print(f"  simulator: {orders:,} orders generated in {time.perf_counter() - started:.1f} s")
        for count in worker_counts:
            rounds.append(
                _round(
                    simulator=simulator,
                    workers=count,
                    orders=orders,
                    url=url,
                    floor_url=floor_url,
                    log_folder=log_folder,
                )
            )
    harness.drop_database(floor_url)
    one = next((r for r in rounds if r["workers"] == 1), rounds[0])
    scaling = {
        str(r["workers"]): round(r["orders_per_second"] / one["orders_per_second"], 2)
        for r in rounds
    }
    return {
        "orders": orders,
        "mix": mix,
        "rounds": rounds,
        "scaling_vs_one_worker": scaling,
        "figures": [
            {
                "name": "import throughput, 1 worker",
                "value": one["orders_per_second"],
                "unit": "orders/s",
                "target": f">= {TARGET_ORDERS_PER_SECOND:,.0f}",
                "met": one["orders_per_second"] >= TARGET_ORDERS_PER_SECOND,
            },
            {
                "name": "import span / plain-SQL floor, 1 worker",
                "value": one["floor_ratio"],
                "unit": "x",
                "target": f"<= {TARGET_FLOOR_RATIO:g}",
                "met": one["floor_ratio"] <= TARGET_FLOOR_RATIO,
            },
            *(
                {
                    "name": f"import throughput, {r['workers']} workers",
                    "value": r["orders_per_second"],
                    "unit": "orders/s",
                    "target": f"(x{scaling[str(r['workers'])]} of 1 worker)",
                    "met": None,
                }
                for r in rounds
                if r is not one
            ),
        ],
    }


def _round(
    *, simulator: harness.Simulator, workers: int, orders: int, url, floor_url, log_folder
) -> dict:
    from django.db import connection

    print(f"  {workers} worker(s): fresh database, catalog and store …", flush=True)
    connection.close()
    harness.recreate_database(url)
    harness.migrate()
    store_id = harness.catalog_and_store_create(connected_at=harness.connected_long_ago())
    connection.close()
    harness.recreate_database(floor_url, template=harness.disposable_database_name(url))
    harness.redis_flush()
    env = harness.worker_env(database=url, simulator=simulator, rate_scale=RATE_SCALE_OFF)
    with harness.Workers(workers, env=env, log_folder=log_folder) as pool:
        sent_at = datetime.now(UTC)
        started = time.perf_counter()
        pool.send("importer.tasks.poll_store", store_id)
        done = harness.wait_until(lambda: _decided(connection) >= orders, timeout=1800, every=0.25)
        waited = time.perf_counter() - started
    if not done:
        raise RuntimeError(f"Only {_decided(connection):,} of {orders:,} orders decided.")
    timings = _timings(connection, sent_at)
    outcome = _outcome(connection)
    floor = _floor(source=connection, floor_url=floor_url)
    span = timings["span_seconds"]
    result = {
        "workers": workers,
        "span_seconds": round(span, 2),
        "observed_seconds": round(waited, 2),
        "orders_per_second": round(orders / span, 1),
        "poll_seconds": timings["poll_seconds"],
        "poll_runs": timings["poll_runs"],
        "decide_after_poll_seconds": round(span - timings["poll_end_seconds"], 2),
        "floor_seconds": round(floor["seconds"], 2),
        "floor_rows": floor["rows"],
        "floor_orders_per_second": round(orders / floor["seconds"], 1),
        "floor_ratio": round(span / floor["seconds"], 2),
        "outcome": outcome,
    }
    print(
        f"    span {span:.1f} s = {result['orders_per_second']:,.0f} orders/s "
        f"(poll+mirror {timings['poll_seconds']:.1f} s in {timings['poll_runs']} poll runs, "
        f"decide after the last page {result['decide_after_poll_seconds']:.1f} s); "
        f"floor {floor['seconds']:.1f} s for {floor['rows']:,} rows; "
        f"ratio {result['floor_ratio']:.2f}x",
        flush=True,
    )
    print(f"    decisions: {outcome['decisions']}; Commerce orders {outcome['commerce_orders']:,}")
    return result


def _decided(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM importer_amazonorder "
            "WHERE decided_revision = revision AND decision <> 'undecided'"
        )
        return cursor.fetchone()[0]


def _timings(connection, sent_at: datetime) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(decided_at) FROM importer_amazonorder")
        (last_decided,) = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), sum(extract(epoch FROM finished_at - started_at)), "
            "max(finished_at) FROM importer_pollrun WHERE outcome <> 'skipped'"
        )
        runs, busy, poll_end = cursor.fetchone()
    return {
        "span_seconds": (last_decided - sent_at).total_seconds(),
        "poll_seconds": round(float(busy or 0), 2),
        "poll_runs": runs,
        "poll_end_seconds": (poll_end - sent_at).total_seconds(),
    }


def _outcome(connection) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT decision, count(*) FROM importer_amazonorder GROUP BY 1 ORDER BY 1")
        decisions = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM commerce_order")
        (commerce_orders,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM inventory_reservation")
        (ledger_rows,) = cursor.fetchone()
    return {"decisions": decisions, "commerce_orders": commerce_orders, "ledger_rows": ledger_rows}


def _floor(*, source, floor_url: str) -> dict:
    """Write every row the pipeline wrote, batch by batch, with plain SQL; time it."""
    target = _connect(floor_url)
    existing = {}
    with target.cursor() as cursor:
        for table in BATCHED_TABLES:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            existing[table] = cursor.fetchone()[0]
    target.commit()
    plan: dict[int, list[tuple[str, list[str], list[tuple]]]] = defaultdict(list)
    rows_written = 0
    with source.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_batch")
        cursor.execute(BATCHES_TABLE)
        for table, (joins, batch_of) in BATCHED_TABLES.items():
            cursor.execute(
                f"SELECT {batch_of} AS bench_batch, t.* FROM {table} t {joins} "
                "WHERE t.id > %s ORDER BY t.id",
                [existing[table]],
            )
            columns = [column.name for column in cursor.description[1:]]
            by_batch: dict[int, list[tuple]] = defaultdict(list)
            for batch, *values in cursor.fetchall():
                by_batch[batch or 0].append(
                    tuple(Json(v) if isinstance(v, dict | list) else v for v in values)
                )
                rows_written += 1
            for batch, rows in by_batch.items():
                plan[batch].append((table, columns, rows))
        totals = _stock_moves(cursor)
    started = time.perf_counter()
    with target.cursor() as cursor:
        for batch in sorted(plan):
            for table, columns, rows in plan[batch]:
                execute_values(
                    cursor,
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s",
                    rows,
                    page_size=len(rows),
                )
            moves = totals.get(batch)
            if moves:
                execute_values(
                    cursor,
                    "UPDATE inventory_stockitem si SET reservation_total = "
                    "si.reservation_total + v.reserved, quantity = si.quantity - v.shipped "
                    "FROM (VALUES %s) AS v(sku, reserved, shipped), inventory_product p "
                    "WHERE p.id = si.product_id AND p.sku = v.sku",
                    moves,
                    template="(%s, %s::numeric, %s::numeric)",
                    page_size=len(moves),
                )
            target.commit()
    seconds = time.perf_counter() - started
    target.close()
    return {"seconds": seconds, "rows": rows_written}


def _stock_moves(cursor) -> dict[int, list[tuple]]:
    """Per batch: each SKU's ledger sum and shipped quantity, as the pipeline moved them."""
    moves: dict[int, dict[str, list]] = defaultdict(dict)
    joins, batch_of = BATCHED_TABLES["inventory_reservation"]
    cursor.execute(
        f"SELECT coalesce({batch_of}, 0), t.sku, sum(t.quantity) "
        f"FROM inventory_reservation t {joins} GROUP BY 1, 2"
    )
    for batch, sku, reserved in cursor.fetchall():
        moves[batch][sku] = [sku, reserved, 0]
    _, batch_of = BATCHED_TABLES["inventory_stockadjustment"]
    cursor.execute(
        f"""SELECT batch, sku, sum(quantity) FROM (
            SELECT coalesce({batch_of}, 0) AS batch, p.sku, t.quantity_from - t.quantity_to
                   AS quantity
            FROM inventory_stockadjustment t
            JOIN inventory_stockitem si ON si.id = t.stock_item_id
            JOIN inventory_product p ON p.id = si.product_id WHERE t.kind = 'shipment'
        ) shipped GROUP BY 1, 2"""
    )
    for batch, sku, shipped in cursor.fetchall():
        moves[batch].setdefault(sku, [sku, 0, 0])[2] = shipped
    return {batch: [tuple(v) for v in by_sku.values()] for batch, by_sku in moves.items()}


def _connect(url: str):
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.path.lstrip("/"),
    )


def add_arguments(group) -> None:
    group.add_argument(
        "--import-orders", type=int, default=None, help="orders to import (20000; quick 3000)"
    )
    group.add_argument(
        "--import-workers",
        default=None,
        help="comma-separated worker process counts (1,2,4; quick 1)",
    )


def run(options) -> dict:
    orders = options.import_orders or (3000 if options.quick else 20_000)
    workers = options.import_workers or ("1" if options.quick else "1,2,4")
    return run_rounds(
        orders=orders,
        worker_counts=[int(count) for count in workers.split(",")],
        log_folder=harness.REPOSITORY_ROOT / "var" / "bench" / "logs",
    )


def chart(result: dict, path: Path) -> None:
    from bench.charts import pyplot, save

    plt = pyplot()
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    rounds = result["rounds"]
    labels = [f"{r['workers']} worker{'s' if r['workers'] > 1 else ''}" for r in rounds]
    left.bar(labels, [r["orders_per_second"] for r in rounds], color="#3b7dd8", label="pipeline")
    left.bar(
        labels,
        [r["floor_orders_per_second"] for r in rounds],
        color="none",
        edgecolor="#333333",
        linestyle="--",
        label="plain-SQL floor",
    )
    left.axhline(TARGET_ORDERS_PER_SECOND, color="#d83b3b", linewidth=1, label="target")
    left.set_ylabel("orders / s")
    left.legend(fontsize=8)
    left.set_title("throughput", fontsize=10)
    poll = [r["poll_seconds"] for r in rounds]
    decide = [r["decide_after_poll_seconds"] for r in rounds]
    right.bar(labels, poll, color="#7aa6e8", label="poll + mirror (poll runs' busy time)")
    right.bar(labels, decide, bottom=poll, color="#e8a87a", label="decide after the last page")
    right.plot(labels, [r["span_seconds"] for r in rounds], "ko", label="span")
    right.set_ylabel("seconds")
    right.legend(fontsize=8)
    right.set_title("where the span goes", fontsize=10)
    save(
        figure,
        path,
        f"Import of {result['orders']:,} simulated orders",
        f"{result['machine']['cpus']} CPUs shared with other work; ratios measured in one run",
    )
