"""Writes of the Commerce back office: structure, statuses, customers, orders.

Order numbers: every store view has one ``OrderNumberSequence`` row, moved under a row
lock, so concurrent transactions never hand out one number twice; the unique
(number, store view) constraint backs that up. ``store_view_create`` makes the row with
the view; a view created any other way gets its row lazily and race-safely on its first
order. The installed default store view numbers without a prefix (``000000001``), every
later view with its id as prefix (``2000000001``), as Magento does.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from commerce.exceptions import (
    CustomerWebsiteMismatch,
    DefaultStatusRequired,
    IllegalStateTransition,
    StatusNotAssignedToState,
)
from commerce.locks import order_lock, order_number_sequence_lock, order_status_assignments_lock
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
    StoreGroup,
    StoreView,
    Website,
)
from commerce.selectors import (
    customer_get_by_email,
    order_status_default_for_state,
    order_status_is_assigned,
)

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
    sequence = order_number_sequence_lock(store_view_id=store_view.pk)
    if sequence is None:
        OrderNumberSequence.objects.get_or_create(
            store_view=store_view, defaults={"prefix": str(store_view.pk)}
        )
        sequence = order_number_sequence_lock(store_view_id=store_view.pk)
    OrderNumberSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
    return order_number_format(prefix=sequence.prefix, value=sequence.last_value + 1)


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


# --- Orders ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderLine:
    """One ordered item as ``order_create`` takes it; ``row_total`` defaults to qty * price."""

    sku: str
    qty_ordered: Decimal
    price: Decimal = Decimal("0")
    name: str = ""
    row_total: Decimal | None = None

    def total(self) -> Decimal:
        if self.row_total is not None:
            return Decimal(self.row_total)
        return Decimal(self.qty_ordered) * Decimal(self.price)


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
    state: str = OrderState.NEW,
    status: OrderStatus | None = None,
    comment: str = "",
    user=None,
) -> Order:
    """Create a Commerce order with its items and its first status history row.

    ``increment_id`` None takes the store view's next number; a given one (the Amazon
    order number) is used as is, and the unique (number, store view) constraint refuses a
    duplicate. ``status`` None takes the state's default status; a given one must be
    assigned to ``state``. With ``customer`` the order belongs to that account (same
    website), without it the order is a guest order keeping the email and names given,
    which may be blank (Amazon sends none for many FBA orders).
    """
    if not items:
        raise ValueError("An order needs at least one item.")
    status = _status_for_state(state=state, status=status)
    if customer is not None:
        if customer.website_id != store_view.group.website_id:
            raise CustomerWebsiteMismatch(
                f"Customer {customer.pk} belongs to another website than store view "
                f"{store_view.code}."
            )
        customer_email = customer_email or customer.email
        customer_firstname = customer_firstname or customer.firstname
        customer_lastname = customer_lastname or customer.lastname

    subtotal = sum((line.total() for line in items), Decimal("0")) if subtotal is None else subtotal
    if grand_total is None:
        grand_total = subtotal + shipping_amount + tax_amount - discount_amount

    order = Order.objects.create(
        increment_id=increment_id or order_number_next(store_view=store_view),
        store_view=store_view,
        state=state,
        status=status,
        customer=customer,
        customer_is_guest=customer is None,
        customer_email=customer_email,
        customer_firstname=customer_firstname,
        customer_lastname=customer_lastname,
        shipping_address=shipping_address or {},
        currency=currency.upper(),
        subtotal=subtotal,
        shipping_amount=shipping_amount,
        tax_amount=tax_amount,
        discount_amount=discount_amount,
        grand_total=grand_total,
    )
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            sku=line.sku,
            name=line.name,
            qty_ordered=line.qty_ordered,
            price=line.price,
            row_total=line.total(),
        )
        for line in items
    )
    OrderStatusHistory.objects.create(
        order=order, state=state, status=status, comment=comment, created_by=user
    )
    return order


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
    if state != locked.state and state not in STATE_TRANSITIONS[locked.state]:
        raise IllegalStateTransition(
            f"Order {locked.increment_id} cannot move from {locked.state!r} to {state!r}."
        )
    status = _status_for_state(state=state, status=status)
    locked.state = state
    locked.status = status
    locked.save(update_fields=["state", "status", "updated_at"])
    OrderStatusHistory.objects.create(
        order=locked, state=state, status=status, comment=comment, created_by=user
    )
    return locked
