"""What a file really is, from its bytes, never from its name."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final

PDF: Final = "application/pdf"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_MAIN: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def sniff_media_type(path: Path) -> str | None:
    """``PDF`` or ``DOCX`` when the bytes are one of them; None for anything else (DOC, DOCM, images…)."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                    return None
                content_types = zf.read("[Content_Types].xml")[:200_000]
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
            return None
        # A macro-enabled document (.docm) declares another main part type: not accepted.
        if DOCX_MAIN.encode() in content_types:
            return DOCX
    return None


EXTENSIONS: Final = {PDF: ".pdf", DOCX: ".docx"}
