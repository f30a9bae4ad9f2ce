"""The records rules of a dossier (checks.md "Dossier"): file plan, retention, closing, transfer deadlines.

Each rule is a function of the dossier, the documents it holds (read and current) and the time; the dossier check
(dossiers/checks.py) runs them all after the meeting-completeness rules and stores what they find with the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from sqlalchemy.orm import Session

from archive_service.catalog.models import Document, Dossier
from archive_service.records.closing import closing_incomplete
from archive_service.retention import findings as retention_findings
from schemas.findings import Finding

RecordsRule = Callable[[Session, Dossier, list[Document], datetime], list[Finding]]

# One line per rule module (fileplans, retention, records.closing): keep this list in code order.
RULES: Final[list[RecordsRule]] = [
    *retention_findings.RULES,
    closing_incomplete,
]


def records_findings(session: Session, dossier: Dossier, documents: list[Document], now: datetime) -> list[Finding]:
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(session, dossier, documents, now))
    return found
