"""Every row lock the Commerce services take, in one place.

Each helper evaluates its query at once (a lazy ``select_for_update`` locks nothing) and
locks several rows in primary-key order, so two transactions never wait on each other in
opposite orders.
"""

from commerce.models import Order, OrderNumberSequence, OrderStatusState


def order_number_sequence_lock(*, store_view_id: int) -> OrderNumberSequence | None:
    return OrderNumberSequence.objects.select_for_update().filter(pk=store_view_id).first()


def order_lock(*, order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def order_status_assignments_lock(*, state: str) -> list[OrderStatusState]:
    return list(OrderStatusState.objects.select_for_update().filter(state=state).order_by("pk"))
