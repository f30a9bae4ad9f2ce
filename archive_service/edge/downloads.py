"""Sending files over HTTP: the download use cases fetch and verify them into the spool; these stream them.

The access check, the audit event and the verified fetch are the use case's (``documents.service``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse
from starlette.types import Receive, Scope, Send

from archive_service.documents.files import Download, discard
from archive_service.filenames import clean_filename
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


class SpooledFileResponse(FileResponse):
    """A spooled file sent once, then removed with its spool folder however the sending ended.

    A background task runs only after a full answer: a refused range (416, 400) or a client gone mid-way
    would leave the verified copy in the spool.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            discard(Path(self.path))


def file_download(path: Path, *, media_type: str, filename: str, etag: str | None = None) -> FileResponse:
    """Stream a spooled file as an attachment and remove it afterwards."""
    headers = {"Content-Disposition": content_disposition(filename)}
    if etag:
        headers["ETag"] = f'"{etag}"'
    return SpooledFileResponse(path, media_type=media_type, headers=headers)


def send_download(download: Download) -> FileResponse:
    """Stream what a download use case fetched and verified, then remove it from the spool."""
    return file_download(download.path, media_type=download.media_type, filename=download.filename, etag=download.etag)
