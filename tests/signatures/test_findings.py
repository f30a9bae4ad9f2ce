"""The SIG-* findings and the per-signature report on PDFs signed in the test under the test PKI.

Each case signs the generator's Party document (Tỉnh uỷ Điện Biên, signed by Trần Quốc Cường) and runs the
service's analysis on the bytes; the certificates are made by ``tests.signatures.pki``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archive_service.documents.processing import Analysis, analyse_file
from schemas.findings import Severity
from tests.signatures import pki
from tests.signatures.conftest import COPY, ORIGINAL, Check


def _sig_codes(analysis: Analysis) -> list[tuple[str, Severity]]:
    return [(f.code, f.severity) for f in analysis.findings if f.code.startswith("SIG-") or f.code == "FMT-COPY-MARK"]


def _only(analysis: Analysis) -> dict[str, Any]:
    assert len(analysis.signatures) == 1, analysis.signatures
    return analysis.signatures[0]


def test_a_valid_signature_without_anchors_is_intact_and_only_unchecked_for_trust(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check
) -> None:
    signed = pki.sign_as(party_pdfs[ORIGINAL], test_pki.person())
    analysis = check(signed)
    sig = _only(analysis)
    assert sig["signer"] == pki.PERSON_NAME
    assert sig["kind"] == "person"
    assert sig["role"] == "signer"
    assert (sig["intact"], sig["valid"], sig["covers_whole_document"]) == (True, True, True)
    assert sig["later_changes"] == "none"
    assert sig["trusted"] is None and sig["trust_problem"] is None
    assert sig["signed_at"] and sig["signed_at_source"] == "claimed"
    assert sig["certificate"]["organization"] == pki.PERSON_BODY
    assert _sig_codes(analysis) == [("SIG-CERT-UNTRUSTED", Severity.INFO)]
    assert [p["code"] for p in sig["problems"]] == ["SIG-CERT-UNTRUSTED"]


def test_a_valid_signature_under_a_configured_root_is_trusted_with_no_finding(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    signed = pki.sign_as(party_pdfs[ORIGINAL], test_pki.person())
    analysis = check(signed, trust_dir=trust_root)
    sig = _only(analysis)
    assert sig["trusted"] is True
    assert sig["problems"] == []
    assert _sig_codes(analysis) == []


def test_a_timestamp_token_gives_the_signing_time(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    signed = pki.sign_as(party_pdfs[ORIGINAL], test_pki.person(), timestamp=test_pki.tsa)
    sig = _only(check(signed, trust_dir=trust_root))
    assert sig["timestamped"] is True
    assert sig["signed_at_source"] == "timestamp"
    assert sig["trusted"] is True


def test_a_document_changed_after_signing(party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check) -> None:
    changed = pki.modify_after_signing(pki.sign_as(party_pdfs[ORIGINAL], test_pki.person()))
    analysis = check(changed)
    sig = _only(analysis)
    assert sig["intact"] is True  # the signed revision itself still checks
    assert sig["covers_whole_document"] is False
    assert sig["later_changes"] == "other"
    assert ("SIG-MODIFIED-AFTER-SIGNING", Severity.ERROR) in _sig_codes(analysis)
    assert "SIG-INVALID" not in [c for c, _ in _sig_codes(analysis)]


def test_bytes_changed_inside_the_signed_range(party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check) -> None:
    tampered = pki.tamper(pki.sign_as(party_pdfs[ORIGINAL], test_pki.person()))
    analysis = check(tampered)
    sig = _only(analysis)
    assert sig["intact"] is False
    assert ("SIG-INVALID", Severity.ERROR) in _sig_codes(analysis)
    assert "SIG-INVALID" in [p["code"] for p in sig["problems"]]


def test_a_root_the_office_did_not_configure(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_other: Path
) -> None:
    analysis = check(pki.sign_as(party_pdfs[ORIGINAL], test_pki.person()), trust_dir=trust_other)
    sig = _only(analysis)
    assert sig["trusted"] is False
    assert sig["trust_problem"] == "no-chain"
    assert _sig_codes(analysis) == [("SIG-CERT-UNTRUSTED", Severity.WARNING)]


def test_a_certificate_under_another_root(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    analysis = check(pki.sign_as(party_pdfs[ORIGINAL], test_pki.stranger()), trust_dir=trust_root)
    assert _only(analysis)["trust_problem"] == "no-chain"
    assert _sig_codes(analysis) == [("SIG-CERT-UNTRUSTED", Severity.WARNING)]


def test_an_expired_certificate_with_and_without_anchors(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    signed = pki.sign_as(party_pdfs[ORIGINAL], test_pki.expired())
    for trust_dir in (None, trust_root):
        analysis = check(signed, trust_dir=trust_dir)
        sig = _only(analysis)
        assert sig["trust_problem"] == "expired", trust_dir
        assert sig["trusted"] is not True
        assert sig["intact"] is True and sig["valid"] is True
        assert _sig_codes(analysis) == [("SIG-CERT-UNTRUSTED", Severity.WARNING)], trust_dir


def test_a_certificate_revoked_by_a_configured_crl(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, tmp_path: Path
) -> None:
    revoked = test_pki.person(name="Lường Thị Mai")
    trust = pki.write_trust_dir(tmp_path / "trust", test_pki.root.cert, crl=test_pki.revocation_list(revoked))
    analysis = check(pki.sign_as(party_pdfs[ORIGINAL], revoked), trust_dir=trust)
    sig = _only(analysis)
    assert sig["trust_problem"] == "revoked"
    assert ("SIG-CERT-UNTRUSTED", Severity.WARNING) in _sig_codes(analysis)
    # The same CRL does not touch a certificate it does not list.
    fine = check(pki.sign_as(party_pdfs[ORIGINAL], test_pki.person()), trust_dir=trust)
    assert _only(fine)["trusted"] is True


def test_a_body_that_is_not_the_issuer(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    analysis = check(pki.sign_as(party_pdfs[ORIGINAL], test_pki.body("Tỉnh ủy Lai Châu")), trust_dir=trust_root)
    sig = _only(analysis)
    assert sig["kind"] == "organization"
    assert sig["role"] == "other"
    assert _sig_codes(analysis) == [("SIG-SIGNER-MISMATCH", Severity.WARNING)]
    mismatch = next(f for f in analysis.findings if f.code == "SIG-SIGNER-MISMATCH")
    assert "Tỉnh ủy Lai Châu" in mismatch.message


def test_a_person_who_is_not_the_signer(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    analysis = check(pki.sign_as(party_pdfs[ORIGINAL], test_pki.person(name="Lò Văn Phương")), trust_dir=trust_root)
    assert _only(analysis)["role"] == "other"
    assert _sig_codes(analysis) == [("SIG-SIGNER-MISMATCH", Severity.WARNING)]
    mismatch = next(f for f in analysis.findings if f.code == "SIG-SIGNER-MISMATCH")
    assert "Lò Văn Phương" in mismatch.message and pki.PERSON_NAME in mismatch.message


def test_two_signatures_person_then_body(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    once = pki.sign_as(party_pdfs[ORIGINAL], test_pki.person(), "NguoiKy")
    twice = pki.sign_as(once, test_pki.body(), "CoQuan")
    assert twice.startswith(once)  # an incremental update: the first signature's bytes are untouched
    analysis = check(twice, trust_dir=trust_root)
    first, second = analysis.signatures
    assert (first["field"], first["role"], first["signer"]) == ("NguoiKy", "signer", pki.PERSON_NAME)
    assert (second["field"], second["role"], second["signer"]) == ("CoQuan", "issuer", pki.BODY_NAME)
    assert first["covers_whole_document"] is False and first["later_changes"] == "signatures"
    assert second["covers_whole_document"] is True
    assert first["problems"] == [] and second["problems"] == []
    assert _sig_codes(analysis) == []


def test_without_anchors_two_signatures_give_one_information_finding_not_two(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check
) -> None:
    """No anchor configured is one fact about the service: one finding, while each signature's report says it."""
    twice = pki.sign_as(pki.sign_as(party_pdfs[ORIGINAL], test_pki.person(), "NguoiKy"), test_pki.body(), "CoQuan")
    analysis = check(twice)
    assert _sig_codes(analysis) == [("SIG-CERT-UNTRUSTED", Severity.INFO)]
    [finding] = [f for f in analysis.findings if f.code == "SIG-CERT-UNTRUSTED"]
    assert "2 chữ ký số" in finding.message
    assert all([p["code"] for p in s["problems"]] == ["SIG-CERT-UNTRUSTED"] for s in analysis.signatures)


def test_an_unsigned_document_marked_electronic(party_pdfs: dict[str, bytes], check: Check) -> None:
    assert ("SIG-MISSING", Severity.ERROR) in _sig_codes(check(party_pdfs[ORIGINAL], electronic=True))
    unmarked = check(party_pdfs[ORIGINAL])
    assert _sig_codes(unmarked) == [] and unmarked.signatures == []


def test_an_electronic_copy_signed_only_by_the_copying_body(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    analysis = check(pki.sign_as(party_pdfs[COPY], test_pki.body(pki.COPIER_NAME)), trust_dir=trust_root)
    assert _only(analysis)["role"] == "copier"
    copy_marks = [f for f in analysis.findings if f.code == "FMT-COPY-MARK"]
    assert len(copy_marks) == 1
    assert "người ký bản sao" in copy_marks[0].message and "cơ quan sao" not in copy_marks[0].message.split(":")[-1]
    assert "SIG-SIGNER-MISMATCH" not in [c for c, _ in _sig_codes(analysis)]


def test_an_electronic_copy_with_both_signatures(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    body = pki.sign_as(party_pdfs[COPY], test_pki.body(pki.COPIER_NAME), "CoQuanSao")
    both = pki.sign_as(body, test_pki.person(name="Lò Văn Phương"), "NguoiKySao")
    analysis = check(both, trust_dir=trust_root)
    assert [s["role"] for s in analysis.signatures] == ["copier", "copier"]
    assert _sig_codes(analysis) == []


def test_an_electronic_copy_signed_by_another_body(
    party_pdfs: dict[str, bytes], test_pki: pki.Pki, check: Check, trust_root: Path
) -> None:
    body = pki.sign_as(party_pdfs[COPY], test_pki.body("Văn phòng Tỉnh ủy Lai Châu"), "CoQuanSao")
    both = pki.sign_as(body, test_pki.person(name="Lò Văn Phương"), "NguoiKySao")
    analysis = check(both, trust_dir=trust_root)
    assert ("SIG-SIGNER-MISMATCH", Severity.WARNING) in _sig_codes(analysis)


def test_through_the_sandbox(party_pdfs: dict[str, bytes], test_pki: pki.Pki, trust_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(pki.sign_as(party_pdfs[ORIGINAL], test_pki.person()))
    analysis = analyse_file(path, media_type="application/pdf", trust_dir=trust_root)
    sig = _only(analysis)
    assert (sig["signer"], sig["role"], sig["intact"], sig["trusted"]) == (pki.PERSON_NAME, "signer", True, True)
    assert _sig_codes(analysis) == []
