"""Dossier completeness and consistency (hồ sơ hội nghị), run when a dossier changes and on demand."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session

from archive_service.catalog.db import transaction
from archive_service.catalog.documents import finding_row
from archive_service.catalog.dossier_list import held_by
from archive_service.catalog.models import Document, DocumentStatus, Dossier, FindingRow, Job, JobKind, JobState
from archive_service.catalog.versions import not_superseded
from archive_service.fileplans.findings import not_in_file_plan
from archive_service.jobs.enqueue import enqueue
from archive_service.records.dossier_findings import records_findings
from archive_service.services import Services
from archive_service.validation import validate_dossier
from archive_service.vietnam_time import today_in_vietnam
from schemas.dossier import DossierDocument, DossierInfo, MeetingBody
from schemas.fields import DocumentFields
from schemas.findings import Finding


def enqueue_dossier_check(session: Session, dossier_id: int) -> None:
    """Queue a check of the dossier unless one is already waiting.

    Every change that can alter a dossier's completeness queues it: a document read, the dossier's own
    fields edited (meeting body, date, cấp ủy), a document moved in or out.
    """
    kind = JobKind.CHECK_DOSSIER.value
    waiting = session.scalar(
        select(Job.id).where(Job.kind == kind, Job.dossier_id == dossier_id, Job.state == JobState.QUEUED.value)
    )
    if waiting is None:
        enqueue(session, kind, dossier_id=dossier_id)


def _meeting_date(dossier: Dossier, docs: list[DossierDocument]) -> date:
    """The dossier's meeting date; else the biên bản's date; else the earliest document; else today."""
    if dossier.meeting_date is not None:
        return dossier.meeting_date
    minutes = [d.fields.issued_on for d in docs if d.fields.issued_on and (d.fields.type_code or "") == "BB"]
    dated = minutes or [d.fields.issued_on for d in docs if d.fields.issued_on]
    return min(dated) if dated else today_in_vietnam()


def _committee(dossier: Dossier, docs: list[DossierDocument]) -> tuple[str, str | None]:
    """The cấp ủy of the meeting: as set on the dossier, else the issuer most of its documents name."""
    if dossier.committee_name:
        return dossier.committee_name, dossier.committee_code
    issuers = Counter((d.fields.issuer, d.fields.issuer_code) for d in docs if d.fields.issuer)
    if not issuers:
        return "", dossier.committee_code
    (name, code), _ = issuers.most_common(1)[0]
    return str(name), dossier.committee_code or code


def check_dossier(services: Services, dossier_id: int) -> list[Finding]:
    """Run the dossier checks on the documents read so far and store their findings."""
    with transaction(services.factory) as session:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None:
            return []
        rows = session.scalars(
            select(Document).where(
                held_by(dossier_id),  # its own and linked documents, less those taken out by an archivist
                not_superseded(None),  # a version a newer one replaces no longer counts in its dossier
                Document.status == DocumentStatus.CHECKED.value,
            )
        ).all()
        docs = [
            DossierDocument(
                id=str(r.id),
                fields=DocumentFields.model_validate(r.fields or {}),
                filename=r.original_filename,
            )
            for r in rows
        ]
        findings: list[Finding] = []
        if dossier.meeting_body is not None:  # a conference dossier: its meeting's completeness
            name, code = _committee(dossier, docs)
            info = DossierInfo(
                meeting_body=MeetingBody(dossier.meeting_body),
                meeting_date=_meeting_date(dossier, docs),
                committee_name=name,
                committee_code=code,
            )
            findings.extend(validate_dossier(info, docs))
        findings.extend(records_findings(session, dossier, list(rows), datetime.now(UTC)))
        # Here, not in records.RULES: fileplans builds on records (retention, sheets), so records may not import it.
        findings.extend(not_in_file_plan(session, dossier, list(rows), datetime.now(UTC)))
    with transaction(services.factory) as session:
        session.execute(
            delete(FindingRow).where(and_(FindingRow.dossier_id == dossier_id, FindingRow.document_id.is_(None)))
        )
        session.add_all(finding_row(f, dossier_id=dossier_id, document_id=None) for f in findings)
    return findings
