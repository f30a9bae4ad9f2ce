"""Page: /dong-bang — đóng băng hồ sơ, văn bản (NĐ 30/2020 Phụ lục VI): the holds the user may see, and for
admins the form to place one and the button to lift one. The dossier page's "Đóng băng" form posts here too."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from archive_service.catalog.models import Role
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.errors import AppError
from archive_service.freezes import service
from archive_service.web.auth import WebUserDep
from archive_service.web.csrf import FormUserDep
from archive_service.web.templating import render
from schemas.holds import HoldCreate, HoldKind

router = APIRouter(include_in_schema=False)

_IDS = re.compile(r"[\s,;]+")


def _ids(text: str) -> list[int]:
    """Document numbers typed as "12, 15 18": anything else is refused with a message, not a 500."""
    parts = [p for p in _IDS.split(text.strip()) if p]
    if not all(p.isdigit() and 0 < len(p) < 19 for p in parts):
        raise AppError(
            "HOLD-TARGET-INVALID",
            "Số văn bản phải là các số, cách nhau bằng dấu phẩy hoặc khoảng trắng (ví dụ: 12, 15, 18).",
            status_code=422,
        )
    return [int(p) for p in parts]


@router.get("/dong-bang")
def holds_page(
    request: Request,
    services: ServicesDep,
    user: WebUserDep,
    addr: ClientAddrDep,
    ho_so: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> Response:
    """Các lệnh đóng băng (đang hiệu lực và đã gỡ); quản trị viên đóng băng và gỡ đóng băng tại đây."""
    listing = service.holds(services, user.principal, addr=addr, via="web")
    return render(
        request,
        "holds.html",
        user=user,
        section="dong-bang",
        items=listing.items,
        can_hold=user.principal.role is Role.ADMIN,
        dossier_id=ho_so,
    )


@router.post("/dong-bang")
def place(
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    ly_do: Annotated[str, Form(max_length=2000)] = "",
    ho_so: Annotated[str, Form(max_length=20)] = "",
    van_ban: Annotated[str, Form(max_length=20_000)] = "",
    loai: Annotated[str, Form(max_length=16)] = "freeze",
) -> Response:
    """Đóng băng một hồ sơ (số hồ sơ) hoặc các văn bản (số văn bản), với lý do."""
    dossier_ids = _ids(ho_so)
    document_ids = _ids(van_ban)
    if len(dossier_ids) > 1 or (dossier_ids and document_ids) or not (dossier_ids or document_ids):
        raise AppError(
            "HOLD-TARGET-INVALID", "Hãy ghi một số hồ sơ, hoặc các số văn bản (không ghi cả hai).", status_code=422
        )
    if not ly_do.strip():
        raise AppError("HOLD-REASON-REQUIRED", "Hãy ghi lý do đóng băng.", status_code=422)
    kind: HoldKind = "request" if loai == "request" else "freeze"
    data = HoldCreate(
        dossier_id=dossier_ids[0] if dossier_ids else None,
        document_ids=document_ids or None,
        reason=ly_do,
        kind=kind,
    )
    hold = service.place_hold(services, user.principal, data, addr=addr)
    return RedirectResponse(f"/dong-bang#lenh-{hold.id}", status_code=303)


@router.post("/dong-bang/{hold_id}/go")
def lift(
    hold_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    ly_do: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Gỡ một lệnh đóng băng, với lý do."""
    if not ly_do.strip():
        raise AppError("HOLD-REASON-REQUIRED", "Hãy ghi lý do gỡ đóng băng.", status_code=422)
    service.lift_hold(services, user.principal, hold_id, reason=ly_do, addr=addr)
    return RedirectResponse(f"/dong-bang#lenh-{hold_id}", status_code=303)
