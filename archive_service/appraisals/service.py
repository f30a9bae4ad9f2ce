"""Appraisal use cases: the expired list, the proposal, the council, the head's decision (destruction: destruction.py).

29-HD/VPTW and records-lifecycle.md "Destruction": only records past their retention, after the Hội đồng xác định
giá trị tài liệu, decided by the head of the body (recorded by an admin). Each use case reads the appraisal as the
caller may (404 for another office's), checks the role (403), the step (409), writes, moves the dossiers through
records/lifecycle.py and audits, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy.orm import Session

from archive_service.appraisals import queries, sheets
from archive_service.catalog import audit, dossiers
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Appraisal, Document, Dossier, Office, RecordFile, Role, User, utcnow
from archive_service.errors import AppError, Conflict, Forbidden, Refusal
from archive_service.records import lifecycle
from archive_service.records.files import readable_record_files_of
from archive_service.records.files import store_sheet as store_record_sheet
from archive_service.records.sheet import RecordSheet
from archive_service.services import Services

MAX_DOSSIERS: Final = 500
PROPOSED: Final = "proposed"
APPROVED: Final = "approved"
DESTROYED: Final = "destroyed"
STATE_LABELS: Final = {
    PROPOSED: "Đang chờ hội đồng, quyết định",
    APPROVED: "Đã có quyết định hủy",
    DESTROYED: "Đã hủy",
    "cancelled": "Đã hủy bỏ đợt",
}


class Invalid(AppError):
    status_code = 422


def _refusal(principal: Principal, appraisal: Appraisal) -> Refusal:
    return Refusal(principal.user_id, "appraisal", str(appraisal.id), appraisal.office_id)


def require_keeper(principal: Principal, *, what: str) -> None:
    """Archivists and admins only (403 for readers and auditors, before anything is read)."""
    if principal.role not in (Role.ARCHIVIST, Role.ADMIN):
        raise Forbidden("AUTH-FORBIDDEN-ROLE", f"Vai trò của bạn chỉ được xem, không được {what}.")


def require_head(principal: Principal, appraisal: Appraisal, *, what: str) -> None:
    """The head of the body's decisions are recorded by an admin (403 for everyone else)."""
    if principal.role is not Role.ADMIN:
        raise Forbidden(
            "AUTH-FORBIDDEN-ROLE",
            f"Chỉ quản trị (ghi nhận quyết định của người đứng đầu cơ quan) được {what}.",
            refusal=_refusal(principal, appraisal),
        )


def refuse_unless_state(appraisal: Appraisal, state: str, *, what: str) -> None:
    if appraisal.state != state:
        raise Conflict(
            "APPRAISAL-STATE-INVALID",
            f"Không thể {what}: đợt xác định giá trị số {appraisal.id} đang ở bước "
            f"“{STATE_LABELS.get(appraisal.state, appraisal.state)}”, chỉ làm được khi "
            f"“{STATE_LABELS.get(state, state)}”.",
        )


def _user_name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return (user.display_name or user.username) if user else ""


def store_sheet(
    services: Services,
    session: Session,
    principal: Principal,
    appraisal: Appraisal,
    kind: str,
    name: str,
    sheet: RecordSheet,
    *,
    addr: str | None,
) -> list[RecordFile]:
    """The sheet as PDF and DOCX record files of the appraisal, named ``{name}-{appraisal id}``."""
    return store_record_sheet(
        services.blobs,
        session,
        sheet,
        owner_type="appraisal",
        owner_id=appraisal.id,
        kind=kind,
        stem=f"{name}-{appraisal.id}",
        principal=principal,
        addr=addr,
    )


def propose(
    services: Services,
    principal: Principal,
    dossier_ids: Sequence[int],
    *,
    addr: str | None,
    now: datetime | None = None,
) -> Appraisal:
    """Put expired dossiers before the council: the appraisal, each dossier moved "appraise", the danh mục made.

    Every dossier must be readable (404), writable (403), past its retention and not held (409, naming those
    that are not); all of one office.
    """
    require_keeper(principal, what="đề nghị xác định giá trị tài liệu")
    ids = list(dict.fromkeys(int(i) for i in dossier_ids))
    if not ids:
        raise Invalid("APPRAISAL-EMPTY", "Hãy chọn ít nhất một hồ sơ hết thời hạn bảo quản để đưa ra hội đồng.")
    if len(ids) > MAX_DOSSIERS:
        raise Invalid("APPRAISAL-TOO-MANY", f"Mỗi đợt xác định giá trị gồm tối đa {MAX_DOSSIERS} hồ sơ.")
    today = queries.today_of(now)
    with transaction(services.factory) as session:
        chosen = [dossiers.get_writable(session, principal=principal, dossier_id=i) for i in ids]
        offices = {d.office_id for d in chosen}
        if len(offices) > 1:
            raise Invalid("APPRAISAL-MIXED-OFFICES", "Mỗi đợt xác định giá trị chỉ gồm hồ sơ của một đơn vị.")
        not_yet = [why for d in chosen if (why := queries.why_not_expired(d, today)) is not None]
        if not_yet:
            raise Conflict(
                "APPRAISAL-NOT-EXPIRED",
                "Chỉ hồ sơ đã hết thời hạn bảo quản mới được đưa ra xác định giá trị để hủy: "
                + "; ".join(not_yet)
                + ".",
            )
        for dossier in chosen:
            lifecycle.check(session, principal, dossier, "appraise")  # a hold (409) refuses before any write
        appraisal = Appraisal(
            office_id=chosen[0].office_id, state=PROPOSED, dossier_ids=ids, created_by=principal.user_id
        )
        session.add(appraisal)
        session.flush()
        for dossier in chosen:
            lifecycle.move(session, principal, dossier, "appraise", addr=addr, details={"appraisal_id": appraisal.id})
        office = session.get(Office, appraisal.office_id)
        held = queries.held_documents(session, ids)
        sheet = sheets.danh_muc_het_gia_tri(
            sheets.ListInput(
                appraisal=appraisal,
                office_name=office.name if office else "",
                office_code=office.code if office else "",
                day=today,
                dossiers=tuple((d, held.get(d.id, [])) for d in chosen),
                proposer=_user_name(session, principal.user_id),
            )
        )
        files = store_sheet(
            services, session, principal, appraisal, "danh-muc-het-gia-tri", "danh-muc", sheet, addr=addr
        )
        audit.record(
            session,
            principal=principal,
            action="appraisal.propose",
            object_type="appraisal",
            object_id=appraisal.id,
            client_addr=addr,
            details={"dossier_ids": ids, "record_files": [f.id for f in files]},
            office_id=appraisal.office_id,
        )
        return appraisal


def record_council(
    services: Services,
    principal: Principal,
    appraisal_id: int,
    *,
    members: Sequence[str],
    day: date,
    opinion: str,
    addr: str | None,
) -> Appraisal:
    """The Hội đồng xác định giá trị tài liệu's members, meeting date and opinion (required before a decision)."""
    clean = [m.strip() for m in members if m.strip()]
    with transaction(services.factory) as session:
        appraisal = queries.get_readable(session, principal, appraisal_id)
        principal.require_write(
            object_type="appraisal", object_id=appraisal.id, office_id=appraisal.office_id, what="đợt xác định giá trị"
        )
        refuse_unless_state(appraisal, PROPOSED, what="ghi ý kiến hội đồng")
        if not clean or not opinion.strip():
            raise Invalid("APPRAISAL-COUNCIL-INCOMPLETE", "Hãy ghi thành viên hội đồng và ý kiến của hội đồng.")
        appraisal.council_members = clean
        appraisal.council_date = day
        appraisal.council_opinion = opinion.strip()
        audit.record(
            session,
            principal=principal,
            action="appraisal.council",
            object_type="appraisal",
            object_id=appraisal.id,
            client_addr=addr,
            details={"members": clean, "date": day.isoformat()},
            office_id=appraisal.office_id,
        )
        session.flush()
        return appraisal


def approve(
    services: Services,
    principal: Principal,
    appraisal_id: int,
    *,
    decision_number: str,
    decision_date: date,
    approver_name: str,
    keep_ids: Sequence[int] = (),
    addr: str | None,
) -> Appraisal:
    """The head's decision: the dossiers in ``keep_ids`` go back to be kept, the others are approved for destruction.

    Admins only; refused without the council's opinion (409 APPRAISAL-NO-COUNCIL).
    """
    with transaction(services.factory) as session:
        appraisal = queries.get_readable(session, principal, appraisal_id)
        require_head(principal, appraisal, what="ghi quyết định hủy tài liệu")
        refuse_unless_state(appraisal, PROPOSED, what="ghi quyết định")
        if not appraisal.council_members or not appraisal.council_opinion:
            raise Conflict(
                "APPRAISAL-NO-COUNCIL",
                "Chưa có ý kiến của Hội đồng xác định giá trị tài liệu: ghi thành viên, ngày họp và ý kiến trước "
                "khi ghi quyết định (Hướng dẫn 29-HD/VPTW).",
            )
        if not decision_number.strip() or not approver_name.strip():
            raise Invalid("APPRAISAL-DECISION-INCOMPLETE", "Hãy ghi số quyết định và người ký quyết định.")
        ids = [int(i) for i in appraisal.dossier_ids]
        keep = list(dict.fromkeys(int(i) for i in keep_ids))
        strangers = [i for i in keep if i not in ids]
        if strangers:
            raise Invalid(
                "APPRAISAL-KEEP-UNKNOWN",
                "Hồ sơ giữ lại phải thuộc đợt xác định giá trị này: " + ", ".join(str(i) for i in strangers) + ".",
            )
        chosen = queries.dossiers_of(session, appraisal)
        for dossier in chosen:
            lifecycle.check(
                session, principal, dossier, "keep-after-appraisal" if dossier.id in keep else "approve-destruction"
            )
        appraisal.decision_number = decision_number.strip()
        appraisal.decision_date = decision_date
        appraisal.approver_name = approver_name.strip()
        appraisal.approved_by = principal.user_id
        appraisal.approved_at = utcnow()
        appraisal.state = APPROVED
        details = {"appraisal_id": appraisal.id, "decision_number": appraisal.decision_number}
        for dossier in chosen:
            step = "keep-after-appraisal" if dossier.id in keep else "approve-destruction"
            lifecycle.move(session, principal, dossier, step, addr=addr, details=details)
        audit.record(
            session,
            principal=principal,
            action="appraisal.approve",
            object_type="appraisal",
            object_id=appraisal.id,
            client_addr=addr,
            details={
                "decision_number": appraisal.decision_number,
                "decision_date": decision_date.isoformat(),
                "approver_name": appraisal.approver_name,
                "kept": keep,
                "to_destroy": [i for i in ids if i not in keep],
            },
            office_id=appraisal.office_id,
        )
        session.flush()
        return appraisal


@dataclass(frozen=True)
class DossierLine:
    """A dossier of an appraisal as the page shows it: only documents the caller may read are named."""

    dossier: Dossier
    code: str
    state_label: str
    kept_until: date | None
    documents: list[Document]  # readable by the caller
    hidden: int  # held documents the caller may not read (counted, never named)
    size: int  # bytes of the readable ones' originals


@dataclass(frozen=True)
class AppraisalView:
    appraisal: Appraisal
    state_label: str
    office_name: str
    dossiers: list[DossierLine]
    files: list[RecordFile]
    can_council: bool
    can_decide: bool
    can_destroy: bool

    @property
    def to_destroy(self) -> list[DossierLine]:
        return [d for d in self.dossiers if d.dossier.state == "destruction-approved"]


def _readable(principal: Principal, doc: Document) -> bool:
    office_ok = principal.sees_every_office or doc.office_id == principal.office_id
    return office_ok and doc.secrecy_level <= principal.clearance


def view_in(session: Session, principal: Principal, appraisal: Appraisal) -> AppraisalView:
    chosen = queries.dossiers_of(session, appraisal)
    held = queries.held_documents(session, [d.id for d in chosen])
    lines = []
    for d in chosen:
        docs = held.get(d.id, [])
        shown = [doc for doc in docs if _readable(principal, doc)]
        lines.append(
            DossierLine(
                dossier=d,
                code=sheets.dossier_code(d),
                state_label=lifecycle.STATE_LABELS.get(d.state, d.state),
                kept_until=queries.kept_until(d),
                documents=shown,
                hidden=len(docs) - len(shown),
                size=sum(doc.size for doc in shown if doc.destroyed_at is None),
            )
        )
    files = readable_record_files_of(session, principal, "appraisal", appraisal.id)
    writes = principal.can_write_office(appraisal.office_id)
    return AppraisalView(
        appraisal=appraisal,
        state_label=STATE_LABELS.get(appraisal.state, appraisal.state),
        office_name=queries.office_name(session, appraisal.office_id),
        dossiers=lines,
        files=files,
        can_council=writes and appraisal.state == PROPOSED,
        can_decide=principal.role is Role.ADMIN and appraisal.state == PROPOSED,
        can_destroy=principal.role is Role.ADMIN and appraisal.state == APPROVED,
    )


def view(services: Services, principal: Principal, appraisal_id: int, *, addr: str | None, via: str) -> AppraisalView:
    """One appraisal the caller may read: its dossiers, files and what the caller may do next; audited."""
    with transaction(services.factory) as session:
        appraisal = queries.get_readable(session, principal, appraisal_id)
        audit.record(
            session,
            principal=principal,
            action="appraisal.view",
            object_type="appraisal",
            object_id=appraisal.id,
            client_addr=addr,
            details={"via": via},
            office_id=appraisal.office_id,
        )
        return view_in(session, principal, appraisal)


@dataclass(frozen=True)
class Overview:
    """The appraisal page: dossiers past retention the caller may propose, and the appraisals they may read."""

    expired: list[queries.ExpiredDossier]
    appraisals: list[Appraisal]
    may_propose: bool


def overview(services: Services, principal: Principal, *, now: datetime | None = None) -> Overview:
    with transaction(services.factory) as session:
        return Overview(
            expired=queries.expired_dossiers(session, principal, now=now),
            appraisals=queries.list_readable(session, principal),
            may_propose=principal.role in (Role.ARCHIVIST, Role.ADMIN),
        )


def expired(services: Services, principal: Principal, *, now: datetime | None = None) -> list[queries.ExpiredDossier]:
    """Dossiers of the caller's readable offices past their retention (closed or in the office archive, not held)."""
    with transaction(services.factory) as session:
        return queries.expired_dossiers(session, principal, now=now)
