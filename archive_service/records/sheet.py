"""A records sheet: the one shape of every list and record the records' life produces.

Danh mục hồ sơ (NĐ 30 Phụ lục V.I), mục lục văn bản (V.IV), chứng từ kết thúc, mục lục hồ sơ nộp lưu (V.III),
biên bản giao nhận (V.V), danh mục tài liệu hết giá trị, biên bản hủy: each is a heading (issuing body, the
Party's title, place and date), a title, some paragraphs, a table with numbered columns, closing lines and
signatures. Use cases build a ``RecordSheet`` as plain data; ``sheet_pdf``, ``sheet_docx`` and ``sheet_xlsx``
render it, so that the three files always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 1.0  # relative to the other columns
    align: Align = "left"


@dataclass(frozen=True)
class Row:
    """A table row; a ``heading`` row is one cell across the table, bold (a đề mục "I. TỔNG HỢP")."""

    cells: tuple[str, ...]
    heading: bool = False


@dataclass(frozen=True)
class Signature:
    """A signing block: who signs in upper case ("NGƯỜI LẬP", "THỦ TRƯỞNG CƠ QUAN"), a note, the name."""

    title: str
    name: str = ""
    note: str = ""  # "(Ký, ghi rõ họ tên)"


@dataclass(frozen=True)
class RecordSheet:
    title: str  # "DANH MỤC HỒ SƠ"
    issuer_lines: tuple[str, ...] = ()  # ("ĐẢNG BỘ TỈNH THANH HÓA", "VĂN PHÒNG TỈNH ỦY"), a "*" under them
    party_title: bool = True  # "ĐẢNG CỘNG SẢN VIỆT NAM" at the top right
    place_date: str | None = None  # "Thanh Hóa, ngày 05 tháng 01 năm 2026"
    subtitles: tuple[str, ...] = ()  # "Năm 2026"; one in parentheses is a note, italic: "(Ban hành kèm theo …)"
    preamble: tuple[str, ...] = ()  # paragraphs before the table
    columns: tuple[Column, ...] = ()
    rows: tuple[Row, ...] = ()
    closing: tuple[str, ...] = ()  # paragraphs after the table
    signatures: tuple[Signature, ...] = ()
    landscape: bool = False
    footer: str | None = None  # a line at the foot of every page
    metadata: dict[str, str] = field(default_factory=dict)  # document properties (title, subject)

    @staticmethod
    def is_note(subtitle: str) -> bool:
        """A subtitle in parentheses is a note under the title (the decision that issued a danh mục), printed
        italic and not bold as the NĐ 30/2020 forms print it."""
        text = subtitle.strip()
        return text.startswith("(") and text.endswith(")")

    @property
    def column_numbers(self) -> tuple[str, ...]:
        """The row of column numbers under the header, as the NĐ 30 forms print it: (1) (2) …"""
        return tuple(f"({i})" for i in range(1, len(self.columns) + 1))
