"""The values that travel to and from the search index: one flat document per file, a query, a result.

The index is derived data: a ``SearchDocument`` is built from the catalog row, its ``DocumentFields``,
its findings and the extracted text, and can be rebuilt from them at any time.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import IntEnum
from typing import Final, Literal

from pydantic import BaseModel, Field, model_validator

from schemas.signature_state import SignatureState

ValidationStatus = Literal["ok", "warning", "error", "pending"]
# The signature filter: "signed" is any signature at all (checked or not, holding or not).
SignatureFilter = Literal["signed", "valid", "invalid", "unchecked", "unsigned"]
SIGNATURE_FILTERS: Final[dict[SignatureFilter, frozenset[SignatureState]]] = {
    "signed": frozenset({SignatureState.VALID, SignatureState.INVALID, SignatureState.UNCHECKED}),
    "valid": frozenset({SignatureState.VALID}),
    "invalid": frozenset({SignatureState.INVALID}),
    "unchecked": frozenset({SignatureState.UNCHECKED}),  # read before signatures were verified
    "unsigned": frozenset({SignatureState.UNSIGNED}),
}
SortOrder = Literal["relevance", "issued_on", "-issued_on", "uploaded_at", "-uploaded_at"]
FacetValue = str | int
FacetBucket = tuple[FacetValue, int]

MAX_RESULT_WINDOW: Final = 10_000  # deepest result reachable by paging (Elasticsearch's default window)
FACET_FIELDS: Final = (
    "document_type",
    "issuer",
    "office_id",
    "year",
    "validation_status",
    "finding_codes",
    "dossier_id",  # counted over every dossier that holds a document (``SearchDocument.dossier_ids``)
    "signature_state",  # unsigned | valid | invalid | unchecked (``schemas.signature_state``)
)


class SecrecyLevel(IntEnum):
    """Độ mật, ordered so that a caller cleared for a level sees that level and every lower one."""

    NONE = 0
    MAT = 1  # Mật
    TOI_MAT = 2  # Tối mật
    TUYET_MAT = 3  # Tuyệt mật


class SearchDocument(BaseModel):
    """One file as the index sees it: metadata for filters and facets, the title fields and the full text."""

    document_id: str
    office_id: int
    dossier_id: int | None = None  # the document's own (home) dossier, shown with a hit
    # Every dossier that holds it now: its own unless removed from it, and each it is linked into. The
    # dossier filter and facet read these. Not given, it is the home dossier alone.
    dossier_ids: list[int] = Field(default_factory=list)
    filename: str = ""
    text: str = ""  # the whole extracted text
    document_type: str | None = None  # tên loại, e.g. "QUYẾT ĐỊNH"
    summary: str | None = None  # trích yếu nội dung
    number: str | None = None  # số, e.g. "981"
    type_code: str | None = None  # ký hiệu loại, e.g. "QĐ"
    issuer_code: str | None = None  # ký hiệu cơ quan, e.g. "TU"
    symbol: str | None = None  # số và ký hiệu as written, e.g. "981-QĐ/TU"
    issuer: str | None = None  # cơ quan ban hành, e.g. "TỈNH ỦY THANH HÓA"
    issued_on: date | None = None
    year: int | None = None  # defaults to the year of issued_on
    secrecy: SecrecyLevel = SecrecyLevel.NONE
    validation_status: ValidationStatus = "pending"
    finding_codes: list[str] = Field(default_factory=list)
    uploaded_at: datetime
    # From ``schemas.signature_state.signature_state`` of the stored report: the signature filter reads it.
    signature_state: SignatureState = SignatureState.UNSIGNED

    @model_validator(mode="after")
    def _year_from_issued_on(self) -> SearchDocument:
        if self.year is None and self.issued_on is not None:
            self.year = self.issued_on.year
        return self

    @model_validator(mode="after")
    def _held_by_home_unless_told(self) -> SearchDocument:
        if "dossier_ids" not in self.model_fields_set and self.dossier_id is not None:
            self.dossier_ids = [self.dossier_id]
        self.dossier_ids = sorted(set(self.dossier_ids))  # one order, so that the content hash is stable
        return self

    def content_hash(self) -> str:
        """SHA-256 of everything indexed: a stored hash that differs from this one means a stale entry."""
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()


class SearchQuery(BaseModel):
    """What the caller typed, the filters, and what the caller may see (offices, clearance)."""

    q: str = ""  # words with or without diacritics, "quoted phrases", or a số và ký hiệu
    document_type: str | None = None
    issuer: str | None = None
    issuer_code: str | None = None
    office_ids: list[int] | None = None  # None: every office; [] matches nothing
    dossier_id: int | None = None  # the documents this dossier holds now (own and linked, not removed)
    year: int | None = None
    validation_status: ValidationStatus | None = None
    finding_code: str | None = None
    signature: SignatureFilter | None = None  # the documents whose signature state is one of SIGNATURE_FILTERS'
    issued_from: date | None = None  # ngày ban hành from this day (inclusive); undated documents then never match
    issued_to: date | None = None  # … to this day (inclusive)
    max_secrecy: SecrecyLevel = SecrecyLevel.NONE  # the caller's clearance
    sort: SortOrder = "relevance"
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=200)
    facet_size: int = Field(20, ge=0, le=200)  # buckets per facet; 0 computes no facets

    @model_validator(mode="after")
    def _within_result_window(self) -> SearchQuery:
        if self.page * self.page_size > MAX_RESULT_WINDOW:
            raise ValueError(f"page × page_size may not exceed {MAX_RESULT_WINDOW}: narrow the search")
        return self


class SearchHit(BaseModel):
    """One result: the fields a result list shows, and snippets marked ``<mark>…</mark>`` (HTML-escaped)."""

    document_id: str
    score: float
    office_id: int
    dossier_id: int | None = None  # its own (home) dossier
    dossier_ids: list[int] = Field(default_factory=list)  # every dossier that holds it now
    filename: str = ""
    document_type: str | None = None
    summary: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    issued_on: date | None = None
    year: int | None = None
    secrecy: SecrecyLevel = SecrecyLevel.NONE
    validation_status: ValidationStatus = "pending"
    signature_state: SignatureState = SignatureState.UNSIGNED
    uploaded_at: datetime | None = None
    highlights: list[str] = Field(default_factory=list)


class SearchResult(BaseModel):
    """The total number of matches, one page of hits, and facet counts over every match."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetBucket]] = Field(default_factory=dict)
