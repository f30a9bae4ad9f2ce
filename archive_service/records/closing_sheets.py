"""The two records closing makes, as ``RecordSheet`` data: the chứng từ kết thúc and the mục lục văn bản.

- Mục lục văn bản (NĐ 30/2020 Phụ lục V.IV [V]): STT | Số, ký hiệu văn bản | Ngày tháng năm văn bản | Tên loại và
  trích yếu nội dung | Tác giả văn bản | Tờ số/Trang số | Ghi chú, for permanent dossiers; pages counted on from
  the first document in the order of the dossier page.
- Chứng từ kết thúc (NĐ 30/2020 Điều 29.3 [V] requires one for every dossier; its layout, TCVN 9251:2012, was not
  read [U]): made as offices make it — the dossier's number and title, how many documents and pages, retention,
  start and end, the documents' characteristics, who formed it and when — and it says that its layout follows
  practice.
The mục lục lists every document, secret ones too (its Ghi chú names the độ mật): the files are read only by who may
read every document the dossier holds (records/files.py), so a complete list reaches no one not cleared for it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Final

from archive_service.catalog.models import Document, Dossier
from archive_service.records import retention
from archive_service.records.doc_fields import field_text, issued_on
from archive_service.records.sheet import Column, RecordSheet, Row, Signature
from archive_service.records.sheet_layout import office_issuer_lines, place_date

PRACTICE_NOTE: Final = (
    "Ghi chú: mẫu chứng từ kết thúc này lập theo thực tế các cơ quan, vì TCVN 9251:2012 (bìa hồ sơ, chứng từ kết "
    "thúc) chưa được đối chiếu; nội dung theo NĐ 30/2020/NĐ-CP Điều 29."
)
SECRECY: Final[dict[int, str]] = {1: "Mật", 2: "Tối mật", 3: "Tuyệt mật"}
SIGN_NOTE: Final = "(Ký, ghi rõ họ tên)"
DOCX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class SheetContext:
    """What both sheets say about where they come from: the office, who made them, the closing day."""

    office_name: str
    former_name: str
    closed_on: date


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _place_date(day: date) -> str:
    return place_date(day)


def _type_and_summary(doc: Document) -> str:
    """ "Nghị quyết về …": the tên loại in sentence case, then the trích yếu; the file name when nothing was read."""
    kind = field_text(doc, "document_type")
    kind = kind[:1].upper() + kind[1:].lower() if kind else ""
    summary = field_text(doc, "summary")
    text = " ".join(part for part in (kind, summary) if part)
    return text or doc.original_filename


def page_ranges(docs: list[Document]) -> list[str]:
    """Each document's "Tờ số/Trang số", counted on from 1 in order ("1–3", "4"); "—" when its pages are unknown."""
    ranges: list[str] = []
    start = 1
    for doc in docs:
        count = doc.page_count or 0
        if count <= 0:
            ranges.append("—")
            continue
        end = start + count - 1
        ranges.append(str(start) if count == 1 else f"{start}–{end}")
        start = end + 1
    return ranges


def _author(doc: Document) -> str:
    """Tác giả văn bản: the issuing body with the committee it belongs to ("VĂN PHÒNG" under "TỈNH ỦY THANH HÓA"
    is "VĂN PHÒNG TỈNH ỦY THANH HÓA"); a committee's own line above it names its Đảng bộ and is not repeated."""
    issuer = field_text(doc, "issuer")
    parent = field_text(doc, "parent_issuer")
    if issuer and parent and not parent.upper().startswith("ĐẢNG BỘ") and parent.upper() not in issuer.upper():
        return f"{issuer} {parent}"
    return issuer or "—"


def _file_code(dossier: Dossier) -> str:
    return dossier.file_code or f"Hồ sơ số {dossier.id}"


def _unit(dossier: Dossier) -> str:
    return "tờ" if dossier.medium == "giay" else "trang"


def document_index(dossier: Dossier, docs: list[Document], ctx: SheetContext) -> RecordSheet:
    """Mục lục văn bản (NĐ 30 Phụ lục V.IV) of a permanent dossier, in the order of its page."""
    rows = []
    for number, (doc, pages) in enumerate(zip(docs, page_ranges(docs), strict=True), start=1):
        notes = (SECRECY.get(doc.secrecy_level, ""), "Chưa rõ số trang" if pages == "—" else "")
        cells = (
            str(number),
            field_text(doc, "number_line").removeprefix("Số").strip(" :") or "—",
            _day(issued_on(doc)),
            _type_and_summary(doc),
            _author(doc),
            pages,
            "; ".join(n for n in notes if n),
        )
        rows.append(Row(cells))
    total = sum(d.page_count or 0 for d in docs)
    return RecordSheet(
        title="MỤC LỤC VĂN BẢN",
        issuer_lines=office_issuer_lines(ctx.office_name),
        place_date=_place_date(ctx.closed_on),
        subtitles=(f"Hồ sơ: {_file_code(dossier)}", dossier.title),
        columns=(
            Column("STT", 0.5, "center"),
            Column("Số, ký hiệu văn bản", 1.3),
            Column("Ngày tháng năm văn bản", 1.1, "center"),
            Column("Tên loại và trích yếu nội dung", 3.1),
            Column("Tác giả văn bản", 2.0),
            Column("Tờ số/Trang số", 1.0, "center"),
            Column("Ghi chú", 0.9),
        ),
        rows=tuple(rows),
        closing=(f"Mục lục này gồm {len(docs)} văn bản, {total} {_unit(dossier)}.",),
        signatures=(Signature("NGƯỜI LẬP HỒ SƠ", ctx.former_name, SIGN_NOTE),),
        landscape=True,
        footer=f"Mục lục văn bản — {_file_code(dossier)}",
        metadata={"title": f"Mục lục văn bản — {dossier.title}", "subject": "NĐ 30/2020/NĐ-CP Phụ lục V.IV"},
    )


def _format(doc: Document) -> str:
    """The file format a reader knows it by: PDF, DOCX, … (the media type's, else the file name's extension)."""
    known = {"application/pdf": "PDF", DOCX_MEDIA_TYPE: "DOCX"}
    if doc.media_type in known:
        return known[doc.media_type]
    suffix = doc.original_filename.rpartition(".")[2] if "." in doc.original_filename else ""
    return suffix.upper() or "khác"


def _characteristics(docs: list[Document]) -> str:
    """Đặc điểm tài liệu: what the files are (electronic originals, scans), how many could not be read, secret."""
    formats = Counter(_format(d) for d in docs)
    scans = sum(1 for d in docs if d.ocr)
    unread = sum(1 for d in docs if d.status == "failed")
    secret = sum(1 for d in docs if d.secrecy_level > 0)
    kinds = ", ".join(f"{n} tệp {name}" for name, n in sorted(formats.items(), key=lambda item: (-item[1], item[0])))
    parts = [
        f"Tài liệu điện tử: {len(docs)} tệp gốc lưu nguyên vẹn (kiểm tra bằng mã SHA-256)"
        + (f", gồm {kinds}" if kinds else "")
        + (f", {scans} bản chụp (bản sao số hóa)" if scans else "")
    ]
    parts.append(f"{unread} tệp không đọc được nội dung" if unread else "tình trạng: đầy đủ, đọc được")
    if secret:
        parts.append(f"{secret} văn bản mật")
    return "; ".join(parts) + "."


def closing_record(dossier: Dossier, docs: list[Document], ctx: SheetContext, *, has_index: bool) -> RecordSheet:
    """Chứng từ kết thúc of any dossier (NĐ 30 Điều 29.3); its layout follows practice, as it says."""
    keep = retention.parse(dossier.retention) if retention.is_valid(dossier.retention) else None
    unit = _unit(dossier)
    facts = [
        ("Số và ký hiệu hồ sơ", dossier.file_code or "—"),
        ("Tiêu đề hồ sơ", dossier.title),
        ("Số lượng văn bản", f"{len(docs)} văn bản" + (f", đánh số từ 01 đến {len(docs):02d}" if docs else "")),
        (f"Số {unit}", f"{dossier.page_total or 0} {unit}"),
        ("Mục lục văn bản", "Có (kèm theo hồ sơ)" if has_index else "Không (hồ sơ bảo quản có thời hạn)"),
        ("Thời hạn bảo quản", keep.label if keep else dossier.retention),
        ("Thời gian bắt đầu", _day(dossier.start_date)),
        ("Thời gian kết thúc", _day(dossier.end_date)),
        ("Đặc điểm tài liệu", _characteristics(docs)),
        ("Người lập hồ sơ", ctx.former_name),
        ("Ngày kết thúc hồ sơ", _day(ctx.closed_on)),
    ]
    return RecordSheet(
        title="CHỨNG TỪ KẾT THÚC",
        issuer_lines=office_issuer_lines(ctx.office_name),
        place_date=_place_date(ctx.closed_on),
        subtitles=(f"Hồ sơ: {_file_code(dossier)}",),
        columns=(Column("Mục", 1.2), Column("Nội dung", 3.0)),
        rows=tuple(Row((name, value)) for name, value in facts),
        closing=(PRACTICE_NOTE,),
        signatures=(Signature("NGƯỜI LẬP HỒ SƠ", ctx.former_name, SIGN_NOTE),),
        footer=f"Chứng từ kết thúc — {_file_code(dossier)}",
        metadata={"title": f"Chứng từ kết thúc — {dossier.title}", "subject": "NĐ 30/2020/NĐ-CP Điều 29"},
    )
