"""parse_file in this process: sniff the bytes, hand the file to its reader, turn library failures into ParseError.

Its own module so that the sandbox's child can import it without importing ``indexers.parse``, which
imports the sandbox (the parent side): each piece has one home and neither imports the other.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Final

from indexers import sniff
from indexers.docx_reader import DOCX_MEDIA_TYPE, read_docx
from indexers.errors import ParseError
from indexers.pdf_reader import PDF_MEDIA_TYPE, PdfLimits, open_pdf, read_pdf
from schemas.parsed import ParsedDocument

if TYPE_CHECKING:
    from indexers.ocr import OcrResult

__all__ = ["MAX_FILE_BYTES", "parse_file", "recognise_pdf_page"]

MAX_FILE_BYTES: Final = 100 * 1024 * 1024
_LIBRARY_FAILURES: Final = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    ZeroDivisionError,
    OverflowError,
    LookupError,
    EOFError,
    zlib.error,
    struct.error,
)


def parse_file(
    path: Path,
    *,
    media_type: str | None = None,
    trust_dir: Path | None = None,
    defer_ocr: bool = False,
    recognised: OcrResult | None = None,
) -> ParsedDocument:
    """Read a DOCX or PDF (text or scanned) into a ParsedDocument; raises ParseError.

    ``defer_ocr``: a PDF's pages without a usable text layer are listed in ``ocr_pending`` (for page jobs) instead
    of recognised here, except those in ``recognised`` (pages the page jobs already read), used as they are.

    A page's text layer is *usable* when its content stream shows text in any render mode: the invisible layer
    (``3 Tr``) a scanner's own OCR lays over its image counts and is kept, not recognised again. Text drawn only by
    a signature widget (the signing box an e-office system stamps onto a scan) does not count: such a page is
    OCR'd. Pinned by tests/jobs/test_ocr_page_jobs.py.

    A signed PDF's signatures are verified here too (``indexers.signatures``), against the trust anchors in
    ``trust_dir`` when one is given: the verifier reads the same untrusted bytes, so it runs where the
    readers run (in the sandbox, within its budgets).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParseError("PARSE-CORRUPT", "Không đọc được tệp.") from exc
    if size == 0:
        raise ParseError("PARSE-CORRUPT", "Tệp rỗng, không có nội dung.")
    if size > MAX_FILE_BYTES:
        raise ParseError("PARSE-TOO-LARGE", "Tệp vượt quá dung lượng cho phép.")
    sniffed = sniff.sniff_file(path)
    # The bytes win when they are conclusive; a declared type only helps when they are not.
    kind = media_type if media_type is not None and sniffed in (sniff.UNKNOWN, sniff.ZIP) else sniffed
    try:
        if kind == sniff.OLE:
            if sniff.is_encrypted_ole(path):
                raise ParseError("PARSE-ENCRYPTED", "Tệp Word được đặt mật khẩu, không đọc được.")
            raise ParseError("PARSE-UNSUPPORTED", "Định dạng Word cũ (.doc) chưa được hỗ trợ, hãy lưu lại thành DOCX.")
        if kind == sniff.DOCM:
            raise ParseError("PARSE-UNSUPPORTED", "Tệp Word chứa macro (.docm) không được chấp nhận.")
        if kind in (DOCX_MEDIA_TYPE, sniff.DOCX):
            return read_docx(path)
        if kind in (PDF_MEDIA_TYPE, sniff.PDF):
            parsed = read_pdf(path, limits=PdfLimits(defer_ocr=defer_ocr), recognised=recognised)
            return _with_verified_signatures(parsed, path, trust_dir)
    except ParseError:
        raise
    except MemoryError as exc:
        raise ParseError("PARSE-TOO-LARGE", "Tệp cần quá nhiều bộ nhớ để đọc.") from exc
    except RecursionError as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp có cấu trúc lồng nhau bất thường.") from exc
    except _LIBRARY_FAILURES as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp hỏng, không đọc được nội dung.") from exc
    raise ParseError("PARSE-UNSUPPORTED", "Định dạng tệp không được hỗ trợ (chỉ nhận DOCX và PDF).")


def recognise_pdf_page(path: Path, page: int) -> OcrResult:
    """OCR one page of a PDF (an OCR_PAGE job's work); raises ParseError like ``parse_file``."""
    from indexers.ocr import ocr_page

    path = Path(path)
    try:
        if sniff.sniff_file(path) != sniff.PDF:
            raise ParseError("PARSE-UNSUPPORTED", "Chỉ nhận dạng ký tự được trang của tệp PDF.")
        count = len(open_pdf(path).pages)
        if not 1 <= page <= count:
            raise ParseError("PARSE-CORRUPT", f"Tệp PDF không có trang {page}.")
        return ocr_page(path, page)
    except ParseError:
        raise
    except MemoryError as exc:
        raise ParseError("PARSE-TOO-LARGE", "Tệp cần quá nhiều bộ nhớ để đọc.") from exc
    except (RecursionError, *_LIBRARY_FAILURES) as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp hỏng, không đọc được nội dung.") from exc


def _with_verified_signatures(parsed: ParsedDocument, path: Path, trust_dir: Path | None) -> ParsedDocument:
    """The parsed PDF with each signature the reader found verified (pyHanko is loaded only for signed files)."""
    if not parsed.signatures:
        return parsed
    from indexers.signatures import load_trust_store, verify_pdf_signatures

    verified = verify_pdf_signatures(path, parsed.signatures, load_trust_store(trust_dir))
    return parsed.model_copy(update={"signatures": verified})
