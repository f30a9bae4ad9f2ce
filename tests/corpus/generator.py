"""Realistic Party documents (36-HD/VPTW and 05-HD/VPTW layouts) with their true fields, as DOCX, PDF and scans.

Every formal element and its styling is a field of ``DocSpec``; the defaults make a fully correct
document, so planting one error is ``dataclasses.replace(spec, number_line="Số: 12/NQ-TU")``.
``true_fields(spec)`` is what a perfect reader would extract from the document written.
``default_corpus()`` is dated up to 01/2026 (36-HD); ``hd05_corpus()`` is dated 06–11/2026 (05-HD, the issuers of
the 2025 reorganisation) and writes what 05-HD documents carry besides: the drafter's mark, the contact block, the
office's confirmation of a signature, "kiêm" titles, the "BẢN SAO VĂN BẢN" stamp.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from indexers.pdfium import PDFIUM_LOCK
from schemas.fields import DocumentFields, Profile

PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
QUOC_HIEU = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")

_BODY_DEFAULT = (
    "- Căn cứ Điều lệ Đảng;",
    "- Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XIX, nhiệm kỳ 2020 - 2025;",
    "- Xét đề nghị của Ban Tổ chức Tỉnh ủy,",
    "Ban Thường vụ Tỉnh ủy quyết nghị:",
    "1. Tiếp tục quán triệt sâu sắc các quan điểm, mục tiêu, nhiệm vụ đã đề ra; nâng cao nhận thức, "
    "trách nhiệm của cấp ủy, tổ chức đảng, người đứng đầu trong lãnh đạo, chỉ đạo thực hiện nhiệm vụ "
    "chính trị của địa phương, bảo đảm đồng bộ, thống nhất, hiệu quả.",
    "2. Các cấp ủy, tổ chức đảng xây dựng chương trình, kế hoạch cụ thể để tổ chức thực hiện; định kỳ "
    "sơ kết, tổng kết, đánh giá kết quả, kịp thời biểu dương, khen thưởng những tập thể, cá nhân có "
    "thành tích tiêu biểu, xuất sắc.",
    "3. Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy và các cơ quan liên quan theo "
    "dõi, đôn đốc, kiểm tra việc thực hiện, định kỳ báo cáo Ban Thường vụ Tỉnh ủy.",
)
_FILLER = (
    "Trong thời gian qua, các cấp ủy, tổ chức đảng trong Đảng bộ tỉnh đã tập trung lãnh đạo, chỉ đạo "
    "triển khai thực hiện nghiêm túc các chủ trương, nghị quyết của Trung ương và của Tỉnh ủy; công tác "
    "xây dựng Đảng và hệ thống chính trị được chú trọng, đạt nhiều kết quả quan trọng.",
    "Tuy nhiên, việc thực hiện ở một số nơi còn chậm, chưa đồng bộ; công tác kiểm tra, giám sát có lúc "
    "chưa thường xuyên; chất lượng sinh hoạt chi bộ ở một số đơn vị còn hạn chế, chưa đáp ứng yêu cầu "
    "nhiệm vụ trong tình hình mới.",
    "Thời gian tới, cần tiếp tục đổi mới phương thức lãnh đạo của Đảng, nâng cao năng lực lãnh đạo và "
    "sức chiến đấu của tổ chức cơ sở đảng, chất lượng đội ngũ cán bộ, đảng viên; đẩy mạnh cải cách hành "
    "chính, chuyển đổi số trong các cơ quan đảng.",
)


@dataclass(frozen=True)
class DocSpec:
    """One document: every element of 36-HD/VPTW §II.1–2 and its typography, all overridable."""

    key: str = "nq-btv-tu"
    # Tiêu đề (ô 1) — or the Quốc hiệu and Tiêu ngữ of a state-profile document.
    title: str = PARTY_TITLE
    title_size_pt: float = 15
    title_bold: bool = True
    title_rule: bool = True  # bottom border of the title paragraph, the rule under it
    quoc_hieu_lines: tuple[str, ...] | None = None
    # Tên cơ quan ban hành (ô 2).
    parent_issuer: str | None = None
    parent_bold: bool = False
    issuer_lines: tuple[str, ...] = ("TỈNH ỦY THANH HÓA",)
    issuer_bold: bool = True
    header_size_pt: float = 14  # parent issuer, issuer, star and số (36-HD Phụ lục 3 rows 2a, 2b, 3)
    star: bool = True
    # Số và ký hiệu (ô 3).
    number: str | None = "125"
    type_code: str | None = "NQ"
    issuer_code: str = "TU"
    number_line: str | None = None  # None: "Số {number}-{type_code}/{issuer_code}"
    # Địa danh, ngày tháng năm (ô 4).
    place: str = "Thanh Hóa"
    issued_on: date | None = date(2024, 3, 5)
    date_line: str | None = None  # None: built from place and issued_on with 36-HD leading zeros
    date_italic: bool = True
    date_size_pt: float = 14
    # Tên loại và trích yếu (ô 5a / 5b).
    document_type: str | None = "NGHỊ QUYẾT"  # None for a công văn
    doc_type_size_pt: float = 16
    doc_type_bold: bool = True
    summary: str = "về tăng cường công tác xây dựng tổ chức cơ sở đảng giai đoạn 2024 - 2025"
    summary_size_pt: float = 14
    summary_bold: bool = True
    summary_italic: bool = False
    summary_separator: bool = True
    # Nội dung (ô 6).
    addressees: tuple[str, ...] = ()
    addressee_label: str = "Kính gửi"  # "Kính trình" for a tờ trình (05-HD I.9.2.4)
    addressee_label_italic: bool = False  # 05-HD Phụ lục 2 row 9: "Kính gửi:" 14 italic
    body: tuple[str, ...] = _BODY_DEFAULT
    body_font: str | None = None  # None: the document font through the theme and docDefaults
    body_size_pt: float = 14
    # Chữ ký (ô 7).
    signing_form_lines: tuple[str, ...] = ("T/M BAN THƯỜNG VỤ",)
    signing_form_bold: bool = True
    signer_title: str | None = "BÍ THƯ"  # "BÍ THƯ kiêm TRƯỞNG BAN CHỈ ĐẠO": written on three lines (05 I.7.1.4 đ)
    signer_name: str = "Nguyễn Văn Hùng"
    signer_name_bold: bool = True
    signature_size_pt: float = 14  # quyền hạn, chức vụ, họ tên (rows 7a–7c)
    minute_taker: tuple[str, str] | None = None  # biên bản: ("NGƯỜI GHI BIÊN BẢN", name), left side
    # The office's confirmation of a signature that may not be sealed, under the signature (05 I.7.1.4 a(ii), e(ii)):
    # ("Xác nhận chữ ký của đồng chí …", "T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", name).
    confirmation: tuple[str, str, str, str] | None = None
    # Nơi nhận (ô 9).
    noi_nhan_label: str = "Nơi nhận:"
    noi_nhan_underline: bool = True
    noi_nhan_size_pt: float = 14
    noi_nhan_bold: bool = False  # the state style is bold italic 12 (NĐ 30): plant it with these two
    noi_nhan_italic: bool = False
    recipients: tuple[str, ...] = (
        "Các huyện ủy, thị ủy, thành ủy,",
        "Các đảng ủy trực thuộc Tỉnh ủy,",
        "Lưu Văn phòng Tỉnh ủy.",
    )
    recipients_size_pt: float = 12
    recipients_as_word_list: bool = False  # "- " printed by a Word list (numbering.xml), not typed
    # Drafter's mark and copy count (05-HD II.5: "NguyenVanAn-26", 11 pt, right after the nơi nhận; 36-HD: upper
    # case 8 pt). Placed "recipients" (the end of the nơi nhận) or "end" (a line of its own after the signature).
    drafter_mark: str | None = None
    drafter_mark_size_pt: float = 11
    drafter_mark_place: str = "recipients"
    # Contact information (05-HD II.6): under a full-width line on the last page, 10 pt. Not on the last page: the
    # block is written before the signature and a page break follows it.
    contact_lines: tuple[str, ...] = ()
    contact_size_pt: float = 10
    contact_on_last_page: bool = True
    # A paper copy: the lines of the "BẢN SAO VĂN BẢN" stamp (05-HD Phần III, Phụ lục 3) or of a 36-era "SAO Y BẢN
    # CHÍNH" block, under a full-width line after the copied document.
    copy_stamp: tuple[str, ...] = ()
    # Additional components (ô 10, 11).
    secrecy: str | None = None
    urgency: str | None = None
    urgency_above_number: bool = False  # the mark written above the số line instead of under it (or the trích yếu)
    draft: str | None = None
    # Page (36-HD Phụ lục; format-rules §4).
    font_family: str = "Times New Roman"
    page_width_mm: float = 210
    page_height_mm: float = 297
    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15
    page_numbers: bool = True

    @property
    def profile(self) -> Profile:
        return Profile.STATE if self.quoc_hieu_lines else Profile.PARTY

    def written_number_line(self) -> str:
        if self.number_line is not None:
            return self.number_line
        number = self.number if self.number is not None else "      "
        if self.profile == Profile.STATE:
            code = f"{self.type_code}-{self.issuer_code}" if self.type_code else self.issuer_code
            return f"Số: {number}/{code}"
        return f"Số {number}-{self.type_code or 'CV'}/{self.issuer_code}"

    def signer_title_lines(self) -> tuple[str, ...]:
        """The title as printed: a "kiêm" title takes three lines ("BÍ THƯ" / "kiêm" / "TRƯỞNG BAN CHỈ ĐẠO")."""
        if not self.signer_title:
            return ()
        held, sep, added = self.signer_title.partition(" kiêm ")
        return (held, "kiêm", added) if sep else (self.signer_title,)

    def written_date_line(self) -> str:
        if self.date_line is not None:
            return self.date_line
        if self.issued_on is None:
            return f"{self.place}, ngày      tháng      năm 2025"
        d = self.issued_on
        month = f"{d.month:02d}" if d.month <= 2 else str(d.month)  # 36-HD: 01, 02, then 3..12
        return f"{self.place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def true_fields(spec: DocSpec) -> DocumentFields:
    """The fields as written in the document ``spec`` describes."""
    is_cv = spec.document_type is None
    signing = " ".join(spec.signing_form_lines) or None
    return DocumentFields(
        profile=spec.profile,
        title=spec.quoc_hieu_lines[0] if spec.quoc_hieu_lines else spec.title,
        parent_issuer=spec.parent_issuer,
        issuer=" ".join(spec.issuer_lines) or None,
        star=spec.star,
        number=spec.number,
        number_line=spec.written_number_line().strip(),
        type_code=spec.type_code if spec.type_code else ("CV" if spec.profile == Profile.PARTY else None),
        issuer_code=spec.issuer_code,
        document_type="CÔNG VĂN" if is_cv else spec.document_type,
        summary=spec.summary,
        place=spec.place,
        issued_on=spec.issued_on,
        date_line=spec.written_date_line(),
        signing_form=signing,
        signer_title=spec.signer_title,
        signer_name=spec.signer_name,
        recipients=list(spec.recipients) if spec.noi_nhan_label else [],
        addressees=list(spec.addressees),
        secrecy=spec.secrecy,
        urgency=spec.urgency,
        draft=spec.draft,
        minute_taker=spec.minute_taker[1] if spec.minute_taker else None,
        confirmation=f"{spec.confirmation[1]} {spec.confirmation[2]}" if spec.confirmation else None,
        drafter_mark=spec.drafter_mark,
        contact=spec.contact_lines[0] if spec.contact_lines else None,
    )


# --- DOCX writing -------------------------------------------------------------------------------


def _set_theme_minor_font(document: docx.document.Document, family: str) -> None:
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/theme"):
            part = rel.target_part
            blob = part.blob
            blob = re.sub(rb"(<a:minorFont>\s*<a:latin typeface=\")[^\"]*", rb"\g<1>" + family.encode(), blob)
            blob = re.sub(rb"(<a:majorFont>\s*<a:latin typeface=\")[^\"]*", rb"\g<1>" + family.encode(), blob)
            part._blob = blob


def _set_doc_defaults(document: docx.document.Document, size_pt: float) -> None:
    """Body size in w:docDefaults (as Word's templates do) and the font through the theme."""
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.find(qn("w:sz")).set(qn("w:val"), str(int(size_pt * 2)))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(int(size_pt * 2)))
    ppr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def _paragraph_style(
    document: docx.document.Document,
    name: str,
    *,
    base: str | None = None,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    font: str | None = None,
    space_after: float | None = None,
) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base] if base else document.styles["Normal"]
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if font is not None:
        style.font.name = font
    if align is not None:
        style.paragraph_format.alignment = align
    if space_after is not None:
        style.paragraph_format.space_after = Pt(space_after)
    return style


def _table_style(document: docx.document.Document) -> str:
    """A borderless layout table style whose rPr sets 14 pt (exercised by the style chain)."""
    style = document.styles.add_style("Khung trinh bay", WD_STYLE_TYPE.TABLE)
    el = style.element
    tblpr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "nil")
        borders.append(b)
    tblpr.append(borders)
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "28")
    rpr.append(sz)
    el.append(rpr)
    el.append(tblpr)
    return style.name or "Khung trinh bay"


def _bottom_border(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    bdr.append(bottom)
    ppr.append(bdr)


def _add(
    where: _Cell | docx.document.Document,
    text: str,
    style: str,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size: float | None = None,
    underline: bool | None = None,
    char_style: str | None = None,
    first: bool = False,
) -> Paragraph:
    if first and isinstance(where, _Cell):
        paragraph = where.paragraphs[0]
        paragraph.style = style
    else:
        paragraph = where.add_paragraph(style=style)
    run = paragraph.add_run(text, style=char_style)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if size is not None:
        run.font.size = Pt(size)
    if underline is not None:
        run.underline = underline
    return paragraph


def _layout_table(document: docx.document.Document, widths_mm: Sequence[float], style: str) -> list[_Cell]:
    table = document.add_table(rows=1, cols=len(widths_mm))
    table.style = document.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cells = list(table.rows[0].cells)
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        cells[i].width = Mm(width)
    return cells


def _page_number_header(section: docx.section.Section) -> None:
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    inner = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "2"
    inner.append(t)
    fld.append(inner)
    run._r.addnext(fld)


_DASH_LIST_ID = 90


def _dash_list(document: docx.document.Document) -> int:
    """The numId of a one-level Word list whose label is "-" and a space, added on first use."""
    numbering = document.part.numbering_part.element
    if not any(n.get(qn("w:numId")) == str(_DASH_LIST_ID) for n in numbering.iterchildren(qn("w:num"))):
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(_DASH_LIST_ID))
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", "bullet"), ("w:suff", "space"), ("w:lvlText", "-")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
        numbering.find(qn("w:num")).addprevious(abstract)  # abstractNums come before nums
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(_DASH_LIST_ID))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(_DASH_LIST_ID))
        num.append(ref)
        numbering.append(num)
    return _DASH_LIST_ID


def _add_recipient(
    document: docx.document.Document, where: _Cell | docx.document.Document, text: str, as_list: bool
) -> None:
    """One nơi nhận line: "- " typed, or printed by a Word list."""
    if not as_list:
        _add(where, f"- {text}", "Noi nhan")
        return
    paragraph = _add(where, text, "Noi nhan")
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()  # in its place in the schema order
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = _dash_list(document)


def _addressees(document: docx.document.Document, spec: DocSpec) -> None:
    """ "Kính gửi:" / "Kính trình:" and its entries: one entry on the label's line, several as "- " lines."""
    italic = True if spec.addressee_label_italic else None
    if len(spec.addressees) == 1:
        if italic:
            paragraph = _add(document, f"{spec.addressee_label}: ", "Ten loai", bold=False, italic=True, size=14)
            paragraph.add_run(spec.addressees[0]).italic = False
        else:
            _add(document, f"{spec.addressee_label}: {spec.addressees[0]}", "Ten loai", bold=False, size=14)
        return
    _add(document, f"{spec.addressee_label}:", "Ten loai", bold=False, italic=italic, size=14)
    for a in spec.addressees:
        _add(document, f"- {a}", "Ten loai", bold=False, size=14)


def _full_width_rule(document: docx.document.Document) -> None:
    """The solid line across the text width over a contact block or a copy stamp: an empty bordered paragraph."""
    _bottom_border(_add(document, "", "Noi nhan"))


def _contact(document: docx.document.Document, spec: DocSpec) -> None:
    """The contact block (05-HD II.6): a full-width line, then the contact lines at their size."""
    _add(document, "", "Noi dung")
    _full_width_rule(document)
    for line in spec.contact_lines:
        _add(document, line, "Noi nhan", size=spec.contact_size_pt)


def _confirmation(
    document: docx.document.Document, lines: tuple[str, str, str, str], widths_mm: Sequence[float], style: str
) -> None:
    """The office's confirmation of the signature above, in the right column of a layout table of its own."""
    intro, authority, title, name = lines
    _add(document, "", "Noi dung")
    _, right = _layout_table(document, widths_mm, style)
    _add(right, intro, "Chu ky", italic=True, first=True)
    _add(right, authority, "Chu ky", bold=True)
    _add(right, title, "Chu ky")
    for _ in range(3):
        _add(right, "", "Chu ky")
    _add(right, name, "Chu ky", char_style="Ho ten nguoi ky")


def _copy_stamp(
    document: docx.document.Document, lines: tuple[str, ...], widths_mm: Sequence[float], style: str
) -> None:
    """The copy stamp (05-HD Phụ lục 3) under a full-width line, in the left column: its first line 13 bold."""
    _add(document, "", "Noi dung")
    _full_width_rule(document)
    left, _ = _layout_table(document, widths_mm, style)
    for i, line in enumerate(lines):
        _add(left, line, "Noi nhan", bold=True if i == 0 else None, size=13 if i == 0 else 12, first=i == 0)


def write_docx(spec: DocSpec, path: Path) -> DocumentFields:
    """Write the document ``spec`` describes to ``path``; return its true fields."""
    document = docx.Document()
    _set_theme_minor_font(document, spec.font_family)
    _set_doc_defaults(document, spec.body_size_pt)
    center = WD_ALIGN_PARAGRAPH.CENTER
    table_style = _table_style(document)
    _paragraph_style(document, "Khoi dau", align=center)  # header block base: centred
    _paragraph_style(document, "Tieu de", base="Khoi dau", size=spec.title_size_pt, bold=spec.title_bold)
    _paragraph_style(
        document, "Co quan", base="Khoi dau", size=spec.header_size_pt if spec.header_size_pt != 14 else None
    )
    _paragraph_style(document, "Dia danh", base="Khoi dau", italic=spec.date_italic, size=spec.date_size_pt)
    _paragraph_style(document, "Ten loai", align=center, size=spec.doc_type_size_pt, bold=spec.doc_type_bold)
    # The trích yếu inherits bold from "Ten loai" through basedOn (nearest-wins, no toggle).
    _paragraph_style(
        document,
        "Trich yeu",
        base="Ten loai",
        size=spec.summary_size_pt,
        bold=spec.summary_bold if not spec.summary_bold else None,
        italic=spec.summary_italic or None,
    )
    body_style = _paragraph_style(
        document, "Noi dung", align=WD_ALIGN_PARAGRAPH.JUSTIFY, font=spec.body_font, space_after=6
    )
    body_style.paragraph_format.first_line_indent = Mm(10)
    _paragraph_style(document, "Noi nhan", align=WD_ALIGN_PARAGRAPH.LEFT, size=spec.recipients_size_pt)
    _paragraph_style(
        document,
        "Chu ky",
        base="Khoi dau",
        size=spec.signature_size_pt if spec.signature_size_pt != 14 else None,
    )
    name_style = document.styles.add_style("Ho ten nguoi ky", WD_STYLE_TYPE.CHARACTER)
    name_style.font.bold = spec.signer_name_bold

    section = document.sections[0]
    section.page_width = Mm(spec.page_width_mm)
    section.page_height = Mm(spec.page_height_mm)
    section.top_margin = Mm(spec.margin_top_mm)
    section.bottom_margin = Mm(spec.margin_bottom_mm)
    section.left_margin = Mm(spec.margin_left_mm)
    section.right_margin = Mm(spec.margin_right_mm)
    section.header_distance = Mm(10)
    if spec.page_numbers:
        _page_number_header(section)
    text_width = spec.page_width_mm - spec.margin_left_mm - spec.margin_right_mm

    # The first paragraph of the body (python-docx template) is removed: the header table comes first.
    body = document.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)

    if spec.draft:
        _add(document, spec.draft, "Noi nhan", italic=True, size=14).alignment = WD_ALIGN_PARAGRAPH.RIGHT

    # A state header needs a wider right column for the Quốc hiệu (NĐ 30/2020 Phụ lục I).
    left_w = round(text_width * (0.4 if spec.quoc_hieu_lines else 0.46), 1)
    left, right = _layout_table(document, (left_w, text_width - left_w), table_style)
    first = True
    if spec.parent_issuer:
        _add(left, spec.parent_issuer, "Co quan", bold=spec.parent_bold or None, first=first)
        first = False
    for line in spec.issuer_lines:
        _add(left, line, "Co quan", bold=spec.issuer_bold, first=first)
        first = False
    if spec.star:
        _add(left, "*", "Co quan", first=first)
        first = False
    elif spec.profile == Profile.STATE:
        _add(left, "__________", "Co quan", first=first)
        first = False
    if spec.urgency and spec.urgency_above_number:
        _add(left, spec.urgency, "Co quan", bold=True, first=first)
        first = False
    _add(left, spec.written_number_line(), "Co quan", first=first)
    if spec.document_type is None:
        _add(left, spec.summary, "Co quan", italic=True, size=12)
    for mark in (spec.secrecy, None if spec.urgency_above_number else spec.urgency):
        if mark:
            _add(left, mark, "Co quan", bold=True)
    if spec.quoc_hieu_lines:
        qh = _add(right, spec.quoc_hieu_lines[0], "Tieu de", size=13, first=True)
        motto = _add(right, spec.quoc_hieu_lines[1], "Tieu de", size=14)
        if spec.title_rule:
            _bottom_border(motto)
        del qh
    else:
        title = _add(right, spec.title, "Tieu de", first=True)
        if spec.title_rule:
            _bottom_border(title)
    _add(right, "", "Khoi dau")
    _add(right, spec.written_date_line(), "Dia danh")

    _add(document, "", "Noi dung")
    if spec.document_type is not None:
        _add(document, spec.document_type, "Ten loai")
        _add(document, spec.summary, "Trich yeu")
        if spec.summary_separator:
            _add(document, "-----", "Trich yeu", bold=False)
    _add(document, "", "Noi dung")
    if spec.addressees:
        _addressees(document, spec)
    body_font_size = None if spec.body_size_pt == 14 else spec.body_size_pt
    for text in spec.body:
        _add(document, text, "Noi dung", size=body_font_size)
    _add(document, "", "Noi dung")

    if spec.contact_lines and not spec.contact_on_last_page:
        _contact(document, spec)
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    sig_left, sig_right = _layout_table(document, (left_w, text_width - left_w), table_style)
    first = True
    if spec.minute_taker:
        _add(sig_left, spec.minute_taker[0], "Chu ky", bold=True, first=True)
        for _ in range(3):
            _add(sig_left, "", "Chu ky")
        _add(sig_left, spec.minute_taker[1], "Chu ky", char_style="Ho ten nguoi ky")
    elif spec.noi_nhan_label:
        _add(
            sig_left,
            spec.noi_nhan_label,
            "Noi nhan",
            underline=spec.noi_nhan_underline,
            size=spec.noi_nhan_size_pt,
            bold=spec.noi_nhan_bold or None,
            italic=spec.noi_nhan_italic or None,
            first=True,
        )
        for rec in spec.recipients:
            _add_recipient(document, sig_left, rec, spec.recipients_as_word_list)
        if spec.drafter_mark and spec.drafter_mark_place == "recipients":
            _add(sig_left, spec.drafter_mark, "Noi nhan", size=spec.drafter_mark_size_pt)
    for form in spec.signing_form_lines:
        _add(sig_right, form, "Chu ky", bold=spec.signing_form_bold, first=first)
        first = False
    for line in spec.signer_title_lines():
        _add(sig_right, line, "Chu ky", first=first)
        first = False
    for _ in range(3):
        _add(sig_right, "", "Chu ky", first=first)
        first = False
    _add(sig_right, spec.signer_name, "Chu ky", char_style="Ho ten nguoi ky")
    if spec.confirmation:
        _confirmation(document, spec.confirmation, (left_w, text_width - left_w), table_style)
    if spec.minute_taker and spec.noi_nhan_label and spec.recipients:
        _add(document, "", "Noi dung")
        _add(document, spec.noi_nhan_label, "Noi nhan", underline=spec.noi_nhan_underline, size=14)
        for rec in spec.recipients:
            _add_recipient(document, document, rec, spec.recipients_as_word_list)
    if spec.drafter_mark and spec.drafter_mark_place != "recipients":
        _add(document, "", "Noi dung")
        _add(document, spec.drafter_mark, "Noi nhan", size=spec.drafter_mark_size_pt)
    if spec.contact_lines and spec.contact_on_last_page:
        _contact(document, spec)
    if spec.copy_stamp:
        _copy_stamp(document, spec.copy_stamp, (left_w, text_width - left_w), table_style)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return true_fields(spec)


# --- PDF and scans ----------------------------------------------------------------------------------


def docx_to_pdf(docx_paths: Iterable[Path], out_dir: Path) -> list[Path]:
    """Convert DOCX files to PDF with one LibreOffice headless call (each start costs seconds)."""
    paths = [Path(p) for p in docx_paths]
    if not paths:
        return []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                str(out_dir),
                *[str(p) for p in paths],
            ],
            check=True,
            capture_output=True,
            timeout=60 + 10 * len(paths),
        )
    results = [out_dir / (p.stem + ".pdf") for p in paths]
    missing = [r for r in results if not r.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not produce {missing}")
    return results


def pdf_to_scan(pdf_path: Path, out_path: Path, *, seed: int, dpi: int = 200) -> Path:
    """Rasterise a PDF, add a little noise and skew, save as an image-only PDF."""
    rng = random.Random(seed)
    with PDFIUM_LOCK:
        return _scan(pdf_path, out_path, rng=rng, dpi=dpi)


def _scan(pdf_path: Path, out_path: Path, *, rng: random.Random, dpi: int) -> Path:
    import pypdfium2
    from PIL import Image, ImageFilter

    pdf = pypdfium2.PdfDocument(str(pdf_path))
    images: list[Image.Image] = []
    try:
        for page in pdf:
            bitmap = page.render(scale=dpi / 72)
            image = bitmap.to_pil().convert("L")
            angle = rng.uniform(-0.8, 0.8)
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
            noise = Image.effect_noise(image.size, 18).point(lambda v: 255 if v > 60 else 0)
            # Speckle: a few dark pixels where the noise image is dark, a slight blur like a scanner.
            image = Image.composite(image, Image.new("L", image.size, 140), noise.point(lambda v: v))
            image = image.filter(ImageFilter.GaussianBlur(radius=0.4))
            images.append(image)
    finally:
        pdf.close()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(out_path, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out_path


# --- The default corpus ----------------------------------------------------------------------------

_TU = "TỈNH ỦY THANH HÓA"
_REC_TU = ("Các huyện ủy, thị ủy, thành ủy,", "Các đảng ủy trực thuộc Tỉnh ủy,", "Lưu Văn phòng Tỉnh ủy.")
_REC_HU = ("Ban Thường vụ Tỉnh ủy (để báo cáo),", "Các chi bộ, đảng bộ cơ sở,", "Lưu Văn phòng Huyện ủy.")
_REC_XA = ("Ban Thường vụ Tỉnh ủy (để báo cáo),", "Các chi bộ trực thuộc,", "Lưu Văn phòng Đảng ủy.")


def _body(lead: str, n_filler: int) -> tuple[str, ...]:
    filler = tuple(_FILLER[i % len(_FILLER)] for i in range(n_filler))
    return (lead, *filler)


def default_corpus() -> list[DocSpec]:
    """Documents of 12+ types from 4+ kinds of issuer, each correct per 36-HD and the authority rules."""
    base = DocSpec()
    tu = replace(base, parent_issuer=None, issuer_lines=(_TU,), issuer_code="TU", recipients=_REC_TU)
    btv = replace(tu, signing_form_lines=("T/M BAN THƯỜNG VỤ",), signer_title="BÍ THƯ")
    bch = replace(tu, signing_form_lines=("T/M TỈNH ỦY",), signer_title="BÍ THƯ")
    vp = replace(
        tu,
        parent_issuer=_TU,
        issuer_lines=("VĂN PHÒNG",),
        issuer_code="VPTU",
        signing_form_lines=(),
        signer_title="CHÁNH VĂN PHÒNG",
        signer_name="Lê Thị Thu Hà",
    )
    vp_kt = replace(
        vp,
        signing_form_lines=("K/T CHÁNH VĂN PHÒNG",),
        signer_title="PHÓ CHÁNH VĂN PHÒNG",
        signer_name="Trịnh Minh Đức",
    )
    btc = replace(
        tu,
        parent_issuer=_TU,
        issuer_lines=("BAN TỔ CHỨC",),
        issuer_code="BTCTU",
        signing_form_lines=("K/T TRƯỞNG BAN",),
        signer_title="PHÓ TRƯỞNG BAN",
        signer_name="Hoàng Văn Bình",
        recipients=("Như trên,", "Lưu Ban Tổ chức Tỉnh ủy."),
    )
    btgdv = replace(
        btc,
        issuer_lines=("BAN TUYÊN GIÁO VÀ DÂN VẬN",),
        issuer_code="BTGDVTU",
        signing_form_lines=(),
        signer_title="TRƯỞNG BAN",
        signer_name="Phạm Thị Lan",
        recipients=("Thường trực Tỉnh ủy (để báo cáo),", "Lưu Ban Tuyên giáo và Dân vận Tỉnh ủy."),
    )
    hu = replace(
        tu,
        parent_issuer="ĐẢNG BỘ TỈNH THANH HÓA",
        issuer_lines=("HUYỆN ỦY NGA SƠN",),
        issuer_code="HU",
        place="Nga Sơn",
        signing_form_lines=("T/M BAN THƯỜNG VỤ",),
        signer_title="BÍ THƯ",
        signer_name="Mai Xuân Trường",
        recipients=_REC_HU,
    )
    xa = replace(
        tu,
        parent_issuer="ĐẢNG BỘ TỈNH THANH HÓA",
        issuer_lines=("ĐẢNG ỦY XÃ HOẰNG TIẾN",),
        issuer_code="ĐU",
        place="Hoằng Tiến",
        signing_form_lines=("T/M BAN THƯỜNG VỤ",),
        signer_title="PHÓ BÍ THƯ",
        signer_name="Lê Văn Thắng",
        recipients=_REC_XA,
    )
    D = date
    specs: list[DocSpec] = [
        # Tỉnh ủy (BCH) and its Ban Thường vụ.
        replace(btv, key="01-nq-btv", number="125", type_code="NQ", issued_on=D(2024, 3, 5)),
        replace(
            bch,
            key="02-nq-bch",
            number="18",
            type_code="NQ",
            issued_on=D(2023, 12, 14),
            summary="về phương hướng, nhiệm vụ năm 2024",
            body=_body("Tỉnh ủy quyết nghị:", 4),
        ),
        replace(
            btv,
            key="03-qd-btv",
            number="981",
            type_code="QĐ",
            document_type="QUYẾT ĐỊNH",
            issued_on=D(2024, 1, 9),
            summary="về việc thành lập Đoàn kiểm tra thực hiện Chỉ thị số 05-CT/TW",
            body=_body("Điều 1. Thành lập Đoàn kiểm tra của Ban Thường vụ Tỉnh ủy.", 3),
        ),
        replace(
            btv,
            key="04-ct-btv",
            number="07",
            type_code="CT",
            document_type="CHỈ THỊ",
            issued_on=D(2024, 2, 20),
            summary="về tăng cường lãnh đạo công tác phòng, chống thiên tai năm 2024",
            body=_body("Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng thực hiện tốt:", 4),
            urgency="KHẨN",
        ),
        replace(
            btv,
            key="05-kl-btv",
            number="111",
            type_code="KL",
            document_type="KẾT LUẬN",
            issued_on=D(2024, 6, 28),
            summary="của Ban Thường vụ Tỉnh ủy về kết quả thực hiện nhiệm vụ 6 tháng đầu năm",
            signer_title="PHÓ BÍ THƯ",
            signer_name="Đỗ Trọng Hưng",
            body=_body("Ban Thường vụ Tỉnh ủy kết luận như sau:", 5),
        ),
        replace(
            btv,
            key="06-tbkl-btv",
            number="1450",
            type_code="TB",
            document_type="THÔNG BÁO",
            issued_on=D(2024, 10, 2),
            summary="kết luận của Ban Thường vụ Tỉnh ủy về công tác chuẩn bị đại hội đảng bộ các cấp",
            body=_body("Ngày 30/9/2024, Ban Thường vụ Tỉnh ủy họp, cho ý kiến và kết luận:", 3),
        ),
        replace(
            bch,
            key="07-qc-bch",
            number="01",
            type_code="QC",
            document_type="QUY CHẾ",
            issued_on=D(2020, 11, 25),
            summary="làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XIX, nhiệm kỳ 2020 - 2025",
            body=_body("Chương I. QUY ĐỊNH CHUNG", 14),
        ),
        replace(
            btv,
            key="08-hd-btv",
            number="16",
            type_code="HD",
            document_type="HƯỚNG DẪN",
            issued_on=D(2025, 1, 15),
            summary="tổ chức đại hội chi bộ trực thuộc đảng bộ cơ sở nhiệm kỳ 2025 - 2027",
            body=_body("I. MỤC ĐÍCH, YÊU CẦU", 4),
        ),
        replace(
            btv,
            key="09-kh-btv",
            number="254",
            type_code="KH",
            document_type="KẾ HOẠCH",
            issued_on=D(2025, 4, 11),
            summary="triển khai thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
            body=_body("I. MỤC ĐÍCH, YÊU CẦU", 3),
            secrecy="MẬT",
        ),
        replace(
            btv,
            key="10-bc-btv",
            number="229",
            type_code="BC",
            document_type="BÁO CÁO",
            issued_on=D(2024, 7, 27),
            summary="sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2024",
            signing_form_lines=("T/L BAN THƯỜNG VỤ",),
            signer_title="CHÁNH VĂN PHÒNG",
            signer_name="Lê Thị Thu Hà",
            body=_body("I. KẾT QUẢ ĐẠT ĐƯỢC", 12),
        ),
        replace(
            bch,
            key="11-bb-bch",
            number="05",
            type_code="BB",
            document_type="BIÊN BẢN",
            issued_on=D(2024, 12, 20),
            summary="hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 24",
            signing_form_lines=(),
            signer_title="CHỦ TRÌ HỘI NGHỊ",
            signer_name="Nguyễn Văn Hùng",
            minute_taker=("NGƯỜI GHI BIÊN BẢN", "Trần Thị Mai"),
            noi_nhan_label="",
            recipients=(),
            body=_body("Thời gian: 08 giờ 00, ngày 20 tháng 12 năm 2024.", 3),
        ),
        # Văn phòng Tỉnh ủy.
        replace(
            vp,
            key="12-cv-vptu",
            number="357",
            type_code="CV",
            document_type=None,
            issued_on=D(2024, 5, 6),
            summary="V/v chuẩn bị nội dung hội nghị Ban Thường vụ Tỉnh ủy tháng 5",
            addressees=("Các ban đảng, Ủy ban Kiểm tra Tỉnh ủy",),
            recipients=("Như trên,", "Lưu Văn phòng Tỉnh ủy."),
            recipients_as_word_list=True,
            body=_body("Thực hiện Chương trình làm việc năm 2024, Văn phòng Tỉnh ủy đề nghị:", 2),
        ),
        replace(
            vp_kt,
            key="13-hd-vptu",
            number="09",
            type_code="HD",
            document_type="HƯỚNG DẪN",
            issued_on=D(2024, 8, 19),
            summary="công tác văn thư, lưu trữ trong các cơ quan đảng",
            body=_body("I. QUY ĐỊNH CHUNG", 4),
        ),
        replace(
            vp,
            key="14-tb-vptu",
            number="86",
            type_code="TB",
            document_type="THÔNG BÁO",
            issued_on=D(2025, 2, 3),
            summary="lịch làm việc của Thường trực Tỉnh ủy tháng 02 năm 2025",
            body=_body("Văn phòng Tỉnh ủy thông báo lịch làm việc như sau:", 2),
        ),
        # Ban tham mưu.
        replace(
            btc,
            key="15-hd-btctu",
            number="12",
            type_code="HD",
            document_type="HƯỚNG DẪN",
            issued_on=D(2024, 9, 30),
            summary="kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm 2024",
            body=_body("I. ĐỐI TƯỢNG, PHẠM VI", 5),
        ),
        replace(
            btc,
            key="16-tt-btctu",
            number="42",
            type_code="TTr",
            document_type="TỜ TRÌNH",
            issued_on=D(2024, 11, 12),
            summary="về việc điều động, bổ nhiệm cán bộ",
            addressees=("Ban Thường vụ Tỉnh ủy",),
            body=_body("Thực hiện Quy định số 80-QĐ/TW của Bộ Chính trị,", 2),
        ),
        replace(
            btgdv,
            key="17-cv-btgdvtu",
            number="1285",
            type_code="CV",
            document_type=None,
            issued_on=D(2025, 3, 17),
            summary="V/v tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng",
            addressees=("Các huyện ủy, thị ủy, thành ủy", "Các đảng ủy trực thuộc Tỉnh ủy"),
            recipients=("Như trên,", "Lưu Ban Tuyên giáo và Dân vận Tỉnh ủy."),
            body=_body("Thực hiện Hướng dẫn của Ban Tuyên giáo và Dân vận Trung ương,", 2),
        ),
        replace(
            btgdv,
            key="18-bc-btgdvtu",
            number="88",
            type_code="BC",
            document_type="BÁO CÁO",
            issued_on=D(2025, 6, 2),
            summary="tình hình tư tưởng trong cán bộ, đảng viên và Nhân dân tháng 5 năm 2025",
            body=_body("I. TÌNH HÌNH TƯ TƯỞNG", 10),
        ),
        # Huyện ủy, before 07/2025.
        replace(hu, key="19-nq-hu", number="45", type_code="NQ", issued_on=D(2024, 1, 18)),
        replace(
            hu,
            key="20-ct-hu",
            number="03",
            type_code="CT",
            document_type="CHỈ THỊ",
            issued_on=D(2023, 9, 8),
            summary="về tăng cường công tác quản lý đất đai trên địa bàn huyện",
            body=_body("Ban Thường vụ Huyện ủy yêu cầu:", 3),
        ),
        replace(
            hu,
            key="21-tbkl-hu",
            number="312",
            type_code="TB",
            document_type="THÔNG BÁO",
            issued_on=D(2025, 5, 22),
            summary="kết luận của Ban Thường vụ Huyện ủy về sắp xếp đơn vị hành chính cấp xã",
            body=_body("Ngày 20/5/2025, Ban Thường vụ Huyện ủy họp và kết luận:", 2),
        ),
        replace(
            hu,
            key="22-bc-hu",
            number="178",
            type_code="BC",
            document_type="BÁO CÁO",
            issued_on=D(2024, 12, 5),
            summary="kết quả thực hiện nhiệm vụ năm 2024, phương hướng nhiệm vụ năm 2025",
            body=_body("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024", 22),
            signer_title="PHÓ BÍ THƯ",
            signer_name="Vũ Đình Khang",
        ),
        replace(
            hu,
            key="23-kl-hu-oldtone",
            number="27",
            type_code="KL",
            document_type="KẾT LUẬN",
            issued_on=D(2024, 4, 1),
            issuer_lines=("HUYỆN UỶ NGA SƠN",),
            summary="của Ban Thường vụ Huyện uỷ về công tác cán bộ",
            body=_body("Ban Thường vụ Huyện uỷ kết luận:", 3),
        ),
        # Đảng ủy xã, after 07/2025.
        replace(
            xa,
            key="24-nq-xa",
            number="02",
            type_code="NQ",
            issued_on=D(2025, 8, 14),
            summary="về nhiệm vụ trọng tâm 6 tháng cuối năm 2025",
            body=_body("Ban Thường vụ Đảng ủy xã quyết nghị:", 3),
        ),
        replace(
            xa,
            key="25-qd-xa",
            number="15",
            type_code="QĐ",
            document_type="QUYẾT ĐỊNH",
            issued_on=D(2025, 9, 3),
            summary="về việc chuẩn y kết quả bầu cử chi ủy chi bộ thôn Trung Đông",
            signing_form_lines=("T/M ĐẢNG ỦY",),
            body=_body("Điều 1. Chuẩn y kết quả bầu cử chi ủy chi bộ thôn Trung Đông.", 2),
        ),
        replace(
            xa,
            key="26-kh-xa",
            number="08",
            type_code="KH",
            document_type="KẾ HOẠCH",
            issued_on=D(2025, 11, 10),
            summary="tổ chức hội nghị học tập, quán triệt nghị quyết của Tỉnh ủy",
            body=_body("I. MỤC ĐÍCH, YÊU CẦU", 3),
        ),
        replace(
            xa,
            key="27-bb-xa",
            number="04",
            type_code="BB",
            document_type="BIÊN BẢN",
            issued_on=D(2026, 1, 6),
            summary="hội nghị Ban Chấp hành Đảng bộ xã tháng 01 năm 2026",
            signing_form_lines=(),
            signer_title="CHỦ TRÌ HỘI NGHỊ",
            signer_name="Lê Văn Thắng",
            minute_taker=("NGƯỜI GHI BIÊN BẢN", "Nguyễn Thị Hoa"),
            noi_nhan_label="",
            recipients=(),
            body=_body("Thời gian: 14 giờ 00, ngày 06 tháng 01 năm 2026.", 2),
        ),
        replace(
            xa,
            key="28-ct-xa",
            number="01",
            type_code="CT",
            document_type="CHỈ THỊ",
            issued_on=D(2025, 12, 1),
            summary="về lãnh đạo tổ chức Tết Nguyên đán Bính Ngọ năm 2026",
            body=_body("Ban Thường vụ Đảng ủy xã yêu cầu:", 2),
            draft="Dự thảo lần 2",
        ),
        # A state-profile document, for the profile discriminator (NĐ 30/2020).
        replace(
            base,
            key="29-qd-ubnd-state",
            quoc_hieu_lines=QUOC_HIEU,
            star=False,
            parent_issuer=None,
            issuer_lines=("ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA"),
            number="1532",
            type_code="QĐ",
            issuer_code="UBND",
            issued_on=D(2024, 5, 8),
            document_type="QUYẾT ĐỊNH",
            summary="Về việc phê duyệt kế hoạch chuyển đổi số năm 2024",
            signing_form_lines=("TM. ỦY BAN NHÂN DÂN",),
            signer_title="CHỦ TỊCH",
            signer_name="Đỗ Minh Tuấn",
            noi_nhan_label="Nơi nhận:",
            noi_nhan_underline=False,
            noi_nhan_bold=True,  # NĐ 30/2020: "Nơi nhận:" bold italic 12
            noi_nhan_italic=True,
            noi_nhan_size_pt=12,
            header_size_pt=13,
            recipients=("Như Điều 3;", "Lưu: VT, KTTC."),
            body=_body("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA", 3),
            body_size_pt=13,
        ),
        replace(
            vp_kt,
            key="30-cv-vptu-hoatoc",
            number="2045",
            type_code="CV",
            document_type=None,
            issued_on=D(2024, 10, 21),
            summary="V/v báo cáo nhanh tình hình thiệt hại do bão số 6",
            addressees=("Các huyện ủy, thị ủy, thành ủy",),
            recipients=("Như trên,", "Lưu Văn phòng Tỉnh ủy."),
            urgency="HỎA TỐC",
            body=_body("Thực hiện chỉ đạo của Thường trực Tỉnh ủy,", 1),
        ),
    ]
    return specs


# --- The 05-HD corpus (documents of 06–11/2026) ------------------------------------------------------

_TU_DB = "TỈNH UỶ ĐIỆN BIÊN"
_REC_TU_DB = ("Các đảng uỷ xã, phường trực thuộc;", "Các đồng chí Tỉnh uỷ viên;", "Lưu Văn phòng Tỉnh uỷ.")
_REC_PHUONG = ("Ban Thường vụ Tỉnh uỷ (để báo cáo);", "Các chi bộ trực thuộc;", "Lưu Văn phòng Đảng uỷ.")
# 05-HD I.6.2.3: "-" before each căn cứ, ";" after it, "." after the last; a closing "Xét đề nghị" line ends ",".
_BASIS_05 = (
    "- Căn cứ Điều lệ Đảng;",
    "- Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khoá XV, nhiệm kỳ 2025 - 2030;",
    "- Xét đề nghị của Ban Tổ chức Tỉnh uỷ,",
)
_BASIS_05_END = (
    "- Căn cứ Điều lệ Đảng;",
    "- Căn cứ Quy định số 399-QĐ/TW, ngày 09/01/2026 của Ban Bí thư về thể loại, thẩm quyền ban hành và thể thức "
    "văn bản của Đảng.",
)
_FILLER_05 = (
    "Thời gian qua, các cấp uỷ, tổ chức đảng trong Đảng bộ đã tập trung lãnh đạo, chỉ đạo vận hành ổn định tổ "
    "chức bộ máy sau sắp xếp, bảo đảm hoạt động thông suốt, hiệu lực, hiệu quả; công tác xây dựng Đảng và hệ "
    "thống chính trị ở cơ sở có nhiều chuyển biến tích cực.",
    "Tuy nhiên, việc phân cấp, phân quyền ở một số nơi còn lúng túng; chất lượng sinh hoạt chi bộ chưa đồng đều; "
    "ứng dụng công nghệ thông tin, chuyển đổi số trong các cơ quan đảng còn chậm, chưa đáp ứng yêu cầu.",
    "Thời gian tới, cần tiếp tục nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng và chất lượng "
    "đội ngũ cán bộ, đảng viên; đẩy mạnh chuyển đổi số, bảo đảm vận hành chính quyền địa phương hai cấp hiệu quả.",
)
CONTACT_PHUONG = (
    "Địa chỉ: Số 18 đường Hùng Vương, phường Phú Thọ, tỉnh Phú Thọ;",
    "điện thoại: 0210.3846.123; email: vanphongdanguy@phutho.dcs.vn",
)
# The copy stamp of 05-HD Phụ lục 3: copying body, copy number (symbol BS), form, place and date, recipients.
COPY_STAMP_05 = (
    "BẢN SAO VĂN BẢN",
    "Văn phòng Tỉnh uỷ Điện Biên",
    "Số 03-BS/VPTU",
    "Hình thức sao: sao y",
    "Điện Biên, ngày 20 tháng 7 năm 2026",
    "Nơi nhận: Các đảng uỷ xã, phường.",
)


def _body05(lead: str, n_filler: int, basis: tuple[str, ...] = ()) -> tuple[str, ...]:
    filler = tuple(_FILLER_05[i % len(_FILLER_05)] for i in range(n_filler))
    return (*basis, lead, *filler)


def hd05_corpus() -> list[DocSpec]:
    """Documents of 06–11/2026, each correct per 05-HD/VPTW and 399-QĐ/TW: the issuers of the 2025 reorganisation
    (a tỉnh uỷ and its bodies, đảng uỷ phường / xã / đặc khu under their đảng bộ tỉnh, a ban of a commune đảng uỷ,
    a ban chỉ đạo signing with a "kiêm" title, a thành uỷ of a one-syllable city), and 05-HD's forms: recipients
    ending ";" with the archive line ".", căn cứ ending ";" with the last ".", "-----" under the trích yếu, công văn
    "về việc …", numbers below 10 with their zero, the place with its level where needed, the biên bản's two
    signature blocks with the office's confirmation, the drafter's mark and the contact block, KHẨN under the số,
    a copy with the "BẢN SAO VĂN BẢN" stamp."""
    D = date
    tu = DocSpec(
        key="hd05-tu",
        issuer_lines=(_TU_DB,),
        issuer_code="TU",
        place="Điện Biên",
        signing_form_lines=("T/M BAN THƯỜNG VỤ",),
        signer_title="BÍ THƯ",
        signer_name="Trần Quốc Cường",
        recipients=_REC_TU_DB,
        body=_body05("Ban Thường vụ Tỉnh uỷ quyết nghị:", 3, _BASIS_05),
        summary="về nâng cao chất lượng sinh hoạt chi bộ giai đoạn 2026 - 2030",
    )
    vp = replace(
        tu,
        parent_issuer=_TU_DB,
        issuer_lines=("VĂN PHÒNG",),
        issuer_code="VPTU",
        signing_form_lines=(),
        signer_title="CHÁNH VĂN PHÒNG",
        signer_name="Lò Văn Phương",
        recipients=("Như trên;", "Lưu Văn phòng Tỉnh uỷ."),
    )
    phuong = replace(
        tu,
        parent_issuer="ĐẢNG BỘ TỈNH PHÚ THỌ",
        issuer_lines=("ĐẢNG UỶ PHƯỜNG PHÚ THỌ",),
        issuer_code="ĐU",
        place="Phường Phú Thọ",
        signer_name="Nguyễn Văn An",
        recipients=_REC_PHUONG,
    )
    xa = replace(
        tu,
        parent_issuer="ĐẢNG BỘ TỈNH ĐIỆN BIÊN",
        issuer_lines=("ĐẢNG UỶ XÃ MƯỜNG PHĂNG",),
        issuer_code="ĐU",
        place="Mường Phăng",
        signer_name="Lò Văn Thanh",
        recipients=_REC_PHUONG,
    )
    specs: list[DocSpec] = [
        # Tỉnh uỷ Điện Biên: its Ban Thường vụ, Ban Chấp hành, office, Ủy ban Kiểm tra, ban tham mưu, ban chỉ đạo.
        replace(tu, key="hd05-01-nq-btv", number="112", type_code="NQ", issued_on=D(2026, 6, 18)),
        replace(
            tu,
            key="hd05-02-quydinh-btv",
            number="03",
            type_code="QĐ",
            document_type="QUY ĐỊNH",
            issued_on=D(2026, 7, 2),
            summary="về chế độ làm việc, quan hệ công tác của Ban Thường vụ Tỉnh uỷ",
            body=_body05("Ban Thường vụ Tỉnh uỷ quy định như sau:", 3, _BASIS_05_END),
        ),
        replace(
            tu,
            key="hd05-03-bb-bch",
            number="06",
            type_code="BB",
            document_type="BIÊN BẢN",
            issued_on=D(2026, 8, 14),
            summary="hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 5",
            signing_form_lines=(),
            signer_title="CHỦ TRÌ HỘI NGHỊ",
            minute_taker=("NGƯỜI GHI BIÊN BẢN", "Quàng Thị Hoa"),
            confirmation=(
                "Xác nhận chữ ký của đồng chí Trần Quốc Cường",
                "T/L BAN THƯỜNG VỤ",
                "CHÁNH VĂN PHÒNG",
                "Lò Văn Phương",
            ),
            noi_nhan_label="",
            recipients=(),
            body=_body05("Thời gian: 08 giờ 00, ngày 14 tháng 8 năm 2026.", 3),
        ),
        replace(
            vp,
            key="hd05-04-cv-vptu",
            number="686",
            type_code="CV",
            document_type=None,
            issued_on=D(2026, 9, 8),
            summary="về việc chuẩn bị hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 6",
            addressees=("Các đảng uỷ xã, phường trực thuộc Tỉnh uỷ;", "Các ban đảng, Uỷ ban Kiểm tra Tỉnh uỷ;"),
            addressee_label_italic=True,
            urgency="KHẨN",
            body=_body05("Thực hiện Chương trình làm việc năm 2026, Văn phòng Tỉnh uỷ đề nghị:", 2),
        ),
        replace(
            vp,
            key="hd05-05-ttr-btctu",
            issuer_lines=("BAN TỔ CHỨC",),
            issuer_code="BTCTU",
            number="42",
            type_code="TTr",
            document_type="TỜ TRÌNH",
            issued_on=D(2026, 10, 5),
            summary="về việc điều động, bổ nhiệm cán bộ",
            addressee_label="Kính trình",
            addressees=("Thường trực Tỉnh uỷ;", "Ban Thường vụ Tỉnh uỷ;"),
            addressee_label_italic=True,
            signing_form_lines=("K/T TRƯỞNG BAN",),
            signer_title="PHÓ TRƯỞNG BAN",
            signer_name="Vàng A Dình",
            recipients=("Như trên;", "Lưu Ban Tổ chức Tỉnh uỷ."),
            body=_body05("Thực hiện Quy định số 80-QĐ/TW của Bộ Chính trị về phân cấp quản lý cán bộ,", 2),
        ),
        replace(
            vp,
            key="hd05-06-bc-btgdvtu",
            issuer_lines=("BAN TUYÊN GIÁO VÀ DÂN VẬN",),
            issuer_code="BTGDVTU",
            number="138",
            type_code="BC",
            document_type="BÁO CÁO",
            issued_on=D(2026, 7, 28),
            summary="tình hình tư tưởng trong cán bộ, đảng viên và Nhân dân tháng 7 năm 2026",
            # A deputy running the ban while it has no head signs under his own title (05-HD I.7.1.4 c(iii)).
            signer_title="PHÓ TRƯỞNG BAN",
            signer_name="Lường Văn Chung",
            recipients=("Thường trực Tỉnh uỷ (để báo cáo);", "Lưu Ban Tuyên giáo và Dân vận Tỉnh uỷ."),
            body=_body05("I. TÌNH HÌNH TƯ TƯỞNG", 6),
        ),
        replace(
            vp,
            key="hd05-07-qd-ubkttu",
            issuer_lines=("UỶ BAN KIỂM TRA",),
            issuer_code="UBKTTU",
            number="09",
            type_code="QĐ",
            document_type="QUYẾT ĐỊNH",
            issued_on=D(2026, 11, 3),
            summary="về việc thành lập Đoàn kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát năm 2026",
            signing_form_lines=("T/M UỶ BAN KIỂM TRA",),
            signer_title="CHỦ NHIỆM",
            signer_name="Mùa A Sơn",
            recipients=("Các đảng uỷ xã, phường trực thuộc;", "Lưu Uỷ ban Kiểm tra Tỉnh uỷ."),
            body=_body05("Điều 1. Thành lập Đoàn kiểm tra của Uỷ ban Kiểm tra Tỉnh uỷ.", 2, _BASIS_05_END),
        ),
        replace(
            vp,
            key="hd05-08-kh-bcdtu",
            issuer_lines=("BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ",),
            issuer_code="BCĐTU",
            number="15",
            type_code="KH",
            document_type="KẾ HOẠCH",
            issued_on=D(2026, 8, 25),
            summary="triển khai chuyển đổi số trong các cơ quan đảng tỉnh năm 2026",
            # A ban chỉ đạo without a seal of its own signs with the cấp uỷ's (05-HD I.7.1.4 đ(ii)).
            signer_title="BÍ THƯ kiêm TRƯỞNG BAN CHỈ ĐẠO",
            signer_name="Trần Quốc Cường",
            recipients=("Các thành viên Ban Chỉ đạo;", "Lưu Văn phòng Tỉnh uỷ."),
            body=_body05("I. MỤC ĐÍCH, YÊU CẦU", 3),
        ),
        # A merged province's tỉnh uỷ; a thành uỷ whose city has one syllable ("Thành phố Huế").
        replace(
            tu,
            key="hd05-09-ct-btv-phutho",
            issuer_lines=("TỈNH UỶ PHÚ THỌ",),
            place="Phú Thọ",
            number="07",
            type_code="CT",
            document_type="CHỈ THỊ",
            issued_on=D(2026, 6, 29),
            summary="về tăng cường lãnh đạo công tác phòng, chống thiên tai năm 2026",
            signer_title="PHÓ BÍ THƯ",
            signer_name="Đinh Công Sứ",
            urgency="KHẨN",
            recipients=("Các đảng uỷ xã, phường trực thuộc;", "Các đồng chí Tỉnh uỷ viên;", "Lưu Văn phòng Tỉnh uỷ."),
            body=_body05("Ban Thường vụ Tỉnh uỷ yêu cầu các cấp uỷ, tổ chức đảng thực hiện tốt:", 3),
        ),
        replace(
            tu,
            key="hd05-10-tb-btv-hue",
            issuer_lines=("THÀNH UỶ HUẾ",),
            place="Thành phố Huế",
            number="254",
            type_code="TB",
            document_type="THÔNG BÁO",
            issued_on=D(2026, 9, 21),
            summary="kết luận của Ban Thường vụ Thành uỷ về công tác cán bộ",
            signer_name="Nguyễn Đình Trung",
            recipients=("Các đảng uỷ xã, phường trực thuộc;", "Lưu Văn phòng Thành uỷ."),
            body=_body05("Ngày 18/9/2026, Ban Thường vụ Thành uỷ họp và kết luận:", 2),
        ),
        # Commune level: đảng uỷ phường / xã / đặc khu under their đảng bộ tỉnh; a ban of a commune đảng uỷ.
        replace(
            phuong,
            key="hd05-11-nq-phuong",
            number="04",
            type_code="NQ",
            issued_on=D(2026, 7, 10),
            summary="về nhiệm vụ trọng tâm 6 tháng cuối năm 2026",
            body=_body05("Ban Thường vụ Đảng uỷ phường quyết nghị:", 3),
            drafter_mark="NguyenVanAn-26",
            contact_lines=CONTACT_PHUONG,
        ),
        replace(
            xa,
            key="hd05-12-kh-xa",
            number="05",
            type_code="KH",
            document_type="KẾ HOẠCH",
            issued_on=D(2026, 10, 20),
            summary="tổ chức hội nghị học tập, quán triệt nghị quyết của Tỉnh uỷ",
            signing_form_lines=("T/M ĐẢNG UỶ",),
            body=_body05("I. MỤC ĐÍCH, YÊU CẦU", 3),
        ),
        replace(
            xa,
            key="hd05-13-kl-dackhu",
            parent_issuer="ĐẢNG BỘ TỈNH QUẢNG NINH",
            issuer_lines=("ĐẢNG UỶ ĐẶC KHU VÂN ĐỒN",),
            place="Vân Đồn",
            number="31",
            type_code="KL",
            document_type="KẾT LUẬN",
            issued_on=D(2026, 11, 12),
            summary="của Ban Thường vụ Đảng uỷ đặc khu về phát triển du lịch biển đảo",
            signer_title="PHÓ BÍ THƯ",
            signer_name="Hoàng Văn Hải",
            body=_body05("Ban Thường vụ Đảng uỷ đặc khu kết luận như sau:", 3),
        ),
        replace(
            xa,
            key="hd05-14-hd-bxddu",
            parent_issuer="ĐẢNG UỶ XÃ MƯỜNG PHĂNG",
            issuer_lines=("BAN XÂY DỰNG ĐẢNG",),
            issuer_code="BXDĐĐU",
            number="02",
            type_code="HD",
            document_type="HƯỚNG DẪN",
            issued_on=D(2026, 8, 3),
            summary="kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm 2026",
            signing_form_lines=(),
            signer_title="TRƯỞNG BAN",
            signer_name="Cà Văn Hùng",
            recipients=("Các chi bộ trực thuộc;", "Lưu Ban Xây dựng Đảng."),
            body=_body05("I. ĐỐI TƯỢNG, PHẠM VI", 3),
        ),
        # A paper copy of the first document with 05-HD's stamp.
        replace(
            tu,
            key="hd05-15-nq-bansao",
            number="112",
            type_code="NQ",
            issued_on=D(2026, 6, 18),
            copy_stamp=COPY_STAMP_05,
        ),
    ]
    return specs
