"""Page images: a DOCX through LibreOffice, a text PDF and a scan rendered to PNGs, with the boxes of their lines.

Each box is checked against the page itself: the pixels inside the box of a line are darker than the blank
margin (the line's ink is there), and lines follow each other down the page.
"""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from indexers.errors import ParseError
from indexers.page_images import (
    MAX_SIDE_PX,
    Box,
    boxes_from_points,
    docx_to_pdf,
    line_layout,
    offline_prefix,
    render_pages_isolated,
)
from indexers.parse_inprocess import parse_file
from tests.corpus.generator import DocSpec, pdf_to_scan, write_docx
from tests.corpus.session import need_tools, skip_unless
from tests.web.helpers import PLANTED_NUMBER_LINE

pytestmark = pytest.mark.slow


def _ink(image: Image.Image, box: Box) -> float:
    """How dark the area of ``box`` is on the page (0 white … 255 black)."""
    x0, y0, x1, y1 = box
    area = image.convert("L").crop((x0 * image.width, y0 * image.height, x1 * image.width, y1 * image.height))
    return 255 - ImageStat.Stat(area).mean[0]


@pytest.fixture(scope="module")
def planted_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "nghi-quyet-12.docx"
    write_docx(dataclasses.replace(DocSpec(), number="12", number_line=PLANTED_NUMBER_LINE), path)
    return path


@pytest.fixture(scope="module")
def rendition(planted_docx: Path) -> Path:
    need_tools("soffice")
    return docx_to_pdf(planted_docx, planted_docx.with_suffix(".pdf"), timeout_s=120)


def test_a_docx_is_converted_and_each_paragraph_boxed_where_it_prints(
    planted_docx: Path, rendition: Path, tmp_path: Path
) -> None:
    lines = [line.rendered_text for line in parse_file(planted_docx).lines]
    pages = render_pages_isolated(rendition, tmp_path / "out", locate=list(enumerate(lines)))

    assert [p.number for p in pages] == [1]
    page = pages[0]
    assert (page.width_px, page.height_px) == (1241, 1754)  # A4 at 150 dpi
    assert round(page.width_pt) == 595 and round(page.height_pt) == 842
    image = Image.open(page.path)
    assert image.size == (page.width_px, page.height_px) and image.format == "PNG"

    number = lines.index(PLANTED_NUMBER_LINE)
    title = lines.index("NGHỊ QUYẾT")
    box = page.line_boxes[number]
    assert box[2] < 0.5  # the số line sits in the left column of the header
    assert page.line_boxes[title][1] > box[1]  # the title is below the number line
    assert _ink(image, box) > 12 > _ink(image, (0.02, 0.4, 0.08, 0.6))  # the box holds ink, the margin none
    worded = [i for i, t in enumerate(lines) if sum(c.isalnum() for c in t) >= 2]
    assert len(page.line_boxes) == len(worded)  # every paragraph with words in it is found on the page


def test_a_text_pdf_is_rendered_and_its_lines_boxed_from_the_parse(rendition: Path, tmp_path: Path) -> None:
    parsed = parse_file(rendition)
    layout = line_layout(parsed)
    pages = render_pages_isolated(rendition, tmp_path / "out")
    boxes = boxes_from_points(layout["line_boxes"], {p.number: (p.width_pt, p.height_pt) for p in pages})

    image = Image.open(pages[0].path)
    texts = [line.rendered_text for line in parsed.lines]
    number = next(i for i, t in enumerate(texts) if t.startswith("Số: 12"))
    assert number in boxes[1]
    assert _ink(image, boxes[1][number]) > 12
    tops = [boxes[1][i][1] for i, t in enumerate(texts) if t.startswith(("1.", "2.", "3."))]
    assert tops == sorted(tops) and len(tops) >= 3  # numbered paragraphs follow each other down the page
    assert [parsed.text[at:].split("\n", 1)[0] for at in layout["line_offsets"][:5]] == texts[:5]


def test_a_scan_is_rendered_and_its_ocr_lines_boxed(rendition: Path, tmp_path: Path) -> None:
    need_tools("tesseract")
    scan = pdf_to_scan(rendition, tmp_path / "scan.pdf", seed=7)
    parsed = parse_file(scan)
    assert parsed.ocr
    pages = render_pages_isolated(scan, tmp_path / "out")
    boxes = boxes_from_points(line_layout(parsed)["line_boxes"], {p.number: (p.width_pt, p.height_pt) for p in pages})

    image = Image.open(pages[0].path)
    title = next(i for i, line in enumerate(parsed.lines) if "QUY" in line.rendered_text.upper())
    assert _ink(image, boxes[1][title]) > 12
    assert len(boxes[1]) >= len([line for line in parsed.lines if line.text.strip()]) // 2


def test_an_oversized_page_is_scaled_down_and_a_broken_file_refused(tmp_path: Path) -> None:
    huge = tmp_path / "poster.pdf"
    Image.new("RGB", (300, 300), "white").save(huge, "PDF", resolution=2.0)  # 150 × 150 inches
    (page,) = render_pages_isolated(huge, tmp_path / "out")
    assert max(page.width_px, page.height_px) == MAX_SIDE_PX

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF")
    with pytest.raises(ParseError) as refused:
        render_pages_isolated(broken, tmp_path / "out2")
    assert refused.value.code == "PARSE-CORRUPT"


def test_libreoffice_runs_where_it_can_reach_no_network() -> None:
    """The prefix LibreOffice runs under takes the network away: a port open on this host is out of reach."""
    prefix = offline_prefix()
    skip_unless(bool(prefix), "this host cannot make a network namespace (unshare --net): nothing to take away")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        dial = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=3)"
        assert subprocess.run([sys.executable, "-c", dial], capture_output=True, check=False).returncode == 0
        cut_off = subprocess.run([*prefix, sys.executable, "-c", dial], capture_output=True, check=False)
        assert cut_off.returncode != 0, cut_off.stderr  # connection refused or network unreachable
