"""Writes of the Commerce back office: structure, statuses, customers, orders.

Order numbers: every store view has one ``OrderNumberSequence`` row, moved under a row
lock, so concurrent transactions never hand out one number twice; the unique
(number, store view) constraint backs that up. ``store_view_create`` makes the row with
the view; a view created any other way gets its row lazily and race-safely on its first
order. The installed default store view numbers without a prefix (``000000001``), every
later view with its id as prefix (``2000000001``), as Magento does.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from commerce.exceptions import (
    CustomerWebsiteMismatch,
    DefaultStatusRequired,
    IllegalStateTransition,
    StatusNotAssignedToState,
)
from commerce.locks import (
    order_lock,
    order_number_sequences_lock,
    order_status_assignments_lock,
    orders_lock,
)
from commerce.models import (
    STATE_TRANSITIONS,
    Customer,
    Order,
    OrderItem,
    OrderNumberSequence,
    OrderState,
    OrderStatus,
    OrderStatusHistory,
    OrderStatusState,
    Shipment,
    ShipmentItem,
    StoreGroup,
    StoreView,
    Website,
)
from commerce.selectors import (
    customer_get_by_email,
    order_status_default_for_state,
    order_status_is_assigned,
)
from common.bulk import rows_update

ORDER_NUMBER_DIGITS = 9


# --- Websites, stores and store views -------------------------------------------------


@transaction.atomic
def website_create(
    *,
    code: str,
    name: str,
    store_code: str,
    store_name: str,
    store_view_code: str,
    store_view_name: str,
) -> Website:
    """A website with its first store and store view, both set as its defaults.

    A website is created whole: an Amazon store added on it imports into its default
    store view, so that view must exist from the start.
    """
    website = Website(code=code, name=name)
    website.full_clean(exclude=["default_group"])
    website.save()
    store_group_create(
        website=website,
        code=store_code,
        name=store_name,
        store_view_code=store_view_code,
        store_view_name=store_view_name,
    )
    website.refresh_from_db(fields=["default_group"])
    return website


@transaction.atomic
def store_group_create(
    *, website: Website, code: str, name: str, store_view_code: str, store_view_name: str
) -> StoreGroup:
    """A store (group) with its first store view; the website's default if it had none."""
    group = StoreGroup(website=website, code=code, name=name)
    group.full_clean(exclude=["default_store_view"])
    group.save()
    store_view_create(group=group, code=store_view_code, name=store_view_name)
    group.refresh_from_db(fields=["default_store_view"])
    if website.default_group_id is None:
        Website.objects.filter(pk=website.pk, default_group__isnull=True).update(
            default_group=group
        )
    return group


@transaction.atomic
def store_view_create(
    *, group: StoreGroup, code: str, name: str, sort_order: int = 0, is_active: bool = True
) -> StoreView:
    """A store view with its own order number sequence, prefixed with the view's id."""
    view = StoreView(group=group, code=code, name=name, sort_order=sort_order, is_active=is_active)
    view.full_clean()
    view.save()
    OrderNumberSequence.objects.create(store_view=view, prefix=str(view.pk))
    StoreGroup.objects.filter(pk=group.pk, default_store_view__isnull=True).update(
        default_store_view=view
    )
    return view


# --- Order numbers ---------------------------------------------------------------------


def order_number_format(*, prefix: str, value: int) -> str:
    return f"{prefix}{value:0{ORDER_NUMBER_DIGITS}d}"


@transaction.atomic
def order_number_next(*, store_view: StoreView) -> str:
    """The store view's next order number; the row lock is held until the caller commits.

    Holding it to the end of the surrounding transaction means numbers are handed out in
    commit order and a rolled-back order gives its number back.
    """
    return order_numbers_next(counts={store_view.pk: 1})[store_view.pk][0]


@transaction.atomic
def order_numbers_next(*, counts: Mapping[int, int]) -> dict[int, list[str]]:
    """The next ``count`` numbers of each store view (by id), each sequence moved once.

    Sequences are locked in key order and held until the caller commits.
    """
    wanted = {view_id: count for view_id, count in counts.items() if count > 0}
    sequences = order_number_sequences_lock(store_view_ids=wanted)
    missing = set(wanted) - set(sequences)
    if missing:
        for view_id in sorted(missing):
            OrderNumberSequence.objects.get_or_create(
                store_view_id=view_id, defaults={"prefix": str(view_id)}
            )
        sequences = order_number_sequences_lock(store_view_ids=wanted)
    numbers: dict[int, list[str]] = {}
    for view_id, count in sorted(wanted.items()):
        sequence = sequences[view_id]
        OrderNumberSequence.objects.filter(pk=view_id).update(last_value=F("last_value") + count)
        numbers[view_id] = [
            order_number_format(prefix=sequence.prefix, value=sequence.last_value + step)
            for step in range(1, count + 1)
        ]
    return numbers


# --- Order statuses --------------------------------------------------------------------


def _state_checked(state: str) -> str:
    if state not in OrderState.values:
        raise ValueError(f"Unknown order state {state!r}.")
    return state


@transaction.atomic
def order_status_create(
    *,
    code: str,
    label: str,
    state: str,
    is_default: bool = False,
    visible_on_front: bool = True,
) -> OrderStatus:
    """A merchant's custom status, assigned to one state from the start."""
    _state_checked(state)
    status = OrderStatus(code=code, label=label)
    status.full_clean()
    status.save()
    order_status_assign(
        status=status, state=state, is_default=is_default, visible_on_front=visible_on_front
    )
    return status


@transaction.atomic
def order_status_assign(
    *, status: OrderStatus, state: str, is_default: bool = False, visible_on_front: bool = True
) -> OrderStatusState:
    """Assign a status to a state, or update its assignment.

    Making it the default takes the flag from the previous default in the same
    transaction. Taking the flag from the current default without naming a successor is
    refused: every state keeps one default. The first status of a state is its default.
    """
    _state_checked(state)
    assignments = order_status_assignments_lock(state=state)
    current_default = next((each for each in assignments if each.is_default), None)
    own = next((each for each in assignments if each.status_id == status.pk), None)

    if current_default is None:
        is_default = True
    elif current_default.status_id == status.pk and not is_default:
        raise DefaultStatusRequired(
            f"{status.label} is the default status of {OrderState(state).label}; "
            "make another status the default instead."
        )
    elif is_default and current_default.status_id != status.pk:
        OrderStatusState.objects.filter(pk=current_default.pk).update(is_default=False)

    if own is None:
        return OrderStatusState.objects.create(
            status=status, state=state, is_default=is_default, visible_on_front=visible_on_front
        )
    own.is_default = is_default
    own.visible_on_front = visible_on_front
    own.save(update_fields=["is_default", "visible_on_front"])
    return own


@transaction.atomic
def order_status_unassign(*, status: OrderStatus, state: str) -> None:
    """Remove a status from a state; a state's default cannot be removed."""
    _state_checked(state)
    assignments = order_status_assignments_lock(state=state)
    own = next((each for each in assignments if each.status_id == status.pk), None)
    if own is None:
        return
    if own.is_default:
        raise DefaultStatusRequired(
            f"{status.label} is the default status of {OrderState(state).label}; "
            "make another status the default first."
        )
    own.delete()


# --- Customers -------------------------------------------------------------------------


@transaction.atomic
def customer_get_or_create(
    *, website: Website, email: str, firstname: str = "", lastname: str = ""
) -> tuple[Customer, bool]:
    """The website's customer with this email (any letter case), created when missing.

    Race-safe: the unique (lower(email), website) index decides between concurrent
    creators, and the loser reads the winner's row.
    """
    email = email.strip()
    existing = customer_get_by_email(website=website, email=email)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                website=website, email=email, firstname=firstname, lastname=lastname
            )
    except IntegrityError:
        winner = customer_get_by_email(website=website, email=email)
        if winner is None:
            raise
        return winner, False
    return customer, True


@dataclass(frozen=True)
class Person:
    email: str
    firstname: str = ""
    lastname: str = ""


@transaction.atomic
def customers_get_or_create(*, website: Website, people: Sequence[Person]) -> dict[str, Customer]:
    """The website's customers for these emails (any letter case), the missing ones created.

    Keyed by lower-cased email. Race-safe like ``customer_get_or_create``: rows a
    concurrent transaction inserted first are read back, never duplicated.
    """
    wanted = {person.email.strip().lower(): person for person in people if person.email.strip()}
    if not wanted:
        return {}
    found = _customers_by_email(website=website, emails=wanted)
    missing = [person for email, person in wanted.items() if email not in found]
    if missing:
        Customer.objects.bulk_create(
            [
                Customer(
                    website=website,
                    email=person.email.strip(),
                    firstname=person.firstname,
                    lastname=person.lastname,
                )
                for person in missing
            ],
            ignore_conflicts=True,
        )
        found = _customers_by_email(website=website, emails=wanted)
    return found


def _customers_by_email(*, website: Website, emails) -> dict[str, Customer]:
    customers = Customer.objects.alias(email_lower=Lower("email")).filter(
        website=website, email_lower__in=sorted(emails)
    )
    return {customer.email.lower(): customer for customer in customers}


# --- Orders ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderLine:
    """One ordered item as ``order_create`` takes it; ``row_total`` defaults to qty * price."""

    sku: str
    qty_ordered: Decimal
    price: Decimal = Decimal("0")
    name: str = ""
    row_total: Decimal | None = None
    external_item_id: str = ""

    def total(self) -> Decimal:
        if self.row_total is not None:
            return Decimal(self.row_total)
        return Decimal(self.qty_ordered) * Decimal(self.price)


@dataclass(frozen=True)
class OrderDraft:
    """An order to create; see ``order_create`` for what each value means."""

    store_view: StoreView
    items: Sequence[OrderLine]
    currency: str
    shipping_amount: Decimal = Decimal("0")
    tax_amount: Decimal = Decimal("0")
    discount_amount: Decimal = Decimal("0")
    subtotal: Decimal | None = None
    grand_total: Decimal | None = None
    customer: Customer | None = None
    customer_email: str = ""
    customer_firstname: str = ""
    customer_lastname: str = ""
    shipping_address: Mapping | None = None
    increment_id: str | None = None
    external_order_id: str = ""
    state: str = OrderState.NEW
    status: OrderStatus | None = None
    comment: str = ""


class _StatusBook:
    """Statuses and their assignments, read once for a whole batch of orders."""

    def __init__(self):
        assignments = OrderStatusState.objects.select_related("status")
        self.defaults = {a.state: a.status for a in assignments if a.is_default}
        self.assigned = {(a.status_id, a.state) for a in assignments}

    def for_state(self, *, state: str, status: OrderStatus | None) -> OrderStatus:
        _state_checked(state)
        if status is None:
            if state not in self.defaults:
                raise OrderStatus.DoesNotExist(f"State {state!r} has no default status.")
            return self.defaults[state]
        if (status.pk, state) not in self.assigned:
            raise StatusNotAssignedToState(
                f"Status {status.code!r} is not assigned to state {state!r}."
            )
        return status


def _status_for_state(*, state: str, status: OrderStatus | None) -> OrderStatus:
    _state_checked(state)
    if status is None:
        return order_status_default_for_state(state=state)
    if not order_status_is_assigned(status=status, state=state):
        raise StatusNotAssignedToState(
            f"Status {status.code!r} is not assigned to state {state!r}."
        )
    return status


@transaction.atomic
def order_create(
    *,
    store_view: StoreView,
    items: Sequence[OrderLine],
    currency: str,
    shipping_amount: Decimal = Decimal("0"),
    tax_amount: Decimal = Decimal("0"),
    discount_amount: Decimal = Decimal("0"),
    subtotal: Decimal | None = None,
    grand_total: Decimal | None = None,
    customer: Customer | None = None,
    customer_email: str = "",
    customer_firstname: str = "",
    customer_lastname: str = "",
    shipping_address: dict | None = None,
    increment_id: str | None = None,
    external_order_id: str = "",
    state: str = OrderState.NEW,
    status: OrderStatus | None = None,
    comment: str = "",
    user=None,
) -> Order:
    """Create a Commerce order with its items and its first status history row.

    ``increment_id`` None takes the store view's next number; a given one (the Amazon
    order number) is used as is, and the unique (number, store view) constraint refuses a
    duplicate. ``external_order_id`` is the sales channel's id of the order: a second
    order for it is refused by a unique constraint. ``status`` None takes the state's
    default status; a given one must be assigned to ``state``. With ``customer`` the
    order belongs to that account (same website), without it the order is a guest order
    keeping the email and names given, which may be blank (Amazon sends none for many
    FBA orders).
    """
    draft = OrderDraft(
        store_view=store_view,
        items=items,
        currency=currency,
        shipping_amount=shipping_amount,
        tax_amount=tax_amount,
        discount_amount=discount_amount,
        subtotal=subtotal,
        grand_total=grand_total,
        customer=customer,
        customer_email=customer_email,
        customer_firstname=customer_firstname,
        customer_lastname=customer_lastname,
        shipping_address=shipping_address,
        increment_id=increment_id,
        external_order_id=external_order_id,
        state=state,
        status=status,
        comment=comment,
    )
    return orders_create(drafts=[draft], user=user)[0]


@transaction.atomic
def orders_create(*, drafts: Sequence[OrderDraft], user=None) -> list[Order]:
    """Create many orders at once: numbers, orders, items and history in a few statements.

    Each draft follows ``order_create``'s rules; any refusal raises and creates nothing.
    """
    if not drafts:
        return []
    statuses = _StatusBook()
    for draft in drafts:
        if not draft.items:
            raise ValueError("An order needs at least one item.")
        if (
            draft.customer is not None
            and draft.customer.website_id != draft.store_view.group.website_id
        ):
            raise CustomerWebsiteMismatch(
                f"Customer {draft.customer.pk} belongs to another website than store view "
                f"{draft.store_view.code}."
            )
    counts: dict[int, int] = {}
    for draft in drafts:
        if not draft.increment_id:
            counts[draft.store_view.pk] = counts.get(draft.store_view.pk, 0) + 1
    numbers = {
        view_id: iter(values) for view_id, values in order_numbers_next(counts=counts).items()
    }

    orders = []
    for draft in drafts:
        customer = draft.customer
        subtotal = (
            sum((line.total() for line in draft.items), Decimal("0"))
            if draft.subtotal is None
            else draft.subtotal
        )
        grand_total = draft.grand_total
        if grand_total is None:
            grand_total = (
                subtotal + draft.shipping_amount + draft.tax_amount - draft.discount_amount
            )
        orders.append(
            Order(
                increment_id=draft.increment_id or next(numbers[draft.store_view.pk]),
                external_order_id=draft.external_order_id,
                store_view=draft.store_view,
                state=draft.state,
                status=statuses.for_state(state=draft.state, status=draft.status),
                customer=customer,
                customer_is_guest=customer is None,
                customer_email=draft.customer_email or (customer.email if customer else ""),
                customer_firstname=draft.customer_firstname
                or (customer.firstname if customer else ""),
                customer_lastname=draft.customer_lastname
                or (customer.lastname if customer else ""),
                shipping_address=dict(draft.shipping_address or {}),
                currency=draft.currency.upper(),
                subtotal=subtotal,
                shipping_amount=draft.shipping_amount,
                tax_amount=draft.tax_amount,
                discount_amount=draft.discount_amount,
                grand_total=grand_total,
            )
        )
    Order.objects.bulk_create(orders)
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            external_item_id=line.external_item_id,
            sku=line.sku,
            name=line.name,
            qty_ordered=line.qty_ordered,
            price=line.price,
            row_total=line.total(),
        )
        for order, draft in zip(orders, drafts, strict=True)
        for line in draft.items
    )
    OrderStatusHistory.objects.bulk_create(
        OrderStatusHistory(
            order=order,
            state=order.state,
            status=order.status,
            comment=draft.comment,
            created_by=user,
        )
        for order, draft in zip(orders, drafts, strict=True)
    )
    return orders


@transaction.atomic
def order_status_change(
    *,
    order: Order,
    state: str,
    status: OrderStatus | None = None,
    comment: str = "",
    user=None,
) -> Order:
    """Move an order to a state and status, leaving a history row.

    The move must be allowed by ``STATE_TRANSITIONS`` (staying in the state always is),
    and the status must be assigned to the new state; ``status`` None takes its default.
    """
    locked = order_lock(order_id=order.pk)
    _transition_checked(locked, state)
    status = _status_for_state(state=state, status=status)
    locked.state = state
    locked.status = status
    locked.save(update_fields=["state", "status", "updated_at"])
    OrderStatusHistory.objects.create(
        order=locked, state=state, status=status, comment=comment, created_by=user
    )
    return locked


def _transition_checked(order: Order, state: str) -> None:
    if state != order.state and state not in STATE_TRANSITIONS[order.state]:
        raise IllegalStateTransition(
            f"Order {order.increment_id} cannot move from {OrderState(order.state).label} to "
            f"{OrderState(state).label}."
        )


@dataclass(frozen=True)
class ShipmentDraft:
    """Units of one order to ship: order item id -> quantity."""

    order: Order
    quantities: Mapping[int, Decimal]
    comment: str = ""


@transaction.atomic
def orders_ship(*, drafts: Sequence[ShipmentDraft], user=None) -> list[Shipment]:
    """Record shipments: items' shipped quantities, a shipment each, the order's new state.

    An order with everything shipped is Complete, one shipped in part is Processing, each
    with its state's default status and a history row. Refused (nothing written) when an
    order may not move there (on hold, canceled) or a line would ship more than it has
    left to ship. Stock is not this service's business: the caller deducts it.
    """
    drafts = [draft for draft in drafts if any(qty > 0 for qty in draft.quantities.values())]
    if not drafts:
        return []
    orders = orders_lock(order_ids=[draft.order.pk for draft in drafts])
    items = {item.pk: item for item in OrderItem.objects.filter(order_id__in=orders).order_by("pk")}
    statuses = _StatusBook()
    shipments: list[Shipment] = []
    lines: list[tuple[Shipment, OrderItem, Decimal]] = []
    for draft in drafts:
        order = orders[draft.order.pk]
        for item_id, quantity in sorted(draft.quantities.items()):
            item = items.get(item_id)
            if item is None or item.order_id != order.pk:
                raise ValueError(f"Item {item_id} is not a line of order {order.increment_id}.")
            left = item.qty_ordered - item.qty_canceled - item.qty_shipped
            if quantity > left:
                raise ValueError(
                    f"Order {order.increment_id}: cannot ship {quantity} of {item.sku}, "
                    f"only {left} left to ship."
                )
        shipment = Shipment(order=order, comment=draft.comment, created_by=user)
        shipments.append(shipment)
        for item_id, quantity in sorted(draft.quantities.items()):
            if quantity > 0:
                items[item_id].qty_shipped += quantity
                lines.append((shipment, items[item_id], quantity))
        order_items = [item for item in items.values() if item.order_id == order.pk]
        done = all(item.qty_shipped >= item.qty_ordered - item.qty_canceled for item in order_items)
        state = OrderState.COMPLETE if done else OrderState.PROCESSING
        if state != order.state:
            _transition_checked(order, state)
            order.state = state
            order.status = statuses.for_state(state=state, status=None)
    Shipment.objects.bulk_create(shipments)
    ShipmentItem.objects.bulk_create(
        ShipmentItem(shipment=shipment, order_item=item, quantity=quantity)
        for shipment, item, quantity in lines
    )
    rows_update(list({item.pk: item for _, item, _ in lines}.values()), ["qty_shipped"])
    shipped_orders = [orders[draft.order.pk] for draft in drafts]
    now = timezone.now()
    for order in shipped_orders:
        order.updated_at = now
    rows_update(shipped_orders, ["state", "status", "updated_at"])
    OrderStatusHistory.objects.bulk_create(
        OrderStatusHistory(
            order=order,
            state=order.state,
            status=order.status,
            comment=draft.comment or "Shipped.",
            created_by=user,
        )
        for order, draft in zip(shipped_orders, drafts, strict=True)
    )
    return shipments


@dataclass(frozen=True)
class CancelResult:
    """The order after the cancel, and the quantity canceled per SKU (nothing: no change)."""

    order: Order
    canceled: dict[str, Decimal]


@transaction.atomic
def order_cancel(*, order: Order, user=None, comment: str = "") -> CancelResult:
    """Cancel what is left to ship of an order: its lines' canceled quantity, state Canceled.

    Canceling a canceled order changes nothing. Refused for an order whose state may not
    move to Canceled (Complete, Closed). The caller gives back the reservations.
    """
    locked = order_lock(order_id=order.pk)
    if locked.state == OrderState.CANCELED:
        return CancelResult(order=locked, canceled={})
    _transition_checked(locked, OrderState.CANCELED)
    items = list(OrderItem.objects.filter(order=locked).order_by("pk"))
    canceled: dict[str, Decimal] = {}
    for item in items:
        left = item.qty_ordered - item.qty_canceled - item.qty_shipped
        if left > 0:
            item.qty_canceled += left
            canceled[item.sku] = canceled.get(item.sku, Decimal(0)) + left
    rows_update(items, ["qty_canceled"])
    status = _status_for_state(state=OrderState.CANCELED, status=None)
    locked.state, locked.status = OrderState.CANCELED, status
    locked.save(update_fields=["state", "status", "updated_at"])
    OrderStatusHistory.objects.create(
        order=locked, state=locked.state, status=status, comment=comment, created_by=user
    )
    return CancelResult(order=locked, canceled=canceled)


@transaction.atomic
def order_hold(*, order: Order, user=None, comment: str = "") -> Order:
    """Put an order on hold, remembering its state and status for the release."""
    locked = order_lock(order_id=order.pk)
    if locked.state == OrderState.HOLDED:
        return locked
    _transition_checked(locked, OrderState.HOLDED)
    locked.hold_before_state, locked.hold_before_status = locked.state, locked.status
    locked.state = OrderState.HOLDED
    locked.status = _status_for_state(state=OrderState.HOLDED, status=None)
    locked.save(
        update_fields=["state", "status", "hold_before_state", "hold_before_status", "updated_at"]
    )
    OrderStatusHistory.objects.create(
        order=locked, state=locked.state, status=locked.status, comment=comment, created_by=user
    )
    return locked


@transaction.atomic
def order_unhold(*, order: Order, user=None, comment: str = "") -> Order:
    """Release an order from hold, back to the state and status it had before."""
    locked = order_lock(order_id=order.pk)
    if locked.state != OrderState.HOLDED:
        raise IllegalStateTransition(f"Order {locked.increment_id} is not on hold.")
    state = locked.hold_before_state or OrderState.NEW
    _transition_checked(locked, state)
    status = locked.hold_before_status
    if status is None or not order_status_is_assigned(status=status, state=state):
        status = _status_for_state(state=state, status=None)
    locked.state, locked.status = state, status
    locked.hold_before_state, locked.hold_before_status = "", None
    locked.save(
        update_fields=["state", "status", "hold_before_state", "hold_before_status", "updated_at"]
    )
    OrderStatusHistory.objects.create(
        order=locked, state=state, status=status, comment=comment, created_by=user
    )
    return locked
