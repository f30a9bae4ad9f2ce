"""Verify each signature of a PDF with pyHanko, offline: integrity, coverage, later changes, time, trust.

Two passes per signature when anchors are configured: the first (no anchors) reads what the signature holds
and proves its time (a timestamp token's, else the time the signer claims); the second builds the chain to
the operator's anchors *at that time*, so that a certificate that expired after signing still validates, as
an archive needs (revocation only from the file's DSS and the configured CRLs: the service runs offline).
A file pyHanko cannot read keeps what the PDF reader found, with ``error`` saying why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from indexers.signatures.certificate import describe, kind_of, organization_of
from indexers.signatures.trust import TrustStore
from schemas.parsed import DigitalSignature, LaterChanges, TrustProblem

_QUIET: Final = ("pyhanko", "pyhanko_certvalidator")
_NOT_READ: Final = "Không đọc được chữ ký số trong tệp để kiểm tra."


def _quiet() -> None:
    """pyHanko logs every failed chain with a traceback; the verdict is in the result, not the log."""
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _later_changes(status: Any) -> LaterChanges:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return LaterChanges.NONE
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION or status.docmdp_ok is False:
        return LaterChanges.OTHER
    level = status.modification_level
    if level is None or level == ModificationLevel.OTHER:
        return LaterChanges.OTHER
    if level == ModificationLevel.ANNOTATIONS:
        return LaterChanges.ANNOTATIONS
    return LaterChanges.SIGNATURES


def _trust_problem(indication: Any) -> TrustProblem:
    name = getattr(indication, "name", "") or ""
    if "REVOKED" in name:
        return TrustProblem.REVOKED
    if name in {"EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"}:
        return TrustProblem.EXPIRED
    if name == "NO_CERTIFICATE_CHAIN_FOUND":
        return TrustProblem.NO_CHAIN
    return TrustProblem.OTHER


_TRUST_DETAIL: Final = {
    TrustProblem.NO_CHAIN: "chứng thư không dẫn về chứng thư gốc tin cậy nào đã cấu hình",
    TrustProblem.EXPIRED: "chứng thư không còn hoặc chưa có hiệu lực tại thời điểm ký",
    TrustProblem.REVOKED: "chứng thư đã bị thu hồi tại thời điểm ký",
    TrustProblem.OTHER: "không xác thực được chuỗi chứng thư",
}


def _outside_validity(cert: Any, when: datetime | None) -> bool:
    if when is None:
        return False
    validity = cert["tbs_certificate"]["validity"].native
    start, end = validity.get("not_before"), validity.get("not_after")
    return bool((start is not None and when < start) or (end is not None and when > end))


def _context(trust: TrustStore | None, material: dict[str, list[Any]], moment: datetime | None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    anchors = list(trust.anchors) if trust is not None else []
    crls = [*(trust.crls if trust is not None else []), *material["crls"]]
    return ValidationContext(
        trust_roots=anchors,
        other_certs=material["certs"],
        crls=crls,
        ocsps=material["ocsps"],
        moment=moment,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _file_material(reader: Any) -> dict[str, list[Any]]:
    """Certificates, CRLs and OCSP answers in the file's Document Security Store (PAdES LTV), if it has one."""
    material: dict[str, list[Any]] = {"certs": [], "crls": [], "ocsps": []}
    try:
        from pyhanko.sign.validation.dss import DocumentSecurityStore

        dss = DocumentSecurityStore.read_dss(reader)
        context = dss.as_validation_context({"trust_roots": []})
    except Exception:  # noqa: BLE001 - no DSS, or a broken one: nothing to add
        return material
    material["certs"] = list(context.certificate_registry)
    material["crls"] = list(getattr(context, "_crls", []) or [])
    material["ocsps"] = list(getattr(context, "_ocsps", []) or [])
    return material


def _verify_one(
    embedded: Any, trust: TrustStore | None, material: dict[str, list[Any]], reader_time: str | None = None
) -> DigitalSignature:
    from pyhanko.sign.validation import validate_pdf_signature

    status = validate_pdf_signature(embedded, _context(None, material, None))
    cert = status.signing_cert
    described = describe(cert)
    kind = kind_of(described)
    stamp = status.timestamp_validity
    timestamped = bool(stamp is not None and stamp.intact and stamp.valid)
    stamped_at: datetime | None = stamp.timestamp if timestamped and stamp is not None else None
    claimed: datetime | None = status.signer_reported_dt
    when = stamped_at or claimed
    later = _later_changes(status)
    result = DigitalSignature(
        field_name=embedded.field_name,
        signer_name=described.common_name,
        signed_at=_iso(when) or reader_time,  # the /M entry when the CMS holds no signing time
        verified=True,
        kind=kind,
        organization=organization_of(described, kind),
        certificate=described,
        claimed_at=_iso(claimed),
        timestamped=timestamped,
        timestamp_at=_iso(stamped_at),
        intact=bool(status.intact),
        valid=bool(status.valid),
        covers_whole_document=later is LaterChanges.NONE,
        later_changes=later,
        digest_algorithm=str(status.md_algorithm) if status.md_algorithm else None,
    )
    if _outside_validity(cert, when):
        result.trust_problem = TrustProblem.EXPIRED
        result.trust_detail = _TRUST_DETAIL[TrustProblem.EXPIRED]
    if trust is None or not trust.configured:
        if result.trust_problem is not None:
            result.trusted = False if trust is not None and trust.configured else None
        return result
    # The second pass only builds the chain; pass one already analysed what changed after signing.
    checked = validate_pdf_signature(embedded, _context(trust, material, when or datetime.now(UTC)), skip_diff=True)
    result.trusted = bool(checked.trusted) and result.trust_problem is None
    if not result.trusted and result.trust_problem is None:
        problem = _trust_problem(checked.trust_problem_indic)
        result.trust_problem = problem
        result.trust_detail = _TRUST_DETAIL[problem]
    return result


def verify_pdf_signatures(
    path: Path, found: Sequence[DigitalSignature], trust: TrustStore | None = None
) -> list[DigitalSignature]:
    """Every signature of the PDF at ``path``, verified; ``found`` (the reader's own reading) when unreadable."""
    _quiet()
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
    except ImportError:  # pragma: no cover - pyHanko is a dependency
        return [s.model_copy(update={"error": _NOT_READ}) for s in found]
    results: list[DigitalSignature] = []
    try:
        with Path(path).open("rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            embedded_all = list(reader.embedded_signatures)
            material = _file_material(reader)
            for embedded in embedded_all:
                try:
                    reader_time = next((f.signed_at for f in found if f.field_name == embedded.field_name), None)
                    results.append(_verify_one(embedded, trust, material, reader_time))
                except Exception:  # noqa: BLE001 - one broken signature must not hide the others
                    results.append(
                        DigitalSignature(
                            field_name=embedded.field_name,
                            signer_name=_reader_name(found, embedded.field_name),
                            verified=True,
                            intact=False,
                            valid=False,
                            error="Chữ ký số hỏng: không kiểm tra được giá trị chữ ký.",
                        )
                    )
    except Exception:  # noqa: BLE001 - a file pyHanko cannot open: say so, keep the reader's reading
        return [s.model_copy(update={"error": _NOT_READ}) for s in found]
    return results


def _reader_name(found: Sequence[DigitalSignature], field_name: str | None) -> str | None:
    return next((s.signer_name for s in found if s.field_name == field_name), None)
