"""The real signed PDFs of ``../shared/real-docs``: the service reports what their signatures hold.

No trust anchor is configured, so the only signature finding allowed is SIG-CERT-UNTRUSTED as information;
every signature must be read (signer, time), intact and valid. The two born-digital documents carry their
signer's own signature, whose name is the one the labels give. Analysed through the sandbox, as on intake.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final

import pytest
from pypdf import PdfReader

from archive_service.documents.processing import Analysis, analyse_file
from schemas.findings import Severity
from tests.corpus.session import need_tools, skip_unless
from tests.realdocs.labels import REAL_DOCS, Label, load_real_labels

FORBIDDEN: Final = {"SIG-INVALID", "SIG-MODIFIED-AFTER-SIGNING", "SIG-SIGNER-MISMATCH"}


def signature_fields(path: Path) -> list[str]:
    """The signed signature fields pypdf lists (independent of the verifier under test)."""
    fields = PdfReader(str(path)).get_fields() or {}
    return [name for name, f in fields.items() if f.get("/FT") == "/Sig" and f.get("/V") is not None]


@pytest.fixture(scope="module")
def signed() -> dict[str, tuple[Label, list[str], Analysis]]:
    skip_unless((REAL_DOCS / "labels.json").is_file(), f"no real documents at {REAL_DOCS} (labels.json)")
    need_tools("tesseract")
    labels = [label for label in load_real_labels(REAL_DOCS) if signature_fields(REAL_DOCS / label.name)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # each parse runs in its own sandboxed process
        analyses = list(pool.map(lambda label: analyse_file(REAL_DOCS / label.name, timeout_s=300), labels))
    return {
        label.name: (label, signature_fields(REAL_DOCS / label.name), analysis)
        for label, analysis in zip(labels, analyses, strict=True)
    }


def test_most_real_documents_are_signed(signed: dict[str, tuple[Label, list[str], Analysis]]) -> None:
    assert len(signed) >= 10
    assert {"05.signed.pdf"} <= set(signed)


def test_every_signature_is_read_intact_and_valid(signed: dict[str, tuple[Label, list[str], Analysis]]) -> None:
    for name, (_, fields, analysis) in signed.items():
        assert sorted(s["field"] for s in analysis.signatures) == sorted(fields), name
        for sig in analysis.signatures:
            where = f"{name} {sig['field']}"
            assert sig["signer"], where
            assert sig["signed_at"], where
            assert sig["intact"] is True and sig["valid"] is True, where
            assert sig["error"] is None, where
            assert sig["trusted"] is None, where  # no anchors configured
            assert sig["later_changes"] in ("none", "signatures"), where
        assert analysis.signatures[-1]["covers_whole_document"] is True, name


def test_no_signature_finding_beyond_the_unconfigured_trust(
    signed: dict[str, tuple[Label, list[str], Analysis]],
) -> None:
    for name, (_, _, analysis) in signed.items():
        codes = {(f.code, f.severity) for f in analysis.findings if f.code.startswith("SIG-")}
        assert not {c for c, _ in codes} & FORBIDDEN, (name, codes)
        assert codes <= {("SIG-CERT-UNTRUSTED", Severity.INFO)}, (name, codes)


def test_born_digital_documents_carry_their_signers_signature(
    signed: dict[str, tuple[Label, list[str], Analysis]],
) -> None:
    born_digital = [(label, analysis) for label, _, analysis in signed.values() if not label.scanned]
    assert {label.name for label, _ in born_digital} >= {"05.signed.pdf"}
    assert len(born_digital) == 2
    for label, analysis in born_digital:
        signers = [s["signer"] for s in analysis.signatures if s["role"] == "signer"]
        assert signers == [label.fields["signer_name"]], label.name
