"""OCR of pages without a text layer: Tesseract (``tesseract`` binary, Vietnamese data) via TSV.

Pages are rendered with pypdfium2, prepared (``ocr_prepare``: colour ink out, deskew, binarisation),
recognised by ``tesseract … -l vie tsv`` in a subprocess (word
boxes and confidences), then laid out by ``pdf_lines`` like any PDF text; each line keeps the mean and
lowest confidence of its words (``TextLine.ocr_confidence``, 0..1). ``make_searchable_pdf``
writes an OCRmyPDF derivative beside the original; the original is never changed.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any, Final

import pypdfium2
from PIL import Image

from indexers import ocr_missed, ocr_reread, ocr_sheet
from indexers.errors import ParseError
from indexers.ocr_prepare import Prep, prepare
from indexers.pdf_lines import Chunk, build_lines
from indexers.pdfium import serialised
from schemas.parsed import TextLine

LANG: Final = "vie"
_TIMEOUT_S: Final = 120
# "Số:    /TTr-UBND", "Số: O{_ /TTr-UBND": a number line whose number is blank or specks before the slash.
_NUMBER_LINE: Final = re.compile(r"(?P<head>\s*(?:Số|SỐ)\s*:?)(?P<junk>[^/]{0,8}?)\s*(?P<tail>/\s*\w.*)$")
_NUMBER_MIN_CONF: Final = 80.0  # a stamped number is put back only when read clearly
_MISSED_BLOCK: Final = 10_000  # block numbers of lines found in missed ink, apart from Tesseract's own
_HEADER_ZONE: Final = 0.3  # the share of the page, from the top, where the header's two columns sit
_BLANK_LABEL: Final = re.compile(r"(?:^|\s)(?:S[ốoôó]:?|ng[àa]y|th[áa]ng|n[ăa]m)\W{0,3}$", re.IGNORECASE)
# Tesseract's OpenMP threads: "1" (the default) or a number, or "auto" for OpenMP's own choice (every core).
THREADS_ENV: Final = "ARCHIVE_OCR_THREADS"


@dataclass
class OcrResult:
    """Lines per page number and the mean word confidence (0..100)."""

    lines: dict[int, list[TextLine]] = field(default_factory=dict)
    confidence: float | None = None
    recognised: list[int] = field(default_factory=list)  # pages that held an image and went through OCR
    words: int = 0  # how many word confidences the mean is of (to join results of several page jobs)


def merge_results(results: list[OcrResult]) -> OcrResult:
    """One result of several (pages recognised by different jobs): lines by page, the mean over every word."""
    merged = OcrResult()
    weighted = 0.0
    for part in results:
        merged.lines.update(part.lines)
        merged.recognised.extend(n for n in part.recognised if n not in merged.recognised)
        if part.confidence is not None and part.words:
            weighted += part.confidence * part.words
            merged.words += part.words
    merged.recognised.sort()
    if merged.words:
        merged.confidence = round(weighted / merged.words, 1)
    return merged


def result_json(result: OcrResult) -> dict[str, Any]:
    """An OcrResult as JSON: what an OCR_PAGE job stores and what the join hands back to ``read_pdf``."""
    return {
        "lines": {str(n): [ln.model_dump(mode="json") for ln in lines] for n, lines in result.lines.items()},
        "confidence": result.confidence,
        "words": result.words,
        "recognised": list(result.recognised),
    }


def result_from_json(data: Mapping[str, Any]) -> OcrResult:
    """The OcrResult ``result_json`` wrote."""
    return OcrResult(
        lines={int(n): [TextLine.model_validate(ln) for ln in lines] for n, lines in data.get("lines", {}).items()},
        confidence=data.get("confidence"),
        recognised=[int(n) for n in data.get("recognised", [])],
        words=int(data.get("words", 0)),
    )


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


def tesseract_env() -> dict[str, str]:
    """Tesseract's environment: one OpenMP thread (``OMP_THREAD_LIMIT=1``) unless ``ARCHIVE_OCR_THREADS`` says.

    The parallelism is ours: pages across worker processes (page jobs, one Tesseract each) or the thread pool of
    ``ocr_pdf_pages``. OpenMP threads on top of that fight for the same cores; bench/ocr.py measures the
    alternatives (``ARCHIVE_OCR_THREADS=auto`` leaves OpenMP its default, a number sets the limit).
    """
    env = dict(os.environ)
    threads = env.get(THREADS_ENV, "1").strip() or "1"
    env.pop("OMP_THREAD_LIMIT", None)
    if threads != "auto":
        env["OMP_THREAD_LIMIT"] = threads
    return env


def _tesseract_tsv(image: Path, psm: int = 3) -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise ParseError("PARSE-UNSUPPORTED", "Máy chủ chưa cài Tesseract nên không nhận dạng được bản quét.")
    try:
        done = subprocess.run(
            [exe, str(image), "stdout", "-l", LANG, "--psm", str(psm), "tsv"],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            env=tesseract_env(),
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


def _gutters(words: list[_Word], height: float, top_zone: bool) -> list[bool]:
    """For each word of one Tesseract line (sorted by x): does a column gutter come before it?

    A gap wider than 2.5 line heights always splits. In the top of the page, where the header sets the
    issuer beside the Quốc hiệu, Tesseract often runs the two columns into one line ("UBND TỈNH QUẢNG NGÃI
    CỘNG HÒA …") with a gutter only about one letter height wide: there a gap of 2.5 times the line's
    usual word space (and at least 0.6 of a letter height) is a gutter too, unless it follows a label
    whose value was left blank ("Số:", "ngày", "tháng") or the next word goes on with a separator ("/BC-UBND").
    """
    gaps = [b.left - (a.left + a.width) for a, b in zip(words, words[1:], strict=False)]
    usual = median(gaps) if len(gaps) >= 3 else None
    out = [False]
    for k, gap in enumerate(gaps):
        before = " ".join(w.text for w in words[: k + 1])
        narrow = (
            top_zone
            and usual is not None
            and gap > max(2.5 * max(usual, 1), 0.6 * height)
            and not _BLANK_LABEL.search(before)
            and not words[k + 1].text.startswith(("/", "-", "–"))  # "Số: 23" + "/BC-UBND": one number line
        )
        out.append(gap > 2.5 * height or narrow)
    return out


def _chunks(words: list[_Word], dpi: int, page_px: int | None = None) -> list[Chunk]:
    """One chunk per Tesseract line, split where a gutter shows two columns (``_gutters``).

    ``page_px`` is the page's height in pixels: the top ``_HEADER_ZONE`` of it is where header columns sit.
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
        top_zone = page_px is not None and min(w.top for w in line_words) < _HEADER_ZONE * page_px
        groups: list[list[_Word]] = []
        for word, gutter in zip(line_words, _gutters(line_words, height, top_zone), strict=True):
            if gutter or not groups:
                groups.append([word])
            else:
                groups[-1].append(word)
        for k, group in enumerate(groups):
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
                    gutter_before=k > 0,
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
def _render(
    pdf_path: Path, pages: list[int], dpi: int, folder: Path, *, colour: bool
) -> dict[int, tuple[Path, float, int]]:
    """Render pages that hold an image to PNG, at the scan's own resolution when sensible, else ``dpi``.

    In colour when the colour step will run (it needs the hue), in grey otherwise.
    """
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
            image = page.render(scale=use / 72, grayscale=not colour).to_pil()
            target = folder / f"page-{number:04d}.png"
            image.save(target)
            out[number] = (target, height_pt, use)
    finally:
        pdf.close()
    return out


def _prepared_tsv(raw: Path, prep: Prep) -> tuple[str, Path | None]:
    """Prepare the rendered page (``ocr_prepare``) and recognise it; the page image is replaced.

    The colour ink taken out of the page is saved beside it (its path returned) for ``_read_stamped_number``.
    """
    layer_path: Path | None = None
    if prep.colour or prep.deskew or prep.binarise:
        with Image.open(raw) as image:
            prepared = prepare(image, prep)
        prepared.image.save(raw)
        if prepared.colour_layer is not None:
            layer_path = raw.with_suffix(".colour.png")
            prepared.colour_layer.save(layer_path)
    return _tesseract_tsv(raw), layer_path


def _tesseract_digits(image: Path) -> tuple[str, float]:
    """Digits read on one line image (``--psm 7``, digits only) and their lowest confidence (0..100)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return "", 0.0
    args = [exe, str(image), "stdout", "--psm", "7", "-c", "tessedit_char_whitelist=0123456789", "tsv"]
    try:
        done = subprocess.run(
            args, capture_output=True, text=True, timeout=_TIMEOUT_S, env=tesseract_env(), check=False
        )
    except subprocess.TimeoutExpired:
        return "", 0.0
    words = [w for w in _words(done.stdout) if w.conf >= 0] if done.returncode == 0 else []
    if not words:
        return "", 0.0
    return "".join(w.text for w in words), min(w.conf for w in words)


def _number_gap(line: TextLine, words: list[_Word], dpi: int) -> tuple[int, int, int, int] | None:
    """The pixel box between "Số:" and the "/" of a number line: where a stamped number sits."""
    if line.x_pt is None or line.y_pt is None or line.width_pt is None:
        return None
    scale = 72.0 / dpi
    size = line.size_pt or 12.0
    inside = sorted(
        (
            w
            for w in words
            if line.x_pt - 1 <= (w.left + w.width / 2) * scale <= line.x_pt + line.width_pt + 1
            and line.y_pt - 0.2 * size <= (w.top + w.height / 2) * scale <= line.y_pt + 1.2 * size
        ),
        key=lambda w: w.left,
    )
    head = next((w for w in inside if w.text.startswith(("Số", "SỐ"))), None)
    slash = next((w for w in inside if "/" in w.text and (head is None or w.left > head.left)), None)
    if head is None or slash is None:
        return None
    right = slash.left + round(slash.width * slash.text.index("/") / max(len(slash.text), 1))
    height = max(w.height for w in (head, slash))
    top = min(head.top, slash.top) - height // 2
    label = len("Số:") if head.text[2:3] == ":" else len("Số")
    left = head.left + round(head.width * label / len(head.text)) + 2  # "Số:4@`": the specks are in the gap
    if right - left < height // 2:
        return None
    return left, top, right, top + 2 * height


def _read_stamped_number(
    lines: list[TextLine], words: list[_Word], page: Path, layer: Path | None, dpi: int
) -> list[TextLine]:
    """Read a stamped (or written) number into a number line whose number came out blank or as specks.

    The colour step takes red or blue ink off the page, and a handwritten number reads as specks
    ("Số: O{_ /TTr-UBND"): the gap between "Số:" and "/" is recognised digits-only, first on the
    colour layer, then on the page, and a clear reading is put back with its own confidence. An
    unclear one leaves the line as it was: better unread than wrong.
    """
    out: list[TextLine] = []
    for line in lines:
        match = _NUMBER_LINE.match(line.text)
        gap = _number_gap(line, words, dpi) if match is not None else None
        if match is None or gap is None or match.group("junk").strip().isdigit():
            out.append(line)
            continue
        reading = ("", 0.0)
        for source in (layer, page):
            if source is None:
                continue
            crop = source.with_suffix(f".number-{line.page}-{gap[0]}-{gap[1]}.png")
            with Image.open(source) as image:
                image.crop(gap).save(crop)
            digits, conf = _tesseract_digits(crop)
            if 1 <= len(digits) <= 5 and conf >= _NUMBER_MIN_CONF:
                reading = (digits, conf)
                break
        if not reading[0]:
            out.append(line)
            continue
        text = f"{match.group('head').strip()} {reading[0]}{match.group('tail')}"
        low = min(reading[1] / 100, line.ocr_confidence_min if line.ocr_confidence_min is not None else 1.0)
        runs = [line.runs[0].model_copy(update={"text": text})] if line.runs else []
        out.append(line.model_copy(update={"text": text, "runs": runs, "ocr_confidence_min": round(low, 3)}))
    return out


def _missed_words(page: Path, words: list[_Word]) -> list[_Word]:
    """Words of lines the page reading passed over (``ocr_missed``), read in one call, in page pixels."""
    if not words:
        return []
    letter = median(w.height for w in words)
    with Image.open(page) as image:
        boxes = ocr_missed.bands(image, [(w.left, w.top, w.left + w.width, w.top + w.height) for w in words], letter)
    if not boxes:
        return []
    sheet = page.with_suffix(".missed.png")
    pieces = ocr_sheet.stack(page, boxes, sheet)
    try:
        tsv = _tesseract_tsv(sheet, psm=4)  # a column of lines: a band of strokes does not swallow the next
    except ParseError:
        return []
    read = [
        ocr_missed.Found(w.text, w.conf, w.left, w.top, w.width, w.height, (w.key[0] * 1000 + w.key[1], w.key[2]))
        for w in _words(tsv)
        if w.conf >= 0
    ]
    return [
        _Word(f.text, f.left, f.top, f.width, f.height, f.conf, (_MISSED_BLOCK + f.line[0], 1, f.line[1]))
        for f in ocr_missed.assured_lines(pieces, read)
    ]


def _reread(lines: list[TextLine], page: Path, dpi: int) -> list[TextLine]:
    """Recognise the page's unsure lines again, each on its own strip (``ocr_reread``), in one call."""
    todo = ocr_reread.candidates(lines)
    if not todo:
        return lines
    sheet = page.with_suffix(".reread.png")
    strips = ocr_reread.stack(page, todo, dpi, sheet)
    if not strips:
        return lines
    try:
        tsv = _tesseract_tsv(sheet, psm=6)
    except ParseError:
        return lines  # the first reading stands
    words = [ocr_reread.Word(w.text, w.conf, w.top + w.height / 2, w.left) for w in _words(tsv)]
    return ocr_reread.merge(lines, strips, words)


def _line_confidences(lines: list[TextLine], words: list[_Word], dpi: int) -> list[TextLine]:
    """Give each OCR line the mean and the lowest confidence (0..1) of the words inside its box."""
    scale = 72.0 / dpi
    out: list[TextLine] = []
    for line in lines:
        if line.x_pt is None or line.y_pt is None:
            out.append(line)
            continue
        size = line.size_pt or 12.0
        left, right = line.x_pt - 1, line.x_pt + (line.width_pt or 0) + 1
        top, bottom = line.y_pt - 0.2 * size, line.y_pt + 1.2 * size
        confs = [
            w.conf
            for w in words
            if w.conf >= 0
            and left <= (w.left + w.width / 2) * scale <= right
            and top <= (w.top + w.height / 2) * scale <= bottom
        ]
        if confs:
            update = {
                "ocr_confidence": round(sum(confs) / len(confs) / 100, 3),
                "ocr_confidence_min": round(min(confs) / 100, 3),
            }
            line = line.model_copy(update=update)
        out.append(line)
    return out


def ocr_pdf_pages(pdf_path: Path, pages: list[int], *, dpi: int = 300, prep: Prep | None = None) -> OcrResult:
    """OCR the given 1-based pages of a PDF; lines per page and the mean word confidence.

    ``prep`` chooses the preparation steps (``ocr_prepare``); by default ``Prep.from_env()``.
    """
    steps = prep if prep is not None else Prep.from_env()
    result = OcrResult()
    confidences: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        rendered = _render(pdf_path, pages, dpi, Path(tmp), colour=steps.colour)
        todo = sorted(rendered)
        workers = max(1, min(len(todo), os.cpu_count() or 1, 4))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = dict(zip(todo, pool.map(lambda n: _prepared_tsv(rendered[n][0], steps), todo), strict=True))
        result.recognised = todo
        for number in todo:
            tsv, layer = done[number]
            words = _words(tsv)
            confidences.extend(w.conf for w in words if w.conf >= 0)
            words += _missed_words(rendered[number][0], words)
            _, height_pt, used_dpi = rendered[number]
            chunks = _chunks(words, used_dpi, round(height_pt * used_dpi / 72))
            lines = build_lines(chunks, page=number, page_height=height_pt, first_index=0)
            lines = _line_confidences(lines, words, used_dpi)
            lines = _reread(lines, rendered[number][0], used_dpi)
            lines = _read_stamped_number(lines, words, rendered[number][0], layer, used_dpi)
            result.lines[number] = lines
    if confidences:
        result.confidence = round(sum(confidences) / len(confidences), 1)
        result.words = len(confidences)
    return result


def ocr_page(pdf_path: Path, page: int, *, dpi: int = 300) -> OcrResult:
    """One page for an OCR_PAGE job, on one Tesseract (the job is the unit of parallelism, not the page's threads).

    A page without an image (blank) still gets its entry, with no lines, so that the join does not ask for it again.
    """
    result = ocr_pdf_pages(pdf_path, [page], dpi=dpi)
    result.lines.setdefault(page, [])
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
