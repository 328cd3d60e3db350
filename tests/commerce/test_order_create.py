from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from commerce.exceptions import CustomerWebsiteMismatch, StatusNotAssignedToState
from commerce.models import Order, OrderState, OrderStatus
from commerce.services import OrderLine, order_create
from tests.commerce.factories import CustomerFactory, OrderFactory, default_store_view
from tests.factories import UserFactory, WebsiteFactory


def test_a_guest_order_is_created_with_its_items_totals_and_history(db):
    # given two ordered lines
    items = [
        OrderLine(sku="KETTLE", name="Kettle", qty_ordered=Decimal(2), price=Decimal("19.99")),
        OrderLine(sku="MUG", name="Mug", qty_ordered=Decimal(1), price=Decimal("5.00")),
    ]

    # when a guest order is created
    order = order_create(
        store_view=default_store_view(),
        items=items,
        currency="usd",
        shipping_amount=Decimal("4.99"),
        tax_amount=Decimal("3.00"),
        customer_email="x1y2z3@marketplace.amazon.com",
        customer_firstname="Jane",
        shipping_address={"city": "Seattle", "countryCode": "US"},
        comment="Imported from Amazon order 902-1845936-5435065",
    )

    # then the order, its items and one history row exist
    order.refresh_from_db()
    assert order.increment_id == "000000001"
    assert (order.customer_is_guest, order.customer_id) == (True, None)
    assert order.customer_email == "x1y2z3@marketplace.amazon.com"
    assert order.currency == "USD"
    assert order.subtotal == Decimal("44.98")
    assert order.grand_total == Decimal("52.97")
    assert order.shipping_address == {"city": "Seattle", "countryCode": "US"}
    assert list(order.items.values_list("sku", "qty_ordered", "row_total")) == [
        ("KETTLE", Decimal(2), Decimal("39.98")),
        ("MUG", Decimal(1), Decimal("5.00")),
    ]
    assert (order.state, order.status.code) == (OrderState.NEW, "pending")
    history = list(order.status_history.values_list("state", "status__code", "comment"))
    assert history == [("new", "pending", "Imported from Amazon order 902-1845936-5435065")]


def test_an_order_without_any_buyer_data_is_accepted(db):
    # given an FBA order that carries no name, email or address
    # when it is created
    order = order_create(
        store_view=default_store_view(),
        items=[OrderLine(sku="FBA-1", qty_ordered=Decimal(1))],
        currency="EUR",
    )

    # then it is a guest order with blank buyer fields
    assert order.customer_email == ""
    assert order.shipping_address == {}
    assert Order.objects.filter(pk=order.pk, customer_is_guest=True).exists()


def test_a_customer_order_takes_the_customer_email_and_names(db):
    # given a customer of the default website
    customer = CustomerFactory(email="buyer@example.com", firstname="Jane", lastname="Doe")

    # when an order is created for them
    order = OrderFactory(customer=customer, customer_email="")

    # then the order belongs to the account
    assert (order.customer_id, order.customer_is_guest) == (customer.pk, False)
    assert (order.customer_email, order.customer_lastname) == ("buyer@example.com", "Doe")


def test_a_customer_of_another_website_is_refused(db):
    # given a customer registered on another website
    customer = CustomerFactory(website=WebsiteFactory())

    # when an order is created for them in the default store view
    with pytest.raises(CustomerWebsiteMismatch):
        OrderFactory(customer=customer)

    # then no order exists
    assert not Order.objects.exists()


def test_a_given_number_is_used_as_is_and_unique_per_store_view(db):
    # given an order numbered with the Amazon order number
    first = OrderFactory(increment_id="902-1845936-5435065")

    # when the same number is used again in that store view
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(increment_id="902-1845936-5435065")

    # then only the first exists, and the sequence was not used
    assert first.increment_id == "902-1845936-5435065"
    assert Order.objects.count() == 1
    assert OrderFactory().increment_id == "000000001"


def test_a_status_assigned_to_the_state_is_kept(db):
    # given the processing state and a status assigned to it
    fraud = OrderStatus.objects.get(code="fraud")

    # when an order is created with it
    order = OrderFactory(state=OrderState.PROCESSING, status=fraud, user=UserFactory())

    # then the order and its history carry it
    assert (order.state, order.status) == (OrderState.PROCESSING, fraud)
    assert order.status_history.get().created_by is not None


def test_a_status_not_assigned_to_the_state_is_refused(db):
    # given the complete status, which belongs to the complete state only
    complete = OrderStatus.objects.get(code="complete")

    # when an order is created as processing with it
    with pytest.raises(StatusNotAssignedToState):
        OrderFactory(state=OrderState.PROCESSING, status=complete)

    # then nothing was written
    assert not Order.objects.exists()


def test_an_order_needs_items(db):
    # given no items
    # when an order is created
    with pytest.raises(ValueError, match="at least one item"):
        OrderFactory(items=[])

    # then nothing was written
    assert not Order.objects.exists()
