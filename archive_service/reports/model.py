"""The values a report is made of: computed once, then drawn as HTML, CSV, JSON, PDF and SVG."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from schemas.code_labels import code_label

ReportKind = Literal["document", "dossier", "office"]
TrendUnit = Literal["month", "quarter", "year"]


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
    # The báo cáo's issuer (the office report as a Party báo cáo of the office): the cấp ủy above the
    # Văn phòng, its place name, the office code of "Số …-BC/<code>". Empty when not known.
    committee_name: str | None = None
    place: str | None = None
    issuer_code: str | None = None


class Totals(BaseModel):
    """The headline counts, in the order the pages show them (each defined once: ``reports.counting``).

    ``errors``, ``warnings`` and ``infos`` count the findings of the documents' own checks (current
    versions, in the period); the dossier's completeness findings are counted apart (``dossier_*``),
    so that the summary, the office comparison and the tables by type and by period add up the same.
    """

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
    dossier_errors: int = 0
    dossier_warnings: int = 0
    superseded: int = 0  # versions replaced by a newer one: left out of every count


class RuleCount(BaseModel):
    """One rule code: how often it fired and in how many documents (a DOS-* row: the documents it names)."""

    code: str
    severity: str
    count: int
    documents: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        """The code in words (``schemas/code_labels.yaml``), beside it in the JSON report."""
        return code_label(self.code)


class TypeCount(BaseModel):
    """One tên loại: documents, documents with errors, findings."""

    document_type: str
    documents: int
    documents_with_errors: int
    errors: int
    warnings: int


class MonthCount(BaseModel):
    """One step of the trend (a month, a quarter or a year of the period): documents dated in it, their findings."""

    month: str  # "2024-03", "2024-Q1" or "2024" (see ``Report.trend_unit``)
    label: str = ""  # "03/2024", "Quý I/2024", "Năm 2024"
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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        """The code in words (``schemas/code_labels.yaml``), beside it in the JSON report."""
        return code_label(self.code)


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
    trend_unit: TrendUnit = "month"
    worst_documents: list[DocumentScore] = Field(default_factory=list)
    by_office: list[OfficeCount] = Field(default_factory=list)
    findings: list[FindingItem] = Field(default_factory=list)
    fields: list[FieldItem] = Field(default_factory=list)
