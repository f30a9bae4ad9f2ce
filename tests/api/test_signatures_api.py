"""The API shows each digital signature of a document (issue 16): GET /api/v1/documents/{id}, the dossier's
document list and POST /api/v1/check carry "signatures" in the shape of ``check --json``, only to callers who
may read the document; a signed PDF is still served byte-identical.

The file is a real signed PDF of a provincial People's Committee (``../shared/real-docs/05.signed.pdf``: the
signer's, then the body's and the Công báo's signatures, five in all); no trust anchor is configured, so each
signature is intact and valid and its chain unchecked (trusted null, SIG-CERT-UNTRUSTED as information).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import pytest
from sqlalchemy import update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness
from tests.corpus.session import skip_unless
from tests.realdocs.labels import REAL_DOCS

SIGNED: Final = REAL_DOCS / "05.signed.pdf"
SIGNER: Final = "Nguyễn Phước Bình"
# The keys the issue names for each signature, and the rest of the public shape (validation.signatures).
ISSUE_KEYS: Final = {
    "field",
    "signer",
    "organization",
    "signed_at",
    "timestamped",
    "intact",
    "covers_whole_document",
    "trusted",
    "problems",
}
ALL_KEYS: Final = ISSUE_KEYS | {
    "kind",
    "role",
    "signed_at_source",
    "valid",
    "later_changes",
    "trust_problem",
    "digest_algorithm",
    "certificate",
    "error",
}


@pytest.fixture
def signed_pdf() -> Path:
    skip_unless(SIGNED.is_file(), f"no real signed PDF at {SIGNED}")
    return SIGNED


def _stored(h: Harness, path: Path) -> tuple[int, int]:
    """Upload the file through the API and let the workers read and check it: (dossier id, document id)."""
    dossier = h.new_dossier()
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files=[("files", (path.name, path.read_bytes(), "application/pdf"))],
        headers=h.archivist.headers,
    )
    assert response.status_code == 201, response.text
    item = response.json()["items"][0]
    assert item["document"]["signatures"] == []  # not read yet
    while run_pending_jobs(h.services):
        pass
    return dossier, int(item["document"]["id"])


def _assert_report(signatures: list[dict[str, Any]]) -> None:
    assert len(signatures) == 5
    assert all(set(s) == ALL_KEYS for s in signatures), [sorted(s) for s in signatures]
    first = signatures[0]
    assert first["signer"] == SIGNER and first["kind"] == "person" and first["role"] == "signer"
    assert first["certificate"]["common_name"] == SIGNER
    assert all(s["intact"] is True and s["valid"] is True for s in signatures)
    assert all(s["timestamped"] is True and s["signed_at_source"] == "timestamp" for s in signatures)
    assert all(s["trusted"] is None for s in signatures)  # no anchor configured: the chain is not checked
    # Each earlier signature is followed only by later signatures; the last covers the whole file.
    assert [s["covers_whole_document"] for s in signatures] == [False, False, False, False, True]
    assert {s["later_changes"] for s in signatures[:4]} == {"signatures"}
    for s in signatures:
        assert [(p["code"], p["severity"]) for p in s["problems"]] == [("SIG-CERT-UNTRUSTED", "info")]


def test_a_signed_document_shows_each_signature_and_is_served_unchanged(harness: Harness, signed_pdf: Path) -> None:
    h = harness
    dossier, doc = _stored(h, signed_pdf)
    got = h.client.get(f"/api/v1/documents/{doc}", headers=h.reader.headers)
    assert got.status_code == 200, got.text
    assert got.json()["electronic"] is False
    _assert_report(got.json()["signatures"])

    listed = h.client.get(f"/api/v1/dossiers/{dossier}/documents", headers=h.reader.headers).json()["items"]
    assert [d["id"] for d in listed] == [doc]
    _assert_report(listed[0]["signatures"])

    content = h.client.get(f"/api/v1/documents/{doc}/content", headers=h.reader.headers)
    assert content.status_code == 200 and content.content == signed_pdf.read_bytes()


def test_no_signature_detail_reaches_a_caller_not_cleared_for_the_document(harness: Harness, signed_pdf: Path) -> None:
    h = harness
    dossier, doc = _stored(h, signed_pdf)
    secret = h.client.patch(f"/api/v1/documents/{doc}", json={"secrecy_level": 1}, headers=h.admin.headers)
    assert secret.status_code == 200, secret.text
    _assert_report(secret.json()["signatures"])  # the admin (cleared) still sees them

    for response in (
        h.client.get(f"/api/v1/documents/{doc}", headers=h.reader.headers),
        h.client.get(f"/api/v1/documents/{doc}", headers=h.other_archivist.headers),
    ):
        assert response.status_code == 404, response.text
        assert SIGNER not in response.text and "Quảng Ngãi" not in response.text
    listed = h.client.get(f"/api/v1/dossiers/{dossier}/documents", headers=h.reader.headers)
    assert listed.status_code == 200 and listed.json()["items"] == []
    assert SIGNER not in listed.text


def test_a_row_read_before_verification_shows_its_signatures_unchecked(harness: Harness, signed_pdf: Path) -> None:
    """The old shape {signer_name, signed_at, field_name}: shown in the public shape, verification empty."""
    h = harness
    _, doc = _stored(h, signed_pdf)
    old = [{"field_name": "Signature1", "signer_name": SIGNER, "signed_at": "2025-01-08T10:31:01+00:00"}]
    with transaction(h.services.factory) as session:
        session.execute(update(Document).where(Document.id == doc).values(parse_info={"signatures": old}))
    (row,) = h.client.get(f"/api/v1/documents/{doc}", headers=h.reader.headers).json()["signatures"]
    assert set(row) == ALL_KEYS
    assert (row["field"], row["signer"], row["signed_at"]) == ("Signature1", SIGNER, "2025-01-08T10:31:01+00:00")
    assert row["intact"] is None and row["valid"] is None and row["trusted"] is None and row["problems"] == []


def test_a_file_checked_without_storing_it_reports_its_signatures(harness: Harness, signed_pdf: Path) -> None:
    h = harness
    response = h.client.post(
        "/api/v1/check",
        files=[("file", (signed_pdf.name, signed_pdf.read_bytes(), "application/pdf"))],
        headers=h.reader.headers,
    )
    assert response.status_code == 200, response.text
    _assert_report(response.json()["signatures"])
    assert {f["code"] for f in response.json()["findings"]} >= {"SIG-CERT-UNTRUSTED"}


def test_a_file_checked_as_issued_electronically_without_a_signature_is_sig_missing(harness: Harness) -> None:
    """``electronic=true`` on /check: the office says the file is an issued electronic document (NĐ 30 Điều 5)."""
    from tests.samples import tiny_pdf

    h = harness

    def check(**fields: str) -> Any:
        return h.client.post(
            "/api/v1/check",
            files=[("file", ("khong-ky.pdf", tiny_pdf(), "application/pdf"))],
            data=fields,
            headers=h.reader.headers,
        )

    marked, plain, bad = check(electronic="true"), check(), check(electronic="co-le")
    assert marked.status_code == 200, marked.text
    missing = [f for f in marked.json()["findings"] if f["code"] == "SIG-MISSING"]
    assert [f["severity"] for f in missing] == ["error"] and marked.json()["signatures"] == []
    assert not [f for f in plain.json()["findings"] if f["code"] == "SIG-MISSING"]
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "REQUEST-INVALID"
    assert "electronic" in bad.json()["error"]["message"]
