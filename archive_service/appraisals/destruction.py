"""Destruction after the decision: the bytes go, the catalog rows stay as tombstones, the biên bản hủy is kept.

Never one click (records-lifecycle.md "Destruction"): an admin types the decision number again, and nothing is
destroyed while anything holds — a freeze or a pending request (records/holds.py, NĐ 30 Phụ lục VI), a transfer
not yet confirmed, an Object Lock on any blob. All of it is checked before the first delete, so that a refusal
leaves everything as it was. Then, per dossier approved for destruction: the originals, their derivatives and
page images are deleted from the blob store (every version), except a blob another live document or record file
still uses; their Derivative and PageImage rows are deleted; each document's text is cleared, ``destroyed_at``
set and its index entry removed through the outbox; the dossier moves "destroy". The biên bản hủy (PDF, DOCX) is
stored with the danh mục and both are put under a legal hold: they are the permanent record of what went.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive_service.appraisals import queries, sheets
from archive_service.appraisals.service import APPROVED, DESTROYED, Invalid, refuse_unless_state, require_head
from archive_service.appraisals.service import store_sheet as store_appraisal_sheet
from archive_service.catalog import audit
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import (
    Appraisal,
    Derivative,
    Document,
    Dossier,
    DossierState,
    IndexOutbox,
    Office,
    PageImage,
    RecordFile,
    Transfer,
    User,
    utcnow,
)
from archive_service.documents.ocr_jobs import forget_pages
from archive_service.errors import Conflict
from archive_service.records import lifecycle
from archive_service.records.holds import refuse_if_documents_held
from archive_service.records.locking import LockTerms, lock_keys
from archive_service.services import Services
from archive_service.storage.base import BlobMissing, BlobStore

PERMANENT = LockTerms(until=None, legal_hold=True)


@dataclass
class Plan:
    """What one destruction removes: the documents that become tombstones, the blob keys deleted, the file list."""

    dossiers: list[Dossier]
    documents: list[Document] = field(default_factory=list)
    kept: dict[int, list[int]] = field(default_factory=dict)  # document id → dossiers outside that still hold it
    by_dossier: dict[int, list[int]] = field(default_factory=dict)  # dossier id → its documents destroyed
    keys: list[str] = field(default_factory=list)  # blobs to delete (shared ones left out)
    files: list[sheets.DestroyedFile] = field(default_factory=list)


def _live_references(session: Session, keys: set[str], doc_ids: set[int]) -> set[str]:
    """Of ``keys``, those still used by something that is not being destroyed (another document, its derivatives
    or pages, a record file): those blobs stay."""
    if not keys:
        return set()
    used: set[str] = set()
    used.update(
        session.scalars(
            select(Document.storage_key).where(
                Document.storage_key.in_(keys), Document.id.not_in(doc_ids), Document.destroyed_at.is_(None)
            )
        )
    )
    used.update(
        session.scalars(
            select(Derivative.storage_key).where(
                Derivative.storage_key.in_(keys), Derivative.document_id.not_in(doc_ids)
            )
        )
    )
    used.update(
        session.scalars(
            select(PageImage.storage_key).where(PageImage.storage_key.in_(keys), PageImage.document_id.not_in(doc_ids))
        )
    )
    used.update(session.scalars(select(RecordFile.storage_key).where(RecordFile.storage_key.in_(keys))))
    return used


def plan_destruction(session: Session, chosen: list[Dossier]) -> Plan:
    """Which documents, rows and blobs the destruction of ``chosen`` takes, and which it must leave."""
    plan = Plan(dossiers=chosen)
    chosen_ids = {d.id for d in chosen}
    gone = set(session.scalars(select(Dossier.id).where(Dossier.state == DossierState.DESTROYED.value)))
    held = queries.held_documents(session, sorted(chosen_ids))
    owner: dict[int, Dossier] = {}
    candidates: dict[int, Document] = {}
    for dossier in chosen:
        for doc in held.get(dossier.id, []):
            if doc.destroyed_at is None and doc.id not in candidates:
                candidates[doc.id] = doc
                owner[doc.id] = dossier
    holders = queries.holders(session, set(candidates))
    for doc_id, doc in sorted(candidates.items()):
        outside = sorted(holders.get(doc_id, set()) - chosen_ids - gone)
        if outside:
            plan.kept[doc_id] = outside  # still in a dossier that is kept: not destroyed with this one
        else:
            plan.documents.append(doc)
            plan.by_dossier.setdefault(owner[doc_id].id, []).append(doc_id)
    ids = {d.id for d in plan.documents}
    derivatives = list(session.scalars(select(Derivative).where(Derivative.document_id.in_(ids))))
    pages = list(session.scalars(select(PageImage).where(PageImage.document_id.in_(ids)).order_by(PageImage.number)))
    every_key = [d.storage_key for d in plan.documents] + [r.storage_key for r in derivatives]
    wanted = dict.fromkeys(every_key + [p.storage_key for p in pages])
    shared = _live_references(session, set(wanted), ids)
    plan.keys = [k for k in wanted if k not in shared]
    note = " (tệp dùng chung với tài liệu khác còn bảo quản: không xóa)"
    for doc in plan.documents:
        d = owner[doc.id]
        what = "Bản gốc — " + sheets.describe_document(doc)
        plan.files.append(
            sheets.DestroyedFile(d, what + (note if doc.storage_key in shared else ""), doc.size, doc.sha256)
        )
        for row in derivatives:
            if row.document_id == doc.id:
                label = f"Bản chuyển đổi ({row.kind}) của văn bản số {doc.id}"
                plan.files.append(
                    sheets.DestroyedFile(d, label + (note if row.storage_key in shared else ""), row.size, row.sha256)
                )
        for page in pages:
            if page.document_id == doc.id:
                label = f"Ảnh trang {page.number} của văn bản số {doc.id}"
                plan.files.append(
                    sheets.DestroyedFile(
                        d, label + (note if page.storage_key in shared else ""), page.size, page.sha256
                    )
                )
    return plan


def _refuse_pending_transfers(session: Session, appraisal: Appraisal, chosen: list[Dossier]) -> None:
    ids = {d.id for d in chosen}
    for transfer in session.scalars(
        select(Transfer).where(Transfer.office_id == appraisal.office_id, Transfer.state == "sent")
    ):
        caught = sorted(ids & {int(i) for i in transfer.dossier_ids})
        if caught:
            raise Conflict(
                "APPRAISAL-TRANSFER-PENDING",
                f"Không thể hủy: hồ sơ số {', '.join(str(i) for i in caught)} đang trong lần nộp lưu số "
                f"{transfer.id} chưa được bên nhận xác nhận. Không có tài liệu nào bị hủy.",
            )


def _refuse_locked(blobs: BlobStore, plan: Plan) -> None:
    """All or nothing: one locked blob refuses the whole destruction before the first delete."""
    locked: list[str] = []
    for key in plan.keys:
        try:
            if blobs.lock_info(key).locked:
                locked.append(key)
        except BlobMissing:
            continue
    if locked:
        raise Conflict(
            "STORAGE-LOCKED",
            f"Không thể hủy: {len(locked)} tệp của các hồ sơ đang bị khóa chống xóa (WORM) trong kho lưu trữ, "
            f"ví dụ {locked[0]}. Không có tài liệu nào bị hủy.",
        )


def _delete_blobs(blobs: BlobStore, keys: list[str]) -> None:
    for key in keys:
        try:
            blobs.delete(key)
        except BlobMissing:
            continue  # already gone: what destruction wants


@dataclass(frozen=True)
class DestructionReport:
    appraisal: Appraisal
    dossier_ids: list[int]
    destroyed_document_ids: list[int]
    kept_document_ids: list[int]
    deleted_blobs: int
    record_files: list[RecordFile]


def destroy(
    services: Services,
    principal: Principal,
    appraisal_id: int,
    *,
    confirm: str,
    addr: str | None,
    now: datetime | None = None,
) -> DestructionReport:
    """Destroy the dossiers the decision approved (admins; ``confirm`` is the decision number typed again)."""
    moment = now or utcnow()
    with transaction(services.factory) as session:
        appraisal = queries.get_readable(session, principal, appraisal_id)
        require_head(principal, appraisal, what="hủy tài liệu")
        refuse_unless_state(appraisal, APPROVED, what="hủy tài liệu")
        if confirm.strip() != (appraisal.decision_number or "").strip():
            raise Invalid(
                "APPRAISAL-CONFIRM-MISMATCH",
                "Số quyết định gõ lại không khớp với quyết định hủy đã ghi: không có tài liệu nào bị hủy.",
            )
        chosen = [d for d in queries.dossiers_of(session, appraisal) if d.state == DossierState.DESTRUCTION_APPROVED]
        if not chosen:
            raise Conflict("APPRAISAL-NOTHING-TO-DESTROY", "Quyết định không có hồ sơ nào phải hủy.")
        for dossier in chosen:
            lifecycle.check(session, principal, dossier, "destroy")  # role, state, a hold on the dossier
        _refuse_pending_transfers(session, appraisal, chosen)
        plan = plan_destruction(session, chosen)
        refuse_if_documents_held(session, plan.documents)
        _refuse_locked(services.blobs, plan)

        _delete_blobs(services.blobs, plan.keys)
        ids = [d.id for d in plan.documents]
        session.execute(delete(Derivative).where(Derivative.document_id.in_(ids)))
        session.execute(delete(PageImage).where(PageImage.document_id.in_(ids)))
        forget_pages(session, ids)  # page readings not joined yet hold the document's text too
        for doc in plan.documents:
            doc.text = None
            doc.destroyed_at = moment
            session.add(IndexOutbox(document_id=doc.id, op="delete"))
        for dossier in chosen:
            lifecycle.move(
                session,
                principal,
                dossier,
                "destroy",
                addr=addr,
                details={"appraisal_id": appraisal.id, "documents": plan.by_dossier.get(dossier.id, [])},
            )
        appraisal.state = DESTROYED
        appraisal.destroyed_by = principal.user_id
        appraisal.destroyed_at = moment
        session.flush()
        files = _record_of_destruction(services, session, principal, appraisal, plan, moment, addr)
        audit.record(
            session,
            principal=principal,
            action="appraisal.destroy",
            object_type="appraisal",
            object_id=appraisal.id,
            client_addr=addr,
            details={
                "decision_number": appraisal.decision_number,
                "dossier_ids": [d.id for d in chosen],
                "document_ids": ids,
                "kept_document_ids": sorted(plan.kept),
                "deleted_blobs": len(plan.keys),
                "files": [{"what": f.what, "size": f.size, "sha256": f.sha256} for f in plan.files],
                "record_files": [f.id for f in files],
            },
            office_id=appraisal.office_id,
        )
        return DestructionReport(
            appraisal=appraisal,
            dossier_ids=[d.id for d in chosen],
            destroyed_document_ids=ids,
            kept_document_ids=sorted(plan.kept),
            deleted_blobs=len(plan.keys),
            record_files=files,
        )


def _record_of_destruction(
    services: Services,
    session: Session,
    principal: Principal,
    appraisal: Appraisal,
    plan: Plan,
    moment: datetime,
    addr: str | None,
) -> list[RecordFile]:
    """Make and store the biên bản hủy, and put it and the danh mục under a legal hold (kept permanently)."""
    office = session.get(Office, appraisal.office_id)
    user = session.get(User, principal.user_id)
    sheet = sheets.bien_ban_huy(
        sheets.DestructionInput(
            appraisal=appraisal,
            office_name=office.name if office else "",
            office_code=office.code if office else "",
            at=moment,
            destroyer=(user.display_name or user.username) if user else principal.username,
            dossiers=tuple((d, len(plan.by_dossier.get(d.id, []))) for d in plan.dossiers),
            files=tuple(plan.files),
        )
    )
    made = store_appraisal_sheet(
        services, session, principal, appraisal, "bien-ban-huy", "bien-ban-huy", sheet, addr=addr
    )
    every = session.scalars(
        select(RecordFile).where(RecordFile.owner_type == "appraisal", RecordFile.owner_id == appraisal.id)
    )
    lock_keys(services.blobs, [f.storage_key for f in every], PERMANENT)
    return made
