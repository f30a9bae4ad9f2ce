"""The upload gate: what a file really is, from its bytes, judged by the parser's own sniffer.

``indexers.sniff`` picks the reader; asking it here means a file the parser would refuse for its
type (a macro, a password, the old .doc format, a ZIP that is no DOCX) is refused at upload with a
415 saying why, instead of being stored and failing minutes later. A file whose type is right but
whose content is broken (a truncated or password-protected PDF, a zip bomb) is still stored: the
original is kept and the worker marks it failed with its PARSE-* code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from archive_service.errors import AppError
from indexers import sniff
from indexers.errors import ParseError

PDF: Final = sniff.PDF
DOCX: Final = sniff.DOCX
EXTENSIONS: Final = {PDF: ".pdf", DOCX: ".docx"}
ONLY_PDF_DOCX: Final = "hệ thống chỉ nhận văn bản PDF và DOCX"


class UnsupportedMediaType(AppError):
    """A file the service does not store, with the reason in its code and message."""

    status_code = 415


def admit(path: Path, *, filename: str) -> str:
    """``PDF`` or ``DOCX`` for a file the service stores; raises ``AppError`` saying why for any other.

    An empty file is UPLOAD-EMPTY (400) wherever it is sent; the rest are ``UnsupportedMediaType`` (415).
    """
    if path.stat().st_size == 0:
        raise AppError("UPLOAD-EMPTY", f"Tệp {filename} rỗng (0 byte), không có nội dung.")
    try:
        kind = sniff.sniff_file(path)
    except ParseError as exc:
        raise UnsupportedMediaType(
            "UPLOAD-UNSUPPORTED-TYPE", f"Tệp {filename} bị hỏng, không mở được; {ONLY_PDF_DOCX}."
        ) from exc
    if kind in (PDF, DOCX):
        return kind
    raise _refusal(path, kind, filename)


def _refusal(path: Path, kind: str, filename: str) -> UnsupportedMediaType:
    if kind == sniff.DOCM:
        return UnsupportedMediaType(
            "UPLOAD-MACRO",
            f"Tệp {filename} là văn bản Word có macro (DOCM hoặc chứa vbaProject.bin); "
            "hệ thống không nhận tệp có macro, hãy lưu lại thành DOCX thường.",
        )
    if kind == sniff.OLE and sniff.is_encrypted_ole(path):
        return UnsupportedMediaType(
            "UPLOAD-ENCRYPTED",
            f"Tệp {filename} được đặt mật khẩu (mã hóa) nên không đọc được; hãy gỡ mật khẩu rồi tải lên lại.",
        )
    if kind == sniff.OLE:
        return UnsupportedMediaType(
            "UPLOAD-LEGACY-FORMAT",
            f"Tệp {filename} ở định dạng Word cũ (.doc) hoặc Office cũ; hãy lưu lại thành DOCX hoặc PDF.",
        )
    if kind == sniff.ZIP:
        return UnsupportedMediaType(
            "UPLOAD-UNSUPPORTED-TYPE",
            f"Tệp {filename} là tệp nén (ZIP) nhưng không phải văn bản DOCX; {ONLY_PDF_DOCX}.",
        )
    return UnsupportedMediaType("UPLOAD-UNSUPPORTED-TYPE", f"Tệp {filename} không phải PDF hoặc DOCX; {ONLY_PDF_DOCX}.")
