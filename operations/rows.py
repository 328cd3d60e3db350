"""The lists' rows as people read them, worked out once per row in Python.

A page of 50 rows through template filters and ``{% url %}`` costs several times the
query that read it; here each row becomes plain strings in one pass, and each link is
made from a pattern reversed once per page. Rows are dicts: the template engine looks a
name up in a dict first, and on any other object only after a failed attempt at that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypedDict

from django.urls import reverse
from django.utils import timezone

from operations import words

PLACEHOLDER = 999_999_999


def link_maker(name: str) -> Callable[[int], str]:
    """``pk -> URL`` for a route taking one ``pk``, reversing it only once."""
    before, _, after = reverse(name, kwargs={"pk": PLACEHOLDER}).partition(str(PLACEHOLDER))
    return lambda pk: f"{before}{pk}{after}"


def when(moment) -> str:
    """``2026-06-01 12:05 CEST``: in the active (viewer's) zone, always naming it."""
    if moment is None:
        return words.NOTHING
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


class RecentOrderRow(TypedDict):
    pk: int
    position: str
    number: str
    url: str
    status: str
    channel: str
    purchased: str
    ship_by: str
    total: str
    decision: dict
    show_reason: bool
    commerce_number: str
    commerce_url: str


def recent_order_rows(orders: Iterable) -> list[RecentOrderRow]:
    amazon_url = link_maker("operations:amazon-order-detail")
    commerce_url = link_maker("operations:commerce-order-detail")
    rows = []
    for order in orders:
        summary = words.decision_summary(
            decision=order.decision,
            code=order.decision_code,
            reason=order.decision_reason,
            details=order.decision_details,
            attempts=order.attempts,
        )
        commerce = order.commerce_order if order.commerce_order_id else None
        decision = {
            "label": summary.label,
            "tone": summary.tone,
            "reason": summary.reason,
            "lines": summary.lines,
            "attempts": summary.attempts,
        }
        rows.append(
            RecentOrderRow(
                pk=order.pk,
                position=f"{order.purchased_at.isoformat()}|{order.pk}",
                number=order.amazon_order_id,
                url=amazon_url(order.pk),
                status=words.amazon_status_label(order.status),
                channel=words.channel_label(order.channel),
                purchased=when(order.purchased_at),
                ship_by=when(order.ship_by_at),
                total=words.money(order.total_amount, order.currency),
                decision=decision,
                show_reason=bool(summary.reason) and commerce is None,
                commerce_number=commerce.increment_id if commerce else "",
                commerce_url=commerce_url(commerce.pk) if commerce else "",
            )
        )
    return rows


class CommerceOrderRow(TypedDict):
    number: str
    url: str
    amazon_number: str
    amazon_url: str
    created: str
    store_view: str
    customer: str
    state: str
    status: str
    total: str


def commerce_order_rows(orders: Iterable) -> list[CommerceOrderRow]:
    order_url = link_maker("operations:commerce-order-detail")
    amazon_url = link_maker("operations:amazon-order-detail")
    rows = []
    for order in orders:
        amazon = getattr(order, "amazon_order", None)
        rows.append(
            CommerceOrderRow(
                number=order.increment_id,
                url=order_url(order.pk),
                amazon_number=amazon.amazon_order_id if amazon else order.external_order_id,
                amazon_url=amazon_url(amazon.pk) if amazon else "",
                created=when(order.created_at),
                store_view=order.store_view.name,
                customer=order.customer_email or "(no email)",
                state=order.get_state_display(),
                status=order.status.label,
                total=words.money(order.grand_total, order.currency),
            )
        )
    return rows
