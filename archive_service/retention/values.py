"""Thời hạn bảo quản as values: "vinh-vien" (permanent) or "<n>-nam" (n years), ordered, counted from closing.

A dossier's retention is the highest of its documents' (160-CV/TW; records-lifecycle.md "The texts"); a
dossier kept for a term is kept that many years from the day it is closed (NĐ 30/2020 Điều 29).

Lives in the retention package (``archive_service.records.retention`` re-exports it) so that the records package
may use the schedule (closing, findings) while the schedule uses these values, without a cycle between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from archive_service.errors import AppError

PERMANENT: Final = "vinh-vien"
_YEARS: Final = re.compile(r"^(\d{1,3})-nam$")
TRANSFER_MIN_YEARS: Final = 5  # only dossiers kept 5 years or more go to the office archive (NĐ 30 Điều 30.1)


class BadRetention(AppError):
    status_code = 422

    def __init__(self, value: str) -> None:
        super().__init__(
            "RETENTION-INVALID",
            f"Thời hạn bảo quản “{value}” không hợp lệ: ghi “vinh-vien” hoặc số năm, ví dụ “10-nam”.",
        )


@dataclass(frozen=True, order=True)
class Retention:
    """Ordered: every term is below permanent, and a longer term above a shorter one."""

    rank: int  # years, or 10_000 for permanent
    code: str

    @property
    def permanent(self) -> bool:
        return self.code == PERMANENT

    @property
    def years(self) -> int | None:
        return None if self.permanent else self.rank

    @property
    def label(self) -> str:
        return "Vĩnh viễn" if self.permanent else f"{self.rank} năm"

    def goes_to_office_archive(self) -> bool:
        """Kept 5 years or more: transferred to the office archive; shorter ones stay with the unit."""
        return self.permanent or self.rank >= TRANSFER_MIN_YEARS

    def expires_on(self, closed_on: date) -> date | None:
        """The last day the dossier must be kept (None: never expires)."""
        if self.years is None:
            return None
        return add_years(closed_on, self.years)


def parse(value: str) -> Retention:
    text = value.strip().lower()
    if text == PERMANENT:
        return Retention(10_000, PERMANENT)
    match = _YEARS.match(text)
    if match is None or not 1 <= int(match.group(1)) <= 100:
        raise BadRetention(value)
    return Retention(int(match.group(1)), f"{int(match.group(1))}-nam")


def is_valid(value: str) -> bool:
    try:
        parse(value)
    except BadRetention:
        return False
    return True


def highest(values: list[str]) -> Retention | None:
    parsed = [parse(v) for v in values if is_valid(v)]
    return max(parsed) if parsed else None


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_years_dt(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)
