"""/api/v1/check: check a file's format and issuing authority without storing it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from archive_service.api.findings import finding_json
from archive_service.documents.processing import analyse_file
from archive_service.edge.deps import PrincipalDep, ServicesDep
from archive_service.edge.uploads import electronic_field, spool_request
from archive_service.errors import AppError
from archive_service.storage.sniff import admit
from schemas.api import CheckResult, ErrorBody

router = APIRouter(prefix="/api/v1", tags=["check"])

_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "profile": {"type": "string", "enum": ["auto", "party", "state"]},
                        "electronic": {
                            "type": "boolean",
                            "description": "Văn bản điện tử đã ban hành: không có chữ ký số là lỗi SIG-MISSING",
                        },
                    },
                    "required": ["file"],
                }
            }
        },
    }
}


@router.post(
    "/check",
    response_model=CheckResult,
    openapi_extra=_BODY,
    responses={
        400: {"model": ErrorBody},
        401: {"model": ErrorBody},
        413: {"model": ErrorBody},
        415: {"model": ErrorBody},
    },
)
async def check_file(request: Request, services: ServicesDep, _principal: PrincipalDep) -> CheckResult:
    """Kiểm tra thể thức, thẩm quyền và chữ ký số của một tệp (trường `file`) mà không lưu vào kho."""
    settings = services.settings
    spooler = await spool_request(
        request, settings, max_files=1, field_name="file", text_fields=frozenset({"profile", "electronic"})
    )
    try:
        spooled = spooler.files[0]
        profile = spooler.fields.get("profile", "auto")
        if profile not in {"auto", "party", "state"}:
            raise AppError("REQUEST-INVALID", "profile phải là auto, party hoặc state.", status_code=422)
        electronic = electronic_field(spooler.fields.get("electronic"))
        # The same gate as an upload: an empty file, a macro or an old .doc get the same answer here.
        media_type = admit(spooled.path, filename=spooled.filename)
        analysis = await run_in_threadpool(
            lambda: analyse_file(
                spooled.path,
                media_type=media_type,
                timeout_s=settings.parse_timeout_s,
                memory_mb=settings.parse_memory_mb,
                profile=profile,
                trust_dir=settings.signature_trust_dir,
                electronic=electronic,
            )
        )
    finally:
        spooler.cleanup()
    return CheckResult(
        file=spooled.filename,
        profile=analysis.profile,
        fields=analysis.fields.model_dump(mode="json") if analysis.fields else None,
        findings=[finding_json(f) for f in analysis.findings],
        validation_status=analysis.validation_status,
        signatures=analysis.signatures,
    )
