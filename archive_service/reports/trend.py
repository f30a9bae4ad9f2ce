"""The trend over the chosen period: by month up to 18 months, by quarter up to 6 years, else by year.

58 monthly bars from 2022 to 2026 could not be read, on the page or in the PDF; a step that fits the
period keeps the chart to at most 24 columns whatever the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Final

from archive_service.reports.counting import CountedDocument
from archive_service.reports.model import MonthCount, TrendUnit

MAX_MONTHS: Final = 18
MAX_QUARTERS: Final = 24
ROMAN: Final = ("I", "II", "III", "IV")
UNIT_WORDS: Final[dict[str, str]] = {"month": "tháng", "quarter": "quý", "year": "năm"}


def _months(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def unit_for(first: date, last: date) -> TrendUnit:
    """The step that keeps the period's chart legible."""
    months = _months(first, last)
    if months <= MAX_MONTHS:
        return "month"
    return "quarter" if (months + 2) // 3 <= MAX_QUARTERS else "year"


def step_key(day: date, unit: TrendUnit) -> str:
    """ "2024-03", "2024-Q1" or "2024": the step a day falls in."""
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


def step_label(key: str) -> str:
    """ "2024-03" → "03/2024", "2024-Q1" → "Quý I/2024", "2024" → "Năm 2024"."""
    year, _, rest = key.partition("-")
    if not rest:
        return f"Năm {year}"
    if rest.startswith("Q"):
        return f"Quý {ROMAN[int(rest[1:]) - 1]}/{year}"
    return f"{rest}/{year}"


def _steps(first: date, last: date, unit: TrendUnit) -> list[str]:
    keys: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        key = step_key(date(year, month, 1), unit)
        if not keys or keys[-1] != key:
            keys.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def trend(
    documents: Sequence[CountedDocument], date_from: date | None, date_to: date | None
) -> tuple[TrendUnit, list[MonthCount]]:
    """Every step of the period (an open side: up to the first or last document), with its counts."""
    first = date_from or min((d.report_date for d in documents), default=None)
    last = date_to or max((d.report_date for d in documents), default=None)
    if first is None or last is None or first > last:
        return "month", []
    unit = unit_for(first, last)
    groups: dict[str, list[CountedDocument]] = defaultdict(list)
    for d in documents:
        groups[step_key(d.report_date, unit)].append(d)
    steps = [
        MonthCount(
            month=key,
            label=step_label(key),
            documents=len(groups[key]),
            documents_with_errors=sum(1 for d in groups[key] if d.has_errors),
            errors=sum(d.severities["error"] for d in groups[key]),
            warnings=sum(d.severities["warning"] for d in groups[key]),
        )
        for key in _steps(first, last, unit)
    ]
    return unit, steps
