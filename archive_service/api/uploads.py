"""Receiving files over HTTP: spool the multipart body, then store each file through intake.

Shared by the API upload, the web upload and the no-store check, so that every way in streams to
disk with the same limits and stores through ``store_original``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from archive_service.api.spool import MultipartSpooler
from archive_service.catalog import dossiers
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.config import Settings
from archive_service.errors import AppError
from archive_service.intake import store_original
from archive_service.services import Services
from schemas.api import DocumentOut, ErrorDetail, UploadItem


async def spool_request(request: Request, settings: Settings, *, max_files: int, field_name: str) -> MultipartSpooler:
    """Check the request is multipart within the size budget and stream its files to the spool."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise AppError("UPLOAD-NOT-MULTIPART", f"Cần gửi tệp dưới dạng multipart/form-data (trường {field_name}).")
    declared = request.headers.get("content-length")
    budget = settings.max_upload_bytes * max_files + 1024 * 1024
    if declared and declared.isdigit() and int(declared) > budget:
        raise AppError("UPLOAD-TOO-LARGE", "Yêu cầu tải lên vượt quá giới hạn dung lượng.", status_code=413)
    boundary = content_type.split("boundary=", 1)[1].split(";", 1)[0].strip().strip('"')
    spooler = MultipartSpooler(
        boundary=boundary.encode("latin-1"),
        spool_dir=settings.spool_dir,
        max_file_bytes=settings.max_upload_bytes,
        max_files=max_files,
    )
    await spooler.consume(request.stream())
    if not spooler.files:
        spooler.cleanup()
        raise AppError("UPLOAD-NO-FILE", f"Không có tệp nào trong yêu cầu (trường {field_name}).")
    return spooler


def _check_writable(services: Services, principal: Principal, dossier_id: int) -> None:
    with transaction(services.factory) as session:
        dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)


def int_field(value: str | None, name: str) -> int | None:
    """A form field that must be a whole number when given."""
    if value is None or not value.strip():
        return None
    if not value.strip().isdigit():
        raise AppError("REQUEST-INVALID", f"{name} phải là số nguyên.")
    return int(value)


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
    await run_in_threadpool(_check_writable, services, principal, dossier_id)
    spooler = await spool_request(
        request, services.settings, max_files=services.settings.max_files_per_upload, field_name="files"
    )
    outcome = UploadOutcome()
    try:
        version_of = int_field(spooler.fields.get("version_of"), "version_of")
        for spooled in spooler.files:
            try:
                result = await run_in_threadpool(
                    partial(
                        store_original,
                        factory=services.factory,
                        blobs=services.blobs,
                        principal=principal,
                        dossier_id=dossier_id,
                        path=spooled.path,
                        filename=spooled.filename,
                        sha256=spooled.sha256,
                        size=spooled.size,
                        client_addr=client_addr,
                        version_of=version_of,
                    )
                )
            except AppError as exc:
                outcome.errors.append(exc)
                error = ErrorDetail(code=exc.code, message=exc.message)
                outcome.items.append(UploadItem(filename=spooled.filename, error=error))
                continue
            document = DocumentOut.model_validate(result.document)
            outcome.items.append(UploadItem(filename=spooled.filename, duplicate=result.duplicate, document=document))
    finally:
        spooler.cleanup()
    request.app.state.wake_workers()
    return outcome
