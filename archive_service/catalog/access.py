"""Who is asking, and what they may see or change: the one place that decides, as query filters.

Every read of the catalog goes through these filters (documents, dossiers, their counts, findings, reports,
audit lines), so that a caller never learns a detail of a document above their clearance or of an office they
may not see — not even that it exists: an object the caller may not read answers 404 exactly as a missing one.
A write is refused with 403 only on an object the caller may read (their role or office does not allow it).
Both refusals carry a ``Refusal`` that the HTTP edges write to the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select, true
from sqlalchemy.orm import Session

from archive_service.catalog.models import Document, Dossier, Role
from archive_service.errors import Forbidden, NotFound, Refusal

WRITER_ROLES = frozenset({Role.ADMIN, Role.ARCHIVIST})


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: int
    username: str
    role: Role
    office_id: int
    all_offices: bool = False
    clearance: int = 0

    @property
    def sees_every_office(self) -> bool:
        return self.role in {Role.ADMIN, Role.AUDITOR} or self.all_offices

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden("AUTH-FORBIDDEN-ROLE", "Vai trò của bạn không được phép thực hiện thao tác này.")

    def can_write_office(self, office_id: int) -> bool:
        """Archivists write only into their own office; admins anywhere."""
        if self.role is Role.ADMIN:
            return True
        return self.role is Role.ARCHIVIST and office_id == self.office_id

    def require_write(self, *, object_type: str, object_id: int, office_id: int, what: str) -> None:
        """Refuse a change to an object the caller may read: by role first, then by office (403, audited)."""
        refusal = Refusal(self.user_id, object_type, str(object_id), office_id)
        if self.role not in WRITER_ROLES:
            raise Forbidden(
                "AUTH-FORBIDDEN-ROLE", f"Vai trò của bạn chỉ được xem, không được thay đổi {what}.", refusal=refusal
            )
        if not self.can_write_office(office_id):
            raise Forbidden(
                "AUTH-FORBIDDEN-OFFICE", f"Bạn không có quyền thay đổi {what} của đơn vị khác.", refusal=refusal
            )


def readable_dossiers(principal: Principal) -> ColumnElement[bool]:
    """The WHERE clause of the dossiers a caller may read."""
    if principal.sees_every_office:
        return true()
    return Dossier.office_id == principal.office_id


def readable_documents(principal: Principal) -> ColumnElement[bool]:
    """The WHERE clause of the documents a caller may read: office and secrecy clearance."""
    office = true() if principal.sees_every_office else Document.office_id == principal.office_id
    return and_(office, Document.secrecy_level <= principal.clearance)


def readable_document_ids(session: Session, principal: Principal, ids: set[int]) -> set[int]:
    """Of ``ids``, those the caller may read."""
    if not ids:
        return set()
    return set(session.scalars(select(Document.id).where(Document.id.in_(ids), readable_documents(principal))))


def hidden_or_missing(
    session: Session,
    principal: Principal,
    model: type[Document] | type[Dossier],
    object_id: int,
    *,
    code: str,
    message: str,
) -> NotFound:
    """The 404 for an object the caller may not read: the same answer whether it exists or not.

    When it exists, the error carries a ``Refusal`` that the HTTP edges write to the audit trail.
    """
    office_id = session.scalar(select(model.office_id).where(model.id == object_id))
    if office_id is None:
        return NotFound(code, message)
    object_type = "document" if model is Document else "dossier"
    return NotFound(code, message, refusal=Refusal(principal.user_id, object_type, str(object_id), office_id))
