"""Tell a file's media type from its first bytes, never from its name.

The one sniffer of the service: the parser uses it to pick a reader, and the upload gate
(``archive_service.storage.sniff``) to refuse at once what the parser would refuse later.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Final

from indexers.errors import ParseError

PDF: Final = "application/pdf"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCM: Final = "application/vnd.ms-word.document.macroEnabled.12"
OLE: Final = "application/x-ole-storage"  # legacy .doc, or an encrypted OOXML package
ZIP: Final = "application/zip"
UNKNOWN: Final = "application/octet-stream"

_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM: Final = "EncryptedPackage".encode("utf-16-le")
_DOCX_MAIN: Final = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CONTENT_TYPES_MAX: Final = 256 * 1024
# What zipfile raises on a damaged, encrypted or exotic archive (Deflate64, a lying size, a bad CRC).
_ZIP_FAILURES: Final = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    KeyError,
    zlib.error,
)


def sniff_bytes(head: bytes) -> str:
    """The media type suggested by the magic number of ``head`` (the first kilobytes).

    The container magics are tested first: a ZIP or OLE file that names a member ``%PDF-`` is not a PDF.
    A PDF header may follow some junk (readers look in the first kilobyte).
    """
    if head.startswith(_OLE_MAGIC):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if b"%PDF-" in head[:1024]:
        return PDF
    return UNKNOWN


def sniff_file(path: Path) -> str:
    """The media type of the file at ``path``: PDF, DOCX, DOCM, OLE or unknown."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise ParseError("PARSE-CORRUPT", "Không đọc được tệp.") from exc
    if not head:
        raise ParseError("PARSE-CORRUPT", "Tệp rỗng, không có nội dung.")
    kind = sniff_bytes(head)
    if kind != ZIP:
        return kind
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            content_types = _read_head(zf, "[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except _ZIP_FAILURES as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp nén hỏng, không mở được.") from exc
    if b"macroEnabled" in content_types or any(n.lower().endswith("vbaproject.bin") for n in names):
        return DOCM
    # What python-docx opens: a package whose content types declare a WordprocessingML main document.
    if _DOCX_MAIN in content_types:
        return DOCX
    return ZIP


def _read_head(zf: zipfile.ZipFile, name: str) -> bytes:
    """The first ``_CONTENT_TYPES_MAX`` bytes of a member: a bomb in it inflates no further than that."""
    with zf.open(name) as member:
        return member.read(_CONTENT_TYPES_MAX)


def is_encrypted_ole(path: Path) -> bool:
    """True when an OLE compound file holds an ``EncryptedPackage`` stream (a password-protected DOCX)."""
    with path.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    return _ENCRYPTED_STREAM in data
