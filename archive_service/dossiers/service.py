"""Dossier use cases: each checks access, reads or writes, and leaves its audit event, in one transaction.

The API and the web pages call these and only render what they return.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive_service.catalog import audit, dossiers, findings, links
from archive_service.catalog.access import Principal, readable_dossiers
from archive_service.catalog.db import transaction
from archive_service.catalog.documents import get_readable as get_readable_document
from archive_service.catalog.dossier_list import DossierCriteria, cleared_for_whole, held_documents, list_page
from archive_service.catalog.models import (
    Document,
    DocumentStatus,
    Dossier,
    DossierLink,
    FindingRow,
    IndexOutbox,
    Job,
    JobKind,
    JobState,
    Office,
    Role,
)
from archive_service.catalog.versions import newer_versions
from archive_service.dossiers import by_document
from archive_service.dossiers.by_document import GroupedFindings
from archive_service.dossiers.checks import check_dossier, enqueue_dossier_check
from archive_service.dossiers.document_sort import DocumentSort, sort_documents
from archive_service.dossiers.selection import NothingSelected, SpooledZip, selected, write_zip
from archive_service.errors import AppError, Conflict
from archive_service.jobs.enqueue import enqueue
from archive_service.records.guards import refuse_unless_changeable
from archive_service.records.holds import refuse_if_documents_held
from archive_service.records.lifecycle import open_dossier_to_change, refuse_unless_open
from archive_service.services import Services
from schemas.api import DossierCreate, DossierOut, DossierUpdate, LinkResult

# The most documents the dossier page lists at once.
PAGE_DOCUMENTS = 500


# Record an action on a dossier in the caller's transaction (details scoped to the caller's clearance).
audit_event = audit.record_on_dossier


def create(services: Services, principal: Principal, data: DossierCreate, *, addr: str | None) -> DossierOut:
    """A new dossier in the caller's office (an admin may name another); archivists and admins; audited."""
    with transaction(services.factory) as session:
        dossier = dossiers.create(session, principal=principal, data=data)
        _record_change(session, principal, "dossier.create", dossier, addr, data.model_dump(mode="json"))
        return dossiers.to_out(session, dossier, principal)


def update(
    services: Services, principal: Principal, dossier_id: int, data: DossierUpdate, *, addr: str | None
) -> DossierOut:
    """Change a dossier's fields (archivist of its office, or admin); audited, and its check queued.

    Its meeting body, date or cấp ủy decide which documents it must hold, so every edit, from any edge,
    queues the dossier check.
    """
    with transaction(services.factory) as session:
        # A closed dossier's fields are kept as closed, a frozen one's too (409); its life moves through records/.
        current = open_dossier_to_change(session, principal=principal, dossier_id=dossier_id)
        sent = data.model_dump(mode="json", exclude_unset=True)
        before = DossierOut.model_validate(current).model_dump(mode="json", include=set(sent))
        dossier = dossiers.update(session, principal=principal, dossier_id=dossier_id, data=data)
        enqueue_dossier_check(session, dossier.id)
        # What changed, in the new values: the web form sends every field, the API only those given.
        details = {name: value for name, value in sent.items() if before.get(name) != value}
        _record_change(session, principal, "dossier.update", dossier, addr, details)
        return dossiers.to_out(session, dossier, principal)


def for_edit(services: Services, principal: Principal, dossier_id: int) -> Dossier:
    """The dossier to fill an edit form with, when the caller may change it (404 unseen, 403 read-only)."""
    with transaction(services.factory) as session:
        return dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)


def offices_for_new(services: Services, principal: Principal) -> list[Office]:
    """The offices a new dossier may be put in by the caller: any for an admin; none to pick for an archivist.

    Refused (403) to roles that may not create dossiers.
    """
    principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    if principal.role is not Role.ADMIN:
        return []
    with transaction(services.factory) as session:
        return dossiers.offices_open_to(session, principal)


def _record_change(
    session: Session, principal: Principal, action: str, dossier: Dossier, addr: str | None, details: dict[str, object]
) -> None:
    """Record a change to ``dossier``: its details are what the caller sent, not what they were shown."""
    audit.record(
        session,
        principal=principal,
        action=action,
        object_type="dossier",
        object_id=dossier.id,
        client_addr=addr,
        details=details,
        office_id=dossier.office_id,
    )


@dataclass(frozen=True)
class DossierListing:
    """A page of dossiers, how many match in all, their finding counts, and what the filters offer."""

    items: list[DossierOut]
    total: int
    office_names: dict[int, str]
    counts: dict[int, Counter[str]]
    years: list[int]
    offices: list[Office]


def list_dossiers(
    services: Services,
    principal: Principal,
    *,
    limit: int,
    offset: int,
    addr: str | None,
    via: str,
    criteria: DossierCriteria | None = None,
) -> DossierListing:
    """A page of the dossiers the caller may read that match ``criteria`` (counts at their clearance); audited."""
    criteria = criteria or DossierCriteria()
    with transaction(services.factory) as session:
        rows = list_page(session, principal, criteria, limit=limit, offset=offset)
        names = dossiers.office_names(session)
        offices = dossiers.offices_open_to(session, principal) if principal.sees_every_office else []
        audit.record(
            session,
            principal=principal,
            action="dossier.list",
            object_type="dossier",
            object_id=None,
            client_addr=addr,
            details={
                "via": via,
                "offset": offset,
                "shown": len(rows.items),
                "total": rows.total,
                **criteria.as_details(),
            },
            scoped=True,
        )
        return DossierListing(
            items=rows.items,
            total=rows.total,
            office_names=names,
            counts=rows.counts,
            years=rows.years,
            offices=offices,
        )


def view(services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str) -> DossierOut:
    """One dossier as the caller sees it; audited."""
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        audit_event(session, principal, "dossier.view", dossier, addr, via=via)
        return dossiers.to_out(session, dossier, principal)


@dataclass(frozen=True)
class DossierPage:
    """What the dossier page shows: the documents the caller may read, their findings counts, its own findings."""

    dossier: Dossier
    office_name: str
    documents: list[Document]
    total: int
    counts: dict[int, Counter[str]]
    findings: list[FindingRow]
    # The dossier findings grouped under the documents they name, and counted per document row.
    grouped: GroupedFindings
    # The listed documents a newer version replaces (old id → the newer one): shown as "Đã thay thế".
    superseded: dict[int, Document] = field(default_factory=dict)
    # The other dossiers of its office the caller may move documents into (empty for a reader).
    move_targets: list[Dossier] = field(default_factory=list)
    # Cleared for every document it holds: its page total (a sum over all of them) may be shown.
    cleared: bool = False


def page(
    services: Services,
    principal: Principal,
    dossier_id: int,
    *,
    addr: str | None,
    via: str,
    sort: DocumentSort = DocumentSort.UPLOADED,
) -> DossierPage:
    """One dossier with its readable documents (in the order asked) and the dossier findings the caller may see.

    Audited with the documents shown.
    """
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        docs, total = held_documents(session, principal, dossier_id, limit=PAGE_DOCUMENTS, offset=0)
        docs = sort_documents(docs, sort, findings.counts_per_document(session, [d.id for d in docs]))
        audit_event(session, principal, "dossier.view", dossier, addr, via=via, documents=[d.id for d in docs])
        own = findings.dossier_findings(session, principal, dossier.id)
        return DossierPage(
            dossier=dossier,
            office_name=dossiers.office_names(session).get(dossier.office_id, ""),
            documents=docs,
            total=total,
            counts=findings.counts_per_document(session, [d.id for d in docs]),
            findings=own,
            grouped=by_document.group(own, docs),
            superseded=newer_versions(session, principal, [d.id for d in docs]),
            move_targets=_move_targets(session, principal, dossier),
            cleared=cleared_for_whole(session, principal, dossier.id),
        )


# The most dossiers offered as where to move documents (the newest first); the rest by their number in the API.
MOVE_TARGETS = 200


def _move_targets(session: Session, principal: Principal, dossier: Dossier) -> list[Dossier]:
    """The other dossiers of the dossier's office that the caller may write into, newest meeting first."""
    if not principal.can_write_office(dossier.office_id):
        return []
    rows = session.scalars(
        select(Dossier)
        .where(Dossier.office_id == dossier.office_id, Dossier.id != dossier.id, readable_dossiers(principal))
        .order_by(Dossier.meeting_date.desc().nulls_last(), Dossier.id.desc())
        .limit(MOVE_TARGETS)
    )
    return list(rows)


def list_documents(
    services: Services, principal: Principal, dossier_id: int, *, limit: int, offset: int, addr: str | None, via: str
) -> tuple[list[Document], int]:
    """The documents of a dossier that the caller may read; audited with the ids shown."""
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        rows, total = held_documents(session, principal, dossier_id, limit=limit, offset=offset)
        audit_event(
            session, principal, "dossier.list-documents", dossier, addr, via=via, documents=[r.id for r in rows]
        )
        return rows, total


def dossier_findings(
    services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str
) -> list[FindingRow]:
    """The dossier's own findings that the caller may see; audited."""
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        rows = findings.dossier_findings(session, principal, dossier.id)
        audit_event(session, principal, "dossier.findings", dossier, addr, via=via, findings=len(rows))
        return rows


def check_now(
    services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str
) -> list[FindingRow]:
    """Run the dossier check now (it rewrites the stored findings: archivists of the office and admins only)."""
    with transaction(services.factory) as session:
        dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)
    check_dossier(services, dossier_id)
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        shown = findings.dossier_findings(session, principal, dossier.id)
        audit_event(session, principal, "dossier.check", dossier, addr, via=via, findings=len(shown))
        return shown


def link_document(
    services: Services, principal: Principal, dossier_id: int, document_id: int, *, addr: str | None, via: str
) -> LinkResult:
    """File a stored document in this dossier too: the same original, no copy of its bytes; audited.

    The caller must be able to write into the dossier (404 unseen, 403 read-only) and read the document
    (404 otherwise, as a missing one); both must be of one office. The dossier then lists and counts it,
    and its check is queued. Linking a document the dossier already holds changes nothing.
    """
    with transaction(services.factory) as session:
        dossier = dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)
        doc = get_readable_document(session, principal=principal, document_id=document_id)
        if doc.office_id != dossier.office_id:
            raise Conflict("DOCUMENT-LINK-OTHER-OFFICE", "Chỉ liên kết được văn bản của cùng đơn vị với hồ sơ.")
        refuse_unless_open(session, dossier)
        refuse_if_documents_held(session, [doc])
        linked = links.add_link(session, dossier_id=dossier.id, document=doc, user_id=principal.user_id)
        if linked:
            document_audit(
                session,
                principal,
                "document.link",
                doc,
                addr,
                via=via,
                dossier_id=dossier.id,
                home_dossier_id=doc.dossier_id,
            )
            enqueue_dossier_check(session, dossier.id)
            session.add(IndexOutbox(document_id=doc.id, op="upsert"))  # the index files it under this dossier too
        count = links.count_in_dossier(session, principal, dossier.id)
        return LinkResult(dossier_id=dossier.id, document_id=doc.id, linked=linked, document_count=count)


def download_zip(
    services: Services, principal: Principal, dossier_id: int, document_ids: list[int], *, addr: str | None, via: str
) -> SpooledZip:
    """The originals of the ticked documents as one ZIP (those the dossier holds and the caller may read).

    Each original is checked against its SHA-256 on the way into the ZIP; each is audited as a download of
    that document, and the ZIP as one event on the dossier. NothingSelected when no ticked id is readable.
    """
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        docs = selected(session, principal, dossier.id, document_ids)
        if not docs:
            raise NothingSelected()
        name = f"{dossier.title[:120].strip()}.zip"
    made = write_zip(services, docs, name)
    try:
        with transaction(services.factory) as session:
            for doc in docs:
                document_audit(session, principal, "document.download", doc, addr, via=via, zip_of_dossier=dossier_id)
            dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
            shown = [d.id for d in docs]
            audit_event(session, principal, "dossier.download-zip", dossier, addr, via=via, documents=shown)
    except BaseException:
        made.discard()
        raise
    return made


def check_again(
    services: Services, principal: Principal, dossier_id: int, document_ids: list[int], *, addr: str | None, via: str
) -> int:
    """Queue the ticked documents to be read and checked again (archivists of the office, admins); audited.

    A document already waiting for its check is not queued twice. Returns how many were queued.
    """
    with transaction(services.factory) as session:
        dossier = dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)
        docs = selected(session, principal, dossier.id, document_ids)
        queued = 0
        for doc in docs:
            principal.require_write(object_type="document", object_id=doc.id, office_id=doc.office_id, what="văn bản")
            if not _waiting_for_check(session, doc.id):
                enqueue(session, JobKind.PROCESS_DOCUMENT, document_id=doc.id)
                doc.status = DocumentStatus.STORED.value
                queued += 1
            document_audit(session, principal, "document.recheck", doc, addr, via=via, dossier=dossier.id)
        return queued


def remove_from_dossier(
    services: Services, principal: Principal, dossier_id: int, document_ids: list[int], *, addr: str | None, via: str
) -> int:
    """Take the ticked documents out of the dossier; the rows and the stored originals stay (archives never delete).

    A document linked into the dossier loses that link; one whose own dossier this is is marked removed from it
    (still readable by its id, in search and in the audit trail). Archivists of the office and admins; each
    removal audited on the document, the dossier's check queued. Returns how many were removed.
    """
    now = datetime.now(UTC)
    with transaction(services.factory) as session:
        dossier = dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)
        docs = selected(session, principal, dossier.id, document_ids)
        if docs:
            refuse_unless_open(session, dossier)
            refuse_unless_changeable(session, docs)
        for doc in docs:
            principal.require_write(object_type="document", object_id=doc.id, office_id=doc.office_id, what="văn bản")
            links.take_out(session, principal, dossier_id=dossier.id, document=doc, addr=addr, via=via, now=now)
        if docs:
            enqueue_dossier_check(session, dossier.id)
        return len(docs)


class MoveTargetMissing(AppError):
    """Documents were ticked to be moved, but no dossier to move them into was chosen."""

    def __init__(self) -> None:
        super().__init__("DOSSIER-MOVE-NO-TARGET", "Hãy chọn hồ sơ để chuyển văn bản đến.", status_code=400)


def move_to_dossier(
    services: Services,
    principal: Principal,
    dossier_id: int,
    document_ids: list[int],
    target_id: int | None,
    *,
    addr: str | None,
    via: str,
) -> int:
    """Move the ticked documents from this dossier into another of the same office; the originals never change.

    Nothing ticked (of what the dossier holds and the caller reads) moves nothing: 0. A document whose own
    dossier this is changes its dossier (and is no longer marked removed); one linked into this dossier has
    that link moved. A document the target already holds just leaves this dossier. The caller must write
    into both (the target unseen is 404, as a missing one); both dossiers' checks are queued, the index
    updated, each move audited on the document with where from and where to. Returns how many moved.
    """
    with transaction(services.factory) as session:
        dossier = dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)
        docs = selected(session, principal, dossier.id, document_ids)
        if not docs:
            return 0
        if target_id is None:
            raise MoveTargetMissing()
        target = dossiers.get_writable(session, principal=principal, dossier_id=target_id)
        if target.id == dossier.id:
            raise Conflict("DOSSIER-MOVE-SAME", "Văn bản đã ở trong hồ sơ này; hãy chọn một hồ sơ khác.")
        if target.office_id != dossier.office_id:
            raise Conflict("DOCUMENT-MOVE-OTHER-OFFICE", "Chỉ chuyển được văn bản sang hồ sơ khác của cùng đơn vị.")
        refuse_unless_open(session, dossier)
        refuse_unless_open(session, target)
        refuse_unless_changeable(session, docs)
        for doc in docs:
            principal.require_write(object_type="document", object_id=doc.id, office_id=doc.office_id, what="văn bản")
            already = links.is_in_dossier(session, dossier_id=target.id, document=doc)
            if doc.dossier_id == dossier.id:
                session.execute(
                    delete(DossierLink).where(DossierLink.dossier_id == target.id, DossierLink.document_id == doc.id)
                )
                doc.dossier_id = target.id
                doc.removed_from_dossier_at = None
            else:
                session.execute(
                    delete(DossierLink).where(DossierLink.dossier_id == dossier.id, DossierLink.document_id == doc.id)
                )
                if not already:
                    session.add(DossierLink(dossier_id=target.id, document_id=doc.id, linked_by=principal.user_id))
            session.add(IndexOutbox(document_id=doc.id, op="upsert"))
            document_audit(
                session, principal, "document.move", doc, addr, via=via, dossier=dossier.id, to_dossier=target.id
            )
        enqueue_dossier_check(session, dossier.id)
        enqueue_dossier_check(session, target.id)
        return len(docs)


def _waiting_for_check(session: Session, document_id: int) -> bool:
    waiting = session.scalar(
        select(Job.id).where(
            Job.kind == JobKind.PROCESS_DOCUMENT.value,
            Job.document_id == document_id,
            Job.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]),
        )
    )
    return waiting is not None


def document_audit(
    session: Session, principal: Principal, action: str, doc: Document, addr: str | None, **details: object
) -> None:
    """Record ``action`` on one document of a bulk action, under the document's office."""
    audit.record_on_document(session, principal, action, doc, addr, details or None)
