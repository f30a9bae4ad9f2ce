"""The two records a transfer carries as PDF: the mục lục hồ sơ nộp lưu and the biên bản giao nhận.

Mục lục hồ sơ, tài liệu nộp lưu: NĐ 30/2020 Phụ lục V.III (Số TT | Số, ký hiệu hồ sơ | Tiêu đề hồ sơ | Thời gian
tài liệu | Thời hạn bảo quản | Số tờ/Số trang | Ghi chú). Biên bản giao nhận hồ sơ, tài liệu: Phụ lục V.V (the
giving and receiving sides, the body of records and its dates; for electronic records the number of dossiers and
files, their state and the list attached; BÊN GIAO and BÊN NHẬN sign). Built as data (``RecordSheet``) and drawn by
records/sheet_pdf.py like every other sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from archive_service.records.sheet import Column, RecordSheet, Row, Signature
from archive_service.records.sheet_layout import office_issuer_lines, place_date, vi_date
from archive_service.transfers.metadata_xml import DossierMeta

TARGET_NAMES: Final = {
    "office-archive": "Lưu trữ cơ quan",
    "historical-archive": "Kho Lưu trữ cấp ủy (lưu trữ lịch sử)",
}


@dataclass(frozen=True)
class TransferSheetInput:
    """What both sheets say: who gives, to whom, when, and the dossiers (as their metadata)."""

    transfer_id: int
    target: str
    office_name: str
    office_code: str
    day: date
    dossiers: tuple[DossierMeta, ...]
    file_count: int  # every file of the bag's payload, the two PDFs included


def _issuer(office_name: str) -> tuple[str, ...]:
    return office_issuer_lines(office_name)


def _period(dossier: DossierMeta) -> str:
    start, end = dossier.start_date, dossier.end_date
    if start is None and dossier.meeting_date is not None:
        start = dossier.meeting_date
    if start is None and end is None:
        return str(dossier.year)
    first = start.strftime("%d/%m/%Y") if start else "…"
    last = end.strftime("%d/%m/%Y") if end else "…"
    return first if first == last else f"{first} - {last}"


def _pages(dossier: DossierMeta) -> str:
    if dossier.page_total is not None:
        return str(dossier.page_total)
    known = [d.page_amount for d in dossier.documents if d.page_amount is not None]
    return str(sum(known)) if known else ""


def _date_line(day: date) -> str:
    return place_date(day)


def muc_luc_ho_so(data: TransferSheetInput) -> RecordSheet:
    """Mục lục hồ sơ, tài liệu nộp lưu (NĐ 30/2020 Phụ lục V.III)."""
    rows = tuple(
        Row(
            (
                str(i),
                d.file_notation,
                d.title,
                _period(d),
                d.maintenance_label,
                _pages(d),
                f"Mã hồ sơ {d.file_code}; {d.doc_total} văn bản",
            )
        )
        for i, d in enumerate(data.dossiers, start=1)
    )
    return RecordSheet(
        title="MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU",
        issuer_lines=_issuer(data.office_name),
        place_date=_date_line(data.day),
        subtitles=(f"Nộp lưu số {data.transfer_id} vào {TARGET_NAMES.get(data.target, data.target)}",),
        columns=(
            Column("Số TT", 0.5, "center"),
            Column("Số, ký hiệu hồ sơ", 1.2),
            Column("Tiêu đề hồ sơ", 2.8),
            Column("Thời gian tài liệu", 1.3, "center"),
            Column("Thời hạn bảo quản", 1.0, "center"),
            Column("Số tờ/Số trang", 0.9, "center"),
            Column("Ghi chú", 2.1),
        ),
        rows=rows,
        closing=(f"Mục lục này gồm {len(rows)} hồ sơ (NĐ 30/2020 Phụ lục V.III).",),
        signatures=(Signature("NGƯỜI LẬP", note="(Ký, ghi rõ họ tên)"),),
        landscape=True,
        footer=f"Mục lục hồ sơ nộp lưu số {data.transfer_id} — {data.office_code}",
        metadata={"title": "Mục lục hồ sơ, tài liệu nộp lưu", "date": data.day.isoformat()},
    )


def bien_ban_giao_nhan(data: TransferSheetInput) -> RecordSheet:
    """Biên bản giao nhận hồ sơ, tài liệu (NĐ 30/2020 Phụ lục V.V), for electronic records."""
    codes = ", ".join(d.file_code for d in data.dossiers)
    years = sorted({d.year for d in data.dossiers})
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]} - {years[-1]}"
    receiver = TARGET_NAMES.get(data.target, data.target)
    documents = sum(d.doc_total for d in data.dossiers)
    return RecordSheet(
        title="BIÊN BẢN GIAO NHẬN HỒ SƠ, TÀI LIỆU",
        issuer_lines=_issuer(data.office_name),
        place_date=_date_line(data.day),
        subtitles=(f"Nộp lưu số {data.transfer_id}",),
        preamble=(
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư (Điều 30, 31 "
            "và Phụ lục V);",
            f"Hôm nay, {vi_date(data.day)}, chúng tôi gồm:",
            f"BÊN GIAO: {data.office_name} ({data.office_code}).",
            f"BÊN NHẬN: {receiver}.",
            "Thống nhất lập biên bản giao nhận tài liệu như sau:",
            f"1. Tên khối tài liệu giao nộp: hồ sơ, tài liệu điện tử của {data.office_name}.",
            f"2. Thời gian của tài liệu: {span}.",
            f"3. Số lượng tài liệu điện tử: {len(data.dossiers)} hồ sơ, {documents} văn bản, "
            f"{data.file_count} tệp tin (kể cả bản gốc, bản sao chuyển đổi, mục lục và biên bản này).",
            "4. Tình trạng tài liệu giao nộp: gói nộp lưu theo định dạng BagIt, mỗi tệp kèm mã kiểm tra SHA-256 "
            "trong bản kê (manifest); siêu dữ liệu theo Phụ lục VI trong tệp metadata/ho-so.xml.",
            f"5. Mục lục hồ sơ, tài liệu nộp lưu kèm theo (các hồ sơ: {codes}).",
            "Biên bản này được lập thành hai bản, mỗi bên giữ một bản. Bên nhận xác nhận bằng biên nhận "
            "(receipt.json) sau khi kiểm tra gói.",
        ),
        signatures=(
            Signature("BÊN GIAO", note="(Ký, ghi rõ họ tên)"),
            Signature("BÊN NHẬN", note="(Ký, ghi rõ họ tên)"),
        ),
        footer=f"Biên bản giao nhận — nộp lưu số {data.transfer_id} — {data.office_code}",
        metadata={"title": "Biên bản giao nhận hồ sơ, tài liệu", "date": data.day.isoformat()},
    )
