"""Saved searches (tìm kiếm đã lưu): a name and the words and filters of a search, never its results."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from schemas.search import SearchQuery, SignatureFilter, SortOrder, ValidationStatus

SavedName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class SavedQuery(BaseModel):
    """What a search asks, as a user may keep it: the same words and filters as ``GET /api/v1/search``."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field("", max_length=500)
    document_type: str | None = Field(None, max_length=200)
    issuer: str | None = Field(None, max_length=300)
    issuer_code: str | None = Field(None, max_length=64)
    office_id: int | None = Field(None, ge=1, le=2**63 - 1)
    dossier_id: int | None = Field(None, ge=1, le=2**63 - 1)
    year: int | None = Field(None, ge=1930, le=2100)
    validation_status: ValidationStatus | None = None
    finding_code: str | None = Field(None, max_length=64)
    signature: SignatureFilter | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    sort: SortOrder = "relevance"

    def search_query(self, *, page: int = 1, page_size: int = 20, facet_size: int = 20) -> SearchQuery:
        """The search this asks for, before the caller's scope is applied (the use case applies it)."""
        return SearchQuery(
            q=self.q.strip(),
            document_type=self.document_type,
            issuer=self.issuer,
            issuer_code=self.issuer_code,
            office_ids=[self.office_id] if self.office_id is not None else None,
            dossier_id=self.dossier_id,
            year=self.year,
            validation_status=self.validation_status,
            finding_code=self.finding_code,
            signature=self.signature,
            issued_from=self.issued_from,
            issued_to=self.issued_to,
            sort=self.sort,
            page=page,
            page_size=page_size,
            facet_size=facet_size,
        )


class SavedSearchIn(BaseModel):
    """A search to keep under a name of the user's choosing."""

    model_config = ConfigDict(extra="forbid")

    name: SavedName
    query: SavedQuery


class SavedSearchOut(BaseModel):
    """A kept search of the caller's."""

    id: int
    name: str
    query: SavedQuery
    created_at: datetime
