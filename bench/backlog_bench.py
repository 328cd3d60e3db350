"""Draining a backlog under Amazon's real limits.

``N`` orders wait in the simulator, which enforces the published usage plans
(searchOrders 0.0056/s burst 20, getOrder 0.5/s burst 30) at ``--time-scale S``; the
importer's buckets run at the same scale (``SP_API_RATE_SCALE=S``). One ``poll_store``
task is sent (no beat: a poll cut short must go on by itself), two worker processes
share the work. The token buckets allow no better than: the first ``burst`` pages at
once, the rest one per ``1 / (rate * S)`` seconds. The span runs from sending the poll
to the last order decided; the 429s are the simulator's own count.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import harness

SEARCH_RATE = 0.0056
SEARCH_BURST = 20
PAGE_SIZE = 100
TARGET_RATIO = 1.1
WORKERS = 2


def bound_seconds(orders: int, scale: float) -> dict:
    pages = math.ceil(orders / PAGE_SIZE)
    rate = SEARCH_RATE * scale
    return {
        "pages": pages,
        "burst": SEARCH_BURST,
        "rate_per_second": rate,
        "seconds": max(0, pages - SEARCH_BURST) / rate,
    }


def add_arguments(group) -> None:
    group.add_argument(
        "--backlog-orders", type=int, default=None, help="orders waiting (10000; quick 5000)"
    )
    group.add_argument(
        "--backlog-time-scale",
        type=float,
        default=None,
        help="the simulator's and the importer's time scale (100; quick 600)",
    )


def run(options) -> dict:
    orders = options.backlog_orders or (5000 if options.quick else 10_000)
    scale = options.backlog_time_scale or (600.0 if options.quick else 100.0)
    bound = bound_seconds(orders, scale)
    print(
        f"  bound: {bound['pages']} pages; {bound['burst']} at once, the other "
        f"{bound['pages'] - bound['burst']} at {bound['rate_per_second']:.3f}/s "
        f"(0.0056/s x {scale:g}) = {bound['seconds']:.1f} s",
        flush=True,
    )
    url = harness.database_url("backlog")
    harness.recreate_database(url)
    harness.django_setup(url)
    harness.migrate()
    store_id = harness.catalog_and_store_create(connected_at=harness.connected_long_ago())
    harness.redis_flush()
    from django.db import connection

    log_folder = harness.REPOSITORY_ROOT / "var" / "bench" / "logs"
    with harness.Simulator("--time-scale", repr(scale), "--seed", "11") as simulator:
        simulator.register_seller()
        harness.generate_mix(simulator, orders, seed=101)
        env = harness.worker_env(database=url, simulator=simulator, rate_scale=scale)
        with harness.Workers(WORKERS, env=env, log_folder=log_folder) as pool:
            series = []
            sent_at = datetime.now(UTC)
            started = time.perf_counter()
            pool.send("importer.tasks.poll_store", store_id)

            def progress() -> bool:
                mirrored, decided = _counts(connection)
                series.append((round(time.perf_counter() - started, 2), mirrored, decided))
                return decided >= orders

            with harness.Heartbeat(
                lambda: f"{series[-1][1]:,} mirrored, {series[-1][2]:,} decided"
            ):
                done = harness.wait_until(progress, timeout=bound["seconds"] * 3 + 300, every=0.5)
            stats = simulator.stats()
    if not done:
        raise RuntimeError(f"Only {series[-1][2]:,} of {orders:,} orders decided in time.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(decided_at) FROM importer_amazonorder")
        (last_decided,) = cursor.fetchone()
        cursor.execute("SELECT max(finished_at) FROM importer_pollrun")
        (last_page,) = cursor.fetchone()
        cursor.execute("SELECT outcome, count(*) FROM importer_pollrun GROUP BY 1")
        poll_runs = dict(cursor.fetchall())
    span = (last_decided - sent_at).total_seconds()
    throttled = stats["throttled"].get("searchOrders", 0)
    calls = stats["calls"].get("searchOrders", 0)
    ratio = span / bound["seconds"] if bound["seconds"] else float("inf")
    print(
        f"  span {span:.1f} s (last page stored at {(last_page - sent_at).total_seconds():.1f} s)"
        f" = {ratio:.3f}x the bound; searchOrders calls {calls}, 429s {throttled}; "
        f"poll runs {poll_runs}",
        flush=True,
    )
    return {
        "orders": orders,
        "time_scale": scale,
        "workers": WORKERS,
        "bound": bound,
        "span_seconds": round(span, 2),
        "last_page_seconds": round((last_page - sent_at).total_seconds(), 2),
        "ratio": round(ratio, 3),
        "search_orders_calls": calls,
        "throttled_429": throttled,
        "poll_runs": poll_runs,
        "series": series,
        "figures": [
            {
                "name": f"backlog of {orders:,}: span / token-bucket bound",
                "value": round(ratio, 3),
                "unit": "x",
                "target": f"<= {TARGET_RATIO:g}",
                "met": ratio <= TARGET_RATIO,
            },
            {
                "name": "backlog: 429s from the simulator",
                "value": throttled,
                "unit": "",
                "target": "0",
                "met": throttled == 0,
            },
        ],
    }


def _counts(connection) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE decided_revision = revision "
            "AND decision <> 'undecided') FROM importer_amazonorder"
        )
        return cursor.fetchone()


def chart(result: dict, path: Path) -> None:
    from bench.charts import pyplot, save

    plt = pyplot()
    figure, axis = plt.subplots(figsize=(8, 4.2))
    seconds = [point[0] for point in result["series"]]
    axis.plot(seconds, [point[1] for point in result["series"]], label="mirrored")
    axis.plot(seconds, [point[2] for point in result["series"]], label="decided")
    bound = result["bound"]
    rate_orders = bound["rate_per_second"] * PAGE_SIZE
    burst_orders = min(result["orders"], bound["burst"] * PAGE_SIZE)
    axis.plot(
        [0, 0, bound["seconds"]],
        [0, burst_orders, result["orders"]],
        "k--",
        linewidth=1,
        label=f"token-bucket bound ({rate_orders:.0f} orders/s after the burst)",
    )
    axis.axvline(bound["seconds"] * TARGET_RATIO, color="#d83b3b", linewidth=1, label="1.1x")
    axis.set_xlabel("seconds since the poll was sent")
    axis.set_ylabel("orders")
    axis.legend(fontsize=8)
    save(
        figure,
        path,
        f"Backlog of {result['orders']:,} orders at time scale {result['time_scale']:g}",
        f"span {result['span_seconds']} s = {result['ratio']}x the bound; "
        f"429s: {result['throttled_429']}",
    )
