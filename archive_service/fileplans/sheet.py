"""The danh mục hồ sơ as a RecordSheet, in the layout of NĐ 30/2020 Phụ lục V.I (mẫu danh mục hồ sơ).

Its five columns, đề mục rows "I. …" and "1. …", the closing lines that count the dossiers kept permanently and
for a term, the decision that issued it, and the head of the body's signature; landscape, as the form is printed.
"""

from __future__ import annotations

from typing import Final

from archive_service.records.sheet import Column, RecordSheet, Row, Signature
from archive_service.records.sheet_layout import office_issuer_lines, place_date, vi_date
from schemas.fileplans import EntryOut, FilePlanOut

COLUMNS: Final = (
    Column("Số và ký hiệu hồ sơ", 1.2, "center"),
    Column("Tên đề mục và tiêu đề hồ sơ", 4.0),
    Column("Thời hạn bảo quản", 1.1, "center"),
    Column("Người lập hồ sơ", 1.5),
    Column("Ghi chú", 1.4),
)


def approval_note(plan: FilePlanOut) -> str:
    """The line under the title naming the decision that issued the plan, as a danh mục is printed (NĐ 30/2020
    Điều 28: the head of the body approves it), or that it is still a draft."""
    if plan.approved and plan.decision_date is not None:
        return (
            f"(Ban hành kèm theo Quyết định số {plan.decision_number} {vi_date(plan.decision_date)} "
            f"của {plan.approver_name})"
        )
    return "(Bản dự thảo, chưa được phê duyệt)"


def _row(entry: EntryOut) -> Row:
    return Row((entry.file_code, entry.title, entry.retention_label, entry.former_name or "", entry.note or ""))


def _rows(plan: FilePlanOut) -> tuple[Row, ...]:
    rows = [_row(e) for e in plan.entries]
    for top in plan.headings:
        rows.append(Row((f"{top.number}. {top.title.upper()}",), heading=True))
        rows.extend(_row(e) for e in top.entries)
        for sub in top.headings:
            rows.append(Row((f"{sub.number}. {sub.title}",), heading=True))
            rows.extend(_row(e) for e in sub.entries)
    return tuple(rows)


def closing_lines(plan: FilePlanOut) -> tuple[str, ...]:
    """The closing counts of the form (the approval is the note under the title, ``approval_note``)."""
    c = plan.counts
    return (
        f"Bản danh mục hồ sơ này có {c.total} hồ sơ, bao gồm: {c.permanent} hồ sơ bảo quản vĩnh viễn; "
        f"{c.term} hồ sơ bảo quản có thời hạn.",
    )


def plan_sheet(plan: FilePlanOut) -> RecordSheet:
    """The sheet the PDF, DOCX and XLSX exports render (records/sheet_pdf.py, sheet_docx.py, sheet_xlsx.py)."""
    office = plan.office_name.upper()
    return RecordSheet(
        title=f"DANH MỤC HỒ SƠ CỦA {office}",
        issuer_lines=office_issuer_lines(plan.office_name),
        place_date=place_date(plan.decision_date) if plan.decision_date else None,
        subtitles=(f"Năm {plan.year}", approval_note(plan)),
        columns=COLUMNS,
        rows=_rows(plan),
        closing=closing_lines(plan),
        signatures=(
            Signature(
                "THỦ TRƯỞNG CƠ QUAN",
                name=plan.approver_name or "",
                note="(Ký, ghi rõ họ tên, đóng dấu)",
            ),
        ),
        landscape=True,
        footer=f"Danh mục hồ sơ năm {plan.year} — {plan.office_name}",
        metadata={
            "title": f"Danh mục hồ sơ năm {plan.year}",
            "subject": plan.office_name,
            **({"date": plan.decision_date.isoformat()} if plan.decision_date else {}),
        },
    )
