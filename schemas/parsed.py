"""ParsedDocument: what the parsers (indexers/) make of a file — text, styled lines, page setup.

Produced by ``indexers`` (DOCX, PDF, OCR); read by extraction and by the format checks, which need
to know how each line is set (font, size, bold, italic, underline, caps, alignment) and where it sits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, Field

_T = TypeVar("_T", bound=Hashable)


class Alignment(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"
    UNKNOWN = "unknown"


class Region(StrEnum):
    """Where a line sits in the document's structure."""

    BODY = "body"
    TABLE = "table"  # a cell of a (usually borderless) layout table: header block, signature block
    HEADER = "header"  # page header (phần đầu trang)
    FOOTER = "footer"
    TEXTBOX = "textbox"


class Run(BaseModel):
    """A stretch of text with one resolved style (every inherited property already applied)."""

    text: str
    font: str | None = None
    size_pt: float | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    caps: bool = False  # w:caps: rendered upper case whatever the stored text
    # PDF: the font the embedded one stands in for by metrics ("Times New Roman" for Liberation Serif)
    font_substitute_for: str | None = None


class CellRef(BaseModel):
    """Position of a line inside a table: which table, row and column (all 0-based)."""

    table: int
    row: int
    col: int


class TextLine(BaseModel):
    """One paragraph (DOCX) or one visual line (PDF, OCR), with its runs and position."""

    text: str
    page: int = 1  # 1-based; for DOCX an estimate (explicit page breaks only)
    index: int  # 0-based order in the document's reading order
    paragraph: int | None = None  # DOCX paragraph index in its container
    region: Region = Region.BODY
    cell: CellRef | None = None
    alignment: Alignment = Alignment.UNKNOWN
    runs: list[Run] = Field(default_factory=list)
    x_pt: float | None = None  # PDF/OCR: left edge from the page's left, in points
    y_pt: float | None = None  # PDF/OCR: top edge from the page's top, in points
    width_pt: float | None = None
    has_bottom_border: bool = False  # the rule under "ĐẢNG CỘNG SẢN VIỆT NAM" (w:pBdr/w:bottom)
    # OCR only: mean and lowest Tesseract word confidence of the line, 0..1 (None: printed text, read directly)
    ocr_confidence: float | None = None
    ocr_confidence_min: float | None = None

    @property
    def rendered_text(self) -> str:
        """The text as it prints: runs with caps applied upper-cased."""
        if not self.runs:
            return self.text
        return "".join(r.text.upper() if r.caps else r.text for r in self.runs)

    def _visible_runs(self) -> list[Run]:
        return [r for r in self.runs if r.text.strip()]

    @property
    def bold(self) -> bool:
        """True when every visible run is bold."""
        runs = self._visible_runs()
        return bool(runs) and all(r.bold for r in runs)

    @property
    def italic(self) -> bool:
        runs = self._visible_runs()
        return bool(runs) and all(r.italic for r in runs)

    @property
    def underline(self) -> bool:
        runs = self._visible_runs()
        return bool(runs) and all(r.underline for r in runs)

    @property
    def size_pt(self) -> float | None:
        """The size of most of the visible characters."""
        return _dominant(self._visible_runs(), lambda r: r.size_pt)

    @property
    def font(self) -> str | None:
        return _dominant(self._visible_runs(), lambda r: r.font)


def _dominant(runs: list[Run], key: Callable[[Run], _T | None]) -> _T | None:
    weights: dict[_T, int] = {}
    for r in runs:
        value = key(r)
        if value is not None:
            weights[value] = weights.get(value, 0) + len(r.text.strip())
    if not weights:
        return None
    return max(weights, key=lambda v: weights[v])


class PageSetup(BaseModel):
    """Paper and margins in millimetres (of the first section/page)."""

    width_mm: float | None = None
    height_mm: float | None = None
    margin_top_mm: float | None = None
    margin_bottom_mm: float | None = None
    margin_left_mm: float | None = None
    margin_right_mm: float | None = None
    different_first_page: bool = False
    has_page_numbers: bool = False


class SignatureKind(StrEnum):
    """Whose certificate signed: a person's (chữ ký số của người có thẩm quyền) or a body's (của cơ quan, tổ chức)."""

    PERSON = "person"
    ORGANIZATION = "organization"


class LaterChanges(StrEnum):
    """What the file gained after a signature (pyHanko's difference analysis of the later revisions)."""

    NONE = "none"  # the signature covers the whole file
    SIGNATURES = "signatures"  # only later signatures, their fields, timestamps and validation data (allowed)
    ANNOTATIONS = "annotations"  # comments or stamps drawn over the pages after signing
    OTHER = "other"  # anything else: the content may differ from what was signed


class TrustProblem(StrEnum):
    """Why a certificate was not trusted (only when trust anchors are configured, except ``EXPIRED``)."""

    NO_CHAIN = "no-chain"  # no path from the signer's certificate to a configured anchor
    EXPIRED = "expired"  # not valid at the signing time (expired, or not yet valid)
    REVOKED = "revoked"  # revoked at the signing time (by a CRL or OCSP answer in the file or the configuration)
    OTHER = "other"  # the path failed for another reason (key usage, a broken certificate)


class SignatureCertificate(BaseModel):
    """The signer's certificate as the file carries it: subject parts Vietnamese CAs fill in, issuer, validity."""

    subject: str | None = None  # the whole subject, readable
    common_name: str | None = None  # CN
    organization: str | None = None  # O
    unit: str | None = None  # OU
    locality: str | None = None  # L
    email: str | None = None
    identifiers: list[str] = Field(default_factory=list)  # UID parts: "MST:4300476238", "CCCD:…", "MNS:…"
    issuer: str | None = None  # the CA that issued it, readable
    serial: str | None = None  # hexadecimal
    valid_from: str | None = None  # ISO 8601
    valid_to: str | None = None


class DigitalSignature(BaseModel):
    """A ký số found in a PDF: who signed and when, and what its verification found (``indexers.signatures``).

    The first three fields are what the PDF reader reads itself; the rest come from the verifier (pyHanko) and
    keep their defaults when it did not run (``verified`` False, ``error`` says why).
    """

    signer_name: str | None = None  # the certificate's common name: a person's or a body's name
    signed_at: str | None = None  # ISO 8601: the timestamp's time when timestamped, else the time the signer claims
    field_name: str | None = None
    verified: bool = False  # the verifier read the signature (whatever it found)
    error: str | None = None  # why it could not be verified (Vietnamese)
    kind: SignatureKind | None = None
    organization: str | None = None  # the body: a body's own name, or the O of a person's certificate
    certificate: SignatureCertificate | None = None
    claimed_at: str | None = None  # the signing time the signer's computer wrote (not proof)
    timestamped: bool = False  # a valid timestamp token (RFC 3161) proves the time
    timestamp_at: str | None = None
    intact: bool | None = None  # the signed bytes hash to the signed digest
    valid: bool | None = None  # the signature value checks against the certificate's key
    covers_whole_document: bool | None = None  # the signed byte range is the whole file
    later_changes: LaterChanges | None = None
    digest_algorithm: str | None = None  # "sha256", "sha1"…
    trusted: bool | None = None  # None: no trust anchor configured, so the chain was not checked
    trust_problem: TrustProblem | None = None
    trust_detail: str | None = None  # the failure in words (Vietnamese), for the panel


class ParsedDocument(BaseModel):
    """Everything the checks need to know about a file's content and layout."""

    media_type: str  # application/pdf, or the DOCX media type
    page_count: int = 0
    page_setup: PageSetup = Field(default_factory=PageSetup)
    lines: list[TextLine] = Field(default_factory=list)
    ocr: bool = False
    ocr_confidence: float | None = None  # 0..100, mean word confidence from Tesseract
    ocr_pending: list[int] = Field(default_factory=list)  # pages without text left to page jobs (not yet read)
    ocr_pages_read: int = 0  # pages this reading recognised itself (not those page jobs recognised)
    signatures: list[DigitalSignature] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole text, one line per TextLine, in reading order."""
        return "\n".join(line.rendered_text for line in self.lines)
