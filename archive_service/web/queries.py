"""Read helpers the search and report pages still call directly; the caller's rights in every query.

The queries themselves live in the catalog (``catalog.dossiers``), where the use cases call them too; the
document and dossier pages read through their use cases (``documents.service``, ``dossiers.service``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal, readable_dossiers
from archive_service.catalog.dossiers import office_names
from archive_service.catalog.dossiers import offices_open_to as offices
from archive_service.catalog.models import Dossier

__all__ = ["dossier_titles", "office_names", "offices"]


def dossier_titles(session: Session, principal: Principal, ids: list[int]) -> dict[int, str]:
    """Titles of the dossiers with these ids that the caller may read."""
    if not ids:
        return {}
    rows = session.execute(
        select(Dossier.id, Dossier.title).where(Dossier.id.in_(ids), readable_dossiers(principal))
    ).all()
    return {int(i): str(t) for i, t in rows}
