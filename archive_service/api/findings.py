"""Stored findings as the API shows them."""

from __future__ import annotations

from archive_service.catalog.models import FindingRow
from schemas.api import FindingOut


def finding_out(row: FindingRow) -> FindingOut:
    """The public shape of a finding (shared/domain/checks.md)."""
    return FindingOut(
        code=row.code,
        severity=row.severity,
        message=row.message,
        hint=row.hint,
        clause=row.clause,
        location=row.location,
    )
