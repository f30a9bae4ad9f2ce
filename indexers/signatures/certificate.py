"""What a signer's certificate says: its subject parts, and whether it names a person or a body.

Vietnamese CAs (Ban Cơ yếu Chính phủ's CA for state bodies, public CAs such as VNPT-CA, Viettel-CA) write a
body's certificate with the body's name as CN ("Ủy ban nhân dân tỉnh Quảng Ngãi") and a person's with the
person's name as CN and the body as O/OU; the UID carries "MST:"/"MNS:" (tax and budget codes, bodies) or
"CMND:"/"CCCD:"/"HC:" (identity numbers, persons).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Final

from indexers import textnorm
from schemas.parsed import SignatureCertificate, SignatureKind

_PERSON_IDS: Final = ("CMND", "CCCD", "HC", "CMT", "PASSPORT")
_BODY_IDS: Final = ("MST", "MNS", "MDV")
# Words a body's name starts with (folded, without diacritics); a Vietnamese person's name never does.
_BODY_STARTS: Final = (
    "uy ban",
    "ubnd",
    "hdnd",
    "hoi dong",
    "tinh uy",
    "thanh uy",
    "huyen uy",
    "quan uy",
    "thi uy",
    "dang uy",
    "dang bo",
    "dang doan",
    "chi bo",
    "ban ",
    "van phong",
    "so ",
    "trung tam",
    "cong thong tin",
    "bo ",
    "cong ty",
    "cuc ",
    "chi cuc",
    "tong cuc",
    "vien ",
    "truong ",
    "kho bac",
    "chinh phu",
    "quoc hoi",
    "mat tran",
    "lien doan",
    "toa an",
    "benh vien",
    "hoi ",
    "doan thanh nien",
    "bao ",
    "dai ",
    "phong ",
    "may chu",
    "thu tuong",
    "chu tich",
    "tinh ",
    "thanh pho",
    "xa ",
    "phuong ",
    "dac khu",
)


def fold(text: str | None) -> str:
    """Lower case, no diacritics, đ → d, one space between words: how two names are compared."""
    if not text:
        return ""
    return re.sub(r"[^0-9a-z]+", " ", textnorm.fold(text)).strip()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        parts = [str(v) for v in value if v]
        return ", ".join(parts) or None
    shown = str(value).strip()
    return shown or None


def _identifiers(uid: str | None) -> list[str]:
    if not uid:
        return []
    return [part.strip() for part in re.split(r"[,;]", uid) if part.strip()]


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


def describe(cert: Any) -> SignatureCertificate:
    """The subject parts, issuer, serial and validity of an asn1crypto ``x509.Certificate``."""
    native: dict[str, Any] = dict(cert.subject.native)
    validity = cert["tbs_certificate"]["validity"].native
    uid = _text(native.get("user_id"))
    return SignatureCertificate(
        subject=cert.subject.human_friendly,
        common_name=_text(native.get("common_name")),
        organization=_text(native.get("organization_name")),
        unit=_text(native.get("organizational_unit_name")),
        locality=_text(native.get("locality_name")),
        email=_text(native.get("email_address")),
        identifiers=_identifiers(uid),
        issuer=cert.issuer.human_friendly,
        serial=format(cert.serial_number, "x"),
        valid_from=_iso(validity.get("not_before")),
        valid_to=_iso(validity.get("not_after")),
    )


def looks_like_body(name: str | None) -> bool:
    """A name that starts the way the name of a body does ("Ủy ban nhân dân…", "Văn phòng…", "Sở…")."""
    folded = fold(name) + " "
    return any(folded.startswith(start) for start in _BODY_STARTS)


def kind_of(cert: SignatureCertificate) -> SignatureKind:
    """A person's certificate or a body's: by its identifiers first, then by how its CN reads."""
    prefixes = {part.split(":", 1)[0].strip().upper() for part in cert.identifiers if ":" in part}
    if prefixes & set(_PERSON_IDS):
        return SignatureKind.PERSON
    if looks_like_body(cert.common_name):
        return SignatureKind.ORGANIZATION
    if prefixes & set(_BODY_IDS):
        return SignatureKind.ORGANIZATION
    return SignatureKind.PERSON if cert.common_name else SignatureKind.ORGANIZATION


def organization_of(cert: SignatureCertificate, kind: SignatureKind) -> str | None:
    """The body a signature speaks for: a body's own name; a person's O (with the unit before it)."""
    if kind is SignatureKind.ORGANIZATION:
        return cert.common_name or cert.organization
    return cert.organization or cert.unit
