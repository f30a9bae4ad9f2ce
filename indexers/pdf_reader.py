"""PDF → ParsedDocument with pypdf: runs with font, size and position, lines, page setup, ký số.

Each text-showing operator reaches ``visitor_text`` with the text matrix and the CTM; the run's
origin is Tm × CTM and its size the font size scaled by that matrix. Pages without a text layer
go through OCR (``indexers.ocr``). The file is only read, never written back.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from indexers.errors import ParseError
from indexers.pdf_fonts import font_style
from indexers.pdf_lines import Chunk, build_lines, drawn_chunks, place_stamps, text_width
from indexers.pdfium_text import read_text_layer
from schemas.parsed import DigitalSignature, PageSetup, ParsedDocument, Region, TextLine

if TYPE_CHECKING:
    from indexers.ocr import OcrResult

PDF_MEDIA_TYPE: Final = "application/pdf"
_PT_MM: Final = 25.4 / 72
_FULL_LINE: Final = 0.5  # a line at least this share of the page wide is a paragraph line
_SAME_EDGE_PT: Final = 1.5  # justified lines end within this of each other
_SHARED_EDGE: Final = 3  # so many full lines ending together show where the text area ends
_PDF_DATE: Final = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+\-])(\d{2})?'?(\d{2})?'?)?")


@dataclass(frozen=True)
class PdfLimits:
    max_pages: int = 1000
    ocr: bool = True
    ocr_dpi: int = 300
    # Pages without a text layer are left to page jobs (``ParsedDocument.ocr_pending``) instead of recognised here.
    defer_ocr: bool = False


def _mult(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    g, h, i, j, k, l_ = n
    return [a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k, e * h + f * j + l_]


def _page_chunks(
    page: Any, height: float, origin: tuple[float, float], shift: tuple[float, float] = (0.0, 0.0)
) -> list[Chunk]:
    """Positioned runs of ``page`` (or of an appearance stream set as a page, moved by ``shift``)."""
    chunks: list[Chunk] = []
    styles: dict[int, Any] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text or not text.strip():
            return
        try:
            m = _mult([float(v) for v in tm], [float(v) for v in cm])
        except (TypeError, ValueError):
            return
        scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
        key = id(font)
        style = styles.get(key)
        if style is None:
            style = font_style(font)
            styles[key] = style
        eff = float(size or 0) * scale
        x, y = m[4] + shift[0] - origin[0], height - (m[5] + shift[1] - origin[1])
        chunks.extend(drawn_chunks(text, x=x, y=y, size=eff, style=style))

    page.extract_text(visitor_text=visit)
    return chunks


_HIDDEN_FLAGS: Final = 2 | 32  # annotation flags Hidden, NoView
_STAMPED_VALUE: Final = 12  # a number or a day stamped into a blank is a short single piece of text


def _frame(page: Any) -> tuple[float, float, tuple[float, float]]:
    """Width, height and lower-left corner (pt) of a page's crop box: what positions are measured from."""
    box = page.cropbox
    return float(box.width), float(box.height), (float(box.left), float(box.bottom))


def _widget_chunks(reader: PdfReader, page: Any, height: float, origin: tuple[float, float]) -> list[Chunk]:
    """Text drawn by the page's widgets: what an e-office system stamps into the blanks at signing.

    The number and the day left blank in "Số:      /TB-UBND" are filled in by the signing system as the
    appearance of a signature field placed over the blank, not in the page's content.
    """
    from pypdf import PageObject
    from pypdf.generic import NameObject

    chunks: list[Chunk] = []
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        if annot.get("/Subtype") != "/Widget" or int(annot.get("/F", 0)) & _HIDDEN_FLAGS:
            continue
        appearance = annot.get("/AP")
        normal = appearance.get_object().raw_get("/N") if appearance is not None and "/N" in appearance else None
        if normal is None or not hasattr(normal.get_object(), "get_data"):
            continue  # an appearance per state (check boxes): no text for us
        stream = normal.get_object()
        rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
        bbox = [float(v) for v in stream.get("/BBox", [0, 0, 0, 0])]
        fake = PageObject(pdf=reader)
        if stream.get("/Resources") is not None:
            fake[NameObject("/Resources")] = stream["/Resources"]
        fake[NameObject("/MediaBox")] = stream.get("/BBox")
        fake[NameObject("/Contents")] = normal
        shift = (min(rect[0], rect[2]) - bbox[0], min(rect[1], rect[3]) - bbox[1])
        drawn = _page_chunks(fake, height, origin, shift)
        if len(drawn) != 1 or len(drawn[0].text.strip()) > _STAMPED_VALUE:
            continue  # the signer's box ("Ký bởi …", the seal): about the signing, not the document's text
        chunk = drawn[0]
        lead = len(chunk.text) - len(chunk.text.lstrip())
        chunk.x += text_width(chunk.text[:lead], chunk.size, chunk.bold)
        chunk.text = chunk.text.strip()
        chunks.append(chunk)
    return chunks


def _pdf_date(value: str | None) -> str | None:
    if not value:
        return None
    m = _PDF_DATE.match(value.strip())
    if not m:
        return None
    parts = [int(p) if p else d for p, d in zip(m.groups()[:6], (0, 1, 1, 0, 0, 0), strict=True)]
    try:
        tz: timezone | None = None
        if m.group(7):
            if m.group(7) in "Zz":
                tz = UTC
            else:
                delta = timedelta(hours=int(m.group(8) or 0), minutes=int(m.group(9) or 0))
                tz = timezone(delta if m.group(7) == "+" else -delta)
        year, month, day, hour, minute, second = parts
        return datetime(year, month, day, hour, minute, second, tzinfo=tz).isoformat()
    except ValueError:
        return None


def _certificate_name(contents: bytes) -> str | None:
    """The signer's common name from the PKCS#7 blob of a /Sig /Contents, when it parses."""
    try:
        from cryptography.hazmat.primitives.serialization import pkcs7
        from cryptography.x509.oid import NameOID
    except ImportError:  # pragma: no cover
        return None
    if len(contents) < 4 or contents[0] != 0x30:
        return None
    # /Contents is zero-padded; cut at the DER length of the outer SEQUENCE.
    first = contents[1]
    if first & 0x80:
        n = first & 0x7F
        length = int.from_bytes(contents[2 : 2 + n], "big") + 2 + n
    else:
        length = first + 2
    try:
        certs = pkcs7.load_der_pkcs7_certificates(contents[:length])
    except ValueError:
        return None
    for cert in certs:
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        if names:
            return str(names[0].value)
    return None


def _signatures(reader: PdfReader) -> list[DigitalSignature]:
    found: list[DigitalSignature] = []
    try:
        fields = reader.get_fields() or {}
    except (PdfReadError, KeyError, TypeError, ValueError, AttributeError):
        return found
    for name, field in fields.items():
        if field.get("/FT") != "/Sig":
            continue
        value = field.get("/V")
        if value is None:
            continue
        try:
            sig = value.get_object()
        except (AttributeError, PdfReadError):
            continue
        signer = sig.get("/Name")
        contents = sig.get("/Contents")
        if not signer and contents is not None:
            raw = contents.original_bytes if hasattr(contents, "original_bytes") else bytes(contents)
            signer = _certificate_name(raw)
        when = sig.get("/M")
        found.append(
            DigitalSignature(
                signer_name=str(signer) if signer else None,
                signed_at=_pdf_date(str(when)) if when else None,
                field_name=str(name),
            )
        )
    return found


def _has_eof_marker(path: Path) -> bool:
    """ISO 32000-1 §7.5.5: a PDF ends with %%EOF; its absence means an upload cut short."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 4096))
        return b"%%EOF" in fh.read()


def _declared_pages(reader: PdfReader) -> int:
    """The page count the page tree root declares (/Count), which a hostile file may inflate."""
    try:
        pages = reader.root_object.get("/Pages")
        declared = pages.get_object().get("/Count", 0) if pages is not None else 0
        return int(declared)
    except (KeyError, TypeError, ValueError, AttributeError):
        return 0


def open_pdf(path: Path, limits: PdfLimits = PdfLimits()) -> PdfReader:
    """Open a PDF, decrypting with the empty user password; refuse encrypted and huge ones."""
    if not _has_eof_marker(path):
        raise ParseError("PARSE-CORRUPT", "Tệp PDF không trọn vẹn (bị cắt cụt).")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError, PdfReadError) as exc:
                raise ParseError("PARSE-ENCRYPTED", "Tệp PDF được mã hóa, không đọc được.") from exc
            if not opened:
                raise ParseError("PARSE-ENCRYPTED", "Tệp PDF được đặt mật khẩu, không đọc được.")
        count = max(len(reader.pages), _declared_pages(reader))
    except ParseError:
        raise
    except FileNotDecryptedError as exc:
        raise ParseError("PARSE-ENCRYPTED", "Tệp PDF được mã hóa, không đọc được.") from exc
    except (PdfReadError, PdfStreamError, KeyError, ValueError, TypeError, AttributeError, OSError) as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp PDF hỏng, không đọc được cấu trúc.") from exc
    except RecursionError as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp PDF có cấu trúc lồng nhau bất thường.") from exc
    if count > limits.max_pages:
        raise ParseError("PARSE-TOO-LARGE", f"Tệp PDF có {count} trang, vượt quá giới hạn cho phép.")
    if count == 0:
        raise ParseError("PARSE-CORRUPT", "Tệp PDF không có trang nào.")
    return reader


def read_pdf(path: Path, *, limits: PdfLimits = PdfLimits(), recognised: OcrResult | None = None) -> ParsedDocument:
    """Read a PDF into a ParsedDocument; pages without text are OCR'd (raises ParseError).

    ``recognised`` holds pages already recognised elsewhere (page jobs, joined): they are used as they are and
    only the others are OCR'd here; with ``limits.defer_ocr`` those others, when there are two or more, are listed in
    ``ocr_pending`` instead.
    """
    reader = open_pdf(path, limits)
    lines: list[TextLine] = []
    warnings: list[str] = []
    ocr_pages: list[int] = []
    setup = PageSetup()
    try:
        frames = [_frame(page) for page in reader.pages]
    except (PdfReadError, PdfStreamError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp PDF bị hỏng, không đọc được khổ trang.") from exc
    stamped = ["/Annots" in page for page in reader.pages]
    layer = read_text_layer(path, [(height, origin) for _, height, origin in frames], stamped)
    boxes = {number: text.boxes for number, text in enumerate(layer or [], start=1)}
    for number, page in enumerate(reader.pages, start=1):
        width, height, origin = frames[number - 1]
        try:
            if layer is not None and number <= len(layer):
                chunks = layer[number - 1].chunks
            else:  # pdfium could not open the file (or saw fewer pages): pypdf's interpreter reads it
                chunks = _page_chunks(page, height, origin)
            if chunks and "/Annots" in page:  # a scan's only text is the signature box: it must still go to OCR
                chunks = place_stamps(chunks, _widget_chunks(reader, page, height, origin))
        except (PdfReadError, PdfStreamError, KeyError, ValueError, TypeError, AttributeError) as exc:
            raise ParseError("PARSE-CORRUPT", f"Trang {number} của tệp PDF bị hỏng.") from exc
        if number == 1:
            setup = PageSetup(width_mm=round(width * _PT_MM, 1), height_mm=round(height * _PT_MM, 1))
        if not chunks:
            ocr_pages.append(number)
            lines.append(TextLine(text="", page=number, index=-1))  # placeholder, replaced below
            continue
        lines.extend(
            build_lines(chunks, page=number, page_height=height, first_index=len(lines), boxes=boxes.get(number))
        )
    confidence: float | None = None
    read_by_ocr = False
    read_here = 0  # pages recognised in this call (whole-document OCR), not taken from page jobs
    pending: list[int] = []
    if ocr_pages and limits.ocr:
        from indexers.ocr import OcrResult, merge_results, ocr_pdf_pages

        done = recognised if recognised is not None else OcrResult()
        missing = [n for n in ocr_pages if n not in done.lines]
        # Page jobs only where there is work to share: one page left is recognised here (split, it would cost a
        # second reading of the document and two more jobs, and no other worker could help with it).
        if len(missing) > 1 and limits.defer_ocr:
            pending, missing = missing, []
            lines = [ln for ln in lines if not (ln.index == -1 and ln.page in pending)]
        result = merge_results([done, ocr_pdf_pages(path, missing, dpi=limits.ocr_dpi)] if missing else [done])
        read_here = len(missing)
        merged: list[TextLine] = []
        for line in lines:
            if line.index == -1:
                merged.extend(result.lines.get(line.page, []))
            else:
                merged.append(line)
        lines = merged
        confidence = result.confidence
        read_by_ocr = bool(result.recognised)
    elif ocr_pages:
        lines = [ln for ln in lines if ln.index != -1]
        warnings.append("Có trang không có lớp chữ; chưa nhận dạng ký tự (OCR).")
    lines = [ln if ln.index == i else ln.model_copy(update={"index": i}) for i, ln in enumerate(lines)]
    edges = [
        box[2]
        for number, page_boxes in boxes.items()
        if number not in ocr_pages
        for box in page_boxes
        if setup.height_mm and box[1] / (setup.height_mm / _PT_MM) > 0.06 and box[3] / (setup.height_mm / _PT_MM) < 0.95
    ]
    setup = _estimate_margins(setup, lines, edges)
    return ParsedDocument(
        media_type=PDF_MEDIA_TYPE,
        page_count=len(reader.pages),
        page_setup=setup,
        lines=lines,
        ocr=read_by_ocr,
        ocr_pending=pending,
        ocr_pages_read=read_here,
        ocr_confidence=confidence,
        signatures=_signatures(reader),
        warnings=warnings,
    )


def _loose_page_numbers(lines: list[TextLine], setup: PageSetup) -> set[int]:
    """Page numbers set in the page header but low enough to fall in the body band ("2" atop page 2).

    A line of one to three digits, alone at the top of its page and well above the text under it, is a
    page number, not where the text area begins.
    """
    if setup.height_mm is None:
        return set()
    height_pt = setup.height_mm / _PT_MM
    found: set[int] = set()
    for page in {ln.page for ln in lines}:
        placed = sorted(
            (ln for ln in lines if ln.page == page and ln.y_pt is not None and ln.region != Region.FOOTER),
            key=lambda ln: ln.y_pt or 0.0,
        )
        if len(placed) < 2:
            continue
        first, second = placed[0], placed[1]
        text = first.text.strip()
        size = first.size_pt or 12.0
        if (
            text.isdigit()
            and len(text) <= 3
            and (first.y_pt or 0.0) < 0.12 * height_pt
            and (second.y_pt or 0.0) - (first.y_pt or 0.0) > 1.5 * size
        ):
            found.add(id(first))
    return found


def _text_right_edge(body: list[TextLine], width_pt: float) -> float | None:
    """Where the justified paragraphs end: the right edge shared by most full-width lines, or None if too few.

    A header or signature table is often set a little wider than the text area (Word lets a table run
    into the margin); its few lines must not move the margin that a page of paragraphs shows.
    """
    ends = sorted(
        (ln.x_pt or 0.0) + (ln.width_pt or 0.0) for ln in body if (ln.width_pt or 0.0) >= _FULL_LINE * width_pt
    )
    best_count, best_end = 0, 0.0
    for k, end in enumerate(ends):  # the sorted ends within _SAME_EDGE_PT of ends[k] run to index j - 1
        j = bisect_right(ends, end + _SAME_EDGE_PT, lo=k)
        if j - k > best_count:
            best_count, best_end = j - k, ends[j - 1]
    return best_end if best_count >= _SHARED_EDGE else None


def _estimate_margins(setup: PageSetup, lines: list[TextLine], right_edges: list[float]) -> PageSetup:
    """Margins from the bounding box of the body text (headers and footers left out)."""
    loose = _loose_page_numbers(lines, setup)
    body = [
        ln
        for ln in lines
        if ln.region not in (Region.HEADER, Region.FOOTER) and ln.x_pt is not None and id(ln) not in loose
    ]
    numbers = [ln for ln in lines if (ln.region == Region.HEADER or id(ln) in loose) and ln.text.strip().isdigit()]
    pages_with_numbers = {ln.page for ln in numbers}
    if not body or setup.width_mm is None or setup.height_mm is None:
        return setup.model_copy(update={"has_page_numbers": bool(numbers)})
    width_pt, height_pt = setup.width_mm / _PT_MM, setup.height_mm / _PT_MM
    left = min(ln.x_pt or 0.0 for ln in body)
    right = _text_right_edge(body, width_pt)
    if right is None:
        right = max(right_edges) if right_edges else max((ln.x_pt or 0.0) + (ln.width_pt or 0.0) for ln in body)
    top = min(ln.y_pt or 0.0 for ln in body)
    # The last page is rarely full, so the bottom margin is read from the pages before it.
    last = max(ln.page for ln in body)
    full = [ln for ln in body if ln.page < last]
    bottom = max(((ln.y_pt or 0.0) + (ln.size_pt or 12.0) for ln in full), default=None)
    return setup.model_copy(
        update={
            "margin_left_mm": round(left * _PT_MM, 1),
            "margin_right_mm": round(max(width_pt - right, 0.0) * _PT_MM, 1),
            "margin_top_mm": round(top * _PT_MM, 1),
            "margin_bottom_mm": None if bottom is None else round(max(height_pt - bottom, 0.0) * _PT_MM, 1),
            "has_page_numbers": bool(numbers),
            "different_first_page": bool(numbers) and 1 not in pages_with_numbers,
        }
    )
