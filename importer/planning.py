"""What the import does with one Amazon order, given what is known: a plan, no I/O.

``plan_order`` applies the decision table (``importer.rules``) and the store's order
settings to the facts of one order (its Amazon status and lines, its Commerce order if
it has one, what it holds, the stock figures) and says what to write: a decision, and
at most one of each action (hold, release, create, reserve, ship, cancel). The caller
(``importer.services.decisions``) gathers the facts of a whole batch under lock, plans
each order in turn against the figures the earlier ones left, and writes the batch.

The rules beyond the table, each a merchant would expect:
- an order created before the store was connected is never imported; one received while
  import was Disabled stays skipped when import is enabled again (the merchant handled
  it in Seller Central) unless someone imports it by hand; an inactive store's orders
  are skipped; a skipped order gives back anything it held;
- an FBM order that is only Pending holds its quantity when the store reserves pending
  orders and every managed SKU covers it, all or nothing; the hold is released in the
  same transaction that writes ``order_placed``, or when the order is canceled;
- an order's own pending hold counts towards its stock check (it is its stock), and a
  blocked order keeps what it holds;
- a Commerce order follows Amazon: canceled when Amazon cancels it (what it still holds
  given back once), shipped for what Amazon reports shipped (stock deducted for FBM,
  never for FBA); an FBM order first seen shipped is placed and shipped at once, so its
  reservation nets to zero;
- settings that no longer apply (an inactive store view, one of another website, a
  Processing Order Status no longer assigned to New or Processing) block the order with
  the reason, they never fail it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from commerce.models import OrderState
from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel
from importer.models import DecisionCode, ImportDecision
from importer.rules import Action, decide
from inventory.selectors import StockLevel, sku_status
from inventory.status import InventoryStatus
from settings_app.models import CustomerCreation, OrderNumberSource, OrderStatusMode, PendingOrders

ZERO = Decimal(0)
# An order in these states has stopped following Amazon (closed or canceled on our side).
FINAL_STATES = frozenset({OrderState.CANCELED, OrderState.CLOSED})
STATUS_LABELS = dict(AmazonOrderStatus.choices)


@dataclass(frozen=True)
class Line:
    """One Amazon order item."""

    item_id: int
    amazon_item_id: str
    sku: str
    title: str
    ordered: int
    shipped: int
    unit_price: Decimal | None
    row_total: Decimal | None


@dataclass(frozen=True)
class SettingsFacts:
    """The store's order settings as the import reads them, plus what makes them valid."""

    import_enabled: bool
    store_view_id: int
    store_view_label: str
    store_view_usable: bool  # active, and of the Amazon store's website
    customer_creation: str
    order_number_source: str
    pending_orders: str
    order_status: str
    processing_status_id: int | None
    processing_status_label: str
    processing_status_states: tuple[str, ...]  # the states it is assigned to

    def snapshot(self) -> dict:
        """As recorded with each decision: what was set, in codes and labels."""
        return {
            "import_enabled": self.import_enabled,
            "store_view": self.store_view_label,
            "customer_creation": self.customer_creation,
            "order_number_source": self.order_number_source,
            "pending_orders": self.pending_orders,
            "order_status": self.order_status,
            "processing_status": self.processing_status_label or None,
        }


@dataclass(frozen=True)
class CommerceFacts:
    """The order's Commerce order, when it has one."""

    order_id: int
    increment_id: str
    state: str
    shipped: Mapping[str, Decimal]  # Amazon item id -> quantity shipped in Commerce


@dataclass(frozen=True)
class OrderFacts:
    channel: str
    status: str
    purchased_at: datetime
    lines: tuple[Line, ...]
    buyer_email: str
    decision: str
    decision_code: str
    store_active: bool
    connected_at: datetime
    settings: SettingsFacts
    commerce: CommerceFacts | None
    pending_held: Mapping[str, Decimal]  # what its pending hold holds per SKU
    commerce_held: Mapping[str, Decimal]  # what its Commerce order still holds per SKU


@dataclass(frozen=True)
class NewOrder:
    """How to create the Commerce order."""

    state: str
    status_id: int | None  # None: the state's default
    increment_from_amazon: bool
    with_customer: bool
    reserve: bool


@dataclass
class Plan:
    decision: str
    code: str
    reason: str
    details: dict = field(default_factory=dict)
    hold: dict[str, Decimal] = field(default_factory=dict)  # pending hold to add, per SKU
    release_pending: bool = False
    create: NewOrder | None = None
    ship: dict[str, int] = field(default_factory=dict)  # Amazon item id -> units to ship now
    ship_stock: bool = False  # deduct stock for what ships (FBM)
    cancel: bool = False
    keep: bool = False  # nothing new: the current decision stands as it is

    def takes(self, facts: OrderFacts) -> dict[str, Decimal]:
        """How the plan moves each SKU's salable quantity (positive: takes, negative: frees)."""
        moved: dict[str, Decimal] = {}
        for sku, quantity in self.hold.items():
            moved[sku] = moved.get(sku, ZERO) + quantity
        if self.release_pending:
            for sku, quantity in facts.pending_held.items():
                moved[sku] = moved.get(sku, ZERO) - quantity
        if self.create is not None and self.create.reserve:
            for sku, quantity in units_by_sku(facts.lines).items():
                moved[sku] = moved.get(sku, ZERO) + quantity
        if self.cancel:
            for sku, quantity in facts.commerce_held.items():
                moved[sku] = moved.get(sku, ZERO) - quantity
        return moved


def units_by_sku(lines) -> dict[str, Decimal]:
    units: dict[str, Decimal] = {}
    for line in lines:
        if line.ordered > 0:
            units[line.sku] = units.get(line.sku, ZERO) + Decimal(line.ordered)
    return units


def plan_order(
    facts: OrderFacts, *, levels: Mapping[str, StockLevel], import_now: bool = False
) -> Plan:
    """The plan for one order; ``levels`` are the stock figures left by earlier plans."""
    if facts.commerce is not None:
        return _plan_imported(facts)
    skipped = _skip(facts, import_now=import_now)
    if skipped is not None:
        return skipped
    inventory, shortages = _inventory(facts, levels)
    rule = decide(channel=facts.channel, status=facts.status, inventory=inventory)
    if rule.action == Action.CANCEL:
        return _released(
            facts,
            Plan(ImportDecision.CANCELED, DecisionCode.CANCELED_BEFORE_IMPORT, rule.reason),
        )
    if rule.action == Action.WAIT:
        return _plan_waiting(facts, rule, levels)
    if rule.action == Action.BLOCK:
        return Plan(
            ImportDecision.BLOCKED,
            DecisionCode.OUT_OF_STOCK,
            _shortage_sentence(shortages),
            details={"shortages": shortages},
        )
    invalid = _settings_problem(facts.settings)
    if invalid:
        return Plan(ImportDecision.BLOCKED, DecisionCode.INVALID_SETTINGS, invalid)
    if not units_by_sku(facts.lines):
        return Plan(
            ImportDecision.ERROR,
            DecisionCode.FAILED,
            "Amazon lists no units in this order, so there is nothing to create.",
            details={"error": "no units ordered"},
        )
    return _plan_creation(facts, rule)


def _skip(facts: OrderFacts, *, import_now: bool) -> Plan | None:
    if facts.purchased_at < facts.connected_at:
        plan = Plan(
            ImportDecision.SKIPPED,
            DecisionCode.BEFORE_CONNECTION,
            "Created on Amazon before the store was connected: never imported.",
        )
        return _released(facts, plan)
    if import_now:
        return None
    sticky = facts.decision == ImportDecision.SKIPPED and facts.decision_code in {
        DecisionCode.IMPORT_DISABLED
    }
    if sticky:
        return _released(
            facts,
            Plan(
                ImportDecision.SKIPPED,
                DecisionCode.IMPORT_DISABLED,
                "Received while import was disabled: left to Seller Central. Import it by "
                "hand to create its Commerce order.",
            ),
        )
    if not facts.store_active:
        return _released(
            facts,
            Plan(
                ImportDecision.SKIPPED,
                DecisionCode.STORE_INACTIVE,
                "The store is inactive: nothing is imported from it.",
            ),
        )
    if not facts.settings.import_enabled:
        return _released(
            facts,
            Plan(
                ImportDecision.SKIPPED,
                DecisionCode.IMPORT_DISABLED,
                "Received while import was disabled: left to Seller Central. Import it by "
                "hand to create its Commerce order.",
            ),
        )
    return None


def _released(facts: OrderFacts, plan: Plan) -> Plan:
    plan.release_pending = bool(facts.pending_held)
    return plan


def _inventory(
    facts: OrderFacts, levels: Mapping[str, StockLevel]
) -> tuple[InventoryStatus, list[dict]]:
    """The order's inventory status, its own pending hold counted as its stock."""
    statuses = []
    shortages = []
    for sku, wanted in sorted(units_by_sku(facts.lines).items()):
        level = levels.get(sku)
        if level is not None and level.manage_stock:
            own = facts.pending_held.get(sku, ZERO)
            level = StockLevel(sku, True, level.is_in_stock, level.salable + own)
        status, salable = sku_status(level, wanted)
        statuses.append(status)
        if status == InventoryStatus.OUT_OF_STOCK:
            available = max(salable, ZERO) if level.is_in_stock else ZERO
            shortages.append(
                {
                    "sku": sku,
                    "ordered": _plain(wanted),
                    "salable": _plain(available),
                    "short": _plain(wanted - available),
                }
            )
    return _order_status(statuses), shortages


def _order_status(statuses: list[InventoryStatus]) -> InventoryStatus:
    """Out-of-stock if any managed SKU is; else In-stock if any SKU is managed."""
    for status in (InventoryStatus.OUT_OF_STOCK, InventoryStatus.IN_STOCK):
        if status in statuses:
            return status
    return InventoryStatus.DO_NOT_MANAGE


def _plan_waiting(facts: OrderFacts, rule, levels: Mapping[str, StockLevel]) -> Plan:
    if facts.channel == FulfillmentChannel.FBA:
        code = DecisionCode.AWAITING_AMAZON_SHIPMENT
    elif facts.status == AmazonOrderStatus.PENDING_AVAILABILITY:
        code = DecisionCode.PREORDER
    else:
        code = DecisionCode.PENDING
    reserving = rule.hold_while_pending and facts.settings.pending_orders == PendingOrders.RESERVE
    if not reserving:
        return _released(facts, Plan(ImportDecision.WAITING, code, rule.reason))
    wanted = {
        sku: units
        for sku, units in units_by_sku(facts.lines).items()
        if levels.get(sku) is not None and levels[sku].manage_stock
    }
    if not wanted:
        return _released(
            facts,
            Plan(
                ImportDecision.WAITING,
                code,
                rule.reason + " Its SKUs' stock is not managed, so nothing is held.",
            ),
        )
    if dict(facts.pending_held) == wanted:
        return _held_plan(wanted, rule)
    if facts.pending_held:
        # Its lines changed since it was held: give the old hold back and hold anew.
        levels = {
            sku: StockLevel(
                sku,
                level.manage_stock,
                level.is_in_stock,
                level.salable + facts.pending_held.get(sku, ZERO),
            )
            for sku, level in levels.items()
        }
    shortages = []
    for sku, units in sorted(wanted.items()):
        level = levels[sku]
        available = level.salable if level.is_in_stock else ZERO
        if available < units:
            shortages.append(
                {
                    "sku": sku,
                    "ordered": _plain(units),
                    "salable": _plain(max(available, ZERO)),
                    "short": _plain(units - max(available, ZERO)),
                }
            )
    if shortages:
        return _released(
            facts,
            Plan(
                ImportDecision.WAITING,
                DecisionCode.PENDING_NOT_HELD,
                rule.reason
                + " Not enough stock to hold it meanwhile: "
                + _shortage_sentence(shortages, lead=""),
                details={"shortages": shortages},
            ),
        )
    plan = _held_plan(wanted, rule)
    plan.release_pending = bool(facts.pending_held)
    plan.hold = dict(wanted)
    return plan


def _held_plan(wanted: Mapping[str, Decimal], rule) -> Plan:
    held = ", ".join(f"{_plain(units)} of {sku}" for sku, units in sorted(wanted.items()))
    return Plan(
        ImportDecision.HELD,
        DecisionCode.PENDING_HELD,
        f"{rule.reason} Meanwhile its quantity is held: {held}.",
        details={
            "held": [{"sku": sku, "quantity": _plain(q)} for sku, q in sorted(wanted.items())]
        },
    )


def _settings_problem(settings: SettingsFacts) -> str:
    if not settings.store_view_usable:
        return (
            f"The store view chosen in the order settings ({settings.store_view_label}) is "
            "inactive or belongs to another website: choose another one, then retry."
        )
    if settings.order_status == OrderStatusMode.CUSTOM and not _custom_state(settings):
        return (
            f"The Processing Order Status ({settings.processing_status_label}) is no longer "
            "assigned to state New or Processing: assign it, or choose another status, then "
            "retry."
        )
    return ""


def _custom_state(settings: SettingsFacts) -> str:
    for state in (OrderState.NEW, OrderState.PROCESSING):
        if state in settings.processing_status_states:
            return state
    return ""


def _plan_creation(facts: OrderFacts, rule) -> Plan:
    settings = facts.settings
    custom = settings.order_status == OrderStatusMode.CUSTOM
    wants_account = settings.customer_creation == CustomerCreation.NEW_ACCOUNT
    with_customer = wants_account and bool(facts.buyer_email.strip())
    plan = Plan(ImportDecision.CREATED, DecisionCode.CREATED, rule.reason)
    plan.create = NewOrder(
        state=_custom_state(settings) if custom else OrderState.NEW,
        status_id=settings.processing_status_id if custom else None,
        increment_from_amazon=settings.order_number_source == OrderNumberSource.AMAZON,
        with_customer=with_customer,
        reserve=rule.reserve,
    )
    plan.release_pending = bool(facts.pending_held)
    if wants_account and not with_customer:
        plan.details["guest"] = "Amazon gave no buyer email, so it is a guest order."
        plan.reason += " Guest order: Amazon gave no buyer email."
    if rule.shipped:
        plan.ship = {line.amazon_item_id: line.shipped for line in facts.lines if line.shipped > 0}
        plan.ship_stock = rule.reserve
    return _shipping_outcome(facts, plan, shipped_before={})


def _plan_imported(facts: OrderFacts) -> Plan:
    commerce = facts.commerce
    current = _settled(facts)
    if commerce.state in FINAL_STATES:
        if facts.decision == ImportDecision.CANCELED:
            return Plan(facts.decision, facts.decision_code, "", keep=True)
        return Plan(
            ImportDecision.CANCELED,
            DecisionCode.CANCELED,
            f"Its Commerce order {commerce.increment_id} is {OrderState(commerce.state).label}.",
        )
    canceled = decide(
        channel=facts.channel, status=facts.status, inventory=InventoryStatus.DO_NOT_MANAGE
    )
    if canceled.action == Action.CANCEL:
        plan = Plan(
            ImportDecision.CANCELED,
            DecisionCode.CANCELED,
            f"{canceled.reason} Commerce order {commerce.increment_id} canceled and what it "
            "still held given back.",
        )
        plan.cancel = True
        return plan
    if not canceled.shipped:
        return current
    to_ship = {
        line.amazon_item_id: line.shipped - int(commerce.shipped.get(line.amazon_item_id, ZERO))
        for line in facts.lines
    }
    to_ship = {item: units for item, units in to_ship.items() if units > 0}
    if not to_ship:
        return current
    if commerce.state == OrderState.HOLDED:
        return Plan(
            ImportDecision.BLOCKED,
            DecisionCode.COMMERCE_ORDER_ON_HOLD,
            f"Amazon reports units shipped, but Commerce order {commerce.increment_id} is on "
            "hold: release it to record the shipment.",
        )
    plan = Plan(ImportDecision.CREATED, DecisionCode.CREATED, "")
    plan.ship = to_ship
    plan.ship_stock = facts.channel == FulfillmentChannel.FBM
    return _shipping_outcome(facts, plan, shipped_before=commerce.shipped)


def _settled(facts: OrderFacts) -> Plan:
    """Nothing to do for an imported order: its decision stands, or is restated after an
    error or a block that no longer applies."""
    if facts.decision in (ImportDecision.CREATED, ImportDecision.SHIPPED):
        return Plan(facts.decision, facts.decision_code, "", keep=True)
    commerce = facts.commerce
    plan = Plan(
        ImportDecision.CREATED,
        DecisionCode.CREATED,
        f"Commerce order {commerce.increment_id} follows the Amazon order; nothing is "
        "waiting to be recorded.",
    )
    ordered = sum(line.ordered for line in facts.lines)
    shipped = sum(int(units) for units in commerce.shipped.values())
    if shipped >= ordered > 0:
        plan.decision, plan.code = ImportDecision.SHIPPED, DecisionCode.SHIPPED
    elif shipped:
        plan.code = DecisionCode.PARTIALLY_SHIPPED
    return plan


def _shipping_outcome(
    facts: OrderFacts, plan: Plan, *, shipped_before: Mapping[str, Decimal]
) -> Plan:
    """Name the decision after what will have shipped once the plan is written."""
    if not plan.ship:
        return plan
    ordered = sum(line.ordered for line in facts.lines)
    shipped = sum(int(units) for units in shipped_before.values()) + sum(plan.ship.values())
    status = STATUS_LABELS.get(facts.status, facts.status)
    if shipped >= ordered:
        plan.decision, plan.code = ImportDecision.SHIPPED, DecisionCode.SHIPPED
        shipped_note = f"{status} on Amazon: {_units(ordered)} shipped, all of it."
    else:
        plan.code = DecisionCode.PARTIALLY_SHIPPED
        shipped_note = f"{status} on Amazon: {shipped} of {_units(ordered)} shipped."
    if plan.create is not None:
        plan.reason = f"{plan.reason} {shipped_note}".strip()
    else:
        plan.reason = shipped_note
    return plan


def _shortage_sentence(shortages: list[dict], *, lead: str = "Out of stock: ") -> str:
    parts = [
        f"{entry['sku']} is short by {entry['short']} ({entry['ordered']} ordered, "
        f"{entry['salable']} salable)"
        for entry in shortages
    ]
    sentence = "; ".join(parts) + "."
    return f"{lead}{sentence} Decided again when its stock changes." if lead else sentence


def _units(count: int) -> str:
    return f"{count} unit" if count == 1 else f"{count} units"


def _plain(quantity: Decimal) -> str:
    """8.0000 reads as 8 and 2.5000 as 2.5."""
    return f"{Decimal(quantity).normalize():f}"
