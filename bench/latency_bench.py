"""Latency: from an order turning Unshipped on Amazon to its Commerce order existing.

The simulator runs in real time with Amazon's usage plans; Celery beat polls at the
default interval (``SP_API_POLL_INTERVAL_SECONDS``, 120 s) with one worker. FBM orders
wait Pending; over the run each is set Unshipped at a random moment (the simulator
stamps it updated then), and its latency is its Commerce order's ``created_at`` minus
that moment. An order updated at t is only served once t is older than the poll's lag
(``SP_API_UPDATED_BEFORE_LAG_SECONDS``, 150 s: Amazon's two minutes plus clock skew),
and then waits for the next beat tick: Amazon's bound is interval + 120 s.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import harness

AMAZON_WINDOW_SECONDS = 120
ORDERS = 60


def add_arguments(group) -> None:
    group.add_argument(
        "--latency-seconds",
        type=float,
        default=None,
        help="how long the run lasts (600; quick 330): orders turn Unshipped during all "
        "but the last interval + lag + 30 s",
    )


def run(options) -> dict:
    from django.conf import settings

    duration = options.latency_seconds or (330.0 if options.quick else 600.0)
    url = harness.database_url("latency")
    harness.recreate_database(url)
    harness.django_setup(url)
    harness.migrate()
    interval = float(settings.SP_API_POLL_INTERVAL_SECONDS)
    lag = float(max(settings.SP_API_UPDATED_BEFORE_LAG_SECONDS, AMAZON_WINDOW_SECONDS))
    spread = max(10.0, duration - interval - lag - 30)
    amazon_bound = interval + AMAZON_WINDOW_SECONDS
    configured_bound = interval + lag
    print(
        f"  poll interval {interval:g} s, lag {lag:g} s: Amazon's bound {amazon_bound:g} s, "
        f"with the configured lag {configured_bound:g} s; {ORDERS} orders turn Unshipped over "
        f"{spread:.0f} s",
        flush=True,
    )
    harness.catalog_and_store_create(connected_at=harness.connected_long_ago())
    harness.redis_flush()
    from django.db import connection

    log_folder = harness.REPOSITORY_ROOT / "var" / "bench" / "logs"
    with harness.Simulator("--seed", "13") as simulator:
        simulator.register_seller()
        hour_ago = datetime.now(UTC) - timedelta(hours=1)
        order_ids = simulator.generate(
            ORDERS,
            seed=5,
            fba_ratio=0.0,
            status="PENDING",
            lifecycle=False,
            skus=harness.catalog_skus(),
            unknown_sku_ratio=0.0,
            created_before=hour_ago.strftime("%Y-%m-%dT%H:%M:%SZ"),
            created_after=(hour_ago - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        env = harness.worker_env(database=url, simulator=simulator, rate_scale=1)
        with harness.Workers(1, env=env, log_folder=log_folder, beat=True):
            started = time.monotonic()
            draw = random.Random(3)
            moments = sorted(draw.uniform(0, spread) for _ in order_ids)
            flipped: dict[str, datetime] = {}
            for order_id, moment in zip(order_ids, moments, strict=True):
                time.sleep(max(0.0, started + moment - time.monotonic()))
                flipped[order_id] = datetime.now(UTC)
                simulator.call("POST", f"orders/{order_id}/status", {"status": "UNSHIPPED"})
            remaining = duration - (time.monotonic() - started)
            with harness.Heartbeat(lambda: f"{_created(connection)} of {ORDERS} created", 30):
                harness.wait_until(
                    lambda: _created(connection) >= ORDERS,
                    timeout=max(remaining, configured_bound + 60),
                    every=1,
                )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.amazon_order_id, o.created_at FROM importer_amazonorder a "
            "JOIN commerce_order o ON o.id = a.commerce_order_id"
        )
        created = dict(cursor.fetchall())
    latencies = sorted((created[o] - flipped[o]).total_seconds() for o in flipped if o in created)
    missing = len(flipped) - len(latencies)
    p50 = harness.percentile(latencies, 0.5)
    p95 = harness.percentile(latencies, 0.95)
    print(
        f"  {len(latencies)} orders: p50 {p50:.1f} s, p95 {p95:.1f} s, "
        f"max {max(latencies, default=float('nan')):.1f} s"
        f" (Amazon's bound {amazon_bound:g} s; configured {configured_bound:g} s); "
        f"missing {missing}",
        flush=True,
    )
    return {
        "orders": len(flipped),
        "duration_seconds": duration,
        "spread_seconds": round(spread, 1),
        "poll_interval_seconds": interval,
        "lag_seconds": lag,
        "amazon_bound_seconds": amazon_bound,
        "configured_bound_seconds": configured_bound,
        "p50_seconds": round(p50, 1),
        "p95_seconds": round(p95, 1),
        "max_seconds": round(max(latencies, default=float("nan")), 1),
        "missing": missing,
        "latencies": [round(value, 2) for value in latencies],
        "figures": [
            {
                "name": "latency p50, Unshipped -> Commerce order",
                "value": round(p50, 1),
                "unit": "s",
                "target": f"(bound {amazon_bound:g} s)",
                "met": None,
            },
            {
                "name": "latency p95, Unshipped -> Commerce order",
                "value": round(p95, 1),
                "unit": "s",
                "target": f"<= {amazon_bound:g} (interval + 120)",
                "met": p95 <= amazon_bound and not missing,
            },
        ],
    }


def _created(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM commerce_order")
        return cursor.fetchone()[0]


def chart(result: dict, path: Path) -> None:
    from bench.charts import pyplot, save

    plt = pyplot()
    figure, axis = plt.subplots(figsize=(8, 4.2))
    axis.hist(result["latencies"], bins=20, color="#3b7dd8")
    for value, label, style in (
        (result["p50_seconds"], "p50", "-"),
        (result["p95_seconds"], "p95", "-."),
        (result["amazon_bound_seconds"], "interval + Amazon's 120 s", "--"),
        (result["configured_bound_seconds"], "interval + configured lag", ":"),
    ):
        axis.axvline(value, color="k", linestyle=style, linewidth=1, label=f"{label}: {value:g} s")
    axis.set_xlabel("seconds from Unshipped on Amazon to the Commerce order")
    axis.set_ylabel("orders")
    axis.legend(fontsize=8)
    save(
        figure,
        path,
        f"Latency at a {result['poll_interval_seconds']:g} s poll interval",
        f"{result['orders']} orders over {result['spread_seconds']:g} s",
    )
