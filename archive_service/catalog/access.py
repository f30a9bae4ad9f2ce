"""Who is asking, and what they may see: row-level rules expressed in the query itself."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, true

from archive_service.catalog.models import Document, Dossier, Role
from archive_service.errors import Forbidden


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


def readable_dossiers(principal: Principal) -> ColumnElement[bool]:
    """The WHERE clause of the dossiers a caller may read."""
    if principal.sees_every_office:
        return true()
    return Dossier.office_id == principal.office_id


def readable_documents(principal: Principal) -> ColumnElement[bool]:
    """The WHERE clause of the documents a caller may read: office and secrecy clearance."""
    office = true() if principal.sees_every_office else Document.office_id == principal.office_id
    return and_(office, Document.secrecy_level <= principal.clearance)
