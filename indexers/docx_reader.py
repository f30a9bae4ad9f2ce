"""DOCX → ParsedDocument: paragraphs, tables, text boxes, headers and footers, page setup.

python-docx opens the package (content types, relationships); the body is walked on the XML itself
so that every paragraph lands in reading order with its container (table cell, text box, header),
and each run's style is resolved through ``docx_styles.StyleSheet``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from indexers.docx_numbering import Numbering
from indexers.docx_styles import StyleSheet, w, wattr
from indexers.errors import ParseError
from schemas.parsed import Alignment, CellRef, PageSetup, ParsedDocument, Region, Run, TextLine

DOCX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MC: Final = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_PAGE_FIELD: Final = re.compile(r"\bPAGE\b")
_SAFE_PARSER: Final = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_SKIP: Final = frozenset({w("del"), w("moveFrom"), f"{{{_MC}}}Fallback", w("instrText"), w("delText")})
_RUN_CONTAINERS: Final = frozenset(
    {
        w("hyperlink"),
        w("ins"),
        w("moveTo"),
        w("smartTag"),
        w("fldSimple"),
        w("customXml"),
        w("sdt"),
        w("sdtContent"),
        w("dir"),
        w("bdo"),
        f"{{{_MC}}}AlternateContent",
        f"{{{_MC}}}Choice",
    }
)


@dataclass(frozen=True)
class DocxLimits:
    """Budget for a DOCX package, checked from the zip directory before anything is inflated."""

    max_entries: int = 2000
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 200.0  # inflated / compressed, for members over 1 MiB


def check_package(path: Path, limits: DocxLimits = DocxLimits()) -> None:
    """Refuse zip bombs, macro-enabled packages and broken zips before python-docx reads them."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp DOCX hỏng: cấu trúc nén không hợp lệ.") from exc
    if len(infos) > limits.max_entries:
        raise ParseError("PARSE-TOO-LARGE", "Tệp DOCX chứa quá nhiều thành phần.")
    total = 0
    for info in infos:
        # zipfile stops inflating at the declared file_size, so the declared sizes bound the work.
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ParseError("PARSE-TOO-LARGE", "Tệp DOCX có tỉ lệ nén bất thường (nghi zip bomb).")
        if info.filename.lower().endswith("vbaproject.bin"):
            raise ParseError("PARSE-UNSUPPORTED", "Tệp chứa macro (vbaProject) nên không được xử lý.")
    if total > limits.max_total_bytes:
        raise ParseError("PARSE-TOO-LARGE", "Tệp DOCX khi giải nén vượt quá dung lượng cho phép.")


def _twips_mm(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return round(int(float(value)) * 25.4 / 1440, 1)
    except ValueError:
        return None


class _Walker:
    """Walks block content in reading order and emits TextLines."""

    def __init__(self, sheet: StyleSheet, numbering: Numbering) -> None:
        self.sheet = sheet
        self.numbering = numbering
        self.lines: list[TextLine] = []
        self.page = 1
        self.tables = 0
        self._broke = False  # an explicit break just started a page; Word's marker repeats it
        self._text_page: int | None = None  # the page of the current paragraph's first text

    def block(self, container: etree._Element, region: Region, cell: CellRef | None, table_style: str | None) -> None:
        paragraph = 0
        for child in container:
            tag = child.tag
            if tag == w("p"):
                self.paragraph(child, paragraph, region, cell, table_style)
                paragraph += 1
            elif tag == w("tbl"):
                self.table(child, region)
            elif tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if tag == w("sdt") else child
                if content is not None:
                    self.block(content, region, cell, table_style)

    def table(self, tbl: etree._Element, region: Region) -> None:
        index = self.tables
        self.tables += 1
        style = wattr(tbl.find(f"{w('tblPr')}/{w('tblStyle')}"), "val") or self.sheet.default_style("table")
        inner = Region.TABLE if region == Region.BODY else region
        for row_i, tr in enumerate(tbl.iterchildren(w("tr"))):
            col = 0
            for tc in tr.iterchildren(w("tc")):
                span_val = wattr(tc.find(f"{w('tcPr')}/{w('gridSpan')}"), "val")
                span = int(span_val) if span_val and span_val.isdigit() else 1
                self.block(tc, inner, CellRef(table=index, row=row_i, col=col), style)
                col += span

    def paragraph(
        self,
        p: etree._Element,
        number: int,
        region: Region,
        cell: CellRef | None,
        table_style: str | None,
    ) -> None:
        ppr = p.find(w("pPr"))
        para_style = wattr(ppr.find(w("pStyle")) if ppr is not None else None, "val")
        para_style = para_style or self.sheet.default_style("paragraph")
        props = self.sheet.paragraph(table_style, para_style, ppr)
        if props.page_break_before and self.lines:
            self.page += 1
            self._broke = True
        self._text_page = None
        start_page = self.page
        runs: list[Run] = []
        boxes: list[etree._Element] = []
        for r in self._runs(p):
            self._run(r, table_style, para_style, runs, boxes)
        label = self.numbering.label(props.num_id, props.num_level)
        if label and runs:  # printed in the style of the text it leads (close enough for the checks)
            runs.insert(0, runs[0].model_copy(update={"text": label}))
        text = "".join(run.text for run in runs)
        if text.strip():
            self.lines.append(
                TextLine(
                    text=text,
                    page=self._text_page or start_page,
                    index=len(self.lines),
                    paragraph=number,
                    region=region,
                    cell=cell,
                    alignment=props.alignment or Alignment.LEFT,
                    runs=runs,
                    has_bottom_border=bool(props.bottom_border),
                )
            )
        for box in boxes:
            self.block(box, Region.TEXTBOX, None, None)
        if ppr is not None and ppr.find(w("sectPr")) is not None:
            kind = wattr(ppr.find(f"{w('sectPr')}/{w('type')}"), "val") or "nextPage"
            if kind != "continuous":
                self.page += 1
                self._broke = True

    def _runs(self, el: etree._Element) -> list[etree._Element]:
        found: list[etree._Element] = []
        for child in el:
            if child.tag == w("r"):
                found.append(child)
            elif child.tag in _RUN_CONTAINERS:
                found.extend(self._runs(child))
        return found

    def _run(
        self,
        r: etree._Element,
        table_style: str | None,
        para_style: str | None,
        out: list[Run],
        boxes: list[etree._Element],
    ) -> None:
        rpr = r.find(w("rPr"))
        char_style = wattr(rpr.find(w("rStyle")) if rpr is not None else None, "val")
        style = self.sheet.run(table_style, para_style, char_style, rpr)
        parts: list[str] = []
        for child in r:
            tag = child.tag
            if tag == w("t"):
                parts.append(child.text or "")
            elif tag == w("tab"):
                parts.append("\t")
            elif tag in (w("br"), w("cr")):
                if wattr(child, "type") == "page":
                    self.page += 1
                    self._broke = True
                parts.append("\n")
            elif tag == w("lastRenderedPageBreak"):
                # Where Word's last layout broke the page: counted unless an explicit break did.
                if not self._broke:
                    self.page += 1
                self._broke = False
            elif tag == w("noBreakHyphen"):
                parts.append("-")
            elif tag in _SKIP:
                continue
            else:  # w:drawing, w:pict, mc:AlternateContent: look for text boxes
                boxes.extend(
                    box
                    for box in child.iter(w("txbxContent"))
                    if not _inside_fallback(box, r) and not _nested_box(box, child)
                )
        text = "" if style.hidden else "".join(parts)  # hidden text (w:vanish) does not print
        if text.strip():
            self._broke = False
            if self._text_page is None:
                self._text_page = self.page
        if not text:
            return
        run = Run(
            text=text,
            font=style.font,
            size_pt=style.size_pt,
            bold=style.bold,
            italic=style.italic,
            underline=style.underline,
            caps=style.caps,
        )
        if out and out[-1].model_copy(update={"text": ""}) == run.model_copy(update={"text": ""}):
            out[-1] = out[-1].model_copy(update={"text": out[-1].text + text})
        else:
            out.append(run)


def _inside_fallback(el: etree._Element, stop: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == f"{{{_MC}}}Fallback":
            return True
        parent = parent.getparent()
    return False


def _nested_box(box: etree._Element, stop: etree._Element) -> bool:
    """True for a text box inside another text box (read when the outer one is walked)."""
    parent = box.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == w("txbxContent"):
            return True
        parent = parent.getparent()
    return False


def _part_xml(blob: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(blob, _SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None


def read_docx(path: Path, *, limits: DocxLimits = DocxLimits()) -> ParsedDocument:
    """Read a DOCX file into a ParsedDocument (raises ParseError)."""
    check_package(path, limits)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, EOFError) as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp DOCX hỏng, không đọc được nội dung.") from exc
    except ValueError as exc:
        raise ParseError("PARSE-UNSUPPORTED", "Tệp không phải văn bản Word (DOCX) được hỗ trợ.") from exc
    theme_root: etree._Element | None = None
    numbering_root: etree._Element | None = None
    headers: list[tuple[Region, etree._Element]] = []
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        reltype = rel.reltype.rsplit("/", 1)[-1]
        if reltype == "theme":
            theme_root = _part_xml(rel.target_part.blob)
        elif reltype == "numbering":
            numbering_root = _part_xml(rel.target_part.blob)
        elif reltype in ("header", "footer"):
            root = _part_xml(rel.target_part.blob)
            if root is not None:
                headers.append((Region.HEADER if reltype == "header" else Region.FOOTER, root))
    sheet = StyleSheet(document.styles.element, theme_root)
    walker = _Walker(sheet, Numbering(numbering_root))
    body = document.element.body
    walker.block(body, Region.BODY, None, None)
    body_pages = walker.page
    has_page_numbers = False
    for region, root in headers:
        instr = " ".join(
            [str(el.get(w("instr")) or "") for el in root.iter(w("fldSimple"))]
            + [el.text or "" for el in root.iter(w("instrText"))]
        )
        has_page_numbers = has_page_numbers or bool(_PAGE_FIELD.search(instr))
        walker.page = 1
        walker.block(root, region, None, None)
    setup = PageSetup()
    sect = _first_sect_pr(body)
    if sect is not None:
        size = sect.find(w("pgSz"))
        margins = sect.find(w("pgMar"))
        setup = PageSetup(
            width_mm=_twips_mm(wattr(size, "w")),
            height_mm=_twips_mm(wattr(size, "h")),
            margin_top_mm=_twips_mm(wattr(margins, "top")),
            margin_bottom_mm=_twips_mm(wattr(margins, "bottom")),
            margin_left_mm=_twips_mm(wattr(margins, "left")),
            margin_right_mm=_twips_mm(wattr(margins, "right")),
            different_first_page=sect.find(w("titlePg")) is not None
            and (wattr(sect.find(w("titlePg")), "val") or "1").lower() not in {"0", "false", "off"},
            has_page_numbers=has_page_numbers,
        )
    return ParsedDocument(
        media_type=DOCX_MEDIA_TYPE,
        page_count=max(body_pages, _app_pages(document)),
        page_setup=setup,
        lines=walker.lines,
    )


def _app_pages(document: docx.document.Document) -> int:
    """<Pages> of docProps/app.xml: Word's own count at its last save (0 when absent)."""
    for rel in document.part.package.rels.values():
        if rel.reltype.endswith("/extended-properties") and not rel.is_external:
            root = _part_xml(rel.target_part.blob)
            if root is None:
                return 0
            for el in root.iter():
                if isinstance(el.tag, str) and el.tag.endswith("}Pages") and (el.text or "").isdigit():
                    return int(el.text or "0")
    return 0


def _first_sect_pr(body: etree._Element) -> etree._Element | None:
    """The sectPr of the first section: the first one in a paragraph, else the body's own."""
    for p in body.iterchildren(w("p")):
        sect = p.find(f"{w('pPr')}/{w('sectPr')}")
        if sect is not None:
            return sect
    return body.find(w("sectPr"))
