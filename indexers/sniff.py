"""Tell a file's media type from its first bytes, never from its name."""

from __future__ import annotations

import zipfile
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


def sniff_bytes(head: bytes) -> str:
    """The media type suggested by the magic number of ``head`` (the first kilobytes)."""
    if head.lstrip(b"\x00\t\n\r\x0c ")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(_OLE_MAGIC):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return ZIP
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
            content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ParseError("PARSE-CORRUPT", "Tệp nén hỏng, không mở được.") from exc
    if b"macroEnabled" in content_types or any(n.lower().endswith("vbaproject.bin") for n in names):
        return DOCM
    if "word/document.xml" in names or b"wordprocessingml.document.main" in content_types:
        return DOCX
    return ZIP


def is_encrypted_ole(path: Path) -> bool:
    """True when an OLE compound file holds an ``EncryptedPackage`` stream (a password-protected DOCX)."""
    with path.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    return _ENCRYPTED_STREAM in data
