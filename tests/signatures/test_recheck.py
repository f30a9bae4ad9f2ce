"""After the operator installs a trust anchor, the signed documents read before are verified again (issue 16).

Signatures are verified when a document is read; ``documents.service.verify_signatures_again`` (CLI
``archive-service signatures recheck``) queues every signed document the caller may change. Both backends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent
from archive_service.cli.acting import principal_for
from archive_service.documents import service
from archive_service.errors import Forbidden
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness
from tests.samples import tiny_pdf
from tests.signatures import pki
from tests.signatures.conftest import ORIGINAL


def _upload(h: Harness, name: str, data: bytes) -> int:
    dossier = h.new_dossier()
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files=[("files", (name, data, "application/pdf"))],
        headers=h.archivist.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _signatures(h: Harness, document_id: int) -> list[dict[str, Any]]:
    response = h.client.get(f"/api/v1/documents/{document_id}", headers=h.archivist.headers)
    assert response.status_code == 200, response.text
    signatures: list[dict[str, Any]] = response.json()["signatures"]
    return signatures


def test_installing_the_root_and_rechecking_makes_the_signature_trusted(
    harness: Harness, test_pki: pki.Pki, party_pdfs: dict[str, bytes], trust_root: Path
) -> None:
    h = harness
    signed = _upload(h, "nghi-quyet.pdf", pki.sign_as(party_pdfs[ORIGINAL], test_pki.person()))
    unsigned = _upload(h, "khong-ky.pdf", tiny_pdf())
    while run_pending_jobs(h.services):
        pass
    [before] = _signatures(h, signed)
    assert before["trusted"] is None and before["intact"] is True
    assert [p["severity"] for p in before["problems"]] == ["info"]

    h.services.settings.signature_trust_dir = trust_root
    try:
        archivist = principal_for(h.services, "vanthu")
        other = principal_for(h.services, "vanthu-huyen")
        assert service.verify_signatures_again(h.services, other, addr="test", via="test") == 0  # not its office
        with pytest.raises(Forbidden):
            service.verify_signatures_again(h.services, principal_for(h.services, "doc"), addr="test", via="test")
        assert service.verify_signatures_again(h.services, archivist, addr="test", via="test") == 1
        while run_pending_jobs(h.services):
            pass
    finally:
        h.services.settings.signature_trust_dir = None
    [after] = _signatures(h, signed)
    assert after["trusted"] is True and after["problems"] == []
    assert _signatures(h, unsigned) == []
    with transaction(h.services.factory) as session:
        events = session.query(AuditEvent).filter(AuditEvent.action == "document.recheck").all()
        assert [e.object_id for e in events] == [str(signed)]
