"""Reads of the operations view: Recent Orders, one Amazon order, the Commerce orders
workspace, and each store's import health.

Every read goes through the user's grants: an order of a store not granted to the user
does not exist for them (Http404). Each list and detail is a fixed number of queries,
however many rows or items there are; lists are keyset pages (``common.keyset``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower, TruncDay, TruncHour
from django.http import Http404
from django.utils import timezone

from commerce.models import (
    Order,
    OrderItem,
    OrderStatus,
    OrderStatusHistory,
    Shipment,
    ShipmentItem,
    StoreView,
)
from common.keyset import Keyset
from importer.gateway.types import FulfillmentChannel
from importer.models import (
    AmazonOrder,
    AmazonOrderDecision,
    AmazonOrderItem,
    AmazonOrderStatusHistory,
    Backfill,
    BackfillStatus,
    ImportDecision,
    PollCursor,
    PollOutcome,
    PollRun,
)
from inventory.models import LedgerObjectType, Reservation
from settings_app.models import AmazonStore, OrderSettingsChange, StoreAccess, StoreRole
from settings_app.selectors import store_list_for_user

AMAZON_ORDER_KEYSET = Keyset("purchased_at")
COMMERCE_ORDER_KEYSET = Keyset("created_at")
# A search gathers the ids it matches first; past this many it walks the list instead.
SEARCH_ID_LIMIT = 500

# What a Recent Orders row shows; the raw Amazon payload and address stay in the table.
AMAZON_ORDER_ROW_FIELDS = (
    "id",
    "store_id",
    "amazon_order_id",
    "status",
    "channel",
    "purchased_at",
    "ship_by_at",
    "total_amount",
    "currency",
    "buyer_name",
    "decision",
    "decision_code",
    "decision_reason",
    "decision_details",
    "attempts",
    "retry_at",
    "commerce_order__id",
    "commerce_order__increment_id",
)


def _role_of(user, store_ref) -> Value | Subquery:
    """The user's role on the store ``store_ref`` points at, as a column of the same query."""
    if user.is_superuser:
        return Value(StoreRole.MANAGER)
    return Subquery(StoreAccess.objects.filter(store=store_ref, user=user).values("role")[:1])


def granted_store_ids(*, user) -> QuerySet:
    return store_list_for_user(user=user).values("pk")


# --- Recent Orders --------------------------------------------------------------------------


def _search_ids(*, store: AmazonStore, term: str) -> list[int] | None:
    """Ids of the store's orders matching ``term``, in one query; None when there are more
    than SEARCH_ID_LIMIT (then the caller walks the list with the same conditions).

    Matches the Amazon order number and the Commerce number exactly, an ordered SKU
    exactly, and the buyer's name by its beginning in any letter case.
    """
    orders = AmazonOrder.objects.filter(store=store)
    by_amazon_number = orders.filter(amazon_order_id=term).values_list("pk", flat=True)
    by_commerce_number = orders.filter(commerce_order__increment_id=term).values_list(
        "pk", flat=True
    )
    by_sku = AmazonOrderItem.objects.filter(sku=term, order__store=store).values_list(
        "order_id", flat=True
    )
    by_buyer = (
        orders.alias(buyer=Lower("buyer_name"))
        .filter(buyer__startswith=term.lower())
        .values_list("pk", flat=True)
    )
    ids = list(by_amazon_number.union(by_commerce_number, by_sku, by_buyer)[: SEARCH_ID_LIMIT + 1])
    return None if len(ids) > SEARCH_ID_LIMIT else ids


def _search_condition(*, term: str) -> Q:
    sku_ordered = AmazonOrderItem.objects.filter(order=OuterRef("pk"), sku=term)
    return (
        Q(amazon_order_id=term)
        | Q(commerce_order__increment_id=term)
        | Q(Exists(sku_ordered))
        | Q(buyer_lower__startswith=term.lower())
    )


def amazon_order_list(
    *,
    store: AmazonStore,
    status: str = "",
    channel: str = "",
    decision: str = "",
    search: str = "",
) -> QuerySet[AmazonOrder]:
    """The store's Amazon orders as Recent Orders shows them, newest purchase first.

    Page it with ``AMAZON_ORDER_KEYSET``; filters use the store's (status | decision,
    purchase time, id) indexes.
    """
    orders = (
        AmazonOrder.objects.filter(store=store)
        .select_related("commerce_order")
        .only(*AMAZON_ORDER_ROW_FIELDS)
    )
    if status:
        orders = orders.filter(status=status)
    if channel:
        orders = orders.filter(channel=channel)
    if decision:
        orders = orders.filter(decision=decision)
    term = search.strip()
    if term:
        ids = _search_ids(store=store, term=term)
        if ids is None:
            orders = orders.alias(buyer_lower=Lower("buyer_name")).filter(
                _search_condition(term=term)
            )
        else:
            orders = orders.filter(pk__in=ids)
    return orders.order_by(*AMAZON_ORDER_KEYSET.ordering)


def amazon_order_get_for_user(*, user, pk) -> AmazonOrder:
    """One Amazon order of a store granted to the user, with the user's ``role`` on it."""
    try:
        return (
            AmazonOrder.objects.filter(store__in=granted_store_ids(user=user))
            .select_related(
                "store__website",
                "commerce_order__status",
                "commerce_order__store_view__group__website",
            )
            .defer("raw_payload")
            .annotate(role=_role_of(user, OuterRef("store")))
            .get(pk=pk)
        )
    except (AmazonOrder.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such Amazon order.") from missing


@dataclass
class AmazonOrderDetail:
    order: AmazonOrder
    items: list[AmazonOrderItem]
    status_history: list[AmazonOrderStatusHistory]
    decisions: list[AmazonOrderDecision]
    ledger: list[Reservation]
    commerce_history: list[OrderStatusHistory] = field(default_factory=list)
    store_view_names: dict[str, str] = field(default_factory=dict)
    status_labels: dict[str, str] = field(default_factory=dict)


def ledger_rows_for(*, amazon_order_id: int, commerce_order_id: int | None) -> list[Reservation]:
    """The ledger rows of the Commerce order and of the Amazon order's pending holds."""
    condition = Q(object_type=LedgerObjectType.AMAZON_ORDER, object_id=str(amazon_order_id))
    if commerce_order_id is not None:
        condition |= Q(object_type=LedgerObjectType.ORDER, object_id=str(commerce_order_id))
    return list(Reservation.objects.filter(condition).order_by("created_at", "pk"))


def amazon_order_detail(*, order: AmazonOrder) -> AmazonOrderDetail:
    """Everything the Amazon order page shows, in a fixed number of queries."""
    decisions = list(
        AmazonOrderDecision.objects.filter(order=order)
        .select_related("user", "commerce_order")
        .order_by("created_at", "pk")
    )
    store_view_codes, status_codes = set(), set()
    for each in decisions:
        used = each.settings_used if isinstance(each.settings_used, dict) else {}
        if used.get("store_view"):
            store_view_codes.add(str(used["store_view"]))
        if used.get("processing_status"):
            status_codes.add(str(used["processing_status"]))
    commerce_history = []
    if order.commerce_order_id is not None:
        commerce_history = list(
            OrderStatusHistory.objects.filter(order_id=order.commerce_order_id)
            .select_related("status", "created_by")
            .order_by("created_at", "pk")
        )
    return AmazonOrderDetail(
        order=order,
        items=list(AmazonOrderItem.objects.filter(order=order).order_by("pk")),
        status_history=list(
            AmazonOrderStatusHistory.objects.filter(order=order).order_by("recorded_at", "pk")
        ),
        decisions=decisions,
        ledger=ledger_rows_for(amazon_order_id=order.pk, commerce_order_id=order.commerce_order_id),
        commerce_history=commerce_history,
        store_view_names=store_view_names(codes=store_view_codes),
        status_labels=status_labels(codes=status_codes),
    )


def store_view_names(*, codes) -> dict[str, str]:
    if not codes:
        return {}
    return dict(StoreView.objects.filter(code__in=codes).values_list("code", "name"))


def status_labels(*, codes) -> dict[str, str]:
    if not codes:
        return {}
    return dict(OrderStatus.objects.filter(code__in=codes).values_list("code", "label"))


def settings_changes_for_store(*, store: AmazonStore, limit: int = 10):
    """The store's latest settings changes, and the store view names and status labels
    their codes need: (changes, store_view_names, status_labels), in up to 3 queries."""
    changes = list(
        OrderSettingsChange.objects.filter(store=store).select_related("changed_by")[:limit]
    )
    view_codes, status_codes = set(), set()
    for change in changes:
        for name, values in (change.changes or {}).items():
            if not isinstance(values, dict):
                continue
            target = view_codes if name == "store_view" else status_codes
            if name in {"store_view", "processing_status"}:
                target.update(str(v) for v in (values.get("old"), values.get("new")) if v)
    return changes, store_view_names(codes=view_codes), status_labels(codes=status_codes)


# --- The Commerce orders workspace ------------------------------------------------------------

COMMERCE_ORDER_ROW_FIELDS = (
    "id",
    "increment_id",
    "external_order_id",
    "state",
    "status__id",
    "status__code",
    "status__label",
    "store_view__id",
    "store_view__name",
    "customer_email",
    "customer_firstname",
    "customer_lastname",
    "currency",
    "grand_total",
    "created_at",
    "amazon_order__id",
    "amazon_order__store_id",
    "amazon_order__amazon_order_id",
)


def commerce_order_list_for_user(
    *,
    user,
    store_view: int | None = None,
    state: str = "",
    status: str = "",
    search: str = "",
) -> QuerySet[Order]:
    """Commerce orders the user's stores imported, newest first; page with
    ``COMMERCE_ORDER_KEYSET``."""
    orders = (
        Order.objects.filter(amazon_order__store__in=granted_store_ids(user=user))
        .select_related("status", "store_view", "amazon_order")
        .only(*COMMERCE_ORDER_ROW_FIELDS)
    )
    if store_view:
        orders = orders.filter(store_view_id=store_view)
    if state:
        orders = orders.filter(state=state)
    if status:
        orders = orders.filter(status__code=status)
    term = search.strip()
    if term:
        orders = orders.filter(Q(increment_id=term) | Q(external_order_id=term))
    return orders.order_by(*COMMERCE_ORDER_KEYSET.ordering)


def commerce_order_get_for_user(*, user, pk) -> Order:
    """One Commerce order imported by a store granted to the user, with the user's ``role``."""
    try:
        return (
            Order.objects.filter(amazon_order__store__in=granted_store_ids(user=user))
            .select_related(
                "status",
                "store_view__group__website",
                "customer",
                "amazon_order__store",
            )
            .defer("amazon_order__raw_payload")
            .annotate(role=_role_of(user, OuterRef("amazon_order__store")))
            .get(pk=pk)
        )
    except (Order.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such order.") from missing


@dataclass
class CommerceOrderDetail:
    order: Order
    items: list
    history: list
    shipments: list
    ledger: list
    statuses_in_state: list


def commerce_order_detail(*, order: Order) -> CommerceOrderDetail:
    amazon_order_id = getattr(getattr(order, "amazon_order", None), "pk", None)
    return CommerceOrderDetail(
        order=order,
        items=list(OrderItem.objects.filter(order=order).order_by("pk")),
        history=list(
            OrderStatusHistory.objects.filter(order=order)
            .select_related("status", "created_by")
            .order_by("created_at", "pk")
        ),
        shipments=list(
            Shipment.objects.filter(order=order)
            .select_related("created_by")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=ShipmentItem.objects.select_related("order_item").order_by("pk"),
                )
            )
            .order_by("created_at", "pk")
        ),
        ledger=(
            ledger_rows_for(amazon_order_id=amazon_order_id, commerce_order_id=order.pk)
            if amazon_order_id is not None
            else list(
                Reservation.objects.filter(
                    object_type=LedgerObjectType.ORDER, object_id=str(order.pk)
                ).order_by("created_at", "pk")
            )
        ),
        statuses_in_state=list(
            OrderStatus.objects.filter(states__state=order.state).order_by("label", "pk")
        ),
    )


def store_view_choices_for_user(*, user) -> list[tuple[int, str]]:
    """Store views of the websites the user's stores import into, for the filter."""
    return list(
        StoreView.objects.filter(group__website__amazon_stores__in=granted_store_ids(user=user))
        .distinct()
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def order_status_filter_choices() -> list[tuple[str, str]]:
    return list(OrderStatus.objects.order_by("label", "pk").values_list("code", "label"))



# --- Import health ---------------------------------------------------------------------------


@dataclass
class ImportHealth:
    now: datetime
    cursor: PollCursor | None
    last_success: PollRun | None
    recent_runs: list[PollRun]
    seen_hour: int
    seen_day: int
    new_hour: int
    new_day: int
    imported_hour: int
    imported_day: int
    poll_errors_day: int
    orders_in_error: int
    orders_blocked: int
    backfill: Backfill | None

    @property
    def last_success_age(self) -> timedelta | None:
        if self.last_success is None:
            return None
        return self.now - (self.last_success.finished_at or self.last_success.started_at)


SUCCESSFUL_POLLS = (PollOutcome.COMPLETED, PollOutcome.PARTIAL)
# Orders in error or blocked are counted up to here; past it the page says "1,000+".
STANDING_COUNT_CAP = 1000


def _capped_count(queryset, *, cap: int) -> int:
    """How many rows, counting no further than cap + 1 (an index range scan that stops)."""
    return queryset.order_by()[: cap + 1].count()


def import_health(*, store: AmazonStore, now: datetime | None = None, runs: int = 10):
    """Where the store's import stands, in a fixed number of queries."""
    now = now or timezone.now()
    hour_ago, day_ago = now - timedelta(hours=1), now - timedelta(days=1)
    recent_runs = list(PollRun.objects.filter(store=store).order_by("-started_at", "-pk")[:runs])
    last_success = next((run for run in recent_runs if run.outcome in SUCCESSFUL_POLLS), None)
    if last_success is None:
        last_success = (
            PollRun.objects.filter(store=store, outcome__in=SUCCESSFUL_POLLS)
            .order_by("-started_at", "-pk")
            .first()
        )
    polls = PollRun.objects.filter(store=store, started_at__gte=day_ago).aggregate(
        seen_day=Coalesce(Sum("orders_seen"), 0),
        seen_hour=Coalesce(Sum("orders_seen", filter=Q(started_at__gte=hour_ago)), 0),
        new_day=Coalesce(Sum("orders_created"), 0),
        new_hour=Coalesce(Sum("orders_created", filter=Q(started_at__gte=hour_ago)), 0),
        errors_day=Coalesce(Sum("error_count"), 0),
    )
    imported = AmazonOrder.objects.filter(
        store=store, commerce_order__created_at__gte=day_ago
    ).aggregate(
        day=Count("pk"),
        hour=Count("pk", filter=Q(commerce_order__created_at__gte=hour_ago)),
    )
    standing = {
        decision: _capped_count(
            AmazonOrder.objects.filter(store=store, decision=decision), cap=STANDING_COUNT_CAP
        )
        for decision in (ImportDecision.ERROR, ImportDecision.BLOCKED)
    }
    return ImportHealth(
        now=now,
        cursor=PollCursor.objects.filter(store=store).select_related("last_run").first(),
        last_success=last_success,
        recent_runs=recent_runs,
        seen_hour=polls["seen_hour"],
        seen_day=polls["seen_day"],
        new_hour=polls["new_hour"],
        new_day=polls["new_day"],
        imported_hour=imported["hour"],
        imported_day=imported["day"],
        poll_errors_day=polls["errors_day"],
        orders_in_error=standing[ImportDecision.ERROR],
        orders_blocked=standing[ImportDecision.BLOCKED],
        backfill=Backfill.objects.filter(store=store, status=BackfillStatus.RUNNING)
        .order_by("-started_at", "-pk")
        .first(),
    )


def imports_per_hour_by_channel(
    *, store: AmazonStore, now: datetime | None = None, hours: int = 24
) -> dict[str, list[tuple[datetime, int]]]:
    """Commerce orders created from the store's Amazon orders in each of the last hours,
    per fulfilment channel, every hour present (zero when none), oldest first."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()
    end = timezone.localtime(now, zone).replace(minute=0, second=0, microsecond=0) + timedelta(
        hours=1
    )
    start = end - timedelta(hours=hours)
    counted = (
        AmazonOrder.objects.filter(store=store, commerce_order__created_at__gte=start)
        .annotate(hour=TruncHour("commerce_order__created_at", tzinfo=zone))
        .values("hour", "channel")
        .annotate(orders=Count("pk"))
        .order_by()
    )
    per = defaultdict(int)
    for row in counted:
        per[(row["hour"], row["channel"])] = row["orders"]
    hours_list = [start + timedelta(hours=offset) for offset in range(hours)]
    return {
        channel.value: [(moment, per.get((moment, channel.value), 0)) for moment in hours_list]
        for channel in FulfillmentChannel
    }


def decisions_per_day(
    *, store: AmazonStore, now: datetime | None = None, days: int = 7
) -> dict[str, list[tuple[datetime, int]]]:
    """Decisions taken on the store's orders each day of the last ``days``, per decision,
    in the viewer's time zone, oldest first; only decisions that occurred get a series
    (Created, all zero, when none did)."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    start = today - timedelta(days=days - 1)
    counted = (
        AmazonOrderDecision.objects.filter(order__store=store, created_at__gte=start)
        .annotate(day=TruncDay("created_at", tzinfo=zone))
        .values("day", "decision")
        .annotate(decisions=Count("pk"))
        .order_by()
    )
    per = defaultdict(int)
    for row in counted:
        per[(row["day"], row["decision"])] += row["decisions"]
    day_list = [start + timedelta(days=offset) for offset in range(days)]
    present = sorted({decision for _, decision in per}, key=ImportDecision.values.index) or [
        ImportDecision.CREATED.value
    ]
    return {
        decision: [(day, per.get((day, decision), 0)) for day in day_list] for decision in present
    }


# The charts count a day's and a week's rows; they are drawn from counts at most this old.
CHART_SECONDS = 60


def health_chart_series(*, store: AmazonStore) -> dict[str, dict]:
    """Both charts' series in the viewer's zone, counted at most once a minute per store
    and zone (the week of decisions is the dearest read of the dashboard)."""
    zone = timezone.get_current_timezone_name()
    key = f"operations:health-charts:{store.pk}:{zone}"
    series = cache.get(key)
    if series is None:
        series = {
            "imports_per_hour_by_channel": imports_per_hour_by_channel(store=store),
            "decisions_per_day": decisions_per_day(store=store),
        }
        cache.set(key, series, CHART_SECONDS)
    return series
