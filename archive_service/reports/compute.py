"""Report computations: the catalog queries of a report, with the caller's rights in every query.

What is counted, and how, is ``counting`` (one definition per number); the trend's steps are ``trend``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import accounts
from archive_service.catalog import documents as catalog_documents
from archive_service.catalog import dossiers as catalog_dossiers
from archive_service.catalog import findings as catalog_findings
from archive_service.catalog.access import Principal, readable_documents, readable_dossiers
from archive_service.catalog.findings import visible_dossier_findings
from archive_service.catalog.links import in_dossier
from archive_service.catalog.models import Document, Dossier, FindingRow, Office
from archive_service.catalog.versions import newer_versions
from archive_service.errors import NotFound
from archive_service.reports import counting
from archive_service.reports.bao_cao import area_of, committee_of
from archive_service.reports.counting import CountedDocument, Hit
from archive_service.reports.fields import field_items, issued_on, symbol
from archive_service.reports.labels import MEETING_BODY_LABELS
from archive_service.reports.model import FindingItem, Report, ReportScope
from archive_service.reports.trend import trend
from archive_service.vietnam_time import local_time
from schemas.findings import severity_rank


def _as_date(value: datetime) -> date:
    """The day an instant (an upload, a dossier's creation) was in Vietnam: a report's periods are the offices' days,
    not the server's (an upload at 01:00 in Hà Nội on the 1st belongs to that month, not to the month before)."""
    return local_time(value).date()


def _in_period(day: date, date_from: date | None, date_to: date | None) -> bool:
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def superseded_ids(session: Session, principal: Principal, ids: Iterable[int]) -> set[int]:
    """Of ``ids``, the documents replaced by a newer version the caller may read: they leave every count.

    The one rule of ``catalog.versions`` (a newer version names the old one in ``version_of``; only a
    version the caller may read retires the old one, so that a secret correction reveals nothing).
    """
    return set(newer_versions(session, principal, sorted(set(ids))))


def _load_documents(session: Session, where: Any) -> dict[int, CountedDocument]:
    rows = session.execute(
        select(
            Document.id,
            Document.office_id,
            Document.original_filename,
            Document.fields,
            Document.status,
            Document.validation_status,
            Document.uploaded_at,
        ).where(where)
    ).all()
    docs: dict[int, CountedDocument] = {}
    for r in rows:
        day = issued_on(r.fields) or _as_date(r.uploaded_at)
        docs[r.id] = CountedDocument(
            r.id, r.office_id, r.original_filename, r.fields, r.status, r.validation_status, day
        )
    return docs


def _current(
    session: Session, principal: Principal, docs: dict[int, CountedDocument]
) -> tuple[dict[int, CountedDocument], int]:
    """The documents that are current versions, and how many superseded ones were left out."""
    old = superseded_ids(session, principal, docs)
    return {k: d for k, d in docs.items() if k not in old}, len(old & set(docs))


def _load_document_hits(session: Session, where: Any) -> list[Hit]:
    rows = session.execute(
        select(FindingRow.document_id, FindingRow.code, FindingRow.severity)
        .join(Document, Document.id == FindingRow.document_id)
        .where(where)
    ).all()
    return [Hit(r.document_id, r.code, r.severity) for r in rows]


def _hit(row: FindingRow) -> Hit:
    names = frozenset(int(i) for i in row.document_ids or ())
    return Hit(row.document_id, row.code, row.severity, names)


def _offices(session: Session) -> dict[int, tuple[str, str]]:
    return {o.id: (o.code, o.name) for o in session.scalars(select(Office))}


def _resolve_office(session: Session, principal: Principal, office_code: str | None) -> Office | None:
    """The office a caller asked for (None: every office they may see); a reader only their own.

    An office the caller may not see answers as an unknown one (404), so that codes cannot be probed.
    """
    if not office_code:
        if principal.sees_every_office:
            return None
        return session.get(Office, principal.office_id)
    office = accounts.find_office(session, office_code)
    if office is None or not (principal.sees_every_office or office.id == principal.office_id):
        raise NotFound("OFFICE-NOT-FOUND", f"Không có đơn vị mã {office_code}.")
    return office


def _place_of(committee: str, docs: Iterable[CountedDocument]) -> str:
    """The địa danh of the báo cáo: the place most documents of the office write, else the committee's area."""
    places = Counter(str(d.fields["place"]) for d in docs if d.fields and d.fields.get("place"))
    return places.most_common(1)[0][0] if places else area_of(committee)


def office_report(
    session: Session,
    *,
    principal: Principal,
    office_code: str | None,
    date_from: date | None,
    date_to: date | None,
    now: datetime | None = None,
) -> Report:
    """Per office and period: counts by rule and severity, by type, by period step, the worst documents."""
    office = _resolve_office(session, principal, office_code)
    doc_where = readable_documents(principal)
    dossier_where = readable_dossiers(principal)
    if office is not None:
        doc_where = doc_where & (Document.office_id == office.id)
        dossier_where = dossier_where & (Dossier.office_id == office.id)
    in_period = {
        k: d for k, d in _load_documents(session, doc_where).items() if _in_period(d.report_date, date_from, date_to)
    }
    docs, superseded = _current(session, principal, in_period)
    hits = _load_document_hits(session, doc_where)
    hits += _dossier_hits(session, principal, dossier_where, date_from, date_to)
    counted = counting.count(docs, hits, superseded=superseded)
    unit, steps = trend(counted.documents, date_from, date_to)
    issuer = office or session.get(Office, principal.office_id)
    committee = committee_of(issuer.name) if issuer else ""
    return Report(
        scope=ReportScope(
            kind="office",
            title="Báo cáo kiểm tra thể thức và thẩm quyền ban hành văn bản",
            office_code=office.code if office else None,
            office_name=office.name if office else None,
            date_from=date_from,
            date_to=date_to,
            generated_at=now or datetime.now(UTC),
            generated_by=principal.username,
            committee_name=committee or None,
            place=_place_of(committee, (d for d in counted.documents if issuer and d.office_id == issuer.id)) or None,
            issuer_code=issuer.code if issuer else None,
        ),
        totals=counting.totals(counted),
        by_rule=counting.by_rule(counted),
        by_type=counting.by_type(counted),
        by_month=steps,
        trend_unit=unit,
        worst_documents=counting.worst(counted),
        by_office=counting.by_office(counted, _offices(session)),
    )


def _dossier_hits(
    session: Session, principal: Principal, where: Any, date_from: date | None, date_to: date | None
) -> list[Hit]:
    """Completeness findings the caller may see, of the dossiers whose meeting (or creation) is in the period."""
    rows = session.execute(
        select(FindingRow, Dossier.meeting_date, Dossier.created_at)
        .join(Dossier, Dossier.id == FindingRow.dossier_id)
        .where(FindingRow.document_id.is_(None), where)
    ).all()
    in_period = [row for row, met, created in rows if _in_period(met or _as_date(created), date_from, date_to)]
    return [_hit(r) for r in visible_dossier_findings(session, principal, in_period)]


def _finding_items(rows: list[FindingRow], names: dict[int, str]) -> list[FindingItem]:
    items = [
        FindingItem(
            document_id=r.document_id,
            filename=names.get(r.document_id) if r.document_id is not None else None,
            code=r.code,
            severity=r.severity,
            clause=r.clause,
            message=r.message,
            hint=r.hint,
            line=(r.location or {}).get("line"),
            text=(r.location or {}).get("text"),
        )
        for r in rows
    ]
    return sorted(items, key=lambda i: (i.document_id or 0, severity_rank(i.severity), i.line or 0, i.code))


def dossier_report(session: Session, *, principal: Principal, dossier_id: int, now: datetime | None = None) -> Report:
    """Per dossier: every current document's findings, the dossier's own completeness findings, the counts."""
    dossier = catalog_dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
    office = session.get(Office, dossier.office_id)
    doc_where = readable_documents(principal) & in_dossier(dossier.id)
    docs, superseded = _current(session, principal, _load_documents(session, doc_where))
    rows = [
        r
        for r in session.scalars(
            select(FindingRow).join(Document, Document.id == FindingRow.document_id).where(doc_where)
        )
        if r.document_id in docs
    ]
    rows += catalog_findings.dossier_findings(session, principal, dossier.id)
    counted = counting.count(docs, [_hit(r) for r in rows], superseded=superseded)
    unit, steps = trend(counted.documents, None, None)
    # A work dossier (hồ sơ công việc) has no meeting body: its report is titled as such.
    if dossier.meeting_body is None:
        title = f"Báo cáo kiểm tra hồ sơ công việc: {dossier.title}"
    else:
        body = MEETING_BODY_LABELS.get(dossier.meeting_body, dossier.meeting_body)
        title = f"Báo cáo kiểm tra hồ sơ hội nghị: {dossier.title} ({body})"
    return Report(
        scope=ReportScope(
            kind="dossier",
            title=title,
            office_code=office.code if office else None,
            office_name=office.name if office else None,
            dossier_id=dossier.id,
            date_from=dossier.meeting_date,
            date_to=dossier.meeting_date,
            generated_at=now or datetime.now(UTC),
            generated_by=principal.username,
        ),
        totals=counting.totals(counted),
        by_rule=counting.by_rule(counted),
        by_type=counting.by_type(counted),
        by_month=steps,
        trend_unit=unit,
        worst_documents=counting.worst(counted),
        findings=_finding_items(rows, {d.id: d.filename for d in counted.documents}),
    )


def document_report(session: Session, *, principal: Principal, document_id: int, now: datetime | None = None) -> Report:
    """Per document: the elements found and every finding, where it is and how to fix it."""
    doc = catalog_documents.get_readable(session, principal=principal, document_id=document_id)
    office = session.get(Office, doc.office_id)
    rows = catalog_documents.findings_of(session, document_id=doc.id)
    item = CountedDocument(
        doc.id,
        doc.office_id,
        doc.original_filename,
        doc.fields,
        doc.status,
        doc.validation_status,
        issued_on(doc.fields) or _as_date(doc.uploaded_at),
    )
    counted = counting.count({doc.id: item}, [_hit(r) for r in rows])
    name = symbol(doc.fields) or doc.original_filename
    return Report(
        scope=ReportScope(
            kind="document",
            title=f"Báo cáo kiểm tra văn bản {name}",
            office_code=office.code if office else None,
            office_name=office.name if office else None,
            dossier_id=doc.dossier_id,
            document_id=doc.id,
            generated_at=now or datetime.now(UTC),
            generated_by=principal.username,
        ),
        totals=counting.totals(counted),
        by_rule=counting.by_rule(counted),
        by_type=counting.by_type(counted),
        worst_documents=counting.worst(counted),
        findings=_finding_items(rows, {doc.id: doc.original_filename}),
        fields=field_items(doc.fields),
    )
