"""A document is checked against Vietnam's date, not the server's (UTC) one: dated today in Hà Nội is not "later
than the day of the check" between 00:00 and 07:00 local time (17:00–24:00 UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from archive_service.validation import validate_document
from archive_service.vietnam_time import today_in_vietnam
from schemas.fields import DocumentFields


def test_vietnam_is_seven_hours_ahead_of_utc_all_year() -> None:
    assert today_in_vietnam(datetime(2026, 12, 3, 16, 59, tzinfo=UTC)) == date(2026, 12, 3)
    assert today_in_vietnam(datetime(2026, 12, 3, 17, 0, tzinfo=UTC)) == date(2026, 12, 4)
    assert today_in_vietnam(datetime(2026, 6, 30, 17, 30)) == date(2026, 7, 1)  # naive: UTC, no summer time


def test_a_document_dated_today_in_vietnam_is_not_dated_after_the_check() -> None:
    fields = DocumentFields(issued_on=today_in_vietnam(), document_type="BÁO CÁO", issuer="VĂN PHÒNG")
    codes = [f.code for f in validate_document(None, fields)]
    assert "FMT-DATE-INVALID" not in codes


def test_the_records_days_are_vietnam_days_too() -> None:
    """A dossier closed at 01:00 on 1 January in Hà Nội was closed in the new year: its deadlines count from then,
    and an appraisal or a reminder run at that hour is dated that day."""
    from archive_service.appraisals.queries import today_of
    from archive_service.catalog.models import Dossier
    from archive_service.retention.deadlines import closed_on

    new_year_in_hanoi = datetime(2030, 12, 31, 18, 0, tzinfo=UTC)
    assert today_of(new_year_in_hanoi) == date(2031, 1, 1)
    assert closed_on(Dossier(closed_at=new_year_in_hanoi)) == date(2031, 1, 1)
    assert closed_on(Dossier(closed_at=datetime(2030, 12, 31, 18, 0))) == date(2031, 1, 1)  # naive from SQLite: UTC
    assert closed_on(Dossier(closed_at=None)) is None
