"""Saved searches (tìm kiếm đã lưu): each user keeps named searches and runs them again.

A saved search keeps the words and filters, never results nor the scope of the moment it was saved: run
again, it is scoped to the user as they are then (``search_for``), so a document they may no longer read —
or never could — is not in its results. Another user's saved search is 404, exactly as a missing one.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import func, select

from archive_service.catalog import audit
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import SavedSearch
from archive_service.errors import AppError, NotFound
from archive_service.search.service import check_period, search_for
from archive_service.services import Services
from schemas.saved_search import SavedQuery, SavedSearchIn, SavedSearchOut
from schemas.search import SearchResult

MAX_SAVED_PER_USER: Final = 100


def _out(row: SavedSearch) -> SavedSearchOut:
    return SavedSearchOut(
        id=row.id, name=row.name, query=SavedQuery.model_validate(row.query), created_at=row.created_at
    )


def _not_found() -> NotFound:
    return NotFound("SEARCH-SAVED-NOT-FOUND", "Không tìm thấy tìm kiếm đã lưu này.")


def list_saved_searches(services: Services, principal: Principal) -> list[SavedSearchOut]:
    """The caller's own saved searches, newest first."""
    with transaction(services.factory) as session:
        rows = session.scalars(
            select(SavedSearch)
            .where(SavedSearch.user_id == principal.user_id)
            .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
        )
        return [_out(r) for r in rows]


def get_saved_search(services: Services, principal: Principal, saved_id: int) -> SavedSearchOut:
    """One of the caller's saved searches; anyone else's is SEARCH-SAVED-NOT-FOUND (404)."""
    with transaction(services.factory) as session:
        row = session.get(SavedSearch, saved_id)
        if row is None or row.user_id != principal.user_id:
            raise _not_found()
        return _out(row)


def save_search(
    services: Services, principal: Principal, body: SavedSearchIn, *, addr: str | None = None, via: str = "api"
) -> SavedSearchOut:
    """Keep ``body`` as one of the caller's saved searches (at most MAX_SAVED_PER_USER); audited."""
    check_period(body.query.search_query())
    with transaction(services.factory) as session:
        count = session.scalar(select(func.count(SavedSearch.id)).where(SavedSearch.user_id == principal.user_id))
        if (count or 0) >= MAX_SAVED_PER_USER:
            raise AppError(
                "SEARCH-SAVED-TOO-MANY",
                f"Mỗi người lưu được tối đa {MAX_SAVED_PER_USER} tìm kiếm; hãy xóa bớt tìm kiếm cũ.",
                status_code=422,
            )
        row = SavedSearch(
            user_id=principal.user_id, name=body.name, query=body.query.model_dump(mode="json", exclude_defaults=True)
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            principal=principal,
            action="search.saved-create",
            object_type="saved-search",
            object_id=row.id,
            client_addr=addr,
            details={"via": via, "name": body.name},
        )
        return _out(row)


def delete_saved_search(
    services: Services, principal: Principal, saved_id: int, *, addr: str | None = None, via: str = "api"
) -> None:
    """Forget one of the caller's saved searches; audited. Anyone else's is 404."""
    with transaction(services.factory) as session:
        row = session.get(SavedSearch, saved_id)
        if row is None or row.user_id != principal.user_id:
            raise _not_found()
        session.delete(row)
        audit.record(
            session,
            principal=principal,
            action="search.saved-delete",
            object_type="saved-search",
            object_id=saved_id,
            client_addr=addr,
            details={"via": via, "name": row.name},
        )


def run_saved_search(
    services: Services,
    principal: Principal,
    saved_id: int,
    *,
    page: int = 1,
    page_size: int = 20,
    addr: str | None = None,
    via: str = "api",
) -> SearchResult:
    """Run one of the caller's saved searches as the caller is now (scope and clearance of today); audited."""
    saved = get_saved_search(services, principal, saved_id)
    query = saved.query.search_query(page=page, page_size=page_size)
    return search_for(services, principal, query, addr=addr, via=via)
