"""A document's digital signatures as the API and the document page show them, from the stored report.

The pipeline stores ``parse_info["signatures"]``: one ``validation.signatures.signature_json`` dict per
signature. Rows read before signatures were verified hold the old shape ``{signer_name, signed_at,
field_name}``; they are shown in the public shape with every verification key empty (``null``), and their state
is "signed, not checked" (``schemas.signature_state``), never "invalid": nothing was found wrong with them.

This module only reads what is stored: the caller has already been allowed to read the document (a signature's
signer, body and certificate are details of the document, shown only where the document may be read).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from archive_service.catalog.models import Document
from archive_service.validation.signatures import ROLE_LABELS, Role
from schemas.api import DocumentOut
from schemas.signature_state import STATE_LABELS, SignatureState, is_verified, signature_state

PUBLIC_KEYS: Final = (
    "field",
    "signer",
    "kind",
    "organization",
    "role",
    "signed_at",
    "signed_at_source",
    "timestamped",
    "intact",
    "valid",
    "covers_whole_document",
    "later_changes",
    "trusted",
    "trust_problem",
    "digest_algorithm",
    "certificate",
    "error",
    "problems",
)
KIND_LABELS: Final = {"person": "cá nhân", "organization": "cơ quan, tổ chức"}
CHANGE_LABELS: Final = {
    "signatures": "sau chữ ký này chỉ có thêm các chữ ký số khác (được phép)",
    "annotations": "sau khi ký có ghi chú hoặc hình vẽ thêm lên trang",
    "other": "tệp bị thêm hoặc sửa sau khi ký, ngoài các chữ ký sau",
}
TRUST_LABELS: Final = {
    "no-chain": "không có chuỗi chứng thư đến chứng thư gốc tin cậy đã cài",
    "expired": "chứng thư đã hết hạn vào thời điểm ký",
    "revoked": "chứng thư đã bị thu hồi",
}
ELECTRONIC_LABEL: Final = "Văn bản điện tử đã ban hành"
NONE_LABEL: Final = STATE_LABELS[SignatureState.UNSIGNED]  # "Không có chữ ký số"


def stored_rows(parse_info: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The rows of ``parse_info["signatures"]`` as stored (anything not a list of objects counts as none)."""
    rows = (parse_info or {}).get("signatures")
    if not isinstance(rows, list):
        return []
    return [row for row in rows if isinstance(row, Mapping)]


def public_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """One stored row in the public shape of ``check --json``'s "signatures" (old rows: verification empty)."""
    if is_verified(row):
        out = {key: row.get(key) for key in PUBLIC_KEYS}
        out["problems"] = [dict(p) for p in row.get("problems") or [] if isinstance(p, Mapping)]
        return out
    out = dict.fromkeys(PUBLIC_KEYS)
    out["field"] = row.get("field_name")
    out["signer"] = row.get("signer_name")
    out["signed_at"] = row.get("signed_at")
    out["signed_at_source"] = "claimed" if row.get("signed_at") else None
    out["problems"] = []
    return out


def public_signatures(parse_info: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The document's signatures for ``DocumentOut.signatures``."""
    return [public_row(row) for row in stored_rows(parse_info)]


def document_out(doc: Document) -> DocumentOut:
    """A document as the API shows it, its signatures included (every place that builds a DocumentOut)."""
    return DocumentOut.model_validate(doc).model_copy(update={"signatures": public_signatures(doc.parse_info)})


def document_state(parse_info: Mapping[str, Any] | None) -> SignatureState:
    """unsigned, valid, invalid or unchecked: the one definition, applied to the stored rows."""
    return signature_state(stored_rows(parse_info))


@dataclass(frozen=True)
class SignatureLine:
    """One signature on the document page, in words."""

    field: str | None
    signer: str
    kind: str | None  # cá nhân / cơ quan, tổ chức
    organization: str | None  # shown when it is not the signer's own name
    role: str | None  # người ký văn bản, cơ quan ban hành…
    signed_at: datetime | None
    when_proof: str  # whether a timestamp proves the time
    checked: bool  # False: stored before verification existed
    sound: bool  # intact, valid, nothing but later signatures after it
    integrity: str
    coverage: str
    trust: str
    trust_ok: bool | None
    issuer: str | None
    problems: list[dict[str, Any]]


@dataclass(frozen=True)
class SignaturePanel:
    """The signature panel: the state, each signature, and the office's electronic mark."""

    state: SignatureState
    state_label: str
    electronic: bool
    electronic_label: str
    signatures: list[SignatureLine]


def _when(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _integrity(row: Mapping[str, Any]) -> str:
    if row.get("intact") is True and row.get("valid") is True:
        return "Nguyên vẹn, chữ ký đúng"
    if row.get("intact") is False:
        return "Nội dung đã ký không còn nguyên vẹn"
    if row.get("valid") is False:
        return "Giá trị chữ ký không khớp với chứng thư"
    detail = row.get("error")
    return f"Không kiểm tra được: {detail}" if detail else "Không kiểm tra được"


def _coverage(row: Mapping[str, Any]) -> str:
    if row.get("covers_whole_document") is True:
        return "Bao trùm toàn bộ tệp"
    change = CHANGE_LABELS.get(str(row.get("later_changes")))
    if change:
        return f"Không bao trùm toàn bộ tệp: {change}"
    return "Không bao trùm toàn bộ tệp"


def _trust(row: Mapping[str, Any]) -> tuple[str, bool | None]:
    trusted = row.get("trusted")
    if trusted is True:
        return "Chứng thư tin cậy (có chuỗi đến chứng thư gốc đã cài)", True
    problem = row.get("trust_problem")
    if problem is not None or trusted is False:
        reason = TRUST_LABELS.get(str(problem)) or row.get("trust_detail") or "chuỗi chứng thư không hợp lệ"
        return f"Chứng thư không tin cậy: {reason}", False
    return "Chưa kiểm tra độ tin cậy của chứng thư (chưa cài chứng thư gốc tin cậy)", None


def _line(row: Mapping[str, Any]) -> SignatureLine:
    report = public_row(row)
    signer = report["signer"] or "Không rõ người ký"
    organization = report["organization"]
    cert = report["certificate"] if isinstance(report["certificate"], Mapping) else {}
    role = report["role"]
    when = _when(report["signed_at"])
    if not is_verified(row):
        return SignatureLine(
            field=report["field"],
            signer=signer,
            kind=None,
            organization=None,
            role=None,
            signed_at=when,
            when_proof="thời điểm do máy người ký ghi",
            checked=False,
            sound=False,
            integrity="Chưa kiểm tra chữ ký số",
            coverage="—",
            trust="—",
            trust_ok=None,
            issuer=None,
            problems=[],
        )
    if report["timestamped"]:
        proof = "có dấu thời gian chứng thực"
    else:
        proof = "không có dấu thời gian: thời điểm do máy người ký ghi" if when else "không ghi thời điểm ký"
    trust, trust_ok = _trust(row)
    sound = (
        report["intact"] is True
        and report["valid"] is True
        and report["later_changes"] in {None, "none", "signatures"}
        and not report["error"]
    )
    return SignatureLine(
        field=report["field"],
        signer=signer,
        kind=KIND_LABELS.get(str(report["kind"])),
        organization=organization if organization and organization != report["signer"] else None,
        role=ROLE_LABELS.get(Role(role)) if role in {r.value for r in Role} else None,
        signed_at=when,
        when_proof=proof,
        checked=True,
        sound=sound,
        integrity=_integrity(row),
        coverage=_coverage(row),
        trust=trust,
        trust_ok=trust_ok,
        issuer=cert.get("issuer") if isinstance(cert.get("issuer"), str) else None,
        problems=report["problems"],
    )


def signature_lines(rows: Iterable[Mapping[str, Any]]) -> list[SignatureLine]:
    """Each signature of a report (stored rows or ``Analysis.signatures``) in words, for the page and the CLI."""
    return [_line(row) for row in rows]


def signature_panel(parse_info: Mapping[str, Any] | None, *, electronic: bool) -> SignaturePanel:
    """What the document page's signature panel shows."""
    state = document_state(parse_info)
    return SignaturePanel(
        state=state,
        state_label=STATE_LABELS[state],
        electronic=electronic,
        electronic_label=ELECTRONIC_LABEL,
        signatures=signature_lines(stored_rows(parse_info)),
    )


__all__ = [
    "ELECTRONIC_LABEL",
    "NONE_LABEL",
    "SignatureLine",
    "SignaturePanel",
    "document_out",
    "document_state",
    "public_signatures",
    "signature_lines",
    "signature_panel",
    "stored_rows",
]
