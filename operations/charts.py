"""Import health charts, drawn on the server as SVG by leather.

leather writes plain SVG with presentation attributes (no <style>, no script), so the
charts sit inside the page under a strict Content-Security-Policy, need no JavaScript
and no CDN, and scale to a phone through their viewBox.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import leather
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from importer.models import ImportDecision
from operations.selectors import CHART_SECONDS, health_chart_series
from operations.words import channel_label

WIDTH, HEIGHT = 640, 280
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
DECISION_COLORS = {
    ImportDecision.CREATED: "#1a7f37",
    ImportDecision.SHIPPED: "#0b6e4f",
    ImportDecision.WAITING: "#6e7781",
    ImportDecision.HELD: "#0969da",
    ImportDecision.BLOCKED: "#bf8700",
    ImportDecision.SKIPPED: "#8c959f",
    ImportDecision.ERROR: "#cf222e",
    ImportDecision.CANCELED: "#57606a",
    ImportDecision.UNDECIDED: "#d0d7de",
}
CHANNEL_COLORS = {"fba": "#fb8500", "fbm": "#219ebc"}

# leather keeps its look in module attributes; these pages are its only user here.
leather.theme.title_font_family = FONT
leather.theme.legend_font_family = FONT
leather.theme.tick_font_family = FONT
leather.theme.axis_title_font_family = FONT
leather.theme.background_color = "#ffffff"
leather.theme.legend_font_size = 13
leather.theme.tick_font_size = 12


def _svg(chart: leather.Chart, *, label: str) -> SafeString:
    """The chart as an inline <svg> that keeps its proportions at any width."""
    root = ET.Element(
        "svg",
        {
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "xmlns": "http://www.w3.org/2000/svg",
            "role": "img",
            "aria-label": label,
            "class": "chart",
            "preserveAspectRatio": "xMidYMid meet",
        },
    )
    title = ET.SubElement(root, "title")
    title.text = label
    root.append(chart.to_svg_group(WIDTH, HEIGHT))
    # ElementTree escapes every text and attribute it writes.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308


def _naive(moment: datetime) -> datetime:
    # leather compares with naive datetimes; the moments are already in the viewer's zone.
    return moment.replace(tzinfo=None)


def imports_per_hour_chart(series: dict[str, list[tuple[datetime, int]]], *, zone: str):
    label = f"Commerce orders created per hour by channel, last 24 hours ({zone})"
    chart = leather.Chart()
    chart.add_x_axis(tick_formatter=lambda value, index, count: value.strftime("%H:%M"))
    chart.add_y_axis(tick_formatter=lambda value, index, count: f"{value:g}")
    for channel, points in series.items():
        chart.add_line(
            [(_naive(moment), count) for moment, count in points],
            name=channel_label(channel),
            stroke_color=CHANNEL_COLORS.get(channel),
            width=2,
        )
    return _svg(chart, label=label)


def decisions_per_day_chart(series: dict[str, list[tuple[datetime, int]]], *, zone: str):
    label = f"Import decisions per day, last 7 days ({zone})"
    chart = leather.Chart()
    chart.add_x_axis(tick_formatter=lambda value, index, count: value.strftime("%b %d"))
    chart.add_y_axis(tick_formatter=lambda value, index, count: f"{value:g}")
    series = {decision: points for decision, points in series.items() if points}
    if not series:
        return mark_safe('<p class="muted">No decisions to chart.</p>')
    for decision, points in series.items():
        chart.add_line(
            [(_naive(moment), count) for moment, count in points],
            name=ImportDecision(decision).label,
            stroke_color=DECISION_COLORS.get(decision),
            width=2,
        )
    return _svg(chart, label=label)


def health_charts(*, store) -> dict[str, SafeString]:
    """Both health charts of the store, drawn at most once a minute per viewer zone."""
    zone = timezone.get_current_timezone_name()
    key = f"operations:health-chart-svg:{store.pk}:{zone}"
    drawn = cache.get(key)
    if drawn is None:
        series = health_chart_series(store=store)
        drawn = {
            "imports_chart": str(
                imports_per_hour_chart(series["imports_per_hour_by_channel"], zone=zone)
            ),
            "decisions_chart": str(decisions_per_day_chart(series["decisions_per_day"], zone=zone)),
        }
        cache.set(key, drawn, CHART_SECONDS)
    # Written by ElementTree from our own labels (escaped), cached as text.
    return {name: mark_safe(svg) for name, svg in drawn.items()}  # noqa: S308
