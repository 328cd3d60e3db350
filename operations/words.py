"""What the operations pages say: amounts, decisions and settings changes in words for people.

Nothing here reads the database; selectors hand over the rows and the lookups (store view
names, status labels) these functions need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import UnknownCurrencyError, format_currency, format_decimal

from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel
from importer.models import DecisionCode, DecisionTrigger, ImportDecision
from settings_app.models import (
    ORDER_SETTINGS_FIELDS,
    CustomerCreation,
    OrderNumberSource,
    OrderStatusMode,
    PendingOrders,
)

# Parsed once: Babel would parse the locale name again on every amount.
LOCALE = Locale.parse("en_US")
NOTHING = "—"


def money(amount, currency: str) -> str:
    """``$196.62``: the amount in its currency, as people write it; a dash when unknown."""
    if amount is None or amount == "":
        return NOTHING
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return NOTHING
    if not currency:
        return format_decimal(value, format="#,##0.00", locale=LOCALE)
    try:
        return format_currency(value, currency.upper(), locale=LOCALE)
    except UnknownCurrencyError:
        return f"{format_decimal(value, format='#,##0.00', locale=LOCALE)} {currency.upper()}"


def quantity(value) -> str:
    """A quantity without trailing zeros: ``2``, ``1.5``."""
    if value is None or value == "":
        return NOTHING
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format(number.normalize(), "f")


def amazon_status_label(code: str) -> str:
    try:
        return AmazonOrderStatus(code).label
    except ValueError:
        return code or NOTHING


def channel_label(code: str) -> str:
    try:
        return FulfillmentChannel(code).label
    except ValueError:
        return code or NOTHING


def decision_label(code: str) -> str:
    try:
        return ImportDecision(code).label
    except ValueError:
        return code or NOTHING


def decision_code_label(code: str) -> str:
    try:
        return DecisionCode(code).label
    except ValueError:
        return code


def trigger_label(code: str) -> str:
    try:
        return DecisionTrigger(code).label
    except ValueError:
        return code


def _lines(details: Mapping, key: str) -> list[Mapping]:
    value = details.get(key) if isinstance(details, Mapping) else None
    return [line for line in value if isinstance(line, Mapping)] if isinstance(value, list) else []


def shortage_words(details: Mapping) -> list[str]:
    """``SKU-1: 3 ordered, 1 salable, 2 short`` for each SKU stock does not cover."""
    return [
        f"{line.get('sku', '?')}: {quantity(line.get('ordered'))} ordered, "
        f"{quantity(line.get('salable'))} salable, {quantity(line.get('short'))} short"
        for line in _lines(details, "shortages")
    ]


def held_words(details: Mapping) -> list[str]:
    return [
        f"{line.get('sku', '?')}: {quantity(line.get('quantity'))} held"
        for line in _lines(details, "held")
    ]


@dataclass(frozen=True)
class DecisionSummary:
    """One decision told for people: its name, why, and the figures behind it."""

    decision: str
    label: str
    reason: str
    lines: tuple[str, ...]
    attempts: int = 0

    @property
    def tone(self) -> str:
        return {
            ImportDecision.CREATED: "ok",
            ImportDecision.SHIPPED: "ok",
            ImportDecision.BLOCKED: "warn",
            ImportDecision.ERROR: "bad",
            ImportDecision.HELD: "info",
        }.get(self.decision, "")


def decision_summary(*, decision: str, code: str, reason: str, details, attempts: int = 0):
    details = details if isinstance(details, Mapping) else {}
    lines: list[str] = []
    if code in {DecisionCode.OUT_OF_STOCK, DecisionCode.PENDING_NOT_HELD}:
        lines = shortage_words(details)
    elif code == DecisionCode.PENDING_HELD:
        lines = held_words(details)
    elif decision == ImportDecision.ERROR and details.get("error"):
        lines = [str(details["error"])]
    why = reason or (decision_code_label(code) if code else "")
    # The engine's reason often tells the figures already; say each thing once.
    lines = [line for line in lines if line.split(":", 1)[0] not in why]
    return DecisionSummary(
        decision=decision,
        label=decision_label(decision),
        reason=why,
        lines=tuple(lines),
        attempts=attempts if decision == ImportDecision.ERROR and "attempt" not in why else 0,
    )


# --- Order settings, as the Order Settings page names them ---------------------------------

SETTING_CHOICES = {
    "customer_creation": CustomerCreation,
    "order_number_source": OrderNumberSource,
    "pending_orders": PendingOrders,
    "order_status": OrderStatusMode,
}


SETTING_LABELS = {
    "import_enabled": "Import Amazon Orders",
    "store_view": "Import Into Store View",
    "customer_creation": "Customer Creation",
    "order_number_source": "Order Number Source",
    "pending_orders": "Pending Orders",
    "order_status": "Order Status",
    "processing_status": "Processing Order Status",
}


def setting_label(field: str) -> str:
    return SETTING_LABELS.get(field, field.replace("_", " ").capitalize())


def setting_value(
    field: str,
    value,
    *,
    store_view_names: Mapping[str, str],
    status_labels: Mapping[str, str],
) -> str:
    """A setting's value as the page shows it; codes of views and statuses become names."""
    if value is None or value == "":
        return "none"
    if field == "import_enabled":
        return "Enabled" if value in (True, "true", "True", 1) else "Disabled"
    if field == "store_view":
        return store_view_names.get(str(value), str(value))
    if field == "processing_status":
        return status_labels.get(str(value), str(value))
    choices = SETTING_CHOICES.get(field)
    if choices is not None:
        try:
            return choices(value).label
        except ValueError:
            return str(value)
    return str(value)


def setting_change_lines(
    changes: Mapping,
    *,
    store_view_names: Mapping[str, str],
    status_labels: Mapping[str, str],
) -> list[str]:
    """``Import Amazon Orders: Enabled → Disabled`` for each field a save changed."""
    ordered = sorted(
        changes.items(),
        key=lambda item: (
            ORDER_SETTINGS_FIELDS.index(item[0]) if item[0] in ORDER_SETTINGS_FIELDS else 99
        ),
    )
    lookups = {"store_view_names": store_view_names, "status_labels": status_labels}
    lines = []
    for field, values in ordered:
        values = values if isinstance(values, Mapping) else {}
        old = setting_value(field, values.get("old"), **lookups)
        new = setting_value(field, values.get("new"), **lookups)
        lines.append(f"{setting_label(field)}: {old} → {new}")
    return lines


def settings_used_lines(
    settings_used: Mapping,
    *,
    store_view_names: Mapping[str, str],
    status_labels: Mapping[str, str],
) -> list[tuple[str, str]]:
    """(label, value) of each order setting a decision was made with, in the page's order."""
    if not isinstance(settings_used, Mapping):
        return []
    lookups = {"store_view_names": store_view_names, "status_labels": status_labels}
    return [
        (setting_label(field), setting_value(field, settings_used[field], **lookups))
        for field in ORDER_SETTINGS_FIELDS
        if field in settings_used
    ]


ADDRESS_ORDER = (
    "name",
    "company",
    "line1",
    "line2",
    "line3",
    "city",
    "district",
    "state_or_region",
    "postal_code",
    "country_code",
    "phone",
)


def address_lines(address) -> list[str]:
    """A stored address as the lines of an envelope; values only, never its keys."""
    if not isinstance(address, Mapping):
        return []
    known = [str(address[key]) for key in ADDRESS_ORDER if address.get(key)]
    others = [
        str(value)
        for key, value in address.items()
        if key not in ADDRESS_ORDER and value and isinstance(value, str | int)
    ]
    return known + others
