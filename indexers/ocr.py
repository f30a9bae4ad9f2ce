"""OCR of pages without a text layer: Tesseract (``tesseract`` binary, Vietnamese data) via TSV.

Pages are rendered with pypdfium2, recognised by ``tesseract … -l vie tsv`` in a subprocess (word
boxes and confidences), then laid out by ``pdf_lines`` like any PDF text. ``make_searchable_pdf``
writes an OCRmyPDF derivative beside the original; the original is never changed.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Final

import pypdfium2

from indexers.errors import ParseError
from indexers.pdf_lines import Chunk, build_lines
from indexers.pdfium import serialised
from schemas.parsed import TextLine

LANG: Final = "vie"
_TIMEOUT_S: Final = 120


@dataclass
class OcrResult:
    """Lines per page number and the mean word confidence (0..100)."""

    lines: dict[int, list[TextLine]] = field(default_factory=dict)
    confidence: float | None = None
    recognised: list[int] = field(default_factory=list)  # pages that held an image and went through OCR


@dataclass
class _Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    key: tuple[int, int, int]


def tesseract_available() -> bool:
    """True when the tesseract binary and its Vietnamese data are installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    return LANG in (listed.stdout + listed.stderr).split()


def _tesseract_tsv(image: Path) -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise ParseError("PARSE-UNSUPPORTED", "Máy chủ chưa cài Tesseract nên không nhận dạng được bản quét.")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [exe, str(image), "stdout", "-l", LANG, "--psm", "3", "tsv"],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ParseError("PARSE-TIMEOUT", "Nhận dạng ký tự trang quét quá thời gian cho phép.") from exc
    if done.returncode != 0:
        raise ParseError("PARSE-CORRUPT", "Không nhận dạng được ký tự trên trang quét.")
    return done.stdout


def _words(tsv: str) -> list[_Word]:
    words: list[_Word] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            words.append(
                _Word(
                    text=text,
                    left=int(row["left"]),
                    top=int(row["top"]),
                    width=int(row["width"]),
                    height=int(row["height"]),
                    conf=float(row["conf"]),
                    key=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
                )
            )
        except (KeyError, ValueError):
            continue
    return words


def _chunks(words: list[_Word], dpi: int) -> list[Chunk]:
    """One chunk per Tesseract line, split where a wide gap shows two columns.

    No bold or italic: the ink share of word boxes was tried and is too noisy to tell weights apart.
    """
    scale = 72.0 / dpi
    by_line: dict[tuple[int, int, int], list[_Word]] = {}
    for word in words:
        by_line.setdefault(word.key, []).append(word)
    chunks: list[Chunk] = []
    for found in by_line.values():
        # Rules and specks read as "_", "—", "©" with low confidence would bridge the two columns.
        line_words = [w for w in found if any(ch.isalnum() for ch in w.text) or w.conf >= 60]
        if not line_words:
            continue
        line_words.sort(key=lambda w: w.left)
        height = median(w.height for w in line_words)
        groups: list[list[_Word]] = [[line_words[0]]]
        for word in line_words[1:]:
            prev = groups[-1][-1]
            if word.left - (prev.left + prev.width) > 2.5 * height:
                groups.append([word])
            else:
                groups[-1].append(word)
        for group in groups:
            left = min(w.left for w in group)
            right = max(w.left + w.width for w in group)
            bottom = median(w.top + w.height for w in group)  # descenders and dots below vary
            chunks.append(
                Chunk(
                    text=" ".join(w.text for w in group),
                    x=left * scale,
                    baseline=bottom * scale,
                    size=round(height * scale / 0.8, 1),  # word boxes with diacritics ≈ 0.8 em … 1 em
                    width=(right - left) * scale,
                )
            )
    return chunks


def _native_dpi(page: pypdfium2.PdfPage) -> float | None:
    """The resolution of the largest image on a scanned page, from its pixel and page widths."""
    import pypdfium2.raw as pdfium_c

    best: float | None = None
    width_in = float(page.get_width()) / 72
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        if isinstance(obj, pypdfium2.PdfImage):
            px_width, _ = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
            shown_in = max(float(right - left) / 72, 0.1)
            if width_in and shown_in > 0.5 * width_in:
                dpi = px_width / shown_in
                best = dpi if best is None else max(best, dpi)
    return best


def _has_image(page: pypdfium2.PdfPage) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


@serialised
def _render(pdf_path: Path, pages: list[int], dpi: int, folder: Path) -> dict[int, tuple[Path, float, int]]:
    """Render pages that hold an image to PNG, at the scan's own resolution when sensible, else ``dpi``."""
    out: dict[int, tuple[Path, float, int]] = {}
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        for number in pages:
            page = pdf[number - 1]
            if not _has_image(page):
                continue  # a blank page: nothing to recognise
            height_pt = float(page.get_height())
            native = _native_dpi(page)
            # Resampling a 200 dpi scan to 300 dpi blurs the strokes Tesseract needs; keep it native.
            use = round(native) if native is not None and 150 <= native <= 400 else dpi
            image = page.render(scale=use / 72, grayscale=True).to_pil()
            target = folder / f"page-{number:04d}.png"
            image.save(target)
            out[number] = (target, height_pt, use)
    finally:
        pdf.close()
    return out


def ocr_pdf_pages(pdf_path: Path, pages: list[int], *, dpi: int = 300) -> OcrResult:
    """OCR the given 1-based pages of a PDF; lines per page and the mean word confidence."""
    result = OcrResult()
    confidences: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        rendered = _render(pdf_path, pages, dpi, Path(tmp))
        todo = sorted(rendered)
        workers = max(1, min(len(todo), os.cpu_count() or 1, 4))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            tsvs = dict(zip(todo, pool.map(lambda n: _tesseract_tsv(rendered[n][0]), todo), strict=True))
        result.recognised = todo
        for number in todo:
            words = _words(tsvs[number])
            confidences.extend(w.conf for w in words if w.conf >= 0)
            _, height_pt, used_dpi = rendered[number]
            chunks = _chunks(words, used_dpi)
            result.lines[number] = build_lines(chunks, page=number, page_height=height_pt, first_index=0)
    if confidences:
        result.confidence = round(sum(confidences) / len(confidences), 1)
    return result


def make_searchable_pdf(src: Path, dst: Path, *, pdfa: bool | None = None) -> Path:
    """Write an OCRmyPDF searchable copy of ``src`` to ``dst`` (the original is only read).

    PDF/A-2b when Ghostscript is installed (OCRmyPDF needs it for PDF/A), a plain PDF otherwise.
    """
    try:
        import ocrmypdf
    except ImportError as exc:
        raise ParseError("PARSE-UNSUPPORTED", "Máy chủ chưa cài OCRmyPDF để tạo bản PDF tìm kiếm được.") from exc
    if src.resolve() == dst.resolve():
        raise ValueError("the searchable derivative must not overwrite the original")
    dst.parent.mkdir(parents=True, exist_ok=True)
    as_pdfa = pdfa if pdfa is not None else shutil.which("gs") is not None
    # Debian's Ghostscript 10.0 is refused by OCRmyPDF with --skip-text; a scan has no text to keep,
    # so the PDF/A route re-OCRs every page (--force-ocr) and the plain route keeps any text layer.
    exit_code = ocrmypdf.ocr(
        src,
        dst,
        language=[LANG],
        output_type="pdfa" if as_pdfa else "pdf",
        force_ocr=as_pdfa,
        skip_text=not as_pdfa,
        progress_bar=False,
        jobs=1,
    )
    if int(exit_code) != 0:
        raise ParseError("PARSE-CORRUPT", "Không tạo được bản PDF tìm kiếm được từ bản quét.")
    return dst
