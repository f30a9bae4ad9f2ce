"""Report computations: plain functions over the catalog, with the caller's rights in every query."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
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
from archive_service.catalog.models import Document, Dossier, FindingRow, Office
from archive_service.errors import NotFound
from archive_service.reports.fields import field_items, issued_on, symbol
from archive_service.reports.labels import MEETING_BODY_LABELS, UNKNOWN_TYPE
from archive_service.reports.model import (
    DocumentScore,
    FindingItem,
    MonthCount,
    OfficeCount,
    Report,
    ReportScope,
    RuleCount,
    Totals,
    TypeCount,
)
from schemas.findings import severity_rank

WORST_LIMIT = 10
MAX_MONTHS = 60


@dataclass
class _Doc:
    """The few columns of a document a report needs, with its findings counted."""

    id: int
    office_id: int
    filename: str
    fields: dict[str, Any] | None
    status: str
    validation_status: str
    report_date: date
    severities: Counter[str] = field(default_factory=Counter)

    @property
    def document_type(self) -> str:
        value = (self.fields or {}).get("document_type")
        return str(value) if value else UNKNOWN_TYPE


@dataclass
class _Finding:
    document_id: int | None
    code: str
    severity: str


def _as_date(value: datetime) -> date:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date()


def _in_period(day: date, date_from: date | None, date_to: date | None) -> bool:
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def _load_documents(session: Session, where: Any) -> dict[int, _Doc]:
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
    docs: dict[int, _Doc] = {}
    for r in rows:
        day = issued_on(r.fields) or _as_date(r.uploaded_at)
        docs[r.id] = _Doc(r.id, r.office_id, r.original_filename, r.fields, r.status, r.validation_status, day)
    return docs


def _load_document_findings(session: Session, where: Any) -> list[_Finding]:
    rows = session.execute(
        select(FindingRow.document_id, FindingRow.code, FindingRow.severity)
        .join(Document, Document.id == FindingRow.document_id)
        .where(where)
    ).all()
    return [_Finding(r.document_id, r.code, r.severity) for r in rows]


def _totals(docs: list[_Doc], findings: list[_Finding]) -> Totals:
    t = Totals(documents=len(docs))
    for d in docs:
        if d.status == "checked":
            t.documents_checked += 1
        if d.status == "failed":
            t.documents_unreadable += 1
        if d.severities["error"] or d.status == "failed":
            t.documents_with_errors += 1
        elif d.severities["warning"]:
            t.documents_with_warnings += 1
        elif d.status == "checked":
            t.documents_ok += 1
    severities = Counter(f.severity for f in findings)
    t.errors, t.warnings, t.infos = severities["error"], severities["warning"], severities["info"]
    t.dossier_findings = sum(1 for f in findings if f.document_id is None)
    return t


def _by_rule(findings: list[_Finding]) -> list[RuleCount]:
    counts: Counter[tuple[str, str]] = Counter()
    docs: dict[tuple[str, str], set[int]] = defaultdict(set)
    for f in findings:
        key = (f.code, f.severity)
        counts[key] += 1
        if f.document_id is not None:
            docs[key].add(f.document_id)
    rows = [RuleCount(code=c, severity=s, count=n, documents=len(docs[(c, s)])) for (c, s), n in counts.items()]
    return sorted(rows, key=lambda r: (severity_rank(r.severity), -r.count, r.code))


def _by_type(docs: list[_Doc]) -> list[TypeCount]:
    groups: dict[str, list[_Doc]] = defaultdict(list)
    for d in docs:
        groups[d.document_type].append(d)
    rows = [
        TypeCount(
            document_type=name,
            documents=len(items),
            documents_with_errors=sum(1 for d in items if d.severities["error"]),
            errors=sum(d.severities["error"] for d in items),
            warnings=sum(d.severities["warning"] for d in items),
        )
        for name, items in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.documents, r.document_type))


def _month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(first: date, last: date) -> list[str]:
    months: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month) and len(months) < MAX_MONTHS:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _by_month(docs: list[_Doc], date_from: date | None, date_to: date | None) -> list[MonthCount]:
    """Every month of the period (or, for an open period, from the first document to the last)."""
    if date_from is not None and date_to is not None and date_from <= date_to:
        first, last = date_from, date_to
    elif docs:
        first = min(d.report_date for d in docs)
        last = max(d.report_date for d in docs)
    else:
        return []
    groups: dict[str, list[_Doc]] = defaultdict(list)
    for d in docs:
        groups[_month_key(d.report_date)].append(d)
    return [
        MonthCount(
            month=m,
            documents=len(groups[m]),
            documents_with_errors=sum(1 for d in groups[m] if d.severities["error"]),
            errors=sum(d.severities["error"] for d in groups[m]),
            warnings=sum(d.severities["warning"] for d in groups[m]),
        )
        for m in _months_between(first, last)
    ]


def _worst(docs: list[_Doc], limit: int = WORST_LIMIT) -> list[DocumentScore]:
    ranked = sorted(
        (d for d in docs if sum(d.severities.values())),
        key=lambda d: (-d.severities["error"], -d.severities["warning"], -d.severities["info"], d.id),
    )
    return [
        DocumentScore(
            document_id=d.id,
            filename=d.filename,
            symbol=symbol(d.fields),
            document_type=(d.fields or {}).get("document_type"),
            issued_on=issued_on(d.fields),
            validation_status=d.validation_status,
            errors=d.severities["error"],
            warnings=d.severities["warning"],
            infos=d.severities["info"],
        )
        for d in ranked[:limit]
    ]


def _by_office(session: Session, docs: list[_Doc]) -> list[OfficeCount]:
    offices = {o.id: o for o in session.scalars(select(Office))}
    groups: dict[int, list[_Doc]] = defaultdict(list)
    for d in docs:
        groups[d.office_id].append(d)
    rows = [
        OfficeCount(
            office_code=offices[oid].code if oid in offices else str(oid),
            office_name=offices[oid].name if oid in offices else str(oid),
            documents=len(items),
            documents_with_errors=sum(1 for d in items if d.severities["error"]),
            errors=sum(d.severities["error"] for d in items),
            warnings=sum(d.severities["warning"] for d in items),
        )
        for oid, items in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.error_rate, -r.errors, r.office_code))


def _attach(docs: dict[int, _Doc], findings: list[_Finding]) -> list[_Finding]:
    """Count each finding on its document; keep only findings of documents in ``docs``."""
    kept = []
    for f in findings:
        if f.document_id is None:
            kept.append(f)
        elif f.document_id in docs:
            docs[f.document_id].severities[f.severity] += 1
            kept.append(f)
    return kept


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


def office_report(
    session: Session,
    *,
    principal: Principal,
    office_code: str | None,
    date_from: date | None,
    date_to: date | None,
    now: datetime | None = None,
) -> Report:
    """Per office and period: counts by rule and severity, by type, by month, the worst documents."""
    office = _resolve_office(session, principal, office_code)
    doc_where = readable_documents(principal)
    dossier_where = readable_dossiers(principal)
    if office is not None:
        doc_where = doc_where & (Document.office_id == office.id)
        dossier_where = dossier_where & (Dossier.office_id == office.id)
    docs = {
        k: d for k, d in _load_documents(session, doc_where).items() if _in_period(d.report_date, date_from, date_to)
    }
    findings = _attach(docs, _load_document_findings(session, doc_where))
    findings += _dossier_findings(session, principal, dossier_where, date_from, date_to)
    doc_list = sorted(docs.values(), key=lambda d: d.id)
    title = "Báo cáo kiểm tra thể thức và thẩm quyền ban hành văn bản"
    return Report(
        scope=ReportScope(
            kind="office",
            title=title,
            office_code=office.code if office else None,
            office_name=office.name if office else None,
            date_from=date_from,
            date_to=date_to,
            generated_at=now or datetime.now(UTC),
            generated_by=principal.username,
        ),
        totals=_totals(doc_list, findings),
        by_rule=_by_rule(findings),
        by_type=_by_type(doc_list),
        by_month=_by_month(doc_list, date_from, date_to),
        worst_documents=_worst(doc_list),
        by_office=_by_office(session, doc_list),
    )


def _dossier_findings(
    session: Session, principal: Principal, where: Any, date_from: date | None, date_to: date | None
) -> list[_Finding]:
    """Completeness findings the caller may see, of the dossiers whose meeting (or creation) is in the period."""
    rows = session.execute(
        select(FindingRow, Dossier.meeting_date, Dossier.created_at)
        .join(Dossier, Dossier.id == FindingRow.dossier_id)
        .where(FindingRow.document_id.is_(None), where)
    ).all()
    in_period = [row for row, met, created in rows if _in_period(met or _as_date(created), date_from, date_to)]
    return [_Finding(None, r.code, r.severity) for r in visible_dossier_findings(session, principal, in_period)]


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
    """Per dossier: every document's findings, the dossier's own completeness findings, the counts."""
    dossier = catalog_dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
    office = session.get(Office, dossier.office_id)
    doc_where = readable_documents(principal) & (Document.dossier_id == dossier.id)
    docs = _load_documents(session, doc_where)
    rows = list(
        session.scalars(select(FindingRow).join(Document, Document.id == FindingRow.document_id).where(doc_where))
    )
    rows += catalog_findings.dossier_findings(session, principal, dossier.id)
    findings = _attach(docs, [_Finding(r.document_id, r.code, r.severity) for r in rows])
    doc_list = sorted(docs.values(), key=lambda d: d.id)
    body = MEETING_BODY_LABELS.get(dossier.meeting_body, dossier.meeting_body)
    return Report(
        scope=ReportScope(
            kind="dossier",
            title=f"Báo cáo kiểm tra hồ sơ hội nghị: {dossier.title} ({body})",
            office_code=office.code if office else None,
            office_name=office.name if office else None,
            dossier_id=dossier.id,
            date_from=dossier.meeting_date,
            date_to=dossier.meeting_date,
            generated_at=now or datetime.now(UTC),
            generated_by=principal.username,
        ),
        totals=_totals(doc_list, findings),
        by_rule=_by_rule(findings),
        by_type=_by_type(doc_list),
        by_month=_by_month(doc_list, None, None),
        worst_documents=_worst(doc_list),
        findings=_finding_items(rows, {d.id: d.filename for d in doc_list}),
    )


def document_report(session: Session, *, principal: Principal, document_id: int, now: datetime | None = None) -> Report:
    """Per document: the elements found and every finding, where it is and how to fix it."""
    doc = catalog_documents.get_readable(session, principal=principal, document_id=document_id)
    office = session.get(Office, doc.office_id)
    rows = catalog_documents.findings_of(session, document_id=doc.id)
    item = _Doc(
        doc.id,
        doc.office_id,
        doc.original_filename,
        doc.fields,
        doc.status,
        doc.validation_status,
        issued_on(doc.fields) or _as_date(doc.uploaded_at),
    )
    findings = _attach({doc.id: item}, [_Finding(r.document_id, r.code, r.severity) for r in rows])
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
        totals=_totals([item], findings),
        by_rule=_by_rule(findings),
        by_type=_by_type([item]),
        worst_documents=_worst([item]),
        findings=_finding_items(rows, {doc.id: doc.original_filename}),
        fields=field_items(doc.fields),
    )
