"""Findings as the API shows them: the public shape of checks.md with ``label`` (the code in words) beside ``code``."""

from __future__ import annotations

from typing import Any

from archive_service.catalog.models import FindingRow
from schemas.api import FindingOut
from schemas.code_labels import code_label
from schemas.findings import Finding


def finding_out(row: FindingRow) -> FindingOut:
    """The public shape of a stored finding (shared/domain/checks.md); its label is computed from the code."""
    return FindingOut(
        code=row.code,
        severity=row.severity,
        message=row.message,
        hint=row.hint,
        clause=row.clause,
        location=row.location,
    )


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding just made (``/check``, nothing stored) as JSON, its label right after its code."""
    body = finding.model_dump(mode="json")
    return {"code": body.pop("code"), "label": code_label(finding.code), **body}
