"""Template words of the operations pages: amounts, times with their zone, decisions."""

from datetime import timedelta
from urllib.parse import urlencode

from django import template
from django.utils import timezone

from operations import rows, words

register = template.Library()


@register.filter
def money(amount, currency=""):
    return words.money(amount, currency)


@register.filter
def qty(value):
    return words.quantity(value)


@register.filter
def when(moment):
    """``2026-06-01 12:05 CEST``: in the viewer's zone, always naming it."""
    return rows.when(moment)


@register.filter
def age(delta):
    """``3 min ago``, ``2 h 5 min ago``, ``4 days ago`` from a timedelta."""
    if delta is None:
        return words.NOTHING
    if not isinstance(delta, timedelta):
        delta = timezone.now() - delta
    seconds = int(delta.total_seconds())
    if seconds < 0:
        return "in the future"
    if seconds < 60:
        return f"{seconds} s ago"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h {minutes % 60} min ago"
    return f"{hours // 24} days ago"


@register.filter
def amazon_status(code):
    return words.amazon_status_label(code)


@register.filter
def channel(code):
    return words.channel_label(code)


@register.filter
def decision_of(order):
    """The order's current decision, told for people."""
    return words.decision_summary(
        decision=order.decision,
        code=order.decision_code,
        reason=order.decision_reason,
        details=order.decision_details,
        attempts=order.attempts,
    )


@register.filter
def past_decision(row):
    """One row of the decision history, told for people."""
    return words.decision_summary(
        decision=row.decision,
        code=row.code,
        reason=row.reason,
        details=row.details,
        attempts=row.attempts,
    )


@register.filter
def trigger(code):
    return words.trigger_label(code)


@register.simple_tag
def change_lines(change, store_view_names, status_labels):
    return words.setting_change_lines(
        change.changes or {}, store_view_names=store_view_names, status_labels=status_labels
    )


@register.simple_tag
def settings_used(decision, store_view_names, status_labels):
    return words.settings_used_lines(
        decision.settings_used or {},
        store_view_names=store_view_names,
        status_labels=status_labels,
    )


@register.simple_tag
def query_with(query, **extra):
    """``?status=…&after=…``: the list's filters with a page position added."""
    merged = {**(query or {}), **{key: value for key, value in extra.items() if value}}
    return "?" + urlencode(merged) if merged else "?"


@register.simple_tag
def current_zone():
    return timezone.get_current_timezone_name()


@register.filter
def address_lines(address):
    return words.address_lines(address)


@register.filter
def up_to(count, cap):
    """``1,000+`` for a count that stopped past its cap, else the count."""
    if count is None:
        return words.NOTHING
    return f"{cap:,}+" if count > cap else f"{count:,}"
