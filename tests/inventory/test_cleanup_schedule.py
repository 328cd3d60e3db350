"""The cleanup as it runs in production: scheduled by beat, executed by a real worker."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from amazon_orders.celery import app
from inventory.models import Reservation, ReservationEvent
from inventory.selectors import salable_quantity
from inventory.services import LedgerObject, reservations_compensate, reservations_place
from inventory.tasks import reservations_cleanup
from tests.inventory.factories import ProductFactory

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_beat_schedules_the_cleanup_task():
    # given the beat schedule from the settings
    schedule = settings.CELERY_BEAT_SCHEDULE

    # when the inventory entry is looked up
    entry = schedule["inventory-reservations-cleanup"]

    # then it names the registered cleanup task and runs periodically
    app.loader.import_default_modules()
    assert entry["task"] == reservations_cleanup.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] > 0


def database_url_of_this_test_database() -> str:
    params = connection.settings_dict
    return (
        f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@"
        f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
    )


@pytest.fixture
def celery_worker_queue(transactional_db, tmp_path):
    """A real Celery worker on the test database, serving a queue of its own."""
    if connection.vendor != "postgresql":
        pytest.fail("The worker test needs PostgreSQL: set DATABASE_URL.")
    queue = f"inventory-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url_of_this_test_database()}
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "amazon_orders",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue, log_path
    finally:
        log.close()
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        connection.close()


@pytest.mark.integration
def test_a_worker_runs_the_cleanup_and_leaves_open_holds(celery_worker_queue):
    # given a canceled order and an open one, committed
    ProductFactory(sku="CUP", quantity=10)
    with transaction.atomic():
        canceled, still_open = LedgerObject("order", "1"), LedgerObject("order", "2")
        reservations_place(lines=[("CUP", 2)], obj=canceled)
        reservations_compensate(
            lines=[("CUP", 2)], obj=canceled, event=ReservationEvent.ORDER_CANCELED
        )
        reservations_place(lines=[("CUP", 3)], obj=still_open)

    # when the task is sent to the worker
    queue, worker_log = celery_worker_queue
    reservations_cleanup.apply_async(queue=queue)

    # then the canceled order's rows disappear and the open hold stays
    deadline = time.monotonic() + 60
    while Reservation.objects.filter(object_id="1").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Reservation.objects.filter(object_id="1").exists(), worker_log.read_text()
    assert list(Reservation.objects.values_list("object_id", "quantity")) == [("2", -3)]
    assert salable_quantity(sku="CUP") == 7
