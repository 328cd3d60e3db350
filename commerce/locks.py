"""Every row lock the Commerce services take, in one place.

Each helper evaluates its query at once (a lazy ``select_for_update`` locks nothing) and
locks several rows in primary-key order, so two transactions never wait on each other in
opposite orders.
"""

from commerce.models import Order, OrderNumberSequence, OrderStatusState


def order_number_sequence_lock(*, store_view_id: int) -> OrderNumberSequence | None:
    return OrderNumberSequence.objects.select_for_update().filter(pk=store_view_id).first()


def order_number_sequences_lock(*, store_view_ids) -> dict[int, OrderNumberSequence]:
    """The store views' sequence rows, locked in key order; views without one are left out."""
    rows = (
        OrderNumberSequence.objects.select_for_update()
        .filter(pk__in=sorted(set(store_view_ids)))
        .order_by("pk")
    )
    return {row.pk: row for row in rows}


def order_lock(*, order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def orders_lock(*, order_ids) -> dict[int, Order]:
    """The orders, locked in key order, by id."""
    orders = Order.objects.select_for_update().filter(pk__in=sorted(set(order_ids))).order_by("pk")
    return {order.pk: order for order in orders}


def order_status_assignments_lock(*, state: str) -> list[OrderStatusState]:
    return list(OrderStatusState.objects.select_for_update().filter(state=state).order_by("pk"))
