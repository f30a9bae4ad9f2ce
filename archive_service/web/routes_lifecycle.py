"""Pages: a dossier's life — the closing checklist and form (/ho-so/{id}/ket-thuc), keeping back
(/ho-so/{id}/giu-lai), and the panel on the dossier page (state, next steps, record files, history).

The panel is the partial ``_dossier_state.html``, included in dossier.html; it asks ``dossier_life`` (a template
global set here) for what it shows, so that the dossier page's own route stays as it is.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from archive_service.catalog.models import Dossier
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.errors import AppError
from archive_service.records import retention as ret
from archive_service.records import service
from archive_service.records.closing import Checklist
from archive_service.records.lifecycle import STATE_LABELS
from archive_service.services import Services
from archive_service.web.auth import WebUser, WebUserDep
from archive_service.web.csrf import FormUserDep
from archive_service.web.dates import parse_date
from archive_service.web.templating import env, render
from schemas.api import RETENTION_CODES

router = APIRouter(include_in_schema=False)

# Where each step is taken on the web; the other steps are taken on the pages of transfers and appraisals.
STEP_PAGES: Final[dict[str, str]] = {"close": "/ho-so/{id}/ket-thuc", "keep": "/ho-so/{id}/giu-lai"}
# The errors the forms answer on the form itself (a step refused by state, a value refused); 403/404 are pages.
_ON_FORM: Final = frozenset({409, 422})


def dossier_life(request: Request, user: WebUser | None, dossier: Dossier) -> service.StateView | None:
    """The dossier page's panel: what ``records.service.state_view`` gives for this caller."""
    if user is None:
        return None
    services: Services = request.app.state.services
    return service.state_view(services, user.principal, dossier.id)


def step_page(name: str, dossier_id: int) -> str | None:
    page = STEP_PAGES.get(name)
    return page.format(id=dossier_id) if page else None


env.globals.update(
    dossier_life=dossier_life, step_page=step_page, record_kind=service.kind_label, state_names=STATE_LABELS
)


def _retention_choices(found: Checklist) -> list[tuple[str, str, bool]]:
    """(code, label, allowed) for the select: every value of the schedule's scale, those below the minimum not."""
    minimum = ret.parse(found.minimum) if found.minimum else None
    codes = list(RETENTION_CODES)
    if ret.is_valid(found.retention) and ret.parse(found.retention).code not in codes:
        codes.append(ret.parse(found.retention).code)
    values = sorted((ret.parse(c) for c in codes), reverse=True)
    return [(v.code, v.label, minimum is None or v >= minimum) for v in values]


def _default_retention(found: Checklist) -> str:
    """The minimum its contents allow — but never below the retention the dossier was planned with."""
    planned = ret.parse(found.retention) if ret.is_valid(found.retention) else None
    minimum = ret.parse(found.minimum) if found.minimum else None
    best = max((r for r in (planned, minimum) if r is not None), default=None)
    return best.code if best else ret.PERMANENT


def _close_page(
    request: Request,
    services: Services,
    user: WebUser,
    dossier_id: int,
    *,
    addr: str | None,
    error: AppError | None = None,
    chosen: str | None = None,
    ticked: list[int] | None = None,
) -> Response:
    found = service.writable_checklist(services, user.principal, dossier_id, addr=addr, via="web")
    view = service.state_view(services, user.principal, dossier_id)
    return render(
        request,
        "dossier_close.html",
        user=user,
        section="ho-so",
        dossier=view.dossier,
        state_label=view.state_label,
        can_close=any(s.name == "close" for s in view.steps),
        checklist=found,
        choices=_retention_choices(found),
        chosen=chosen or _default_retention(found),
        ticked=set(ticked if ticked is not None else [i.document_id for i in found.take_out]),
        error=error,
        status_code=error.status_code if error else 200,
    )


@router.get("/ho-so/{dossier_id}/ket-thuc")
def close_form(
    request: Request, dossier_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Kết thúc hồ sơ: danh sách kiểm tra, văn bản cần đưa ra, thời hạn bảo quản, nút Kết thúc."""
    return _close_page(request, services, user, dossier_id, addr=addr)


@router.post("/ho-so/{dossier_id}/ket-thuc")
def close(
    request: Request,
    dossier_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    thoi_han: Annotated[str, Form(max_length=32)] = "",
    dua_ra: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Kết thúc hồ sơ; một bước bị từ chối (trạng thái, văn bản chưa xử lý, thời hạn) hiện ngay trên trang."""
    take_out = [i for i in (dua_ra or []) if 0 < i < 2**63]
    try:
        service.close_dossier(services, user.principal, dossier_id, retention=thoi_han, take_out=take_out, addr=addr)
    except AppError as exc:
        if exc.status_code not in _ON_FORM:
            raise
        return _close_page(request, services, user, dossier_id, addr=addr, error=exc, chosen=thoi_han, ticked=take_out)
    return RedirectResponse(f"/ho-so/{dossier_id}#trang-thai-ho-so", status_code=303)


def _keep_page(
    request: Request,
    services: Services,
    user: WebUser,
    dossier_id: int,
    *,
    error: AppError | None = None,
    until: str = "",
    consent: str = "",
) -> Response:
    view = service.writable_state_view(services, user.principal, dossier_id)
    return render(
        request,
        "dossier_keep.html",
        user=user,
        section="ho-so",
        view=view,
        dossier=view.dossier,
        can_keep=any(s.name == "keep" for s in view.steps),
        until=until,
        consent=consent,
        error=error,
        status_code=error.status_code if error else 200,
    )


@router.get("/ho-so/{dossier_id}/giu-lai")
def keep_form(request: Request, dossier_id: ObjectId, services: ServicesDep, user: WebUserDep) -> Response:
    """Giữ lại hồ sơ tại đơn vị: đến ngày nào, văn bản đồng ý của người đứng đầu."""
    return _keep_page(request, services, user, dossier_id)


@router.post("/ho-so/{dossier_id}/giu-lai")
def keep(
    request: Request,
    dossier_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    den_ngay: Annotated[str, Form(max_length=32)] = "",
    dong_y: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Giữ lại hồ sơ; ngày hoặc văn bản đồng ý không hợp lệ thì hiện lại biểu mẫu với lời nhắn."""
    try:
        try:
            until = parse_date(den_ngay)
        except ValueError:
            service.writable_state_view(services, user.principal, dossier_id)  # 404/403 before a value error
            raise service.KeepInvalid(
                "DOSSIER-KEEP-BAD-DATE", "Ngày giữ lại đến không hợp lệ: ghi ngày/tháng/năm, ví dụ 31/12/2027."
            ) from None
        service.keep(services, user.principal, dossier_id, until=until, consent=dong_y, addr=addr)
    except AppError as exc:
        if exc.status_code not in _ON_FORM:
            raise
        return _keep_page(request, services, user, dossier_id, error=exc, until=den_ngay, consent=dong_y)
    return RedirectResponse(f"/ho-so/{dossier_id}#trang-thai-ho-so", status_code=303)
