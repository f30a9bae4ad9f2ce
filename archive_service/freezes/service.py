"""Đóng băng: place and lift holds on a dossier or on documents (NĐ 30/2020 Phụ lục VI; records-lifecycle.md).

While a hold is active nothing it covers may be moved, changed, deleted or destroyed: the use cases that do those
ask ``records/holds.py`` first and answer 409 RECORD-FROZEN. Only an admin — who records the decisions of the head
of the body — places or lifts one (403 for every other role); the objects must be readable by the caller (404
otherwise, exactly as a missing one). A hold is lifted, never deleted, and both acts are audited
(``record.freeze`` / ``record.unfreeze``). The list shows only holds all of whose objects the caller may read: the
reason an admin typed may name a secret document, so a hold that covers one the caller may not read is not shown.

The session-level functions (``freeze``, ``lift``, ``list_holds``) work in the caller's transaction, for other use
cases and tests; ``place_hold``, ``lift_hold`` and ``holds`` open their own for the edges.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import audit
from archive_service.catalog import documents as catalog_documents
from archive_service.catalog import dossiers as catalog_dossiers
from archive_service.catalog.access import Principal, readable_document_ids
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Hold, Role, User
from archive_service.errors import AppError, Conflict, Forbidden, NotFound, Refusal
from archive_service.services import Services
from schemas.holds import HoldCreate, HoldKind, HoldList, HoldOut

KINDS: tuple[HoldKind, ...] = ("freeze", "request")


class HoldNotFound(NotFound):
    def __init__(self, hold_id: int) -> None:
        super().__init__("HOLD-NOT-FOUND", f"Không tìm thấy lệnh đóng băng số {hold_id}.")


def _require_admin(principal: Principal, object_type: str, object_id: int, office_id: int) -> None:
    if principal.role is not Role.ADMIN:
        raise Forbidden(
            "AUTH-FORBIDDEN-ROLE",
            "Chỉ quản trị viên (ghi nhận quyết định của người đứng đầu cơ quan) được đóng băng hoặc gỡ đóng băng "
            "hồ sơ, văn bản.",
            refusal=Refusal(principal.user_id, object_type, str(object_id), office_id),
        )


def _clean_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise AppError("HOLD-REASON-REQUIRED", "Hãy ghi lý do đóng băng hoặc gỡ đóng băng.", status_code=422)
    return text


def freeze(
    session: Session,
    principal: Principal,
    *,
    dossier_id: int | None = None,
    document_ids: list[int] | None = None,
    reason: str,
    kind: str = "freeze",
    addr: str | None,
    now: datetime | None = None,
) -> Hold:
    """Place a hold on one dossier or on documents of one office; admin only; audited ``record.freeze``."""
    if (dossier_id is None) == (not document_ids):
        raise AppError(
            "HOLD-TARGET-INVALID", "Hãy chọn một hồ sơ, hoặc một số văn bản (không chọn cả hai).", status_code=422
        )
    if kind not in KINDS:
        raise AppError("HOLD-TARGET-INVALID", f"Loại lệnh “{kind}” không hợp lệ.", status_code=422)
    ids: list[int] = []
    if dossier_id is not None:
        dossier = catalog_dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        office_id = dossier.office_id
        _require_admin(principal, "dossier", dossier.id, office_id)
    else:
        ids = sorted(set(document_ids or []))
        docs = [catalog_documents.get_readable(session, principal=principal, document_id=i) for i in ids]
        office_id = docs[0].office_id
        _require_admin(principal, "document", docs[0].id, office_id)
        if any(d.office_id != office_id for d in docs):
            raise Conflict("HOLD-MIXED-OFFICES", "Chỉ đóng băng cùng lúc được các văn bản của một đơn vị.")
    hold = Hold(
        office_id=office_id,
        kind=kind,
        dossier_id=dossier_id,
        document_ids=ids or None,
        reason=_clean_reason(reason),
        placed_by=principal.user_id,
        placed_at=now or datetime.now(UTC),
    )
    session.add(hold)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="record.freeze",
        object_type="hold",
        object_id=hold.id,
        client_addr=addr,
        details={"kind": kind, "dossier_id": dossier_id, "document_ids": ids, "reason": hold.reason},
        office_id=office_id,
        scoped=True,  # the document ids are what the caller saw at their clearance
    )
    return hold


def _visible(session: Session, principal: Principal, hold: Hold) -> bool:
    """Whether the caller may read every object the hold covers."""
    if hold.dossier_id is not None:
        try:
            catalog_dossiers.get_readable(session, principal=principal, dossier_id=hold.dossier_id)
        except NotFound:
            return False
    ids = {int(i) for i in hold.document_ids or []}
    return readable_document_ids(session, principal, ids) == ids


def get_visible(session: Session, principal: Principal, hold_id: int) -> Hold:
    """The hold, or 404 when it does not exist or covers something the caller may not read."""
    hold = session.get(Hold, hold_id)
    if hold is None or not _visible(session, principal, hold):
        raise HoldNotFound(hold_id)
    return hold


def lift(
    session: Session,
    principal: Principal,
    hold_id: int,
    *,
    reason: str,
    addr: str | None,
    now: datetime | None = None,
) -> Hold:
    """Lift an active hold; admin only; audited ``record.unfreeze``. A lifted hold stays, with who and why."""
    hold = get_visible(session, principal, hold_id)
    _require_admin(principal, "hold", hold.id, hold.office_id)
    if hold.lifted_at is not None:
        raise Conflict("HOLD-ALREADY-LIFTED", f"Lệnh đóng băng số {hold.id} đã được gỡ trước đó.")
    hold.lifted_at = now or datetime.now(UTC)
    hold.lifted_by = principal.user_id
    hold.lift_reason = _clean_reason(reason)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="record.unfreeze",
        object_type="hold",
        object_id=hold.id,
        client_addr=addr,
        details={
            "kind": hold.kind,
            "dossier_id": hold.dossier_id,
            "document_ids": list(hold.document_ids or []),
            "reason": hold.lift_reason,
        },
        office_id=hold.office_id,
        scoped=True,
    )
    return hold


def list_holds(session: Session, principal: Principal, *, active_only: bool = False) -> list[Hold]:
    """Holds the caller may see (every object readable), newest first."""
    query = select(Hold).order_by(Hold.id.desc())
    if not principal.sees_every_office:
        query = query.where(Hold.office_id == principal.office_id)
    if active_only:
        query = query.where(Hold.lifted_at.is_(None))
    return [h for h in session.scalars(query) if _visible(session, principal, h)]


def to_out(session: Session, hold: Hold) -> HoldOut:
    rows = session.execute(select(User.id, User.username).where(User.id.in_({hold.placed_by, hold.lifted_by or 0})))
    names: dict[int, str] = {int(row[0]): str(row[1]) for row in rows}
    return HoldOut(
        id=hold.id,
        office_id=hold.office_id,
        kind="request" if hold.kind == "request" else "freeze",
        dossier_id=hold.dossier_id,
        document_ids=[int(i) for i in hold.document_ids or []],
        reason=hold.reason,
        placed_by=names.get(hold.placed_by, str(hold.placed_by)),
        placed_at=hold.placed_at,
        active=hold.lifted_at is None,
        lifted_by=names.get(hold.lifted_by, str(hold.lifted_by)) if hold.lifted_by else None,
        lifted_at=hold.lifted_at,
        lift_reason=hold.lift_reason,
    )


# The edges' use cases: one transaction each, answered as HoldOut.


def place_hold(services: Services, principal: Principal, data: HoldCreate, *, addr: str | None) -> HoldOut:
    with transaction(services.factory) as session:
        hold = freeze(
            session,
            principal,
            dossier_id=data.dossier_id,
            document_ids=data.document_ids,
            reason=data.reason,
            kind=data.kind,
            addr=addr,
        )
        return to_out(session, hold)


def lift_hold(services: Services, principal: Principal, hold_id: int, *, reason: str, addr: str | None) -> HoldOut:
    with transaction(services.factory) as session:
        return to_out(session, lift(session, principal, hold_id, reason=reason, addr=addr))


def holds(
    services: Services, principal: Principal, *, active_only: bool = False, addr: str | None, via: str
) -> HoldList:
    """The holds the caller may see; the read is audited (``hold.list``, with the ids shown)."""
    with transaction(services.factory) as session:
        items = [to_out(session, h) for h in list_holds(session, principal, active_only=active_only)]
        audit.record(
            session,
            principal=principal,
            action="hold.list",
            object_type="hold",
            object_id=None,
            client_addr=addr,
            details={"via": via, "shown": [h.id for h in items]},
            scoped=True,
        )
        return HoldList(items=items, total=len(items))


def holds_on_dossier(services: Services, principal: Principal, dossier_id: int) -> list[HoldOut]:
    """The active holds the caller may see on the dossier itself (the dossier page's partial)."""
    with transaction(services.factory) as session:
        catalog_dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        found = session.scalars(select(Hold).where(Hold.dossier_id == dossier_id, Hold.lifted_at.is_(None)))
        return [to_out(session, h) for h in found if _visible(session, principal, h)]
