"""The Celery entry points, run by a real worker process on the test database."""

import pytest

from importer.models import AmazonOrder, PollRun
from importer.tasks import poll_active_stores, poll_store
from settings_app.models import AmazonStore
from tests.factories import AmazonStoreFactory, WebsiteFactory
from tests.fixtures.worker import wait_for

pytestmark = pytest.mark.integration


@pytest.fixture
def committed_store(celery_worker, sp_api):
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

    # when: sent to this test session's own queue, which only its worker serves
    poll_active_stores.delay()

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
