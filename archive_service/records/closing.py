"""Closing a dossier (kết thúc hồ sơ, NĐ 30/2020 Điều 29.3): the checklist as logic, and the rule that a closed
dossier holds what closing makes (DOS-CLOSING-INCOMPLETE).

Before a dossier is closed, the archivist takes out the drafts and the duplicates ("loại ra khỏi hồ sơ bản trùng,
bản nháp"), sets its retention again and counts its pages. Here:
- a document still being read (stored, processing) blocks: its fields and page count are not known yet;
- a draft is a document carrying a "Dự thảo" mark without a number or a date of issue (one with both is an
  issued document with a stray mark: FMT-DRAFT-MARK, not a draft), or a version a newer one replaces
  (catalog/versions.py);
- duplicates are files of one document: the same số, ký hiệu, date of issue and issuer (the DOCX/PDF pair of
  validation/dossier.py). One stays — a PDF before a DOCX (the signed rendition), then the first uploaded — and
  the others are listed to take out;
- pages: the sum of the page counts of what stays; a document without one is named.
Only documents the caller may read are named; the others are counted, and one of them that blocks says only that
someone cleared for it must deal with it (access.py: nothing of a secret document reaches who may not read it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal, readable_document_ids
from archive_service.catalog.dossier_list import held_by
from archive_service.catalog.models import Document, DocumentStatus, Dossier, DossierState, RecordFile
from archive_service.catalog.versions import newer_versions
from archive_service.records import retention
from archive_service.records.doc_fields import field_text, issued_on
from archive_service.retention import minimum_retention as schedule_minimum
from indexers.textnorm import canonical, fold
from schemas.findings import Finding, Location, Severity

READING: Final = frozenset({DocumentStatus.STORED.value, DocumentStatus.PROCESSING.value})
PDF: Final = "application/pdf"
# The record files closing makes (RecordFile.kind), NĐ 30 Điều 29.3 and Phụ lục V.IV.
CLOSING_RECORD: Final = "chung-tu-ket-thuc"
DOCUMENT_INDEX: Final = "muc-luc-van-ban"


@dataclass(frozen=True)
class Item:
    """A document the checklist names: why (Vietnamese), and what kind of item it is."""

    document_id: int
    filename: str
    number_line: str
    kind: str  # "reading" | "draft" | "superseded" | "duplicate" | "no-pages"
    reason: str


@dataclass(frozen=True)
class Checklist:
    """What closing the dossier needs, as the caller may see it."""

    dossier_id: int
    state: str
    retention: str  # the dossier's retention now
    minimum: str | None  # the least retention its contents allow (None: no minimum known)
    minimum_note: str
    held: int  # documents the dossier holds (every one, readable or not)
    hidden: int  # of them, those the caller may not read
    reading: list[Item] = field(default_factory=list)  # block closing
    take_out: list[Item] = field(default_factory=list)  # drafts, superseded versions, duplicates
    hidden_blocking: int = 0  # unreadable documents still being read or to take out: someone cleared must act
    pages: int = 0  # of the documents that stay
    no_pages: list[Item] = field(default_factory=list)
    hidden_no_pages: int = 0
    end_date: date | None = None  # the dossier's, or the latest date of issue of what stays

    @property
    def blocked(self) -> bool:
        """Closing is refused whatever is taken out: documents still being read, or unreadable ones to act on."""
        return bool(self.reading) or self.hidden_blocking > 0

    def open_items(self, take_out: set[int]) -> list[str]:
        """What still stands in the way when ``take_out`` is taken out (Vietnamese lines; empty: it may close)."""
        lines = [f"{i.filename}: {i.reason}" for i in self.reading]
        lines += [f"{i.filename}: {i.reason}" for i in self.take_out if i.document_id not in take_out]
        if self.hidden_blocking:
            lines.append(
                f"{self.hidden_blocking} văn bản bạn không được xem đang được đọc hoặc cần đưa ra khỏi hồ sơ: "
                "người được xem văn bản đó phải xử lý trước."
            )
        return lines

    def hidden_line(self) -> str | None:
        return f"{self.hidden} văn bản bạn không được xem" if self.hidden else None


def is_draft(doc: Document) -> bool:
    """A "Dự thảo" mark without a number or a date of issue (36-HD/VPTW mục II.2; checks.md FMT-DRAFT-MARK)."""
    return bool(field_text(doc, "draft")) and not (field_text(doc, "number") and issued_on(doc))


def _identity(doc: Document) -> tuple[str, str, str, date] | None:
    """Số, ký hiệu (type and issuer's code), date, issuer: what makes two files one document; None when unnumbered."""
    number = field_text(doc, "number").lstrip("0")
    issued = issued_on(doc)
    if not number or issued is None:
        return None
    notation = canonical(field_text(doc, "type_code")) + "/" + canonical(field_text(doc, "issuer_code"))
    return (number, notation, fold(field_text(doc, "issuer")), issued)


def _keeper_order(doc: Document) -> tuple[int, int]:
    return (0 if doc.media_type == PDF else 1, doc.id)


def _item(doc: Document, kind: str, reason: str) -> Item:
    return Item(doc.id, doc.original_filename, field_text(doc, "number_line"), kind, reason)


def held_documents(session: Session, dossier_id: int) -> list[Document]:
    """Every document the dossier holds now, in the order of its page (upload order: dossiers/document_sort.py's
    default, by id — records may not import dossiers, which imports records for its findings)."""
    query = select(Document).where(held_by(dossier_id), Document.destroyed_at.is_(None)).order_by(Document.id)
    return list(session.scalars(query))


def _superseded(session: Session, docs: list[Document]) -> dict[int, Document]:
    """Of ``docs``, those a newer version replaces (whoever may read the newer one), with the newer one."""
    ids = [d.id for d in docs]
    if not ids:
        return {}
    rows = session.scalars(select(Document).where(Document.version_of.in_(ids)).order_by(Document.id))
    return {int(r.version_of): r for r in rows if r.version_of is not None}


def minimum_retention(session: Session, dossier: Dossier, docs: list[Document]) -> tuple[str | None, str]:
    """The least retention the dossier's contents allow (the highest of its documents' by the office's schedule,
    160-CV/TW; archive_service/retention), and a sentence on where it comes from."""
    found = schedule_minimum(session, dossier, docs)
    if found is None:
        return None, "Không văn bản nào thuộc một nhóm của bảng thời hạn bảo quản: không có mức tối thiểu."
    return found.code, (
        f"Mức tối thiểu {found.label.lower()}: thời hạn cao nhất của các văn bản trong hồ sơ theo bảng thời hạn "
        "bảo quản của đơn vị (160-CV/TW: thời hạn của hồ sơ là thời hạn cao nhất của văn bản trong đó)."
    )


def build(session: Session, principal: Principal, dossier: Dossier, *, now: datetime) -> Checklist:
    """The checklist of ``dossier`` for ``principal``: named only what they may read, the rest counted."""
    del now  # the checklist does not depend on the day; kept for the use cases' one signature
    docs = held_documents(session, dossier.id)
    readable = readable_document_ids(session, principal, {d.id for d in docs})
    newer_all = _superseded(session, docs)
    newer_seen = newer_versions(session, principal, [d.id for d in docs if d.id in readable])
    reading: list[Item] = []
    take_out: list[Item] = []
    hidden_blocking = 0
    current: list[Document] = []

    def out(doc: Document, item: Item) -> None:
        nonlocal hidden_blocking
        if doc.id in readable and (item.kind != "superseded" or doc.id in newer_seen):
            take_out.append(item)
        else:
            hidden_blocking += 1

    for doc in docs:
        if doc.status in READING:
            if doc.id in readable:
                reading.append(_item(doc, "reading", "đang được đọc và kiểm tra; chờ xong rồi kết thúc hồ sơ."))
            else:
                hidden_blocking += 1
        elif doc.id in newer_all:
            newer = newer_seen.get(doc.id)
            name = f"“{newer.original_filename}”" if newer is not None else "bản mới hơn"
            out(doc, _item(doc, "superseded", f"phiên bản cũ, đã có {name} thay thế: đưa ra khỏi hồ sơ."))
        elif is_draft(doc):
            mark = field_text(doc, "draft")
            out(doc, _item(doc, "draft", f"bản dự thảo (“{mark}”, chưa có số và ngày ban hành): đưa ra khỏi hồ sơ."))
        else:
            current.append(doc)
    groups: dict[tuple[str, str, str, date], list[Document]] = defaultdict(list)
    for doc in current:
        key = _identity(doc)
        if key is not None:
            groups[key].append(doc)
    duplicates: set[int] = set()
    for same in groups.values():
        keeper, *others = sorted(same, key=_keeper_order)
        for doc in others:
            duplicates.add(doc.id)
            kept = f"“{keeper.original_filename}”" if keeper.id in readable else "một văn bản khác trong hồ sơ"
            out(
                doc,
                _item(
                    doc,
                    "duplicate",
                    f"bản trùng của {kept} (cùng số, ký hiệu, ngày, cơ quan ban hành): "
                    "giữ một bản, đưa bản này ra khỏi hồ sơ.",
                ),
            )
    staying = [d for d in current if d.id not in duplicates]
    no_pages = [
        _item(d, "no-pages", "chưa có số trang; số trang của hồ sơ chưa tính văn bản này.")
        for d in staying
        if not d.page_count and d.id in readable
    ]
    dates = [day for d in staying if (day := issued_on(d)) is not None]
    minimum, note = minimum_retention(session, dossier, staying)
    return Checklist(
        dossier_id=dossier.id,
        state=dossier.state,
        retention=dossier.retention,
        minimum=minimum,
        minimum_note=note,
        held=len(docs),
        hidden=len(docs) - len(readable),
        reading=reading,
        take_out=take_out,
        hidden_blocking=hidden_blocking,
        pages=sum(d.page_count or 0 for d in staying),
        no_pages=no_pages,
        hidden_no_pages=sum(1 for d in staying if not d.page_count and d.id not in readable),
        end_date=dossier.end_date or (max(dates) if dates else None),
    )


def staying_documents(session: Session, dossier: Dossier) -> list[Document]:
    """What the dossier holds once closed (current, not a draft): the documents its mục lục lists, page order."""
    docs = held_documents(session, dossier.id)
    replaced = _superseded(session, docs)
    return [d for d in docs if d.id not in replaced and not is_draft(d)]


# ---- DOS-CLOSING-INCOMPLETE (checks.md "Dossier") -----------------------------------------------------------

CLAUSE: Final = "NĐ 30/2020/NĐ-CP Điều 29.3 (kết thúc hồ sơ) và Phụ lục V.IV (mục lục văn bản)"


def closing_incomplete(session: Session, dossier: Dossier, documents: list[Document], now: datetime) -> list[Finding]:
    """A dossier past "open" without its chứng từ kết thúc, its mục lục văn bản when permanent, or its page total."""
    del documents, now
    if dossier.state in (DossierState.OPEN.value, DossierState.DESTROYED.value):
        return []
    kinds = set(
        session.scalars(
            select(RecordFile.kind).where(RecordFile.owner_type == "dossier", RecordFile.owner_id == dossier.id)
        )
    )
    missing = []
    if CLOSING_RECORD not in kinds:
        missing.append("chứng từ kết thúc")
    permanent = retention.is_valid(dossier.retention) and retention.parse(dossier.retention).permanent
    if permanent and DOCUMENT_INDEX not in kinds:
        missing.append("mục lục văn bản (hồ sơ bảo quản vĩnh viễn)")
    if dossier.page_total is None:
        missing.append("tổng số trang")
    if not missing:
        return []
    return [
        Finding(
            code="DOS-CLOSING-INCOMPLETE",
            severity=Severity.ERROR,
            message=f"Hồ sơ đã kết thúc còn thiếu: {', '.join(missing)}.",
            hint="Lập đủ thành phần khi kết thúc hồ sơ: chứng từ kết thúc cho mọi hồ sơ, mục lục văn bản cho hồ sơ "
            "bảo quản vĩnh viễn, và số trang của hồ sơ.",
            clause=CLAUSE,
            location=Location(text=f"Hồ sơ số {dossier.id}"),
            documents=[],
        )
    ]
