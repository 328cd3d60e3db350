"""What the pipeline benchmarks share: a disposable database, the simulator as a subprocess,
Celery workers on a queue of their own, and a store with a catalog to import into.

Every resource is the benchmark's own: databases whose name says "bench" (dropped and
made again), the Redis database ``BENCH_REDIS_URL`` names (db 10 by default, emptied),
simulator processes on free loopback ports, and Celery queues named for the run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse
from urllib.request import Request, urlopen

import psycopg2
from psycopg2 import sql

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/amazon_orders_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
# A seller of its own per run: the rate-limit buckets in Redis are keyed by seller, and a
# benchmark must never inherit another run's tokens (or the rate its simulator announced).
SELLER_ID = f"A2BENCH{uuid.uuid4().hex[:8].upper()}"
MARKETPLACE_ID = "ATVPDKIKX0DER"
CREDENTIALS = {
    "clientId": "amzn1.application-oa2-client.bench",
    "clientSecret": "bench-client-secret",
    "refreshToken": f"Atzr|bench-refresh-token-{SELLER_ID}",
}
CATALOG_SIZE = 500
CATALOG_QUANTITY = Decimal(1_000_000)


def database_url(suffix: str = "") -> str:
    """The benchmark database's URL, ``_suffix`` appended to its name."""
    base = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    parsed = urlparse(base)
    name = parsed.path.lstrip("/") + (f"_{suffix}" if suffix else "")
    return urlunparse(parsed._replace(path=f"/{name}"))


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS_URL


def disposable_database_name(url: str) -> str:
    """The database's name, if it is one a benchmark may drop: its name says "bench"."""
    name = urlparse(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to drop database {name!r}: a benchmark only recreates a database "
            "whose name contains 'bench' (set BENCH_DATABASE_URL)."
        )
    return name


def admin_connection(url: str):
    parsed = urlparse(url)
    connection = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def recreate_database(url: str, *, template: str | None = None) -> None:
    """Drop the database (closing whatever is connected to it) and create it again."""
    name = disposable_database_name(url)
    if template is not None:
        disposable_database_name(f"/{template}")
    admin = admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if template is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        else:
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
    admin.close()


def drop_database(url: str) -> None:
    name = disposable_database_name(url)
    admin = admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    admin.close()


def django_setup(url: str) -> None:
    """Point this process's Django at the benchmark database (once, before anything else)."""
    if not url.startswith("postgres"):
        raise SystemExit("The benchmarks need a PostgreSQL database.")
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_URL"] = redis_url()
    os.environ["CELERY_BROKER_URL"] = redis_url()
    os.environ.setdefault("VAR_DIR", str(REPOSITORY_ROOT / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amazon_orders.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    call_command("migrate", verbosity=0)


def redis_flush() -> None:
    """Empty the benchmark's own Redis database (queues and rate-limit buckets)."""
    import redis

    redis.Redis.from_url(redis_url()).flushdb()


# --- The simulator ---------------------------------------------------------------------


class Simulator:
    """``python -m simulator`` on a free loopback port, and its control API."""

    LISTENING = "Simulator listening on "

    def __init__(self, *arguments: str):
        self.arguments = arguments
        self.process: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> Simulator:
        self.process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "simulator", "--port", "0", *self.arguments],
            cwd=REPOSITORY_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith(self.LISTENING):
            self.__exit__()
            raise RuntimeError(f"The simulator did not start: {line!r}")
        self.url = line.removeprefix(self.LISTENING)
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def call(self, method: str, path: str, body: dict | None = None):
        request = Request(  # noqa: S310 - our own loopback simulator
            f"{self.url}/_simulator/{path}",
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urlopen(request, timeout=600) as response:  # noqa: S310
            return json.loads(response.read())

    def register_seller(self) -> None:
        self.call(
            "POST",
            "sellers",
            {"sellerId": SELLER_ID, "marketplaceIds": [MARKETPLACE_ID], **CREDENTIALS},
        )

    def generate(self, count: int, **knobs) -> list[str]:
        order_ids: list[str] = []
        while count > 0:
            batch = min(count, 50_000)
            body = {"sellerId": SELLER_ID, "count": batch, **knobs}
            order_ids += self.call("POST", "generate", body)["orderIds"]
            count -= batch
            if "seed" in knobs:
                knobs = {**knobs, "seed": knobs["seed"] + 1}
        return order_ids

    def stats(self) -> dict:
        return self.call("GET", "stats")


@dataclass(frozen=True)
class Mix:
    """One slice of the generated orders: its share, and the generator's knobs for it."""

    label: str
    share: float
    knobs: dict


# Most orders create a Commerce order (FBM Unshipped and Shipped, FBA Shipped); some wait
# (Pending) or are canceled. Catalog SKUs with plenty of stock, 5 % unknown SKUs.
IMPORT_MIX = (
    Mix("FBM Unshipped", 0.35, {"fba_ratio": 0.0, "status": "UNSHIPPED"}),
    Mix("FBM Shipped", 0.15, {"fba_ratio": 0.0, "status": "SHIPPED"}),
    Mix("FBA Shipped", 0.30, {"fba_ratio": 1.0, "status": "SHIPPED"}),
    Mix("Pending (FBM and FBA)", 0.10, {"fba_ratio": 0.5, "status": "PENDING"}),
    Mix("Canceled (FBM and FBA)", 0.10, {"fba_ratio": 0.5, "status": "CANCELLED"}),
)


def catalog_skus() -> list[str]:
    return [f"BENCH-SKU-{index:04d}" for index in range(CATALOG_SIZE)]


def generate_mix(simulator: Simulator, count: int, *, mix=IMPORT_MIX, seed: int = 1) -> dict:
    """Generate ``count`` orders in the mix's shares; how many of each slice."""
    made = {}
    left = count
    for index, part in enumerate(mix):
        share = left if index == len(mix) - 1 else round(count * part.share)
        left -= share
        simulator.generate(
            share,
            seed=seed + index * 1000,
            skus=catalog_skus(),
            unknown_sku_ratio=0.05,
            lifecycle=False,
            **part.knobs,
        )
        made[part.label] = share
    return made


def catalog_and_store_create(*, connected_at: datetime) -> int:
    """The catalog's products with plenty of stock, and the Amazon store; the store's id."""
    from django.db import connection, transaction

    from commerce.models import Website
    from inventory.models import DEFAULT_STOCK_ID
    from inventory.services import product_create, stock_ensure
    from settings_app.services import amazon_store_create

    stock_ensure()
    with transaction.atomic():
        for sku in catalog_skus():
            product_create(sku=sku, name=f"Product {sku}")
        with connection.cursor() as cursor:
            # One UPDATE rather than 500 audited adjustments: setup, not the benchmark.
            cursor.execute(
                "UPDATE inventory_stockitem SET quantity = %s WHERE stock_id = %s",
                [CATALOG_QUANTITY, DEFAULT_STOCK_ID],
            )
        store = amazon_store_create(
            name="Bench store",
            seller_id=SELLER_ID,
            region="na",
            marketplace_ids=[MARKETPLACE_ID],
            website=Website.objects.get(code="base"),
            lwa_client_id=CREDENTIALS["clientId"],
            lwa_client_secret=CREDENTIALS["clientSecret"],
            refresh_token=CREDENTIALS["refreshToken"],
            connected_at=connected_at,
        )
    return store.pk


def connected_long_ago() -> datetime:
    """Before every generated order (the generator creates them up to two days back)."""
    return datetime.now(UTC) - timedelta(days=3)


# --- Celery workers --------------------------------------------------------------------


class Workers:
    """``celery worker`` processes (solo pool) on one queue of this run."""

    def __init__(self, count: int, *, env: dict, log_folder: Path, beat: bool = False):
        self.count = count
        self.queue = f"bench-{uuid.uuid4().hex[:10]}"
        self.env = {
            **os.environ,
            **env,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "PYTHONUNBUFFERED": "1",
        }
        self.log_folder = log_folder
        self.beat = beat
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def __enter__(self) -> Workers:
        self.log_folder.mkdir(parents=True, exist_ok=True)
        for index in range(self.count):
            log = self.log_folder / f"{self.queue}-worker{index + 1}.log"
            self.logs.append(log)
            self.processes.append(
                self._start(
                    [
                        "worker",
                        "--pool=solo",
                        "--loglevel=WARNING",
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                        "-Q",
                        self.queue,
                        "-n",
                        f"bench{index + 1}-{self.queue}@%h",
                    ],
                    log,
                )
            )
        if self.beat:
            log = self.log_folder / f"{self.queue}-beat.log"
            schedule = self.log_folder / f"{self.queue}-beat-schedule"
            self.processes.append(
                self._start(
                    [
                        "beat",
                        "--loglevel=INFO",
                        "--scheduler=celery.beat:PersistentScheduler",
                        f"--schedule={schedule}",
                    ],
                    log,
                )
            )
        self._wait_ready()
        return self

    def _start(self, arguments: list[str], log: Path) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 - our own project, fixed arguments
            [sys.executable, "-m", "celery", "-A", "amazon_orders", *arguments],
            cwd=REPOSITORY_ROOT,
            env=self.env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def _wait_ready(self) -> None:
        from celery import current_app as app

        deadline = time.monotonic() + 60
        names = {f"bench{index + 1}-{self.queue}" for index in range(self.count)}
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"A Celery process exited at start; see {self.log_folder}")
            replies = app.control.ping(timeout=0.5) or []
            answered = {name.split("@")[0] for reply in replies for name in reply}
            if names <= answered:
                return
        raise RuntimeError(f"The Celery workers did not get ready; see {self.log_folder}")

    def send(self, task: str, *args) -> None:
        from celery import current_app as app

        app.send_task(task, args=args, queue=self.queue)

    def __exit__(self, *exc_info) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def worker_env(*, database: str, simulator: Simulator, rate_scale: float, **extra) -> dict:
    return {
        "DATABASE_URL": database,
        "REDIS_URL": redis_url(),
        "CELERY_BROKER_URL": redis_url(),
        "SP_API_ENDPOINT": simulator.url,
        "LWA_TOKEN_URL": f"{simulator.url}/auth/o2/token",
        "SP_API_RATE_SCALE": repr(float(rate_scale)),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        **{key: str(value) for key, value in extra.items()},
    }


def wait_until(condition: Callable[[], bool], *, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def percentile(values: Iterable[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


class Heartbeat:
    """Prints a line every ``every`` seconds while a long wait runs, so a run shows life."""

    def __init__(self, describe: Callable[[], str], every: float = 15.0):
        self.describe = describe
        self.every = every
        self._stop = threading.Event()

    def __enter__(self) -> Heartbeat:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            print(f"    … {self.describe()}", flush=True)

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
