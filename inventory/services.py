"""Writes of products, stock and the reservation ledger.

Ledger writes (hold, compensate, ship) lock the SKUs' stock items first, in primary-key
order (``inventory.locks``), then decide from the locked rows, then write: a refused hold
writes nothing, and two transactions reserving the same SKU are serialised by the row
lock, so salable quantity never drops below zero under any interleaving. Each ledger
insert moves the stock item's running ``reservation_total`` in the same transaction.

A compensation gives back at most what its object still holds for the SKU, so an
object's group never goes positive, a retried compensation writes nothing twice, and a
hold taken while the SKU was managed is still released after management is switched off.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, DecimalField, F, Q, Sum, Value, When

from inventory.exceptions import (
    EventDirectionError,
    InsufficientSalableQuantity,
    InsufficientStockQuantity,
    SkuOutOfStock,
    TransactionRequired,
)
from inventory.lines import quantities_by_sku
from inventory.locks import stock_item_lock_by_sku, stock_items_lock
from inventory.models import (
    COMPENSATING_EVENTS,
    DEFAULT_STOCK_ID,
    HOLDING_EVENTS,
    QUANTITY_DIGITS,
    RELEASING_EVENTS,
    AdjustmentKind,
    Product,
    Reservation,
    ReservationEvent,
    Stock,
    StockAdjustment,
    StockItem,
)
from inventory.selectors import StockLevel
from inventory.signals import stock_released_on_commit

Lines = Iterable[tuple[str, Decimal | int | str]]
PRODUCT_NAME_MAX_LENGTH = Product._meta.get_field("name").max_length


@dataclass(frozen=True)
class LedgerObject:
    """What a group of ledger rows belongs to, e.g. ("order", "42", "000000042")."""

    type: str
    id: str
    increment_id: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.id)


def stock_ensure(*, stock_id: int = DEFAULT_STOCK_ID) -> Stock:
    """The stock; the default one is recreated if a database flush removed it."""
    if stock_id != DEFAULT_STOCK_ID:
        return Stock.objects.get(pk=stock_id)
    stock, _ = Stock.objects.get_or_create(
        pk=DEFAULT_STOCK_ID, defaults={"code": "default", "name": "Default Stock"}
    )
    return stock


@transaction.atomic
def product_create(
    *,
    sku: str,
    name: str,
    enabled: bool = True,
    manage_stock: bool = True,
    quantity: Decimal | int = 0,
    out_of_stock_threshold: Decimal | int = 0,
    is_in_stock: bool = True,
    stock_id: int = DEFAULT_STOCK_ID,
    user=None,
) -> Product:
    """A catalog product with its stock item; a starting quantity is an audited adjustment."""
    stock = stock_ensure(stock_id=stock_id)
    product = Product.objects.create(sku=sku, name=name, enabled=enabled)
    StockItem.objects.create(
        stock=stock,
        product=product,
        manage_stock=manage_stock,
        out_of_stock_threshold=Decimal(out_of_stock_threshold),
        is_in_stock=is_in_stock,
    )
    if quantity:
        stock_item_adjust(
            sku=sku, stock_id=stock.pk, quantity=Decimal(quantity), user=user, reason="Created"
        )
    return product


@transaction.atomic
def product_get_or_create_placeholder(
    *, sku: str, name: str = "", stock_id: int = DEFAULT_STOCK_ID
) -> tuple[Product, bool]:
    """The product of an ordered SKU; an unknown SKU gets a disabled, unmanaged one.

    Safe under races: the unique SKU makes the second of two concurrent inserts wait for
    the first and then find its row.
    """
    # Amazon titles run longer than a catalog name holds; the SKU is what identifies it.
    name = (name.strip() or sku)[:PRODUCT_NAME_MAX_LENGTH]
    product, created = Product.objects.get_or_create(
        sku=sku, defaults={"name": name, "enabled": False}
    )
    stock_item_ensure(product=product, manage_stock=False, stock_id=stock_id)
    return product, created


@transaction.atomic
def products_ensure_placeholders(
    *, names: Mapping[str, str], stock_id: int = DEFAULT_STOCK_ID
) -> list[str]:
    """Give every SKU without a product a disabled, unmanaged placeholder; the SKUs made.

    ``names`` maps each SKU to the title to use. One query when all exist; race-safe like
    ``product_get_or_create_placeholder`` (the unique SKU decides, the loser reads).
    """
    skus = sorted(names)
    existing = set(Product.objects.filter(sku__in=skus).values_list("sku", flat=True))
    missing = [sku for sku in skus if sku not in existing]
    if not missing:
        return []
    stock = stock_ensure(stock_id=stock_id)
    Product.objects.bulk_create(
        [
            Product(
                sku=sku, name=(names[sku].strip() or sku)[:PRODUCT_NAME_MAX_LENGTH], enabled=False
            )
            for sku in missing
        ],
        ignore_conflicts=True,
    )
    products = Product.objects.filter(sku__in=missing)
    StockItem.objects.bulk_create(
        [StockItem(stock=stock, product=product, manage_stock=False) for product in products],
        ignore_conflicts=True,
    )
    return missing


def stock_levels_lock(
    *, skus: Iterable[str], stock_id: int = DEFAULT_STOCK_ID
) -> dict[str, StockLevel]:
    """The SKUs' figures, their stock items locked until the caller's transaction ends.

    Deciding on these figures and then writing holds in the same transaction is safe:
    nobody can move the locked SKUs in between. SKUs without a stock item are left out.
    """
    _require_transaction()
    items = stock_items_lock(stock_id=stock_id, skus=skus)
    return {
        sku: StockLevel(sku, item.manage_stock, item.is_in_stock, item.salable_quantity)
        for sku, item in items.items()
    }


def stock_item_ensure(
    *, product: Product, manage_stock: bool = True, stock_id: int = DEFAULT_STOCK_ID
) -> StockItem:
    """The product's stock item in the stock; a missing one is created with no quantity."""
    stock = stock_ensure(stock_id=stock_id)
    item, _ = StockItem.objects.get_or_create(
        stock=stock, product=product, defaults={"manage_stock": manage_stock}
    )
    return item


@transaction.atomic
def stock_item_adjust(
    *,
    sku: str,
    quantity: Decimal,
    user=None,
    reason: str = "",
    stock_id: int = DEFAULT_STOCK_ID,
) -> StockAdjustment:
    """Set the SKU's stock quantity, leaving an adjustment row (who, when, from, to)."""
    item = stock_item_lock_by_sku(stock_id=stock_id, sku=sku)
    adjustment = StockAdjustment.objects.create(
        stock_item=item,
        kind=AdjustmentKind.MANUAL,
        quantity_from=item.quantity,
        quantity_to=quantity,
        reason=reason,
        user=user,
    )
    raised = quantity > item.quantity
    item.quantity = quantity
    item.save(update_fields=["quantity", "updated_at"])
    if raised:
        stock_released_on_commit(skus=[sku], stock_id=stock_id)
    return adjustment


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise TransactionRequired("Ledger writes must run inside the caller's transaction.")


@dataclass(frozen=True)
class LedgerEntry:
    """Quantities of one object for one ledger event: e.g. an order's lines, placed."""

    obj: LedgerObject
    lines: Lines
    event: str
    metadata: Mapping | None = None


def reservations_place(
    *,
    lines: Lines,
    obj: LedgerObject,
    event: str = ReservationEvent.ORDER_PLACED,
    stock_id: int = DEFAULT_STOCK_ID,
    metadata: Mapping | None = None,
) -> list[Reservation]:
    """Hold (-qty) every managed SKU of the lines, or refuse the whole lot.

    Runs in the caller's transaction. Raises ``ReservationRefused`` (naming the SKU) and
    writes nothing when any SKU lacks the salable quantity. Unmanaged and unknown SKUs
    are always salable and hold nothing.
    """
    entry = LedgerEntry(obj=obj, lines=lines, event=event, metadata=metadata)
    return reservations_place_many(entries=[entry], stock_id=stock_id)


def reservations_place_many(
    *, entries: Sequence[LedgerEntry], stock_id: int = DEFAULT_STOCK_ID
) -> list[Reservation]:
    """Hold the quantities of many objects at once, in the order given, or refuse them all.

    Each SKU is locked once for the whole batch and judged against what the entries
    before it took, so a batch never holds more than is salable.
    """
    _require_transaction()
    for entry in entries:
        if entry.event not in HOLDING_EVENTS:
            raise EventDirectionError(
                f"{entry.event} gives quantity back; use reservations_compensate."
            )
    wanted = [(entry, quantities_by_sku(entry.lines)) for entry in entries]
    items = stock_items_lock(stock_id=stock_id, skus={sku for _, qty in wanted for sku in qty})
    salable = {sku: item.salable_quantity for sku, item in items.items()}
    rows: list[Reservation] = []
    for entry, quantities in wanted:
        held = {
            sku: qty for sku, qty in quantities.items() if sku in items and items[sku].manage_stock
        }
        for sku in sorted(held):
            if not items[sku].is_in_stock:
                raise SkuOutOfStock(sku=sku)
            if salable[sku] < held[sku]:
                raise InsufficientSalableQuantity(
                    sku=sku, requested=held[sku], salable=salable[sku]
                )
            salable[sku] -= held[sku]
        rows += _ledger_rows(
            changes={sku: -qty for sku, qty in held.items()},
            obj=entry.obj,
            event=entry.event,
            stock_id=stock_id,
            metadata=entry.metadata,
        )
    return _ledger_append(rows=rows, items=items)


def reservations_compensate(
    *,
    lines: Lines,
    obj: LedgerObject,
    event: str,
    stock_id: int = DEFAULT_STOCK_ID,
    metadata: Mapping | None = None,
) -> list[Reservation]:
    """Give back (+qty) what the object holds for the lines' SKUs, capped at that hold.

    Runs in the caller's transaction.
    """
    entry = LedgerEntry(obj=obj, lines=lines, event=event, metadata=metadata)
    return reservations_compensate_many(entries=[entry], stock_id=stock_id)


def reservations_compensate_many(
    *, entries: Sequence[LedgerEntry], stock_id: int = DEFAULT_STOCK_ID
) -> list[Reservation]:
    """Give back what each object holds for its lines' SKUs, each capped at its hold.

    A release (cancel, pending release, credit memo) is announced once the transaction
    commits, so orders waiting for that stock can be decided again.
    """
    _require_transaction()
    for entry in entries:
        if entry.event not in COMPENSATING_EVENTS:
            raise EventDirectionError(f"{entry.event} holds quantity; use reservations_place.")
    wanted = [(entry, quantities_by_sku(entry.lines)) for entry in entries]
    skus = {sku for _, quantities in wanted for sku in quantities}
    items = stock_items_lock(stock_id=stock_id, skus=skus)
    held = holds_outstanding(objects=[entry.obj for entry in entries], stock_id=stock_id)
    rows: list[Reservation] = []
    for entry, quantities in wanted:
        rows += _compensation_rows(
            wanted=quantities,
            held=held.setdefault(entry.obj.key, {}),
            obj=entry.obj,
            event=entry.event,
            stock_id=stock_id,
            metadata=entry.metadata,
        )
    released = sorted({row.sku for row in rows if row.event_type in RELEASING_EVENTS})
    if released:
        stock_released_on_commit(skus=released, stock_id=stock_id)
    return _ledger_append(rows=rows, items=items)


def holds_outstanding(
    *, objects: Iterable[LedgerObject], stock_id: int = DEFAULT_STOCK_ID
) -> dict[tuple[str, str], dict[str, Decimal]]:
    """What each object still holds per SKU (positive numbers), keyed by (type, id).

    One query for any number of objects; read it after locking the SKUs to act on it.
    """
    ids_by_type: dict[str, set[str]] = {}
    for obj in objects:
        ids_by_type.setdefault(obj.type, set()).add(obj.id)
    if not ids_by_type:
        return {}
    matching = Q()
    for object_type, ids in sorted(ids_by_type.items()):
        matching |= Q(object_type=object_type, object_id__in=sorted(ids))
    sums = (
        Reservation.objects.filter(matching, stock_id=stock_id)
        .values_list("object_type", "object_id", "sku")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    held: dict[tuple[str, str], dict[str, Decimal]] = {}
    for object_type, object_id, sku, total in sums:
        if total < 0:
            held.setdefault((object_type, object_id), {})[sku] = -total
    return held


@transaction.atomic
def shipment_stock_deduct(
    *,
    lines: Lines,
    obj: LedgerObject,
    stock_id: int = DEFAULT_STOCK_ID,
    metadata: Mapping | None = None,
) -> list[Reservation]:
    """Ship: deduct the managed SKUs' stock quantity and release the object's hold.

    One transaction (the caller's, when there is one). SKUs whose stock is not managed
    keep their quantity; a hold the object still has on them is released all the same.
    Raises ``InsufficientStockQuantity`` and writes nothing when a quantity would go
    below zero.
    """
    entry = LedgerEntry(
        obj=obj, lines=lines, event=ReservationEvent.SHIPMENT_CREATED, metadata=metadata
    )
    return shipments_stock_deduct(entries=[entry], stock_id=stock_id)


@transaction.atomic
def shipments_stock_deduct(
    *, entries: Sequence[LedgerEntry], stock_id: int = DEFAULT_STOCK_ID
) -> list[Reservation]:
    """Ship many objects' lines at once: one lock of the SKUs, one write of each kind."""
    wanted = [(entry, quantities_by_sku(entry.lines)) for entry in entries]
    skus = {sku for _, quantities in wanted for sku in quantities}
    items = stock_items_lock(stock_id=stock_id, skus=skus)
    deducted: dict[str, Decimal] = {}
    for _, quantities in wanted:
        for sku, qty in quantities.items():
            if sku in items and items[sku].manage_stock:
                deducted[sku] = deducted.get(sku, Decimal(0)) + qty
    for sku in sorted(deducted):
        if items[sku].quantity < deducted[sku]:
            raise InsufficientStockQuantity(
                sku=sku, shipped=deducted[sku], quantity=items[sku].quantity
            )
    if deducted:
        StockItem.objects.filter(pk__in=[items[sku].pk for sku in deducted]).update(
            quantity=F("quantity")
            - _per_item_value({items[sku].pk: qty for sku, qty in deducted.items()})
        )
        adjustments = []
        for entry, quantities in wanted:
            for sku, qty in sorted(quantities.items()):
                if sku in deducted:
                    item = items[sku]
                    adjustments.append(
                        StockAdjustment(
                            stock_item=item,
                            kind=AdjustmentKind.SHIPMENT,
                            quantity_from=item.quantity,
                            quantity_to=item.quantity - qty,
                            reason=f"Shipment of {entry.obj.type} "
                            f"{entry.obj.increment_id or entry.obj.id}",
                        )
                    )
                    item.quantity -= qty
        StockAdjustment.objects.bulk_create(adjustments)
    held = holds_outstanding(objects=[entry.obj for entry in entries], stock_id=stock_id)
    rows: list[Reservation] = []
    for entry, quantities in wanted:
        rows += _compensation_rows(
            wanted=quantities,
            held=held.setdefault(entry.obj.key, {}),
            obj=entry.obj,
            event=ReservationEvent.SHIPMENT_CREATED,
            stock_id=stock_id,
            metadata=entry.metadata,
        )
    return _ledger_append(rows=rows, items=items)


def _compensation_rows(
    *,
    wanted: Mapping[str, Decimal],
    held: dict[str, Decimal],
    obj: LedgerObject,
    event: str,
    stock_id: int,
    metadata: Mapping | None,
) -> list[Reservation]:
    """Rows giving back what is wanted, capped at what the object holds (``held`` moves)."""
    changes = {sku: min(qty, held[sku]) for sku, qty in wanted.items() if held.get(sku, 0) > 0}
    for sku, qty in changes.items():
        held[sku] -= qty
    return _ledger_rows(changes=changes, obj=obj, event=event, stock_id=stock_id, metadata=metadata)


def _ledger_rows(
    *,
    changes: Mapping[str, Decimal],
    obj: LedgerObject,
    event: str,
    stock_id: int,
    metadata: Mapping | None,
) -> list[Reservation]:
    """Unsaved ledger rows, one per SKU, in SKU order."""
    return [
        Reservation(
            stock_id=stock_id,
            sku=sku,
            quantity=quantity,
            event_type=event,
            object_type=obj.type,
            object_id=obj.id,
            object_increment_id=obj.increment_id,
            metadata=dict(metadata or {}),
        )
        for sku, quantity in sorted(changes.items())
    ]


def _ledger_append(*, rows: list[Reservation], items: Mapping[str, StockItem]) -> list[Reservation]:
    """Insert the rows and move the locked stock items' running totals, in one go each."""
    if not rows:
        return []
    created = Reservation.objects.bulk_create(rows)
    changes: dict[int, Decimal] = {}
    for row in rows:
        pk = items[row.sku].pk
        changes[pk] = changes.get(pk, Decimal(0)) + row.quantity
    StockItem.objects.filter(pk__in=changes).update(
        reservation_total=F("reservation_total") + _per_item_value(changes)
    )
    for row in rows:
        items[row.sku].reservation_total += row.quantity
    return created


def _per_item_value(values: Mapping[int, Decimal]) -> Case:
    return Case(
        *(When(pk=pk, then=Value(value)) for pk, value in values.items()),
        output_field=DecimalField(**QUANTITY_DIGITS),
    )


def reservation_groups_cleanup(*, max_groups: int = 10_000, batch_size: int = 500) -> int:
    """Delete the ledger rows of each (object, stock, SKU) group that sums to zero.

    Returns the number of rows deleted. Runs outside any long transaction: each batch is
    re-read in one statement and only rows that sum to zero within that same read are
    deleted, by id, in a short DELETE. A row that joins a group meanwhile stays, every
    (stock, SKU) keeps its sum, so running totals and salable quantities never move,
    and no stock item is locked: imports go on while it runs.
    """
    candidates = list(
        Reservation.objects.values_list("object_type", "object_id", "stock_id", "sku")
        .annotate(total=Sum("quantity"))
        .filter(total=0)
        .order_by("object_type", "object_id", "stock_id", "sku")[:max_groups]
    )
    deleted = 0
    for start in range(0, len(candidates), batch_size):
        batch = {group[:4] for group in candidates[start : start + batch_size]}
        deleted += zero_sum_rows_delete(groups=batch)
    return deleted


def zero_sum_rows_delete(*, groups: set[tuple[str, str, int, str]]) -> int:
    rows_by_group: dict[tuple[str, str, int, str], list[tuple[int, Decimal]]] = {}
    for object_type in {group[0] for group in groups}:
        rows = Reservation.objects.filter(
            object_type=object_type,
            object_id__in=sorted({group[1] for group in groups if group[0] == object_type}),
        ).values_list("id", "object_type", "object_id", "stock_id", "sku", "quantity")
        for row_id, *group, quantity in rows:
            if tuple(group) in groups:
                rows_by_group.setdefault(tuple(group), []).append((row_id, quantity))
    doomed = [
        row_id
        for rows in rows_by_group.values()
        if sum(quantity for _, quantity in rows) == 0
        for row_id, _ in rows
    ]
    if not doomed:
        return 0
    deleted, _ = Reservation.objects.filter(id__in=doomed).delete()
    return deleted
