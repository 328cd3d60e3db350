"""Decide messages: sent in full batches once their transaction commits, the rest on flush."""

from unittest import mock

import pytest
from django.db import transaction

from importer.dispatch import DECIDE_ORDERS, DecideBatches


@pytest.fixture
def sent():
    with mock.patch("importer.dispatch.current_app") as app:
        yield app.send_task.call_args_list


def batches_sent(calls) -> list[list[int]]:
    return [call.kwargs["args"][0] for call in calls if call.args == (DECIDE_ORDERS,)]


def test_full_batches_go_at_once_and_the_rest_on_flush(sent, settings, transactional_db):
    # given
    settings.IMPORT_DECIDE_BATCH_SIZE = 3
    decisions = DecideBatches(trigger="poll")

    # when
    for page in ([1, 2], [3, 4], [5]):
        with transaction.atomic():
            decisions.add_on_commit(order_ids=page)
    before_flush = batches_sent(sent)
    decisions.flush()

    # then
    assert before_flush == [[1, 2, 3]]
    assert batches_sent(sent) == [[1, 2, 3], [4, 5]]


def test_a_rolled_back_page_sends_nothing(sent, transactional_db):
    # given
    decisions = DecideBatches(trigger="poll")

    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        decisions.add_on_commit(order_ids=[1, 2])
        raise RuntimeError("the page failed")
    decisions.flush()

    # then
    assert batches_sent(sent) == []
