"""Every count a report shows, defined once: the summary, each table and every file format read these.

A report once said 28 lỗi in its summary and 11 in its office comparison, because the summary also added
the dossiers' completeness findings. Here each number has one definition:

- a document's errors, warnings and notes are the findings of its own checks; a document counts only when
  it is a current version (a superseded one is left out, with its findings) and dated in the period;
- the summary, the office comparison, the tables by type and by period and the worst documents all sum
  those per-document counts, so they add up to the same totals;
- a dossier finding (DOS-*) is counted apart, once, and its row counts the documents it names.

``CAPTIONS`` says in Vietnamese what each table counts; every rendering prints it under the table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from archive_service.reports.fields import issued_on, symbol
from archive_service.reports.labels import UNKNOWN_TYPE
from archive_service.reports.model import DocumentScore, OfficeCount, RuleCount, Totals, TypeCount
from schemas.findings import severity_rank

WORST_LIMIT: Final = 10

CAPTIONS: Final[dict[str, str]] = {
    "totals": (
        "Số lỗi, số cảnh báo, số lưu ý: số phát hiện ở mức đó trên các văn bản còn hiệu lực (không tính bản đã "
        "được thay thế) có ngày ban hành trong kỳ; phát hiện về thành phần hồ sơ được đếm riêng."
    ),
    "by_rule": (
        "Số lần: số phát hiện của mã đó. Số văn bản: số văn bản có phát hiện đó; với mã về thành phần hồ sơ "
        "(DOS-…) là số văn bản mà phát hiện nêu tên."
    ),
    "by_type": (
        "Số lỗi, số cảnh báo: số phát hiện mức lỗi, mức cảnh báo trên các văn bản còn hiệu lực trong kỳ, "
        "theo tên loại; cộng lại bằng số ở phần Tổng hợp."
    ),
    "by_month": (
        "Số lỗi: số phát hiện mức lỗi trên các văn bản còn hiệu lực có ngày ban hành trong từng tháng, quý "
        "hoặc năm của kỳ; cộng lại bằng số ở phần Tổng hợp."
    ),
    "by_office": (
        "Số lỗi: số phát hiện mức lỗi trên các văn bản còn hiệu lực trong kỳ của từng đơn vị; tỷ lệ có lỗi là "
        "số văn bản có lỗi chia cho số văn bản; cộng lại bằng số ở phần Tổng hợp."
    ),
    "worst": "Các văn bản còn hiệu lực có nhiều phát hiện mức lỗi nhất, rồi nhiều cảnh báo nhất.",
}


@dataclass
class CountedDocument:
    """The few columns of a document a report needs, with its own findings counted by severity."""

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

    @property
    def has_errors(self) -> bool:
        return bool(self.severities["error"])


@dataclass(frozen=True)
class Hit:
    """One stored finding: of a document (``document_id``) or of a dossier (the documents it names)."""

    document_id: int | None
    code: str
    severity: str
    names: frozenset[int] = frozenset()


@dataclass
class Counted:
    """The documents of a report with their counts, and the findings that were counted."""

    documents: list[CountedDocument]
    document_hits: list[Hit]
    dossier_hits: list[Hit]
    superseded: int = 0


def count(documents: Mapping[int, CountedDocument], hits: Iterable[Hit], *, superseded: int = 0) -> Counted:
    """Count each document finding on its document; keep only those of ``documents``; dossier findings apart."""
    for d in documents.values():
        d.severities.clear()
    document_hits: list[Hit] = []
    dossier_hits: list[Hit] = []
    for h in hits:
        if h.document_id is None:
            dossier_hits.append(h)
        elif h.document_id in documents:
            documents[h.document_id].severities[h.severity] += 1
            document_hits.append(h)
    ordered = sorted(documents.values(), key=lambda d: d.id)
    return Counted(ordered, document_hits, dossier_hits, superseded)


def totals(counted: Counted) -> Totals:
    """The summary: sums of the per-document counts, the dossier findings apart."""
    t = Totals(documents=len(counted.documents), superseded=counted.superseded)
    for d in counted.documents:
        if d.status == "checked":
            t.documents_checked += 1
        if d.status == "failed":
            t.documents_unreadable += 1
        if d.has_errors or d.status == "failed":
            t.documents_with_errors += 1
        elif d.severities["warning"]:
            t.documents_with_warnings += 1
        elif d.status == "checked":
            t.documents_ok += 1
        t.errors += d.severities["error"]
        t.warnings += d.severities["warning"]
        t.infos += d.severities["info"]
    t.dossier_findings = len(counted.dossier_hits)
    t.dossier_errors = sum(1 for h in counted.dossier_hits if h.severity == "error")
    t.dossier_warnings = sum(1 for h in counted.dossier_hits if h.severity == "warning")
    return t


def by_rule(counted: Counted) -> list[RuleCount]:
    """Per code and severity: occurrences and documents concerned (a dossier finding: the documents it names)."""
    occurrences: Counter[tuple[str, str]] = Counter()
    documents: dict[tuple[str, str], set[int]] = defaultdict(set)
    for h in counted.document_hits + counted.dossier_hits:
        key = (h.code, h.severity)
        occurrences[key] += 1
        documents[key] |= {h.document_id} if h.document_id is not None else set(h.names)
    rows = [
        RuleCount(code=c, severity=s, count=n, documents=len(documents[(c, s)])) for (c, s), n in occurrences.items()
    ]
    return sorted(rows, key=lambda r: (severity_rank(r.severity), -r.count, r.code))


def by_type(counted: Counted) -> list[TypeCount]:
    """Per tên loại: documents, documents with errors, errors and warnings."""
    groups: dict[str, list[CountedDocument]] = defaultdict(list)
    for d in counted.documents:
        groups[d.document_type].append(d)
    rows = [
        TypeCount(
            document_type=name,
            documents=len(items),
            documents_with_errors=sum(1 for d in items if d.has_errors),
            errors=sum(d.severities["error"] for d in items),
            warnings=sum(d.severities["warning"] for d in items),
        )
        for name, items in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.documents, r.document_type))


def by_office(counted: Counted, offices: Mapping[int, tuple[str, str]]) -> list[OfficeCount]:
    """Per office (code, name): the same per-document counts as the summary, highest error rate first."""
    groups: dict[int, list[CountedDocument]] = defaultdict(list)
    for d in counted.documents:
        groups[d.office_id].append(d)
    rows = [
        OfficeCount(
            office_code=offices.get(oid, (str(oid), str(oid)))[0],
            office_name=offices.get(oid, (str(oid), str(oid)))[1],
            documents=len(items),
            documents_with_errors=sum(1 for d in items if d.has_errors),
            errors=sum(d.severities["error"] for d in items),
            warnings=sum(d.severities["warning"] for d in items),
        )
        for oid, items in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.error_rate, -r.errors, r.office_code))


def worst(counted: Counted, limit: int = WORST_LIMIT) -> list[DocumentScore]:
    """The documents with most errors, then warnings, then notes."""
    ranked = sorted(
        (d for d in counted.documents if sum(d.severities.values())),
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
