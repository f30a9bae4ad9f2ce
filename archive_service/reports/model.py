"""The values a report is made of: computed once, then drawn as HTML, CSV, JSON, PDF and SVG."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

ReportKind = Literal["document", "dossier", "office"]


class ReportScope(BaseModel):
    """What the report covers and who made it."""

    kind: ReportKind
    title: str
    office_code: str | None = None  # None: every office the caller may see
    office_name: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    dossier_id: int | None = None
    document_id: int | None = None
    generated_at: datetime
    generated_by: str


class Totals(BaseModel):
    """The headline counts, in the order the pages show them."""

    documents: int = 0
    documents_checked: int = 0
    documents_ok: int = 0
    documents_with_warnings: int = 0
    documents_with_errors: int = 0
    documents_unreadable: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    dossier_findings: int = 0


class RuleCount(BaseModel):
    """One rule code: how often it fired and in how many documents."""

    code: str
    severity: str
    count: int
    documents: int


class TypeCount(BaseModel):
    """One tên loại: documents, documents with errors, findings."""

    document_type: str
    documents: int
    documents_with_errors: int
    errors: int
    warnings: int


class MonthCount(BaseModel):
    """One month of the period (the trend): documents dated in it and their findings."""

    month: str  # "2024-03"
    documents: int
    documents_with_errors: int
    errors: int
    warnings: int


class DocumentScore(BaseModel):
    """A document ranked by its findings (the documents with most errors)."""

    document_id: int
    filename: str
    symbol: str | None
    document_type: str | None
    issued_on: date | None
    validation_status: str
    errors: int
    warnings: int
    infos: int


class OfficeCount(BaseModel):
    """One office compared with the others, as in the provincial office's yearly review."""

    office_code: str
    office_name: str
    documents: int
    documents_with_errors: int
    errors: int
    warnings: int

    @property
    def error_rate(self) -> float:
        return self.documents_with_errors / self.documents if self.documents else 0.0


class FindingItem(BaseModel):
    """One finding listed in a document or dossier report."""

    document_id: int | None
    filename: str | None
    code: str
    severity: str
    clause: str
    message: str
    hint: str
    line: int | None = None
    text: str | None = None


class FieldItem(BaseModel):
    """One extracted element of a document, with its Vietnamese label."""

    label: str
    value: str


class Report(BaseModel):
    """Every count a report shows; each renderer reads only this."""

    scope: ReportScope
    totals: Totals
    by_rule: list[RuleCount] = Field(default_factory=list)
    by_type: list[TypeCount] = Field(default_factory=list)
    by_month: list[MonthCount] = Field(default_factory=list)
    worst_documents: list[DocumentScore] = Field(default_factory=list)
    by_office: list[OfficeCount] = Field(default_factory=list)
    findings: list[FindingItem] = Field(default_factory=list)
    fields: list[FieldItem] = Field(default_factory=list)
