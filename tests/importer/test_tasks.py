"""The Celery entry points, run by a real worker process on the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from amazon_orders.celery import app as celery_app
from importer.models import AmazonOrder, PollRun
from importer.tasks import poll_active_stores, poll_store
from settings_app.models import AmazonStore
from tests.factories import AmazonStoreFactory, WebsiteFactory
from tests.importer.conftest import TIME_SCALE

pytestmark = pytest.mark.integration

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
WORKER_DEADLINE_SECONDS = 60


@pytest.fixture
def celery_worker_process(transactional_db, sp_api):
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "SP_API_ENDPOINT": sp_api.base_url,
        "LWA_TOKEN_URL": f"{sp_api.base_url}/auth/o2/token",
        "SP_API_RATE_SCALE": str(TIME_SCALE),
    }
    celery_app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "amazon_orders",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=REPOSITORY_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=30)


def wait_for(condition) -> bool:
    deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def committed_store(celery_worker_process, sp_api):
    """Its own website: a transactional test cannot count on data installed by migrations."""
    store = AmazonStoreFactory(website=WebsiteFactory())
    sp_api.register_seller(
        seller_id=store.seller_id,
        marketplace_ids=store.marketplace_ids,
        client_id=store.lwa_client_id,
        client_secret=store.lwa_client_secret,
        refresh_token=store.refresh_token,
    )
    return store


def test_the_periodic_task_polls_every_active_store_through_a_worker(committed_store, sp_api):
    # given
    generated = sp_api.generate(committed_store.seller_id, count=12, seed=21)
    inactive = AmazonStoreFactory(website=committed_store.website)
    AmazonStore.objects.filter(pk=inactive.pk).update(is_active=False)

    # when
    poll_active_stores.delay()

    # then
    assert wait_for(
        lambda: AmazonOrder.objects.filter(store=committed_store).count() == len(generated)
    )
    assert PollRun.objects.filter(store=committed_store, outcome="completed").count() == 1
    assert not PollRun.objects.filter(store=inactive).exists()


def test_polling_a_store_that_no_longer_exists_is_a_quiet_no_op(db):
    # when
    poll_store(987654321)

    # then
    assert not PollRun.objects.exists()


@pytest.mark.parametrize(
    ("outcome", "continued"),
    [("partial", "at once"), ("throttled", "when the token is due"), ("completed", None)],
)
def test_a_poll_cut_short_goes_on_by_itself(outcome, continued, db):
    # given
    from datetime import UTC, datetime
    from unittest import mock

    from importer.models import PollOutcome

    due = datetime(2026, 11, 20, 10, 3, tzinfo=UTC)
    run = mock.Mock(outcome=PollOutcome(outcome))

    # when
    with (
        mock.patch("importer.tasks.amazon_store_poll", return_value=run),
        mock.patch("importer.tasks.poll_resume_at", return_value=due),
        mock.patch.object(poll_store, "delay") as delay,
        mock.patch.object(poll_store, "apply_async") as apply_async,
    ):
        poll_store(42)

    # then
    if continued == "at once":
        delay.assert_called_once_with(42)
        apply_async.assert_not_called()
    elif continued == "when the token is due":
        apply_async.assert_called_once_with((42,), eta=due)
        delay.assert_not_called()
    else:
        delay.assert_not_called()
        apply_async.assert_not_called()
