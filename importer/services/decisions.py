"""Deciding Amazon orders: the one place that turns mirrored orders into Commerce orders.

``amazon_orders_decide`` takes a batch of mirrored orders by id and, in one transaction:
locks them (key order), reads what it needs in a few queries (items, Commerce orders,
holds, the stock of every SKU involved, locked), plans each order in turn
(``importer.planning``) against the stock the earlier ones left, then writes the whole
batch: placeholder products, customers, Commerce orders, ledger rows, shipments,
cancels, and each order's decision with its history row. Exactly once: a second run
finds each order's Commerce order and plans nothing new; the database refuses a second
Commerce order for one Amazon order (``one_order_per_external_order``).

One failing order never stops the others: when a batch fails, each of its orders is
decided alone, and an order that fails alone is recorded as an error with its attempts,
retried with backoff (``retry_at``, picked up by the sweep) and left in error after
``IMPORT_MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from commerce.models import Order as CommerceOrder
from commerce.models import OrderItem as CommerceItem
from commerce.models import OrderStatusState
from commerce.services import (
    OrderDraft,
    OrderLine,
    Person,
    ShipmentDraft,
    customers_get_or_create,
    order_cancel,
    orders_create,
    orders_ship,
)
from common.bulk import rows_update
from common.text import shortened
from importer.exceptions import ActionRefused
from importer.gateway.types import FulfillmentChannel
from importer.models import (
    AmazonOrder,
    AmazonOrderDecision,
    AmazonOrderItem,
    DecisionCode,
    DecisionTrigger,
    ImportDecision,
)
from importer.planning import (
    CommerceFacts,
    Line,
    OrderFacts,
    Plan,
    SettingsFacts,
    plan_order,
    units_by_sku,
)
from importer.rules import needs_inventory
from inventory.models import ReservationEvent
from inventory.services import (
    LedgerEntry,
    LedgerObject,
    holds_outstanding,
    products_ensure_placeholders,
    reservations_compensate_many,
    reservations_place_many,
    shipments_stock_deduct,
    stock_levels_lock,
)

logger = logging.getLogger(__name__)

AMAZON_ORDER_OBJECT = "amazon_order"
COMMERCE_ORDER_OBJECT = "order"
ERROR_TEXT_LIMIT = 500
DECISION_FIELDS = [
    "decision",
    "decision_code",
    "decision_reason",
    "decision_details",
    "decided_at",
    "decided_revision",
    "attempts",
    "retry_at",
    "commerce_order",
]


@dataclass
class DecideReport:
    """What one call did: orders looked at, decisions that changed, orders created, failures."""

    decided: int = 0
    changed: int = 0
    created: int = 0
    failed: list[int] = field(default_factory=list)

    def add(self, other: DecideReport) -> None:
        self.decided += other.decided
        self.changed += other.changed
        self.created += other.created
        self.failed += other.failed


def amazon_orders_decide(
    *,
    order_ids: Iterable[int],
    trigger: str,
    user=None,
    import_now: bool = False,
) -> DecideReport:
    """Decide these orders; safe to run twice, or on two workers at once."""
    ids = sorted(set(order_ids))
    if not ids:
        return DecideReport()
    try:
        with transaction.atomic():
            return _decide_batch(ids, trigger=trigger, user=user, import_now=import_now)
    except Exception as error:
        if len(ids) == 1:
            logger.warning("Deciding Amazon order %s failed: %s", ids[0], shortened(str(error)))
            return _failure_record(ids[0], error=error, trigger=trigger, user=user)
        report = DecideReport()
        for order_id in ids:
            report.add(
                amazon_orders_decide(
                    order_ids=[order_id], trigger=trigger, user=user, import_now=import_now
                )
            )
        return report


@transaction.atomic
def amazon_order_retry(*, amazon_order: AmazonOrder, user) -> AmazonOrder:
    """Retry an order in error or blocked, or import by hand one skipped as import was off."""
    current = AmazonOrder.objects.select_for_update(of=("self",)).get(pk=amazon_order.pk)
    retryable = current.decision in (ImportDecision.ERROR, ImportDecision.BLOCKED)
    importable = (
        current.decision == ImportDecision.SKIPPED
        and current.decision_code == DecisionCode.IMPORT_DISABLED
    )
    if not (retryable or importable):
        raise ActionRefused(
            f"Amazon order {current.amazon_order_id} is {current.get_decision_display().lower()}:"
            " only orders in error, blocked, or skipped while import was disabled can be "
            "retried."
        )
    trigger = DecisionTrigger.IMPORT_NOW if importable else DecisionTrigger.RETRY
    amazon_orders_decide(order_ids=[current.pk], trigger=trigger, user=user, import_now=importable)
    return AmazonOrder.objects.get(pk=current.pk)


# --- The batch ------------------------------------------------------------------------


def _decide_batch(ids: Sequence[int], *, trigger: str, user, import_now: bool) -> DecideReport:
    now = timezone.now()
    rows = list(
        AmazonOrder.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .select_related(
            "store__order_settings__store_view__group",
            "store__order_settings__processing_status",
            "commerce_order",
        )
    )
    lines = _lines_by_order(rows)
    shipped = _commerce_shipped(rows)
    settings_by_store = _settings_facts({row.store_id: row.store for row in rows})
    held = holds_outstanding(objects=[obj for row in rows for obj in _ledger_objects(row)])
    levels = stock_levels_lock(
        skus={
            line.sku
            for row in rows
            if row.commerce_order_id is None and _needs_stock(row)
            for line in lines[row.pk]
        }
    )

    planned: list[tuple[AmazonOrder, OrderFacts, Plan]] = []
    for row in rows:
        facts = OrderFacts(
            channel=row.channel,
            status=row.status,
            purchased_at=row.purchased_at,
            lines=tuple(lines[row.pk]),
            buyer_email=row.buyer_email,
            decision=row.decision,
            decision_code=row.decision_code,
            store_active=row.store.is_active,
            connected_at=row.store.connected_at,
            settings=settings_by_store[row.store_id],
            commerce=_commerce_facts(row, shipped),
            pending_held=held.get(_pending_object(row).key, {}),
            commerce_held=held.get(_order_object(row).key, {}) if row.commerce_order_id else {},
        )
        plan = plan_order(facts, levels=levels, import_now=import_now)
        for sku, moved in plan.takes(facts).items():
            level = levels.get(sku)
            if level is not None and level.manage_stock:
                levels[sku] = level._replace(salable=level.salable - moved)
        planned.append((row, facts, plan))

    created = _write(planned, user=user)
    report = DecideReport(decided=len(rows), created=created)
    history = []
    for row, facts, plan in planned:
        changed = _decision_apply(row, plan, now=now)
        if changed:
            report.changed += 1
            history.append(_history_row(row, facts, plan, trigger=trigger, user=user, now=now))
    rows_update(rows, DECISION_FIELDS)
    AmazonOrderDecision.objects.bulk_create(history)
    return report


def _needs_stock(row: AmazonOrder) -> bool:
    """FBM orders may hold or reserve; FBA ones only need figures when stock can block them."""
    return row.channel == FulfillmentChannel.FBM or needs_inventory(
        channel=row.channel, status=row.status
    )


def _lines_by_order(rows: list[AmazonOrder]) -> dict[int, list[Line]]:
    lines: dict[int, list[Line]] = {row.pk: [] for row in rows}
    for item in AmazonOrderItem.objects.filter(order_id__in=lines).order_by("pk"):
        lines[item.order_id].append(
            Line(
                item_id=item.pk,
                amazon_item_id=item.order_item_id,
                sku=item.sku or item.asin,
                title=item.title,
                ordered=item.quantity_ordered,
                shipped=min(item.quantity_shipped, item.quantity_ordered),
                unit_price=item.unit_price,
                row_total=item.row_total,
            )
        )
    return lines


def _commerce_shipped(rows: list[AmazonOrder]) -> dict[int, dict[str, Decimal]]:
    """Per Commerce order: Amazon item id -> quantity shipped in Commerce."""
    order_ids = [row.commerce_order_id for row in rows if row.commerce_order_id]
    shipped: dict[int, dict[str, Decimal]] = {order_id: {} for order_id in order_ids}
    items = CommerceItem.objects.filter(order_id__in=order_ids).values_list(
        "order_id", "external_item_id", "qty_shipped"
    )
    for order_id, item_id, quantity in items:
        shipped[order_id][item_id] = shipped[order_id].get(item_id, Decimal(0)) + quantity
    return shipped


def _commerce_facts(row: AmazonOrder, shipped) -> CommerceFacts | None:
    order = row.commerce_order
    if order is None:
        return None
    return CommerceFacts(
        order_id=order.pk,
        increment_id=order.increment_id,
        state=order.state,
        shipped=shipped.get(order.pk, {}),
    )


def _settings_facts(stores: dict) -> dict[int, SettingsFacts]:
    assigned: dict[int, list[str]] = {}
    status_ids = {
        store.order_settings.processing_status_id
        for store in stores.values()
        if store.order_settings.processing_status_id
    }
    for status_id, state in OrderStatusState.objects.filter(status_id__in=status_ids).values_list(
        "status_id", "state"
    ):
        assigned.setdefault(status_id, []).append(state)
    facts = {}
    for store_id, store in stores.items():
        chosen = store.order_settings
        view = chosen.store_view
        status = chosen.processing_status
        facts[store_id] = SettingsFacts(
            import_enabled=chosen.import_enabled,
            store_view_id=view.pk,
            store_view_label=f"{view.name} ({view.code})",
            store_view_usable=view.is_active and view.group.website_id == store.website_id,
            customer_creation=chosen.customer_creation,
            order_number_source=chosen.order_number_source,
            pending_orders=chosen.pending_orders,
            order_status=chosen.order_status,
            processing_status_id=status.pk if status else None,
            processing_status_label=status.label if status else "",
            processing_status_states=tuple(assigned.get(status.pk, ())) if status else (),
        )
    return facts


def _pending_object(row: AmazonOrder) -> LedgerObject:
    return LedgerObject(AMAZON_ORDER_OBJECT, str(row.pk), row.amazon_order_id)


def _order_object(row: AmazonOrder) -> LedgerObject:
    order = row.commerce_order
    return LedgerObject(COMMERCE_ORDER_OBJECT, str(order.pk), order.increment_id)


def _ledger_objects(row: AmazonOrder) -> list[LedgerObject]:
    objects = [_pending_object(row)]
    if row.commerce_order_id:
        objects.append(_order_object(row))
    return objects


# --- Writing the plans -----------------------------------------------------------------


def _write(planned: list[tuple[AmazonOrder, OrderFacts, Plan]], *, user) -> int:
    """Write every plan's actions, each kind in one go; the number of orders created."""
    creating = [(row, facts, plan) for row, facts, plan in planned if plan.create is not None]
    _placeholders_ensure(creating)
    orders = _commerce_orders_create(creating, user=user)
    for (row, _, _), order in zip(creating, orders, strict=True):
        row.commerce_order = order

    metadata = {row.pk: {"amazon_order_id": row.amazon_order_id} for row, _, _ in planned}
    releases = [
        LedgerEntry(
            _pending_object(row),
            list(facts.pending_held.items()),
            ReservationEvent.PENDING_ORDER_RELEASED,
            metadata[row.pk],
        )
        for row, facts, plan in planned
        if plan.release_pending and facts.pending_held
    ]
    for row, _, plan in planned:
        if plan.cancel:
            result = order_cancel(
                order=row.commerce_order, user=user, comment="Canceled on Amazon."
            )
            if result.canceled:
                releases.append(
                    LedgerEntry(
                        _order_object(row),
                        list(result.canceled.items()),
                        ReservationEvent.ORDER_CANCELED,
                        metadata[row.pk],
                    )
                )
    if releases:
        reservations_compensate_many(entries=releases)

    holds = [
        LedgerEntry(
            _pending_object(row),
            list(plan.hold.items()),
            ReservationEvent.PENDING_ORDER_RESERVED,
            metadata[row.pk],
        )
        for row, _, plan in planned
        if plan.hold
    ] + [
        LedgerEntry(
            _order_object(row),
            list(units_by_sku(facts.lines).items()),
            ReservationEvent.ORDER_PLACED,
            metadata[row.pk],
        )
        for row, facts, plan in creating
        if plan.create.reserve
    ]
    if holds:
        reservations_place_many(entries=holds)

    _shipments_write([(row, facts, plan) for row, facts, plan in planned if plan.ship], user=user)
    return len(orders)


def _placeholders_ensure(creating) -> None:
    names: dict[str, str] = {}
    for _, facts, _ in creating:
        for line in facts.lines:
            names.setdefault(line.sku, line.title)
    if names:
        products_ensure_placeholders(names=names)


def _commerce_orders_create(creating, *, user) -> list[CommerceOrder]:
    if not creating:
        return []
    customers = _customers_for(creating)
    drafts = []
    for row, facts, plan in creating:
        new = plan.create
        view = row.store.order_settings.store_view
        customer = customers.get(row.buyer_email.strip().lower()) if new.with_customer else None
        firstname, lastname = _split_name(row.buyer_name or row.ship_name)
        drafts.append(
            OrderDraft(
                store_view=view,
                items=[
                    OrderLine(
                        sku=line.sku,
                        qty_ordered=Decimal(line.ordered),
                        price=_unit_price(line),
                        name=line.title[:500],
                        row_total=_row_total(line),
                        external_item_id=line.amazon_item_id,
                    )
                    for line in facts.lines
                    if line.ordered > 0
                ],
                currency=_currency(row),
                shipping_amount=row.shipping_amount or Decimal(0),
                tax_amount=row.tax_amount or Decimal(0),
                discount_amount=abs(row.discount_amount or Decimal(0)),
                subtotal=row.subtotal_amount,
                grand_total=row.total_amount,
                customer=customer,
                customer_email="" if customer else row.buyer_email,
                customer_firstname=firstname,
                customer_lastname=lastname,
                shipping_address=_address(row),
                increment_id=row.amazon_order_id if new.increment_from_amazon else None,
                external_order_id=row.amazon_order_id,
                state=new.state,
                status=row.store.order_settings.processing_status if new.status_id else None,
                comment=f"Imported from Amazon order {row.amazon_order_id} "
                f"({row.get_status_display()}).",
            )
        )
    return orders_create(drafts=drafts, user=user)


def _customers_for(creating) -> dict[str, object]:
    by_website: dict[int, tuple[object, list[Person]]] = {}
    for row, _, plan in creating:
        if not plan.create.with_customer:
            continue
        website = row.store.order_settings.store_view.group.website
        firstname, lastname = _split_name(row.buyer_name or row.ship_name)
        people = by_website.setdefault(website.pk, (website, []))[1]
        people.append(Person(email=row.buyer_email.strip(), firstname=firstname, lastname=lastname))
    customers: dict[str, object] = {}
    for website, people in by_website.values():
        customers.update(customers_get_or_create(website=website, people=people))
    return customers


def _shipments_write(shipping, *, user) -> None:
    if not shipping:
        return
    order_ids = [row.commerce_order.pk for row, _, _ in shipping]
    item_ids = {
        (order_id, external): pk
        for pk, order_id, external in CommerceItem.objects.filter(order_id__in=order_ids)
        .order_by("pk")
        .values_list("pk", "order_id", "external_item_id")
    }
    drafts = []
    stock = []
    for row, facts, plan in shipping:
        order = row.commerce_order
        drafts.append(
            ShipmentDraft(
                order=order,
                quantities={
                    item_ids[(order.pk, item)]: Decimal(units) for item, units in plan.ship.items()
                },
                comment=f"Shipped on Amazon ({row.get_status_display()}).",
            )
        )
        if plan.ship_stock:
            skus = {line.amazon_item_id: line.sku for line in facts.lines}
            quantities: dict[str, Decimal] = {}
            for item, units in plan.ship.items():
                quantities[skus[item]] = quantities.get(skus[item], Decimal(0)) + units
            stock.append(
                LedgerEntry(
                    _order_object(row),
                    list(quantities.items()),
                    ReservationEvent.SHIPMENT_CREATED,
                    {"amazon_order_id": row.amazon_order_id},
                )
            )
    orders_ship(drafts=drafts, user=user)
    if stock:
        shipments_stock_deduct(entries=stock)


# --- Decisions -------------------------------------------------------------------------


def _decision_apply(row: AmazonOrder, plan: Plan, *, now) -> bool:
    """Set the row's decision; True when it changed (a history row is due)."""
    row.decided_revision = row.revision
    if plan.keep:
        return False
    reason = plan.reason or row.decision_reason
    changed = (
        row.decision != plan.decision
        or row.decision_code != plan.code
        or row.decision_reason != reason
        or row.decision_details != plan.details
        or row.attempts != 0
    )
    if changed:
        row.decision = plan.decision
        row.decision_code = plan.code
        row.decision_reason = reason
        row.decision_details = plan.details
        row.decided_at = now
    row.attempts = 0
    row.retry_at = None
    return changed


def _history_row(row, facts: OrderFacts, plan: Plan, *, trigger, user, now):
    return AmazonOrderDecision(
        order=row,
        decision=row.decision,
        code=row.decision_code,
        reason=row.decision_reason,
        details=row.decision_details,
        settings_used=facts.settings.snapshot(),
        amazon_status=row.status,
        revision=row.revision,
        commerce_order=row.commerce_order,
        attempts=row.attempts,
        trigger=trigger,
        user=user,
        created_at=now,
    )


@transaction.atomic
def _failure_record(order_id: int, *, error: Exception, trigger: str, user) -> DecideReport:
    """The order failed alone: record the error, and when to try again (if at all)."""
    row = AmazonOrder.objects.select_for_update(of=("self",)).filter(pk=order_id).first()
    if row is None:
        return DecideReport()
    now = timezone.now()
    attempts = row.attempts + 1
    message = shortened(f"{type(error).__name__}: {error}", ERROR_TEXT_LIMIT)
    retry_in = _backoff(attempts)
    row.decision = ImportDecision.ERROR
    row.decision_code = DecisionCode.FAILED
    if retry_in is None:
        row.decision_reason = f"Placing it failed {attempts} times; retry it by hand. {message}"
    else:
        row.decision_reason = (
            f"Placing it failed (attempt {attempts} of {settings.IMPORT_MAX_ATTEMPTS}); "
            f"tried again by itself. {message}"
        )
    row.decision_details = {"error": message, "attempts": attempts}
    row.decided_at = now
    row.decided_revision = row.revision
    row.attempts = attempts
    row.retry_at = now + retry_in if retry_in is not None else None
    row.save(update_fields=DECISION_FIELDS)
    AmazonOrderDecision.objects.create(
        order=row,
        decision=row.decision,
        code=row.decision_code,
        reason=row.decision_reason,
        details=row.decision_details,
        amazon_status=row.status,
        revision=row.revision,
        commerce_order=row.commerce_order,
        attempts=attempts,
        trigger=trigger,
        user=user,
        created_at=now,
    )
    return DecideReport(decided=1, changed=1, failed=[order_id])


def _backoff(attempts: int) -> timedelta | None:
    """How long before the next automatic attempt; None once the attempts are spent."""
    if attempts >= settings.IMPORT_MAX_ATTEMPTS:
        return None
    return timedelta(seconds=settings.IMPORT_RETRY_BASE_SECONDS * 3 ** (attempts - 1))


# --- Amazon values as Commerce takes them ---------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().partition(" ")
    return first[:255], last.strip()[:255]


def _unit_price(line: Line) -> Decimal:
    if line.unit_price is not None:
        return line.unit_price
    if line.row_total is not None and line.ordered:
        return (line.row_total / line.ordered).quantize(Decimal("0.0001"))
    return Decimal(0)


def _row_total(line: Line) -> Decimal:
    if line.row_total is not None:
        return line.row_total
    return _unit_price(line) * line.ordered


def _currency(row: AmazonOrder) -> str:
    if row.currency:
        return row.currency
    currency = (
        AmazonOrderItem.objects.filter(order=row)
        .exclude(currency="")
        .values_list("currency", flat=True)
    ).first()
    if not currency:
        raise ValueError("Amazon sent no currency for this order yet.")
    return currency


def _address(row: AmazonOrder) -> dict:
    address = {
        "name": row.ship_name,
        "company": row.ship_company,
        "line1": row.ship_line1,
        "line2": row.ship_line2,
        "line3": row.ship_line3,
        "city": row.ship_city,
        "district": row.ship_district,
        "region": row.ship_state_or_region,
        "postal_code": row.ship_postal_code,
        "country_code": row.ship_country_code,
        "phone": row.ship_phone,
    }
    return {key: value for key, value in address.items() if value}
