"""Regressions of issue 10's leaks and access findings 1–4, on the embedded and the real backends."""

from __future__ import annotations

from sqlalchemy import func, select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Role
from archive_service.dossiers.checks import check_dossier
from tests.access.world import marker, read_as_worker
from tests.conftest import Actor, Harness, add_user
from tests.samples import tiny_docx, tiny_pdf
from tests.web.conftest import PASSWORD, set_password

SECRET = marker("VPTU", 3)  # the Tuyệt mật document's marker
PLAIN = marker("VPTU", 0)


def _upload(h: Harness, dossier: int, name: str, data: bytes, actor: Actor) -> dict:  # type: ignore[type-arg]
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents", files={"files": (name, data, "application/pdf")}, headers=actor.headers
    )
    assert response.status_code in (200, 201), response.text
    return dict(response.json()["items"][0])


def _dossier_with_a_secret(h: Harness) -> tuple[int, int, int]:
    """A dossier of VPTU holding a plain document and a Tuyệt mật one; both checked, dossier checked."""
    dossier = h.new_dossier(committee_name="TỈNH ỦY THANH HÓA", committee_code="TU", meeting_date="2024-03-05")
    plain = _upload(h, dossier, f"to-trinh-{PLAIN}.pdf", tiny_pdf("To trinh"), h.admin)["document"]["id"]
    secret = _upload(h, dossier, f"nghi-quyet-{SECRET}.pdf", tiny_pdf("Nghi quyet mat"), h.admin)["document"]["id"]
    read_as_worker(h.services, plain, office="VPTU", level=0)
    read_as_worker(h.services, secret, office="VPTU", level=3)
    findings = check_dossier(h.services, dossier)
    assert [f for f in findings if f.code == "DOS-ISSUER-MISMATCH" and SECRET in f.message]
    return dossier, plain, secret


def test_1_dossier_findings_hide_a_document_the_caller_may_not_read(harness: Harness) -> None:
    dossier, _, _ = _dossier_with_a_secret(harness)
    auditor = add_user(harness.services, "kiemtra", Role.AUDITOR, "VPTU", clearance=0)
    for actor in (harness.archivist, harness.reader, auditor):
        found = harness.client.get(f"/api/v1/dossiers/{dossier}/findings", headers=actor.headers)
        assert found.status_code == 200
        assert SECRET not in found.text
        assert PLAIN in found.text  # the finding about the plain document is still shown
        for fmt in ("json", "csv", "pdf"):
            report = harness.client.get(f"/api/v1/reports/dossiers/{dossier}?format={fmt}", headers=actor.headers)
            assert report.status_code == 200 and SECRET.encode() not in report.content
    admin = harness.client.get(f"/api/v1/dossiers/{dossier}/findings", headers=harness.admin.headers)
    assert SECRET in admin.text


def test_1_web_dossier_pages_hide_a_document_the_caller_may_not_read(harness: Harness) -> None:
    dossier, _, _ = _dossier_with_a_secret(harness)
    set_password(harness.services, harness.reader.username)
    client = type(harness.client)(harness.client.app)
    page = client.get("/dang-nhap")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/dang-nhap", data={"username": "doc", "password": PASSWORD, "csrf_token": token})
    for path in (f"/ho-so/{dossier}", f"/bao-cao/ho-so/{dossier}", f"/bao-cao/ho-so/{dossier}.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert SECRET not in response.text, path


def test_1_counts_count_only_what_the_caller_may_see(harness: Harness) -> None:
    dossier, _, _ = _dossier_with_a_secret(harness)
    mine = harness.client.get(f"/api/v1/dossiers/{dossier}", headers=harness.archivist.headers).json()
    listed = harness.client.get("/api/v1/dossiers", headers=harness.archivist.headers).json()["items"]
    everything = harness.client.get(f"/api/v1/dossiers/{dossier}", headers=harness.admin.headers).json()
    assert mine["document_count"] == 1 and everything["document_count"] == 2
    assert next(d for d in listed if d["id"] == dossier)["document_count"] == 1
    auditor = add_user(harness.services, "kiemtra0", Role.AUDITOR, "VPTU", clearance=0)
    low = harness.client.get("/api/v1/reports/offices?office=VPTU", headers=auditor.headers).json()
    high = harness.client.get("/api/v1/reports/offices?office=VPTU", headers=harness.admin.headers).json()
    assert low["totals"]["dossier_findings"] < high["totals"]["dossier_findings"]
    assert low["totals"]["documents"] == 1 and high["totals"]["documents"] == 2


def test_2_a_duplicate_of_a_document_the_caller_may_not_read_tells_nothing_of_it(harness: Harness) -> None:
    dossier, _, secret = _dossier_with_a_secret(harness)
    with transaction(harness.services.factory) as session:
        before = session.scalar(select(func.count()).select_from(Document))
    same_bytes = tiny_pdf("Nghi quyet mat")
    item = _upload(harness, dossier, "ban-sao.pdf", same_bytes, harness.archivist)
    assert item["duplicate"] is True
    assert item["document"] is None
    assert item["error"]["code"] == "UPLOAD-DUPLICATE-HIDDEN"
    response_text = str(item)
    assert SECRET not in response_text and str(secret) not in response_text
    with transaction(harness.services.factory) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == before
    # The admin, who may read it, is told which document it is.
    assert _upload(harness, dossier, "ban-sao.pdf", same_bytes, harness.admin)["document"]["id"] == secret


def test_3_another_offices_dossier_answers_as_a_missing_one(harness: Harness) -> None:
    theirs = harness.new_dossier(harness.other_archivist)
    missing = theirs + 1000
    for dossier_id in (theirs, missing):
        patch = harness.client.patch(
            f"/api/v1/dossiers/{dossier_id}", json={"meeting_number": "3"}, headers=harness.archivist.headers
        )
        upload = harness.client.post(
            f"/api/v1/dossiers/{dossier_id}/documents",
            files={"files": ("a.docx", tiny_docx("x"), "application/octet-stream")},
            headers=harness.archivist.headers,
        )
        got = harness.client.get(f"/api/v1/dossiers/{dossier_id}", headers=harness.archivist.headers)
        for response in (patch, upload, got):
            assert response.status_code == 404 and response.json()["error"]["code"] == "DOSSIER-NOT-FOUND"


def test_3_another_offices_report_answers_as_an_unknown_office(harness: Harness) -> None:
    known = harness.client.get("/api/v1/reports/offices?office=VPHU", headers=harness.reader.headers)
    unknown = harness.client.get("/api/v1/reports/offices?office=KHONGCO", headers=harness.reader.headers)
    assert known.status_code == unknown.status_code == 404
    assert known.json()["error"]["code"] == unknown.json()["error"]["code"] == "OFFICE-NOT-FOUND"
    assert harness.client.get("/api/v1/reports/offices?office=vptu", headers=harness.reader.headers).status_code == 200


def test_4_readers_and_auditors_may_not_rewrite_a_dossiers_findings(harness: Harness) -> None:
    dossier = harness.new_dossier()
    auditor = add_user(harness.services, "kiemtra1", Role.AUDITOR, "VPTU", clearance=3)
    for actor in (harness.reader, auditor):
        response = harness.client.post(f"/api/v1/dossiers/{dossier}/check", headers=actor.headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "AUTH-FORBIDDEN-ROLE"
    ok = harness.client.post(f"/api/v1/dossiers/{dossier}/check", headers=harness.archivist.headers)
    assert ok.status_code == 200
    trail = harness.client.get(
        f"/api/v1/audit?action=dossier.check&object_id={dossier}", headers=harness.admin.headers
    ).json()
    assert [e["username"] for e in trail["items"]] == ["vanthu"]


def test_4_a_reader_refused_a_write_in_the_own_office_is_told_it_is_the_role(harness: Harness) -> None:
    dossier = harness.new_dossier()
    response = harness.client.patch(
        f"/api/v1/dossiers/{dossier}", json={"meeting_number": "5"}, headers=harness.reader.headers
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "AUTH-FORBIDDEN-ROLE"
    upload = harness.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("a.docx", tiny_docx("y"), "application/octet-stream")},
        headers=harness.reader.headers,
    )
    assert upload.status_code == 403 and upload.json()["error"]["code"] == "AUTH-FORBIDDEN-ROLE"
