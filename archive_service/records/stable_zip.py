"""OOXML packages (DOCX, XLSX) rewritten with fixed member dates, so that the same content gives the same bytes.

python-docx and openpyxl stamp each zip member with the wall clock; a record file is stored under its SHA-256 and
locked with its dossier, so a rendering that changed with the minute would make a second, different "original".
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip member can carry


def stable_zip(data: bytes, when: datetime | None = None) -> bytes:
    """``data`` (a zip) with every member dated ``when`` (or 1980-01-01), in the same order, deflated."""
    stamp = ZIP_EPOCH if when is None or when.year < 1980 else when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            member.create_system = 0
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()
