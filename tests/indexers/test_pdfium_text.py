"""The pdfium text layer: runs with their place, size and style, typed blanks kept, forms placed."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from indexers.pdf_reader import read_pdf
from indexers.pdfium_text import read_text_layer

_HEIGHT = 842.0


def _font(base: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(base),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def _pdf(tmp_path: Path, content: bytes) -> Path:
    writer = PdfWriter()
    page = writer.add_blank_page(595, _HEIGHT)
    fonts = DictionaryObject(
        {
            NameObject("/F1"): _font("/Times-Roman"),
            NameObject("/F2"): _font("/Times-Bold"),
            NameObject("/F3"): _font("/Times-Italic"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    path = tmp_path / "page.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_runs_have_place_size_and_style(tmp_path: Path) -> None:
    path = _pdf(
        tmp_path,
        b"BT /F2 14 Tf 1 0 0 1 100 700 Tm (QUYET DINH) Tj ET\n"
        b"BT /F3 1 Tf 13 0 0 13 300 650 Tm (ngay 05) Tj ET\n"
        b"q 2 0 0 2 0 0 cm BT /F1 6 Tf 1 0 0 1 50 300 Tm (Noi nhan) Tj ET Q\n",
    )
    layer = read_text_layer(path, [(_HEIGHT, (0.0, 0.0))])
    assert layer is not None
    runs = {c.text: c for c in layer[0].chunks}
    title, date, recipients = runs["QUYET DINH"], runs["ngay 05"], runs["Noi nhan"]
    assert (round(title.x, 1), round(title.baseline, 1), title.size) == (100.0, 142.0, 14.0)
    assert title.bold and not title.italic and title.font == "Times" and title.substitute_for == "Times New Roman"
    assert date.size == 13.0 and date.italic and not date.bold  # the size scaled by the text matrix
    assert (round(recipients.x, 1), round(recipients.baseline, 1), recipients.size) == (100.0, 242.0, 12.0)
    assert layer[0].boxes and all(left < right and top < bottom for left, top, right, bottom in layer[0].boxes)


def test_a_typed_blank_keeps_its_spaces_where_a_stamp_may_land(tmp_path: Path) -> None:
    """A page with widgets gets its typed blanks back; elsewhere the text page's folded space is kept (cheaper)."""
    path = _pdf(tmp_path, b"BT /F1 13 Tf 1 0 0 1 100 700 Tm (So:          /UBND-KGVX) Tj ET\n")
    stamped = read_text_layer(path, [(_HEIGHT, (0.0, 0.0))], [True])
    assert stamped is not None
    assert [c.text.strip() for c in stamped[0].chunks] == ["So:          /UBND-KGVX"]
    plain = read_text_layer(path, [(_HEIGHT, (0.0, 0.0))], [False])
    assert plain is not None
    assert [c.text.strip() for c in plain[0].chunks] == ["So: /UBND-KGVX"]


def test_read_pdf_measures_from_the_crop_box(tmp_path: Path) -> None:
    path = _pdf(tmp_path, b"BT /F1 12 Tf 1 0 0 1 120 700 Tm (Kinh gui) Tj ET\n")
    parsed = read_pdf(path)
    assert [ln.text for ln in parsed.lines] == ["Kinh gui"]
    line = parsed.lines[0]
    assert line.x_pt == 120.0 and line.runs[0].size_pt == 12.0 and not parsed.ocr
