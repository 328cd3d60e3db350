from datetime import timedelta

from django.utils import timezone

from importer.models import PollCursor
from importer.selectors import store_ids_due_for_poll
from settings_app.models import AmazonStore
from tests.factories import AmazonStoreFactory


def test_active_stores_are_due_unless_amazon_throttled_them_until_later(db):
    # given
    now = timezone.now()
    never_polled = AmazonStoreFactory()
    polled = AmazonStoreFactory()
    PollCursor.objects.create(store=polled, throttled_until=now - timedelta(seconds=1))
    throttled = AmazonStoreFactory()
    PollCursor.objects.create(store=throttled, throttled_until=now + timedelta(minutes=3))
    inactive = AmazonStoreFactory()
    AmazonStore.objects.filter(pk=inactive.pk).update(is_active=False)

    # when
    due = store_ids_due_for_poll(now=now)

    # then
    assert due == [never_polled.pk, polled.pk]
