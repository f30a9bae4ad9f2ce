"""Receiving files over HTTP: spool the multipart body, then store each file through the upload use case.

Shared by the API upload, the web upload and the no-store check, so that every way in streams to
disk with the same limits and stores through ``documents.service.upload``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Final

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from archive_service.catalog.access import Principal
from archive_service.config import Settings
from archive_service.documents import service as document_service
from archive_service.documents.intake import IntakeResult
from archive_service.documents.signature_view import document_out
from archive_service.edge.spool import MultipartSpooler
from archive_service.errors import AppError
from archive_service.services import Services
from schemas.api import DuplicateOf, ErrorDetail, UploadItem

MAX_ID: Final = 2**63 - 1


_BOUNDARY = re.compile(r'boundary=(?:"([^"]{1,70})"|([^";\s]{1,70}))(?:[;\s]|$)', re.IGNORECASE)


async def spool_request(
    request: Request,
    settings: Settings,
    *,
    max_files: int,
    field_name: str,
    text_fields: frozenset[str] = frozenset(),
) -> MultipartSpooler:
    """Check the request is multipart within the size budget and stream its files to the spool.

    Files are taken only under ``field_name`` and text parts only under ``text_fields``; anything
    else refuses the request (UPLOAD-UNEXPECTED-FIELD) with nothing stored.
    """
    content_type = request.headers.get("content-type", "")
    boundary = _BOUNDARY.search(content_type)
    if not content_type.lower().startswith("multipart/form-data") or boundary is None:
        raise AppError("UPLOAD-NOT-MULTIPART", f"Cần gửi tệp dưới dạng multipart/form-data (trường {field_name}).")
    declared = request.headers.get("content-length", "")
    budget = settings.max_upload_bytes * max_files + 1024 * 1024
    if declared.isascii() and declared.isdigit() and int(declared) > budget:
        raise AppError("UPLOAD-TOO-LARGE", "Yêu cầu tải lên vượt quá giới hạn dung lượng.", status_code=413)
    spooler = MultipartSpooler(
        boundary=(boundary.group(1) or boundary.group(2)).encode("latin-1"),
        spool_dir=settings.spool_dir,
        max_file_bytes=settings.max_upload_bytes,
        max_files=max_files,
        file_field=field_name,
        text_fields=text_fields,
    )
    await spooler.consume(request.stream())
    if not spooler.files:
        spooler.cleanup()
        raise AppError("UPLOAD-NO-FILE", f"Không có tệp nào trong yêu cầu (trường {field_name}).")
    return spooler


def int_field(value: str | None, name: str) -> int | None:
    """A form field that must be a whole number (an id: 1 to 2⁶³−1) when given.

    ``str.isdigit`` alone would let "²" through to ``int()`` (a 500) and 30 digits through to the
    database (an overflow): only ASCII digits of a 64-bit id are accepted.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 19 and 1 <= int(text) <= MAX_ID):
        raise AppError("REQUEST-INVALID", f"{name} phải là số nguyên dương (mã văn bản).", status_code=422)
    return int(text)


def confirmation_field(value: str | None) -> bool:
    """``xac_nhan``: "1" confirms a new version that reads as another document; absent or "0" does not."""
    if value is None or value.strip() in ("", "0"):
        return False
    if value.strip() == "1":
        return True
    raise AppError("REQUEST-INVALID", "xac_nhan phải là 1 (xác nhận) hoặc 0.", status_code=422)


def electronic_field(value: str | None) -> bool:
    """``electronic``: true marks the files as documents issued electronically (a digital signature required).

    Absent or false leaves them unmarked; anything else is refused before a file is stored, since a guess
    either way would decide whether a missing signature is an error.
    """
    if value is None:
        return False
    text = value.strip().lower()
    if text in ("true", "false", ""):
        return text == "true"
    raise AppError(
        "REQUEST-INVALID",
        "electronic phải là true (văn bản điện tử đã ban hành) hoặc false.",
        status_code=422,
    )


def duplicate_of(result: IntakeResult) -> DuplicateOf | None:
    """Where a readable duplicate is filed, for the upload result (None for a new file or a hidden one)."""
    if not result.duplicate or result.hidden or result.home is None:
        return None
    return DuplicateOf(
        dossier_id=result.home.id, dossier_title=result.home.title, in_this_dossier=result.in_this_dossier
    )


HIDDEN_DUPLICATE = ErrorDetail(
    code="UPLOAD-DUPLICATE-HIDDEN",
    message="Tệp này đã có trong kho (cùng nội dung) dưới một văn bản bạn không được xem; không lưu thêm bản mới.",
)


@dataclass
class UploadOutcome:
    items: list[UploadItem] = field(default_factory=list)
    errors: list[AppError] = field(default_factory=list)

    @property
    def nothing_new(self) -> bool:
        """No file was stored for the first time (all were duplicates or refused)."""
        return all(item.error is not None or item.duplicate for item in self.items)


async def receive_and_store(
    request: Request, *, services: Services, principal: Principal, dossier_id: int, client_addr: str | None
) -> UploadOutcome:
    """Store every file of a multipart upload into a dossier; one file's refusal does not stop the rest.

    The caller's right to write into the dossier is checked before the body is read, so a refused upload
    never fills the spool.
    """
    await run_in_threadpool(document_service.may_upload, services, principal, dossier_id)
    spooler = await spool_request(
        request,
        services.settings,
        max_files=services.settings.max_files_per_upload,
        field_name="files",
        text_fields=frozenset({"version_of", "xac_nhan", "electronic"}),
    )
    outcome = UploadOutcome()
    try:
        version_of = int_field(spooler.fields.get("version_of"), "version_of")
        confirmed = confirmation_field(spooler.fields.get("xac_nhan"))
        electronic = electronic_field(spooler.fields.get("electronic"))
        for spooled in spooler.files:
            try:
                result = await run_in_threadpool(
                    partial(
                        document_service.upload,
                        services,
                        principal,
                        dossier_id,
                        path=spooled.path,
                        filename=spooled.filename,
                        sha256=spooled.sha256,
                        size=spooled.size,
                        addr=client_addr,
                        version_of=version_of,
                        confirmed=confirmed,
                        electronic=electronic,
                    )
                )
            except AppError as exc:
                outcome.errors.append(exc)
                error = ErrorDetail(code=exc.code, message=exc.message)
                outcome.items.append(UploadItem(filename=spooled.filename, error=error))
                continue
            if result.hidden:
                outcome.items.append(
                    UploadItem(filename=spooled.filename, duplicate=True, error=HIDDEN_DUPLICATE, hidden=True)
                )
                continue
            document = document_out(result.document)
            outcome.items.append(
                UploadItem(
                    filename=spooled.filename,
                    duplicate=result.duplicate,
                    document=document,
                    duplicate_of=duplicate_of(result),
                    reattached=result.reattached,
                )
            )
    finally:
        spooler.cleanup()
    request.app.state.wake_workers()
    return outcome
