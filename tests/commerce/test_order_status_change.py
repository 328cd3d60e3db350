import pytest

from commerce.exceptions import IllegalStateTransition, StatusNotAssignedToState
from commerce.models import STATE_TRANSITIONS, OrderState, OrderStatus
from commerce.services import order_status_change, order_status_create
from tests.commerce.factories import OrderFactory
from tests.factories import UserFactory


def test_a_status_change_moves_the_order_and_writes_history(db):
    # given a new order and a staff user
    order = OrderFactory()
    user = UserFactory()

    # when it moves to processing
    order_status_change(order=order, state=OrderState.PROCESSING, comment="Paid", user=user)

    # then state, default status and a second history row are written
    order.refresh_from_db()
    assert (order.state, order.status.code) == (OrderState.PROCESSING, "processing")
    history = list(order.status_history.values_list("state", "status__code", "comment"))
    assert history == [("new", "pending", ""), ("processing", "processing", "Paid")]
    assert order.status_history.last().created_by == user


def test_a_custom_status_of_the_state_can_be_set(db):
    # given a custom status of processing and a processing order
    picking = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)
    order = OrderFactory(state=OrderState.PROCESSING)

    # when the order takes that status within its state
    order_status_change(order=order, state=OrderState.PROCESSING, status=picking)

    # then it carries it
    order.refresh_from_db()
    assert order.status == picking


def test_a_status_of_another_state_is_refused(db):
    # given a new order
    order = OrderFactory()

    # when it is moved to processing with the complete status
    with pytest.raises(StatusNotAssignedToState):
        order_status_change(
            order=order,
            state=OrderState.PROCESSING,
            status=OrderStatus.objects.get(code="complete"),
        )

    # then the order and its history are unchanged
    order.refresh_from_db()
    assert order.state == OrderState.NEW
    assert order.status_history.count() == 1


@pytest.mark.parametrize("final_state", [OrderState.CANCELED, OrderState.CLOSED])
def test_a_final_state_cannot_be_left(db, final_state):
    # given an order in a final state
    order = OrderFactory(state=final_state)

    # when it is moved back to processing
    with pytest.raises(IllegalStateTransition):
        order_status_change(order=order, state=OrderState.PROCESSING)

    # then it stays where it was
    order.refresh_from_db()
    assert order.state == final_state
    assert STATE_TRANSITIONS[final_state] == frozenset()
