"""The two records of an appraisal as data: the danh mục tài liệu hết giá trị and the biên bản hủy tài liệu.

Danh mục tài liệu hết giá trị: the list put before the Hội đồng xác định giá trị tài liệu (29-HD/VPTW; its
procedure was not read [S/U], so the columns follow the mục lục hồ sơ of NĐ 30/2020 Phụ lục V.III with the reason
for destruction added: Số TT | Số, ký hiệu hồ sơ | Tiêu đề hồ sơ | Thời gian tài liệu | Thời hạn bảo quản | Số
tờ/trang | Lý do hủy | Ghi chú). Biên bản hủy tài liệu hết giá trị: the decision, the council, what was destroyed
(dossiers, files, sizes, SHA-256), how (xóa vĩnh viễn khỏi kho lưu trữ), when and by whom; kept after the records
are gone (records-lifecycle.md "Destruction"). A secret document is named in the biên bản only by its number in the
catalog and its SHA-256: the file is read by more people than are cleared for what the document said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from archive_service.appraisals.queries import kept_until
from archive_service.catalog.models import Appraisal, Document, Dossier
from archive_service.records import retention as ret
from archive_service.records.sheet import Column, RecordSheet, Row, Signature
from archive_service.records.sheet_layout import office_issuer_lines
from archive_service.vietnam_time import today_in_vietnam

DESTROY_METHOD = "xóa vĩnh viễn khỏi kho lưu trữ (mọi phiên bản của tệp trong kho đối tượng)"


def date_line(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def dossier_code(dossier: Dossier) -> str:
    """Số, ký hiệu hồ sơ: its code in the file plan ("01.VPTU"), or its number in the catalog when it has none."""
    return dossier.file_code or f"HS-{dossier.id}"


def period(dossier: Dossier) -> str:
    """Thời gian tài liệu: from the first to the last date of the dossier's documents, as far as it knows them."""
    start = dossier.start_date or dossier.meeting_date
    end = dossier.end_date
    if start is None and end is None:
        return str(dossier.created_at.year)
    first = start.strftime("%d/%m/%Y") if start else "…"
    last = end.strftime("%d/%m/%Y") if end else "…"
    return first if first == last or end is None else f"{first} - {last}"


def pages(dossier: Dossier, documents: list[Document]) -> str:
    if dossier.page_total is not None:
        return str(dossier.page_total)
    known = [d.page_count for d in documents if d.page_count is not None]
    return str(sum(known)) if known else ""


def retention_label(dossier: Dossier) -> str:
    return ret.parse(dossier.retention).label if ret.is_valid(dossier.retention) else dossier.retention


def _reason(dossier: Dossier) -> str:
    end = kept_until(dossier)
    return f"Hết thời hạn bảo quản (đến {end.strftime('%d/%m/%Y')})" if end else "Hết thời hạn bảo quản"


@dataclass(frozen=True)
class ListInput:
    appraisal: Appraisal
    office_name: str
    office_code: str
    day: date
    dossiers: tuple[tuple[Dossier, list[Document]], ...]
    proposer: str


def danh_muc_het_gia_tri(data: ListInput) -> RecordSheet:
    """Danh mục tài liệu hết giá trị (put before the council; 29-HD/VPTW, columns after NĐ 30 Phụ lục V.III)."""
    rows = tuple(
        Row(
            (
                str(i),
                dossier_code(d),
                d.title,
                period(d),
                retention_label(d),
                pages(d, docs),
                _reason(d),
                f"{len(docs)} văn bản; hồ sơ số {d.id}",
            )
        )
        for i, (d, docs) in enumerate(data.dossiers, start=1)
    )
    return RecordSheet(
        title="DANH MỤC TÀI LIỆU HẾT GIÁ TRỊ",
        issuer_lines=office_issuer_lines(data.office_name),
        place_date=date_line(data.day),
        subtitles=(f"Đợt xác định giá trị tài liệu số {data.appraisal.id}",),
        preamble=(
            "Các hồ sơ dưới đây đã hết thời hạn bảo quản (tính từ ngày kết thúc hồ sơ, Nghị định 30/2020/NĐ-CP "
            "Điều 29), được đề nghị đưa ra Hội đồng xác định giá trị tài liệu xem xét theo Hướng dẫn 29-HD/VPTW.",
        ),
        columns=(
            Column("Số TT", 0.5, "center"),
            Column("Số, ký hiệu hồ sơ", 1.1),
            Column("Tiêu đề hồ sơ", 2.8),
            Column("Thời gian tài liệu", 1.2, "center"),
            Column("Thời hạn bảo quản", 0.9, "center"),
            Column("Số tờ/ trang", 0.7, "center"),
            Column("Lý do hủy", 1.5),
            Column("Ghi chú", 1.2),
        ),
        rows=rows,
        closing=(f"Danh mục này gồm {len(rows)} hồ sơ.",),
        signatures=(Signature("NGƯỜI LẬP", name=data.proposer, note="(Ký, ghi rõ họ tên)"),),
        landscape=True,
        footer=f"Danh mục tài liệu hết giá trị — đợt {data.appraisal.id} — {data.office_code}",
        metadata={"title": "Danh mục tài liệu hết giá trị", "date": data.day.isoformat()},
    )


@dataclass(frozen=True)
class DestroyedFile:
    """One file deleted from the store: of which dossier, what it was, its size and SHA-256."""

    dossier: Dossier
    what: str  # "Bản gốc: 12-NQ/TU …", "Bản PDF tìm kiếm được của văn bản số 7", "Ảnh trang 1 …"
    size: int
    sha256: str


@dataclass(frozen=True)
class DestructionInput:
    appraisal: Appraisal
    office_name: str
    office_code: str
    at: datetime
    destroyer: str
    dossiers: tuple[tuple[Dossier, int], ...]  # each dossier and how many of its documents became tombstones
    files: tuple[DestroyedFile, ...]


def describe_document(doc: Document) -> str:
    """A document as the biên bản names it: its số, ký hiệu and file name — or, for a secret one, only its number
    in the catalog (the biên bản is read by people not cleared for it)."""
    if doc.secrecy_level > 0:
        return f"Văn bản mật số {doc.id}"
    fields = doc.fields or {}
    number = fields.get("number_line")
    label = f"{number} — " if isinstance(number, str) and number else ""
    return f"Văn bản số {doc.id}: {label}{doc.original_filename}"


def bien_ban_huy(data: DestructionInput) -> RecordSheet:
    """Biên bản hủy tài liệu hết giá trị: the decision, the council, every file destroyed, how, when, by whom."""
    a = data.appraisal
    decided = f"Quyết định số {a.decision_number}" + (
        f" ngày {a.decision_date.strftime('%d/%m/%Y')}" if a.decision_date else ""
    )
    council_day = a.council_date.strftime("%d/%m/%Y") if a.council_date else "…"
    members = ", ".join(str(m) for m in (a.council_members or [])) or "…"
    rows: list[Row] = []
    for dossier, tombstones in data.dossiers:
        rows.append(Row((f"{dossier_code(dossier)} — {dossier.title} ({tombstones} văn bản)",), heading=True))
        number = 0
        for f in data.files:
            if f.dossier.id == dossier.id:
                number += 1
                rows.append(Row((str(number), f.what, f"{f.size:,}".replace(",", "."), f.sha256)))
    day = today_in_vietnam(data.at)  # the biên bản's date: the offices' day
    total_size = sum(f.size for f in data.files)
    return RecordSheet(
        title="BIÊN BẢN HỦY TÀI LIỆU HẾT GIÁ TRỊ",
        issuer_lines=office_issuer_lines(data.office_name),
        place_date=date_line(day),
        subtitles=(f"Đợt xác định giá trị tài liệu số {a.id}",),
        preamble=(
            f"Căn cứ {decided} của {a.approver_name or 'người đứng đầu cơ quan'} về việc hủy tài liệu hết giá trị;",
            f"Căn cứ ý kiến của Hội đồng xác định giá trị tài liệu họp ngày {council_day} (thành viên: {members}): "
            f"{a.council_opinion or '…'};",
            f"Hôm nay, {date_line(day)}, lúc {data.at.strftime('%H:%M')} (giờ UTC), {data.destroyer} đã tiến hành "
            f"hủy tài liệu hết giá trị của {data.office_name} như sau:",
            f"1. Số lượng: {len(data.dossiers)} hồ sơ; {len(data.files)} tệp, tổng dung lượng "
            f"{total_size:,} byte.".replace(",", "."),
            f"2. Phương thức hủy: {DESTROY_METHOD}; thông tin mô tả của từng văn bản (số, ký hiệu, ngày, trích yếu, "
            "cơ quan ban hành, số trang, mã SHA-256) được giữ lại trong danh mục làm chứng cứ.",
            "3. Danh sách các tệp đã hủy (mã kiểm tra SHA-256 của từng tệp):",
        ),
        columns=(
            Column("Số TT", 0.5, "center"),
            Column("Tệp đã hủy", 3.0),
            Column("Dung lượng (byte)", 1.0, "right"),
            Column("Mã kiểm tra SHA-256", 3.2),
        ),
        rows=tuple(rows),
        closing=(
            "Biên bản này được lưu vĩnh viễn cùng danh mục tài liệu hết giá trị và quyết định hủy "
            "(Hướng dẫn 29-HD/VPTW).",
        ),
        signatures=(
            Signature("NGƯỜI THỰC HIỆN", name=data.destroyer, note="(Ký, ghi rõ họ tên)"),
            Signature("THỦ TRƯỞNG CƠ QUAN", name=a.approver_name or "", note="(Ký, ghi rõ họ tên)"),
        ),
        landscape=True,
        footer=f"Biên bản hủy tài liệu — đợt {a.id} — {data.office_code}",
        metadata={"title": "Biên bản hủy tài liệu hết giá trị", "date": data.at.isoformat()},
    )
