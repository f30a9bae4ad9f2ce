"""The documents an archivist ticked on the dossier page, and the ZIP of their originals.

A selection names document ids; only those the dossier holds and the caller may read are acted on, the rest
are dropped without a word (an id the caller may not read must look exactly like one that does not exist).
The ZIP is written to the spool one verified original at a time (never the whole set in memory), then the
edge streams it from there and removes it.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal, readable_documents
from archive_service.catalog.dossier_list import held_by
from archive_service.catalog.models import Document
from archive_service.errors import AppError
from archive_service.filenames import clean_filename
from archive_service.services import Services

# The most documents one bulk action takes: the dossier page lists at most this many.
MAX_SELECTED: Final = 500


class NothingSelected(AppError):
    """No document of the dossier that the caller may read was ticked."""

    def __init__(self) -> None:
        super().__init__("DOSSIER-NOTHING-SELECTED", "Hãy chọn ít nhất một văn bản của hồ sơ.", status_code=400)


def parse_ids(values: Iterable[str]) -> list[int]:
    """The ids of a submitted selection: numbers only, each once, at most ``MAX_SELECTED`` (others ignored)."""
    ids: list[int] = []
    for value in values:
        text = value.strip()
        if text.isdigit() and 0 < int(text) < 2**63 and int(text) not in ids:
            ids.append(int(text))
        if len(ids) >= MAX_SELECTED:
            break
    return ids


def selected(session: Session, principal: Principal, dossier_id: int, ids: list[int]) -> list[Document]:
    """Of ``ids``, the documents the dossier holds and the caller may read, in the order given."""
    if not ids:
        return []
    rows = session.scalars(
        select(Document).where(Document.id.in_(ids), held_by(dossier_id), readable_documents(principal))
    )
    found = {doc.id: doc for doc in rows}
    return [found[i] for i in ids if i in found]


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2).ext`` … when another member already has it (two dossiers' "Tờ trình.docx")."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
    taken.add(candidate.casefold())
    return candidate


@dataclass(frozen=True)
class SpooledZip:
    """A ZIP written to the spool and the name to send it under; the edge streams it, then ``discard``s it."""

    path: Path
    filename: str

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def write_zip(services: Services, docs: list[Document], filename: str) -> SpooledZip:
    """A ZIP in the spool holding each document's original, byte-identical (SHA-256 checked on the way in).

    Members are stored, not deflated: PDF and DOCX are compressed already, and the bytes stay as filed.
    """
    services.settings.spool_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=services.settings.spool_dir))
    made = SpooledZip(folder / "ho-so.zip", filename)
    taken: set[str] = set()
    try:
        with zipfile.ZipFile(made.path, "w", compression=zipfile.ZIP_STORED) as archive:
            for doc in docs:
                copy = folder / "original"
                services.blobs.fetch(doc.storage_key, copy, sha256=doc.sha256)
                archive.write(copy, arcname=_unique(clean_filename(doc.original_filename), taken))
                copy.unlink()
    except BaseException:
        made.discard()
        raise
    return made
