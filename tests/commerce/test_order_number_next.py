from decimal import Decimal

import pytest
from django.db import connection, transaction

from commerce.models import Order, OrderNumberSequence, OrderState, StoreGroup, StoreView
from commerce.services import OrderLine, order_create, order_number_next, store_view_create
from tests.commerce.factories import OrderFactory, OrderStatusFactory, default_store_view
from tests.concurrency import run_in_threads
from tests.factories import WebsiteFactory

CONCURRENT_ORDERS = 20


def test_the_installed_store_view_numbers_from_000000001_without_prefix(db):
    # given the store view installed with the product
    store_view = default_store_view()

    # when three numbers are taken
    numbers = [order_number_next(store_view=store_view) for _ in range(3)]

    # then they follow Magento's format
    assert numbers == ["000000001", "000000002", "000000003"]


def test_a_later_store_view_prefixes_its_numbers_with_its_id(db):
    # given a website added later, with its own store view
    store_view = WebsiteFactory().default_group.default_store_view

    # when an order is created in it
    order = OrderFactory(store_view=store_view)

    # then its number carries the view's id as prefix
    assert order.increment_id == f"{store_view.pk}000000001"


def test_store_views_count_independently(db):
    # given orders in the installed store view
    OrderFactory()
    OrderFactory()
    later_view = WebsiteFactory().default_group.default_store_view

    # when the later store view gets its first order
    order = OrderFactory(store_view=later_view)

    # then its sequence starts at one
    assert order.increment_id == f"{later_view.pk}000000001"
    assert OrderNumberSequence.objects.get(store_view=default_store_view()).last_value == 2


def test_store_view_create_sets_up_its_sequence_with_its_id_as_prefix(db):
    # given an existing store
    group = StoreGroup.objects.get(code="main_website_store")

    # when a store view is added to it
    view = store_view_create(group=group, code="french", name="French")

    # then it has its own sequence, prefixed with its id
    sequence = OrderNumberSequence.objects.get(store_view=view)
    assert (sequence.prefix, sequence.last_value) == (str(view.pk), 0)
    assert order_number_next(store_view=view) == f"{view.pk}000000001"


def test_a_store_view_without_sequence_gets_one_on_its_first_number(db):
    # given a store view created directly, bypassing the service
    group = StoreGroup.objects.get(code="main_website_store")
    view = StoreView.objects.create(group=group, code="bare", name="Bare")

    # when it is asked for numbers
    first = order_number_next(store_view=view)
    second = order_number_next(store_view=view)

    # then its sequence was created with its id as prefix
    assert (first, second) == (f"{view.pk}000000001", f"{view.pk}000000002")


def test_a_rolled_back_order_gives_its_number_back(db):
    # given an order whose transaction fails after taking a number
    store_view = default_store_view()
    with pytest.raises(RuntimeError), transaction.atomic():
        OrderFactory(store_view=store_view)
        raise RuntimeError("payment gateway down")

    # when the next order is created
    order = OrderFactory(store_view=store_view)

    # then it gets the first number
    assert order.increment_id == "000000001"


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_transactions_get_twenty_distinct_numbers():
    # given twenty transactions, each on its own connection, all open at once, in a store
    # view and with a status of the test's own (an earlier transactional test may have
    # emptied what the migrations installed)
    assert connection.vendor == "postgresql", "the race needs row locks: run on PostgreSQL"
    store_view = WebsiteFactory().default_group.default_store_view
    status = OrderStatusFactory(state=OrderState.NEW)

    def place_order(index: int, all_open) -> str:
        with transaction.atomic():
            StoreView.objects.get(pk=store_view.pk)
            all_open.wait()
            order = order_create(
                store_view=store_view,
                items=[OrderLine(sku=f"SKU-{index}", qty_ordered=Decimal(1))],
                currency="USD",
                customer_email=f"guest{index}@example.com",
                status=status,
            )
        return order.increment_id

    # when they all create an order in the same store view
    outcomes = run_in_threads(CONCURRENT_ORDERS, place_order)
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    numbers = [outcome for outcome in outcomes if isinstance(outcome, str)]

    # then every order got its own number, with no gap
    assert failures == []
    expected = [f"{store_view.pk}{value:09d}" for value in range(1, CONCURRENT_ORDERS + 1)]
    assert sorted(numbers) == expected
    stored = Order.objects.filter(store_view=store_view).values_list("increment_id", flat=True)
    assert sorted(stored) == expected
