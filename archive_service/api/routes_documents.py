"""/api/v1/documents: metadata, the original bytes, and findings of one document."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import FileResponse
from sqlalchemy import select
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from archive_service.api.deps import ClientAddrDep, PrincipalDep, ServicesDep
from archive_service.api.findings import finding_out
from archive_service.catalog import audit, documents
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Derivative, Document, IndexOutbox
from archive_service.errors import NotFound
from indexers.textnorm import strip_diacritics
from schemas.api import DocumentOut, DocumentUpdate, ErrorBody, FindingList

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    404: {"model": ErrorBody, "description": "Không tìm thấy văn bản (hoặc không có quyền xem)"},
}


def content_disposition(filename: str) -> str:
    """RFC 6266 with an ASCII fallback and the UTF-8 name (RFC 5987) for Vietnamese file names."""
    folded = strip_diacritics(filename).encode("ascii", "ignore").decode()
    ascii_name = folded.replace('"', "").replace("\\", "") or "tai-lieu"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.get("/{document_id}", response_model=DocumentOut, responses=_ERRORS)
def get_document(document_id: int, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep) -> DocumentOut:
    """Thông tin văn bản và các thành phần thể thức đã trích xuất."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        audit.record(
            session,
            principal=principal,
            action="document.view",
            object_type="document",
            object_id=doc.id,
            client_addr=addr,
        )
        return DocumentOut.model_validate(doc)


@router.patch("/{document_id}", response_model=DocumentOut, responses={**_ERRORS, 403: {"model": ErrorBody}})
def update_document(
    document_id: int,
    data: DocumentUpdate,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
) -> DocumentOut:
    """Sửa thông tin văn bản (độ mật, hồ sơ, phiên bản trước); bản gốc không bao giờ thay đổi."""
    with transaction(services.factory) as session:
        doc, changes = documents.update_metadata(session, principal=principal, document_id=document_id, data=data)
        if changes:
            audit.record(
                session,
                principal=principal,
                action="document.update",
                object_type="document",
                object_id=doc.id,
                client_addr=addr,
                details=changes,
            )
            session.add(IndexOutbox(document_id=doc.id, op="upsert"))
        return DocumentOut.model_validate(doc)


@router.get(
    "/{document_id}/content",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {"application/pdf": {}, "application/octet-stream": {}}}},
)
async def download_original(
    document_id: int, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FileResponse:
    """Tải bản gốc, đúng từng byte (kiểm tra SHA-256 trước khi gửi)."""

    def _load() -> tuple[Document, Path]:
        with transaction(services.factory) as session:
            doc = documents.get_readable(session, principal=principal, document_id=document_id)
        tmp = Path(tempfile.mkdtemp(dir=services.settings.spool_dir)) / "original"
        services.blobs.fetch(doc.storage_key, tmp, sha256=doc.sha256)
        with transaction(services.factory) as session:
            audit.record(
                session,
                principal=principal,
                action="document.download",
                object_type="document",
                object_id=doc.id,
                client_addr=addr,
            )
        return doc, tmp

    services.settings.spool_dir.mkdir(parents=True, exist_ok=True)
    doc, tmp = await run_in_threadpool(_load)

    return FileResponse(
        tmp,
        media_type=doc.media_type,
        headers={
            "Content-Disposition": content_disposition(doc.original_filename),
            "ETag": f'"{doc.sha256}"',
        },
        background=BackgroundTask(_remove_temp, tmp),
    )


@router.get(
    "/{document_id}/searchable-pdf",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {"application/pdf": {}}}},
)
async def download_searchable_pdf(
    document_id: int, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FileResponse:
    """Tải bản PDF/A tìm kiếm được (OCR) của một bản quét; bản gốc giữ nguyên."""

    def _load() -> tuple[Document, Path]:
        with transaction(services.factory) as session:
            doc = documents.get_readable(session, principal=principal, document_id=document_id)
            derivative = session.scalar(
                select(Derivative).where(Derivative.document_id == doc.id, Derivative.kind == "searchable-pdf")
            )
            if derivative is None:
                raise NotFound("DERIVATIVE-NOT-READY", "Văn bản này chưa có (hoặc không cần) bản PDF tìm kiếm được.")
            audit.record(
                session,
                principal=principal,
                action="document.download-searchable",
                object_type="document",
                object_id=doc.id,
                client_addr=addr,
            )
            key, sha = derivative.storage_key, derivative.sha256
        tmp = Path(tempfile.mkdtemp(dir=services.settings.spool_dir)) / "searchable.pdf"
        services.blobs.fetch(key, tmp, sha256=sha)
        return doc, tmp

    services.settings.spool_dir.mkdir(parents=True, exist_ok=True)
    doc, tmp = await run_in_threadpool(_load)
    name = doc.original_filename.rsplit(".", 1)[0] + " (OCR).pdf"
    return FileResponse(
        tmp,
        media_type="application/pdf",
        headers={"Content-Disposition": content_disposition(name)},
        background=BackgroundTask(_remove_temp, tmp),
    )


def _remove_temp(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    tmp.parent.rmdir()


@router.get("/{document_id}/findings", response_model=FindingList, responses=_ERRORS)
def get_findings(document_id: int, services: ServicesDep, principal: PrincipalDep) -> FindingList:
    """Các lỗi thể thức và thẩm quyền đã phát hiện trong văn bản."""
    with transaction(services.factory) as session:
        documents.get_readable(session, principal=principal, document_id=document_id)
        rows = documents.findings_of(session, document_id=document_id)
        return FindingList(items=[finding_out(r) for r in rows])
