"""Build the flat ``SearchDocument`` of one file from what the pipeline produced for it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from indexers.textnorm import canonical
from schemas.fields import DocumentFields
from schemas.findings import Finding, Severity
from schemas.search import SearchDocument, SecrecyLevel, ValidationStatus
from schemas.signature_state import signature_state

# Độ mật as printed on the document (Luật Bảo vệ bí mật nhà nước 2018, Điều 8).
_SECRECY_MARKS: Final = {
    "MẬT": SecrecyLevel.MAT,
    "TỐI MẬT": SecrecyLevel.TOI_MAT,
    "TUYỆT MẬT": SecrecyLevel.TUYET_MAT,
}


def symbol_of(fields: DocumentFields) -> str | None:
    """Số và ký hiệu as Party documents write it: '981-QĐ/TU' (number, type code, issuer code)."""
    if not fields.number:
        return None
    codes = "/".join(c for c in (fields.type_code, fields.issuer_code) if c)
    return f"{fields.number}-{codes}" if codes else fields.number


def validation_status(findings: Sequence[Finding] | None) -> ValidationStatus:
    """'pending' before the checks ran, else the worst severity found ('ok' when none)."""
    if findings is None:
        return "pending"
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return "error"
    if Severity.WARNING in severities:
        return "warning"
    return "ok"


def secrecy_of(fields: DocumentFields) -> SecrecyLevel:
    """The độ mật mark read from the document, or none."""
    mark = canonical(fields.secrecy).upper() if fields.secrecy else ""
    return _SECRECY_MARKS.get(mark, SecrecyLevel.NONE)


def build_search_document(
    *,
    document_id: str,
    office_id: int,
    dossier_id: int | None,
    filename: str,
    text: str,
    fields: DocumentFields,
    findings: Sequence[Finding] | None,
    uploaded_at: datetime,
    secrecy: int | None = None,
    dossier_ids: Sequence[int] | None = None,
    signatures: Iterable[Mapping[str, Any]] | None = None,
) -> SearchDocument:
    """One file's index entry; ``secrecy`` (the catalog's level) wins over the mark read from the text.

    ``dossier_ids`` are the dossiers that hold the file now (None: its own dossier alone). ``signatures`` is
    the stored signature report (``parse_info["signatures"]``); only its one-word state is indexed, never the
    signer or certificate, so the index holds nothing of a signature that the document's own row does not.
    """
    if dossier_ids is None:
        dossier_ids = [] if dossier_id is None else [dossier_id]
    return SearchDocument(
        document_id=document_id,
        office_id=office_id,
        dossier_id=dossier_id,
        dossier_ids=list(dossier_ids),
        filename=filename,
        text=text,
        document_type=fields.document_type,
        summary=fields.summary,
        number=fields.number,
        type_code=fields.type_code,
        issuer_code=fields.issuer_code,
        symbol=symbol_of(fields),
        issuer=fields.issuer,
        issued_on=fields.issued_on,
        secrecy=SecrecyLevel(secrecy) if secrecy is not None else secrecy_of(fields),
        validation_status=validation_status(findings),
        finding_codes=sorted({f.code for f in findings or ()}),
        uploaded_at=uploaded_at,
        signature_state=signature_state(signatures),
    )
