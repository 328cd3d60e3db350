import pytest
from django.db import IntegrityError, transaction

from commerce.exceptions import DefaultStatusRequired
from commerce.models import OrderState, OrderStatus, OrderStatusState
from commerce.selectors import order_status_choices, order_status_default_for_state
from commerce.services import order_status_assign, order_status_create, order_status_unassign


def test_the_nine_standard_statuses_are_installed_with_one_default_per_state(db):
    # given a freshly migrated database

    # when the defaults are read per state
    defaults = {state: order_status_default_for_state(state=state).code for state in OrderState}

    # then every state has the Magento default status
    assert OrderStatus.objects.count() == 9
    assert defaults == {
        "new": "pending",
        "pending_payment": "pending_payment",
        "processing": "processing",
        "complete": "complete",
        "closed": "closed",
        "canceled": "canceled",
        "holded": "holded",
        "payment_review": "payment_review",
    }


def test_the_database_refuses_a_second_default_for_a_state(db):
    # given the processing state with its default
    fraud = OrderStatus.objects.get(code="fraud")

    # when a second default is written past the service
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderStatusState.objects.filter(status=fraud, state=OrderState.PROCESSING).update(
            is_default=True
        )

    # then the state keeps its one default
    assert order_status_default_for_state(state=OrderState.PROCESSING).code == "processing"


def test_a_custom_status_is_created_assigned_to_its_state(db):
    # given a merchant's own status
    # when it is created for the processing state
    status = order_status_create(
        code="amazon_processing", label="Amazon Processing", state=OrderState.PROCESSING
    )

    # then it is assigned to that state, not as default, and offered as a choice
    assignment = OrderStatusState.objects.get(status=status)
    assert (assignment.state, assignment.is_default) == (OrderState.PROCESSING, False)
    assert (status.pk, "Amazon Processing") in order_status_choices()
    assert order_status_default_for_state(state=OrderState.PROCESSING).code == "processing"


def test_making_a_custom_status_the_default_moves_the_flag(db):
    # given a custom status assigned to processing
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when it becomes the default of processing
    order_status_assign(status=status, state=OrderState.PROCESSING, is_default=True)

    # then it is the only default of that state
    defaults = OrderStatusState.objects.filter(state=OrderState.PROCESSING, is_default=True)
    assert list(defaults.values_list("status__code", flat=True)) == ["picking"]


def test_a_status_can_be_assigned_to_a_second_state(db):
    # given a custom status of the processing state
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when it is also assigned to on hold
    order_status_assign(status=status, state=OrderState.HOLDED)

    # then it belongs to both states
    states = set(status.states.values_list("state", flat=True))
    assert states == {OrderState.PROCESSING, OrderState.HOLDED}


def test_the_default_flag_cannot_be_taken_without_a_successor(db):
    # given the default status of processing
    processing = OrderStatus.objects.get(code="processing")

    # when it is assigned again as not default
    with pytest.raises(DefaultStatusRequired):
        order_status_assign(status=processing, state=OrderState.PROCESSING, is_default=False)

    # then it stays the default
    assert order_status_default_for_state(state=OrderState.PROCESSING) == processing


def test_a_default_status_cannot_be_unassigned_but_another_can(db):
    # given a custom status next to the default of processing
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)
    processing = OrderStatus.objects.get(code="processing")

    # when both are unassigned
    with pytest.raises(DefaultStatusRequired):
        order_status_unassign(status=processing, state=OrderState.PROCESSING)
    order_status_unassign(status=status, state=OrderState.PROCESSING)

    # then only the custom one is gone
    codes = OrderStatus.objects.filter(states__state=OrderState.PROCESSING).values_list(
        "code", flat=True
    )
    assert set(codes) == {"processing", "fraud"}


def test_an_unknown_state_is_refused(db):
    # given no state named shipped in Commerce
    # when a status is created for it
    with pytest.raises(ValueError, match="Unknown order state"):
        order_status_create(code="shipped_x", label="Shipped", state="shipped")

    # then no status was left behind
    assert not OrderStatus.objects.filter(code="shipped_x").exists()
