"""One word for a document's digital signatures, for search filters and lists: from the stored report.

``parse_info["signatures"]`` holds, per signature, the report of ``check --json`` (``field``, ``signer``,
``intact``, ``valid``, ``later_changes``, ``problems``…); rows read before signatures were verified hold only
``signer_name``/``signed_at``/``field_name`` and count as signed but not checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Final

BROKEN: Final = frozenset({"SIG-INVALID", "SIG-MODIFIED-AFTER-SIGNING"})


class SignatureState(StrEnum):
    UNSIGNED = "unsigned"  # no digital signature
    VALID = "valid"  # every signature intact, its value checks, nothing changed after it
    INVALID = "invalid"  # at least one signature broken or the file changed after signing
    UNCHECKED = "unchecked"  # signed, but the signatures were not verified (read before verification existed)


STATE_LABELS: Final = {
    SignatureState.UNSIGNED: "Không có chữ ký số",
    SignatureState.VALID: "Chữ ký số hợp lệ",
    SignatureState.INVALID: "Chữ ký số không hợp lệ",
    SignatureState.UNCHECKED: "Có chữ ký số, chưa kiểm tra",
}


SHORT_LABELS: Final = {
    SignatureState.UNSIGNED: "Không có",
    SignatureState.VALID: "Hợp lệ",
    SignatureState.INVALID: "Không hợp lệ",
    SignatureState.UNCHECKED: "Chưa kiểm tra",
}
"""For a column headed "Chữ ký số" (the dossier's table of documents)."""


def is_verified(entry: Mapping[str, Any]) -> bool:
    """A stored row written by the verifier (the rows of before verification have no "intact")."""
    return "intact" in entry


def signature_state(report: Iterable[Mapping[str, Any]] | None) -> SignatureState:
    """The state of a document's signatures from its stored report (``None`` or ``[]``: unsigned)."""
    entries = list(report or [])
    if not entries:
        return SignatureState.UNSIGNED
    if not all(is_verified(e) for e in entries):
        return SignatureState.UNCHECKED
    for entry in entries:
        codes = {p.get("code") for p in entry.get("problems") or [] if isinstance(p, Mapping)}
        if entry.get("intact") is not True or entry.get("valid") is not True or codes & BROKEN:
            return SignatureState.INVALID
    return SignatureState.VALID
