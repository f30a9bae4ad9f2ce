"""Charts drawn on the server as inline SVG: no script, readable by screen readers (title, desc)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

from archive_service.reports.labels import rule_heading, rule_label, shorten
from archive_service.reports.model import MonthCount, RuleCount, TrendUnit
from archive_service.reports.trend import UNIT_WORDS, step_label

SEVERITY_FILL: Final = {"error": "#b3261e", "warning": "#9a6700", "info": "#1f5fa8"}
AXIS: Final = "#444444"
GRID: Final = "#d9d9d9"
FONT: Final = "Liberation Serif, DejaVu Serif, Times New Roman, serif"
RULE_LABEL_CHARS: Final = 58  # what fits the 400-unit label column of the rules chart at 13 px


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    fill: str = SEVERITY_FILL["error"]


def _axis_max(value: int, ticks: int = 4) -> int:
    """The smallest round axis maximum ≥ ``value`` whose ``ticks`` steps are whole numbers (1, 2, 5 × 10ⁿ)."""
    step: int = max(1, math.ceil(value / ticks))
    magnitude: int = 10 ** (len(str(step)) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= step)
    return step * ticks


def _open(width: int, height: int, chart_id: str, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        f'font-family="{FONT}" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def column_chart(bars: Sequence[Bar], *, chart_id: str, title: str, desc: str, height: int = 260) -> str:
    """Vertical columns with their value on top (the trend: errors per month)."""
    left, right, top, bottom = 44, 12, 16, 48
    slot = 44 if len(bars) <= 24 else 28
    width = max(360, left + right + slot * max(len(bars), 1))
    plot_h = height - top - bottom
    top_value = _axis_max(max((b.value for b in bars), default=0))
    parts = _open(width, height, chart_id, title, desc)
    for i in range(5):
        v = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{AXIS}">{v:g}</text>')
    for i, bar in enumerate(bars):
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        h = plot_h * bar.value / top_value
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{bar.fill}">'
            f"<title>{escape(bar.label)}: {bar.value}</title></rect>"
        )
        parts.append(f'<text x="{x + w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" fill="{AXIS}">{bar.value}</text>')
        label_y = top + plot_h + 16
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{label_y}" text-anchor="end" fill="{AXIS}" font-size="11" '
            f'transform="rotate(-40 {x + w / 2:.1f} {label_y})">{escape(bar.label)}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart(
    bars: Sequence[Bar], *, chart_id: str, title: str, desc: str, width: int = 720, label_w: int = 260
) -> str:
    """Horizontal bars, one a row, label left and value right (findings by rule, named in words)."""
    row, top, value_w = 24, 8, 44
    height = top * 2 + row * max(len(bars), 1)
    plot_w = width - label_w - value_w
    top_value = max((b.value for b in bars), default=0) or 1
    parts = _open(width, height, chart_id, title, desc)
    for i, bar in enumerate(bars):
        y = top + i * row
        w = plot_w * bar.value / top_value
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end" fill="{AXIS}">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{bar.fill}">'
            f"<title>{escape(bar.label)}: {bar.value}</title></rect>"
        )
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + row / 2 + 4:.1f}" fill="{AXIS}">{bar.value}</text>')
    if not bars:
        parts.append(f'<text x="{label_w}" y="{top + row / 2 + 4}" fill="{AXIS}">Không có lỗi nào.</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def month_label(month: str) -> str:
    """A trend step's key as written: "2024-03" → "03/2024", "2024-Q1" → "Quý I/2024", "2024" → "Năm 2024"."""
    return step_label(month)


def trend_title(unit: TrendUnit) -> str:
    """ "Số lỗi theo tháng" (or quý, năm): the chart's title and the section's heading."""
    return f"Số lỗi theo {UNIT_WORDS[unit]}"


def trend_chart(months: Sequence[MonthCount], unit: TrendUnit = "month") -> str:
    """Errors per step (month, quarter or year) over the period."""
    bars = [Bar(m.label or month_label(m.month), m.errors) for m in months]
    desc = "; ".join(f"{b.label}: {b.value} lỗi" for b in bars) or "Không có dữ liệu trong kỳ."
    return column_chart(bars, chart_id="xu-huong", title=trend_title(unit), desc=desc)


def rules_chart(rules: Sequence[RuleCount], limit: int = 15) -> str:
    """Findings by rule, each row headed by the rule in words (its code in the description), coloured by severity."""
    shown = rules[:limit]
    bars = [
        Bar(shorten(rule_label(r.code), RULE_LABEL_CHARS), r.count, SEVERITY_FILL.get(r.severity, AXIS)) for r in shown
    ]
    desc = "; ".join(f"{rule_heading(r.code)}: {r.count}" for r in shown) or "Không có lỗi nào."
    return bar_chart(
        bars, chart_id="theo-ma-loi", title="Số phát hiện theo loại lỗi", desc=desc, width=760, label_w=400
    )


_VIEWBOX: Final = re.compile(r'viewBox="0 0 (\d+) (\d+)" width="100%"')


def standalone(svg: str) -> bytes:
    """A chart as an .svg file: XML declaration, and its own size instead of the page's width."""
    sized = _VIEWBOX.sub(lambda m: f'viewBox="0 0 {m[1]} {m[2]}" width="{m[1]}" height="{m[2]}"', svg, count=1)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + sized + "\n").encode("utf-8")
