"""The operator's trust anchors (``ARCHIVE_SIGNATURE_TRUST_DIR``): PEM or DER root certificates, and CRLs.

Nothing is shipped: an office installs the roots it accepts (for Party and state bodies, the root of Ban Cơ
yếu Chính phủ's CA, "Cơ quan chứng thực số chuyên dùng Chính phủ (RootCA)", and the roots of the public CAs
licensed by the Ministry of Science and Technology that its correspondents use). Files ending in ``.crl`` are
certificate revocation lists, used offline; every other ``.pem``/``.crt``/``.cer``/``.der`` file is a
certificate (a PEM file may hold several).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

_CERT_SUFFIXES: Final = (".pem", ".crt", ".cer", ".der")


@dataclass(frozen=True)
class TrustStore:
    """Anchors and CRLs as asn1crypto objects; empty when nothing is configured."""

    anchors: list[Any] = field(default_factory=list)
    crls: list[Any] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files that could not be read, for the log

    @property
    def configured(self) -> bool:
        return bool(self.anchors)


def _blocks(data: bytes) -> list[bytes]:
    """DER blocks of a PEM file (several certificates or CRLs in one file), or the file itself as DER."""
    from asn1crypto import pem

    if pem.detect(data):
        return [der for _, _, der in pem.unarmor(data, multiple=True)]
    return [data]


def load_trust_store(directory: Path | None) -> TrustStore:
    """Read the anchors and CRLs under ``directory`` (not recursive); an unreadable file is skipped and named."""
    if directory is None:
        return TrustStore()
    from asn1crypto import crl, x509

    anchors: list[Any] = []
    crls: list[Any] = []
    problems: list[str] = []
    folder = Path(directory)
    if not folder.is_dir():
        return TrustStore(problems=[f"{folder}: không phải thư mục"])
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in (*_CERT_SUFFIXES, ".crl"):
            continue
        try:
            for der in _blocks(path.read_bytes()):
                if suffix == ".crl":
                    loaded_crl = crl.CertificateList.load(der)
                    _ = loaded_crl.native  # parse now: a broken file fails here, not during a verification
                    crls.append(loaded_crl)
                else:
                    cert = x509.Certificate.load(der)
                    _ = cert.subject.native
                    anchors.append(cert)
        except (ValueError, TypeError, OSError) as exc:
            problems.append(f"{path.name}: {exc}")
    return TrustStore(anchors=anchors, crls=crls, problems=problems)
