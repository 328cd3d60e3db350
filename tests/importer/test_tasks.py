"""The Celery entry points, run by a real worker process on the test database."""

import uuid

import pytest

from importer.models import AmazonOrder, PollRun
from importer.tasks import poll_active_stores, poll_store
from settings_app.models import AmazonStore
from tests.factories import AmazonStoreFactory, WebsiteFactory
from tests.fixtures.worker import WorkerProcess, wait_for, worker_environment

pytestmark = pytest.mark.integration


@pytest.fixture
def poll_worker(transactional_db, sp_api, tmp_path):
    """A worker of this test's own, on a queue of its own (its fan-out included).

    It stops before the test's tables are emptied: a worker still deciding the polled
    orders would deadlock with the flush. Its output is printed, so a failure shows it.
    """
    queue = f"poll-test-{uuid.uuid4().hex[:8]}"
    env = {**worker_environment(simulator_url=sp_api.base_url), "CELERY_TASK_DEFAULT_QUEUE": queue}
    worker = WorkerProcess(queue=queue, env=env, log_path=tmp_path / "worker.log", name=queue)
    try:
        yield worker.start()
    finally:
        worker.stop()
        print(f"--- output of the Celery worker on {queue} ---\n{worker.output()}")


@pytest.fixture
def committed_store(poll_worker, sp_api):
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


def test_the_periodic_task_polls_every_active_store_through_a_worker(
    committed_store, sp_api, poll_worker
):
    # given
    generated = sp_api.generate(committed_store.seller_id, count=12, seed=21)
    inactive = AmazonStoreFactory(website=committed_store.website)
    AmazonStore.objects.filter(pk=inactive.pk).update(is_active=False)

    # when
    poll_active_stores.apply_async(queue=poll_worker.queue)

    # then: the run is marked completed just after its last page commits, so wait for both
    runs = PollRun.objects.filter(store=committed_store)
    assert wait_for(lambda: runs.exclude(outcome="running").exists())
    assert AmazonOrder.objects.filter(store=committed_store).count() == len(generated)
    assert list(runs.values_list("outcome", flat=True)) == ["completed"]
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
