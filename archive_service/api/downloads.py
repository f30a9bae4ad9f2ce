"""Sending stored files: fetched to the spool with their SHA-256 checked, then streamed and removed."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from archive_service.catalog import audit, documents
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document
from archive_service.filenames import clean_filename
from archive_service.services import Services
from indexers.textnorm import strip_diacritics


def content_disposition(filename: str) -> str:
    """RFC 6266 with an ASCII fallback and the UTF-8 name (RFC 5987) for Vietnamese file names.

    The name is cleaned again (a row stored before names were cleaned may hold a U+202E that would
    show ``….pdf`` as ``….exe``, or a control character).
    """
    filename = clean_filename(filename)
    folded = strip_diacritics(filename).encode("ascii", "ignore").decode()
    ascii_name = folded.replace('"', "").replace("\\", "") or "tai-lieu"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def fetch_verified(services: Services, *, key: str, sha256: str, name: str) -> Path:
    """The blob in a fresh spool folder; BlobCorrupt when its bytes no longer match ``sha256``."""
    services.settings.spool_dir.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(dir=services.settings.spool_dir)) / name
    services.blobs.fetch(key, path, sha256=sha256)
    return path


def load_original(
    services: Services, *, principal: Principal, document_id: int, client_addr: str | None, via: str
) -> tuple[Document, Path]:
    """Check the caller may read the document, fetch its original verified, and audit the download."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
    path = fetch_verified(services, key=doc.storage_key, sha256=doc.sha256, name="original")
    with transaction(services.factory) as session:
        audit.record(
            session,
            principal=principal,
            action="document.download",
            object_type="document",
            object_id=doc.id,
            client_addr=client_addr,
            details={"via": via},
            office_id=doc.office_id,
        )
    return doc, path


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.parent.rmdir()


def file_download(path: Path, *, media_type: str, filename: str, etag: str | None = None) -> FileResponse:
    """Stream a spooled file as an attachment and remove it afterwards."""
    headers = {"Content-Disposition": content_disposition(filename)}
    if etag:
        headers["ETag"] = f'"{etag}"'
    return FileResponse(path, media_type=media_type, headers=headers, background=BackgroundTask(_remove, path))
