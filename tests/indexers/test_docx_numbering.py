"""Word lists keep their labels: the dashes of a Nơi nhận and the numbers of a nghị quyết's items."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from indexers.docx_numbering import Numbering, format_counter
from indexers.docx_reader import read_docx
from indexers.extract import extract_fields

W = nsdecls("w")


def _add_list(document: docx.document.Document, num_id: int, levels: str) -> None:
    """A w:abstractNum with ``levels`` (w:lvl elements) and the w:num ``num_id`` using it."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{num_id + 100}">{levels}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    first_num.addprevious(abstract)  # every abstractNum comes before the nums (schema order)
    numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{num_id + 100}"/></w:num>'))


def _lvl(ilvl: int, fmt: str, text: str, suff: str = "") -> str:
    suffix = f'<w:suff w:val="{suff}"/>' if suff else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{suffix}'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def _numbered(document: docx.document.Document, text: str, num_id: int, ilvl: int = 0) -> None:
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def _lines(path: Path) -> list[str]:
    return [line.text for line in read_docx(path).lines]


def test_a_list_style_numbers_its_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    for text in ("Quán triệt nghị quyết.", "Tổ chức thực hiện.", "Kiểm tra, giám sát."):
        document.add_paragraph(text, style="List Number")  # numbered by the style's w:numPr
    document.save(tmp_path / "so.docx")
    assert _lines(tmp_path / "so.docx") == [
        "1.\tQuán triệt nghị quyết.",
        "2.\tTổ chức thực hiện.",
        "3.\tKiểm tra, giám sát.",
    ]


def test_recipients_typed_as_a_dash_list_are_read_as_recipients(tmp_path: Path) -> None:
    document = docx.Document()
    _add_list(document, 41, _lvl(0, "bullet", "-", suff="space"))
    for text in ("TỈNH ỦY THANH HÓA", "Số 127-TB/TU", "Thanh Hóa, ngày 05 tháng 3 năm 2024", "THÔNG BÁO"):
        document.add_paragraph(text)
    document.add_paragraph("kết luận của Ban Thường vụ Tỉnh ủy")
    document.add_paragraph("Nơi nhận:")
    for text in ("Các huyện ủy, thị ủy, thành ủy,", "Các đảng ủy trực thuộc Tỉnh ủy,", "Lưu Văn phòng Tỉnh ủy."):
        _numbered(document, text, 41)
    document.save(tmp_path / "tb.docx")
    parsed = read_docx(tmp_path / "tb.docx")
    assert [line.text for line in parsed.lines][-3:] == [
        "- Các huyện ủy, thị ủy, thành ủy,",
        "- Các đảng ủy trực thuộc Tỉnh ủy,",
        "- Lưu Văn phòng Tỉnh ủy.",
    ]
    fields = extract_fields(parsed)
    assert fields.recipients == [
        "Các huyện ủy, thị ủy, thành ủy,",
        "Các đảng ủy trực thuộc Tỉnh ủy,",
        "Lưu Văn phòng Tỉnh ủy.",
    ]


def test_levels_combine_their_counters_and_a_deeper_level_restarts(tmp_path: Path) -> None:
    document = docx.Document()
    _add_list(document, 42, _lvl(0, "decimal", "%1.") + _lvl(1, "lowerLetter", "%1.%2)", suff="space"))
    for text, level in (("Một", 0), ("a", 1), ("b", 1), ("Hai", 0), ("a lại", 1)):
        _numbered(document, text, 42, level)
    document.save(tmp_path / "muc.docx")
    assert _lines(tmp_path / "muc.docx") == ["1.\tMột", "1.a) a", "1.b) b", "2.\tHai", "2.a) a lại"]


def test_symbol_font_bullets_and_unnumbered_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    _add_list(document, 43, _lvl(0, "bullet", "\uf0b7", suff="space") + _lvl(1, "none", "", suff="nothing"))
    _numbered(document, "Chấm tròn", 43)
    _numbered(document, "Không nhãn", 43, 1)
    _numbered(document, "Bỏ đánh số", 0)  # numId 0 removes the numbering
    _numbered(document, "", 43)  # an empty item prints nothing
    document.save(tmp_path / "cham.docx")
    assert _lines(tmp_path / "cham.docx") == ["• Chấm tròn", "Không nhãn", "Bỏ đánh số"]


@pytest.mark.parametrize(
    ("fmt", "n", "text"),
    [
        ("decimal", 12, "12"),
        ("decimalZero", 7, "07"),
        ("upperRoman", 14, "XIV"),
        ("lowerRoman", 2026, "mmxxvi"),
        ("lowerLetter", 27, "aa"),
        ("upperLetter", 3, "C"),
        ("none", 3, ""),
        ("vietnameseCounting", 4, "4"),  # formats we do not write fall back to digits
    ],
)
def test_counters_are_written_in_their_format(fmt: str, n: int, text: str) -> None:
    assert format_counter(fmt, n) == text


def test_an_unknown_list_gives_no_label() -> None:
    numbering = Numbering(None)
    assert numbering.label("7", 0) == "" and numbering.label(None, None) == ""
