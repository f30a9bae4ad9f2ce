"""Page images of a document: a DOCX converted to PDF by LibreOffice, every PDF page rendered to a PNG once,
and where each text line sits on its page (a box in fractions of the page, for drawing findings on it).

Rendering reads untrusted bytes with pdfium, so it runs in a child process (``python -m indexers.page_images``)
with an address-space budget and a wall clock, like the parse sandbox; LibreOffice runs as its own process
group with a fresh profile folder and is killed with it on overrun.

Line boxes come from two places: the parser's own positions (PDF text lines and OCR lines carry x, y and
width in points, see ``line_layout``), and, for a DOCX (whose paragraphs have no position), the text of each
paragraph found again on the PDF rendition with pdfium's text page (``_locate``): the characters of the
paragraph, folded (no diacritics, case or spaces), matched in reading order; the box is the union of their
character boxes on each page they cover.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from indexers.errors import ParseError, ParseErrorCode
from schemas.parsed import ParsedDocument

RENDER_DPI: Final = 150.0  # A4 is 1240 × 1754 px: legible at full width, about 100–300 kB a page as PNG
MAX_SIDE_PX: Final = 2400  # a page declared absurdly large is scaled down to this, never allocated at size
MAX_PAGES: Final = 300  # pages beyond this are not rendered (the text preview still shows the whole text)
LINE_HEIGHT: Final = 1.25  # a line's box height in multiples of its font size (the parser gives the top only)
_ROOT: Final = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page, from its top left


@dataclass(frozen=True)
class RenderedPage:
    """One rendered page: its PNG file, its size in pixels and in points, and the line boxes on it."""

    number: int  # 1-based
    path: Path
    width_px: int
    height_px: int
    width_pt: float
    height_pt: float
    line_boxes: dict[int, Box] = field(default_factory=dict)  # line index → box on this page


def line_layout(parsed: ParsedDocument) -> dict[str, Any]:
    """What the page images need from a parse, stored with the document: where each line starts in the
    document's text (a DOCX soft break puts a newline inside a line), and its box in points when the reader
    knows it (PDF and OCR lines: ``[page, x, y, width, height]``, top-left origin), else None.
    """
    offsets: list[int] = []
    boxes: list[list[float] | None] = []
    at = 0
    for line in parsed.lines:
        offsets.append(at)
        at += len(line.rendered_text) + 1
        if line.x_pt is None or line.y_pt is None or line.width_pt is None:
            boxes.append(None)
            continue
        height = (line.size_pt or 12.0) * LINE_HEIGHT
        boxes.append([float(line.page), line.x_pt, line.y_pt, line.width_pt, round(height, 1)])
    return {"line_offsets": offsets, "line_boxes": boxes}


@functools.cache
def offline_prefix() -> tuple[str, ...]:
    """The command prefix that runs a child with no network (a network namespace of its own), when this host
    allows one: ``unshare --net`` (root) or ``unshare --net --map-root-user`` (an unprivileged user namespace).

    A DOCX may name remote images or templates; LibreOffice must never fetch them (the server would call out
    for a user's document). Where neither works (a container without user namespaces), the conversion runs
    without it and a warning is logged once: the container's own network policy must then hold.
    """
    tool = shutil.which("unshare")
    if tool is not None:
        for prefix in ((tool, "--net"), (tool, "--net", "--map-root-user")):
            probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
            if probe.returncode == 0:
                return prefix
    log.warning("LibreOffice runs with the host's network: no network namespace can be made here (unshare --net)")
    return ()


def docx_to_pdf(src: Path, dst: Path, *, timeout_s: float) -> Path:
    """Convert a DOCX to PDF with LibreOffice headless (a fresh profile, no restore, no network where the host
    can take it away); ParseError on failure."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ParseError("PARSE-UNSUPPORTED", "Máy chủ chưa cài LibreOffice để tạo ảnh trang của tệp DOCX.")
    with tempfile.TemporaryDirectory(prefix="lo-") as work:
        folder = Path(work)
        source = folder / "document.docx"  # a name of our own: the user's file name never reaches a command line
        shutil.copyfile(src, source)
        command = [
            *offline_prefix(),
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder), "LANG": "C.UTF-8"}
        _run_group(command, env=env, timeout_s=timeout_s, what="Chuyển tệp DOCX sang PDF")
        made = folder / "out" / "document.pdf"
        if not made.exists() or made.stat().st_size == 0:
            raise ParseError("PARSE-CORRUPT", "LibreOffice không chuyển được tệp DOCX sang PDF.")
        shutil.move(str(made), dst)
    return dst


def _run_group(command: list[str], *, env: dict[str, str], timeout_s: float, what: str) -> bytes:
    """Run ``command`` in its own process group; kill the whole group when it overruns ``timeout_s``."""
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        out, _ = child.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise ParseError("PARSE-TIMEOUT", f"{what} quá thời gian cho phép.") from None
    if child.returncode != 0:
        raise ParseError("PARSE-CORRUPT", f"{what} không thành công.")
    return out


def render_pages_isolated(
    pdf: Path,
    out_dir: Path,
    *,
    locate: Sequence[tuple[int, str]] = (),
    timeout_s: float = 300.0,
    memory_mb: int = 1536,
) -> list[RenderedPage]:
    """Render every page of ``pdf`` to ``out_dir/page-NNNN.png`` in a child process within the budgets.

    ``locate``: (line index, text) of lines whose boxes are to be found by their text on the pages.
    ParseError when the file cannot be rendered.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    request = {"pdf": str(pdf.resolve()), "out_dir": str(out_dir.resolve()), "locate": list(locate)}
    command = [sys.executable, "-m", "indexers.page_images", str(memory_mb)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_ROOT), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    try:
        out, _ = child.communicate(json.dumps(request).encode("utf-8"), timeout=timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise ParseError("PARSE-TIMEOUT", "Tạo ảnh trang quá thời gian cho phép.") from None
    lines = out.decode("utf-8", "replace").strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except ValueError:
        answer = {}
    if "pages" not in answer:
        error = answer.get("error") or {}
        code: ParseErrorCode = "PARSE-CORRUPT"
        if error.get("code") in ("PARSE-ENCRYPTED", "PARSE-TOO-LARGE"):
            code = error["code"]
        raise ParseError(code, str(error.get("message") or "Không tạo được ảnh các trang của văn bản."))
    return [
        RenderedPage(
            number=int(p["number"]),
            path=Path(p["path"]),
            width_px=int(p["width_px"]),
            height_px=int(p["height_px"]),
            width_pt=float(p["width_pt"]),
            height_pt=float(p["height_pt"]),
            line_boxes={int(k): (v[0], v[1], v[2], v[3]) for k, v in p["line_boxes"].items()},
        )
        for p in answer["pages"]
    ]


def boxes_from_points(
    layout: list[list[float] | None], sizes: dict[int, tuple[float, float]]
) -> dict[int, dict[int, Box]]:
    """The parser's boxes in points (``line_layout``) as fractions of their page: page → line index → box."""
    result: dict[int, dict[int, Box]] = {}
    for index, entry in enumerate(layout):
        if not entry:
            continue
        page, x, y, width, height = int(entry[0]), *entry[1:5]
        if page not in sizes:
            continue
        w, h = sizes[page]
        box = _fraction_box(x / w, y / h, (x + width) / w, (y + height) / h)
        if box is not None:
            result.setdefault(page, {})[index] = box
    return result


def _fraction_box(x0: float, y0: float, x1: float, y1: float) -> Box | None:
    """A box clipped to the page, rounded; None when nothing of it is on the page."""
    x0, y0, x1, y1 = (min(max(v, 0.0), 1.0) for v in (x0, y0, x1, y1))
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return None
    return (round(x0, 4), round(y0, 4), round(x1, 4), round(y1, 4))


# --- the child's side ------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Letters and digits only, without diacritics or case: what survives a PDF's text extraction."""
    out = []
    for ch in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d")):
        if unicodedata.combining(ch) or not ch.isalnum():
            continue
        out.append(ch.casefold())
    return "".join(out)


def _render(pdf_path: Path, out_dir: Path, locate: list[tuple[int, str]]) -> list[dict[str, Any]]:
    import pypdfium2 as pdfium

    from indexers.pdfium import PDFIUM_LOCK

    pages: list[dict[str, Any]] = []
    stream: list[tuple[int, Box]] = []  # (page number, box) of every folded character, in reading order
    folded: list[str] = []
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            for i in range(min(len(pdf), MAX_PAGES)):
                page = pdf[i]
                number = i + 1
                width_pt, height_pt = page.get_size()
                scale = min(RENDER_DPI / 72.0, MAX_SIDE_PX / max(width_pt, height_pt, 1.0))
                image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
                path = out_dir / f"page-{number:04d}.png"
                image.save(path, "PNG")
                pages.append(
                    {
                        "number": number,
                        "path": str(path),
                        "width_px": image.width,
                        "height_px": image.height,
                        "width_pt": round(width_pt, 2),
                        "height_pt": round(height_pt, 2),
                        "line_boxes": {},
                    }
                )
                if locate and page.get_rotation() == 0:
                    _read_chars(pdfium, page, number, stream, folded)
                page.close()
        finally:
            pdf.close()
    if locate:
        by_number = {p["number"]: p for p in pages}
        for index, boxes in _locate(locate, "".join(folded), stream).items():
            for number, box in boxes.items():
                by_number[number]["line_boxes"][str(index)] = list(box)
    return pages


def _read_chars(pdfium: Any, page: Any, number: int, stream: list[tuple[int, Box]], folded: list[str]) -> None:
    """Append the page's folded characters, each with its box as fractions of the page, to the stream."""
    textpage = page.get_textpage()
    left, bottom, right, top = (float(v) for v in page.get_cropbox())
    width, height = (right - left) or 1.0, (top - bottom) or 1.0
    try:
        for i in range(textpage.count_chars()):
            code = pdfium.raw.FPDFText_GetUnicode(textpage.raw, i)
            key = _fold(chr(code)) if 0 < code < 0x110000 else ""
            if not key:
                continue
            x0, y0, x1, y1 = textpage.get_charbox(i)
            # PDF space has its origin bottom left; the page image's is top left.
            box: Box = ((x0 - left) / width, (top - y1) / height, (x1 - left) / width, (top - y0) / height)
            for ch in key:
                stream.append((number, box))
                folded.append(ch)
    finally:
        textpage.close()


def _locate(locate: list[tuple[int, str]], haystack: str, stream: list[tuple[int, Box]]) -> dict[int, dict[int, Box]]:
    """Find each line's folded text in the document's, in reading order; its box on each page it covers."""
    found: dict[int, dict[int, Box]] = {}
    cursor = 0
    for index, text in locate:
        needle = _fold(text)
        if len(needle) < 2:
            continue
        at = haystack.find(needle, cursor)
        moved = at >= 0
        if at < 0:
            at = haystack.find(needle)  # a table cell read in another order: found elsewhere, cursor stays
        if at < 0:
            continue
        if moved:
            cursor = at + len(needle)
        spans: dict[int, list[Box]] = {}
        for number, char in stream[at : at + len(needle)]:
            spans.setdefault(number, []).append(char)
        boxes = {number: union for number, chars in spans.items() if (union := _union(chars)) is not None}
        if boxes:
            found[index] = boxes
    return found


def _union(chars: list[Box]) -> Box | None:
    """The union of the characters' boxes (empty ones, such as generated spaces, left out), a little padded."""
    real = [c for c in chars if c[2] > c[0] and c[3] > c[1]]
    if not real:
        return None
    pad = 0.002  # around the glyphs, so that the box frames the line rather than cutting its accents
    return _fraction_box(
        min(c[0] for c in real) - pad,
        min(c[1] for c in real) - pad,
        max(c[2] for c in real) + pad,
        max(c[3] for c in real) + pad,
    )


def _serve(memory_mb: int) -> int:
    """The child: one JSON request on stdin, one JSON answer line on stdout."""
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    request = json.loads(sys.stdin.read())
    try:
        pages = _render(
            Path(request["pdf"]), Path(request["out_dir"]), [(int(i), str(t)) for i, t in request.get("locate", [])]
        )
        answer: dict[str, Any] = {"pages": pages}
    except MemoryError:
        answer = {"error": {"code": "PARSE-TOO-LARGE", "message": "Tệp cần quá nhiều bộ nhớ để tạo ảnh trang."}}
    except Exception as exc:  # noqa: BLE001 - pdfium raises its own errors for damaged or encrypted files
        encrypted = "password" in str(exc).lower()
        answer = {
            "error": {
                "code": "PARSE-ENCRYPTED" if encrypted else "PARSE-CORRUPT",
                "message": "Không tạo được ảnh các trang của văn bản.",
            }
        }
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_serve(int(sys.argv[1])))
