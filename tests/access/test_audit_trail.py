"""The audit trail: every read and change of a scripted session shows in GET /api/v1/audit, for auditors only."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from archive_service.catalog.models import Role
from archive_service.cli import app as cli
from tests.access.world import marker, read_as_worker
from tests.conftest import Harness, add_user
from tests.samples import tiny_pdf
from tests.web.conftest import PASSWORD, set_password

SECRET = marker("VPTU", 2)


def _events(h: Harness, headers: dict[str, str], **params: str) -> list[dict]:  # type: ignore[type-arg]
    response = h.client.get("/api/v1/audit", params={"limit": "1000", **params}, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _script(h: Harness) -> tuple[int, int, int]:
    """An archivist's day, and a reader poking at a secret: returns (dossier, plain document, secret document)."""
    c, a = h.client, h.archivist.headers
    dossier = h.new_dossier()
    up = c.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("bien-ban.pdf", tiny_pdf("Bien ban"), "application/pdf")},
        headers=a,
    )
    doc = up.json()["items"][0]["document"]["id"]
    secret = c.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": (f"nghi-quyet-{SECRET}.pdf", tiny_pdf("Mat"), "application/pdf")},
        headers=h.admin.headers,
    ).json()["items"][0]["document"]["id"]
    read_as_worker(h.services, secret, office="VPTU", level=2)
    assert c.get("/api/v1/dossiers", headers=a).status_code == 200
    assert c.get(f"/api/v1/dossiers/{dossier}", headers=a).status_code == 200
    assert c.get(f"/api/v1/dossiers/{dossier}/documents", headers=a).status_code == 200
    assert c.get(f"/api/v1/dossiers/{dossier}/findings", headers=a).status_code == 200
    assert c.post(f"/api/v1/dossiers/{dossier}/check", headers=a).status_code == 200
    assert c.patch(f"/api/v1/dossiers/{dossier}", json={"meeting_number": "7"}, headers=a).status_code == 200
    assert c.get(f"/api/v1/documents/{doc}", headers=a).status_code == 200
    assert c.get(f"/api/v1/documents/{doc}/findings", headers=a).status_code == 200
    assert c.get(f"/api/v1/documents/{doc}/content", headers=a).status_code == 200
    assert c.patch(f"/api/v1/documents/{doc}", json={"secrecy_level": 0}, headers=a).status_code == 200
    assert c.get("/api/v1/search", params={"q": "biên bản"}, headers=a).status_code == 200
    assert c.get("/api/v1/reports/offices", headers=a).status_code == 200
    assert c.get(f"/api/v1/reports/dossiers/{dossier}", headers=a).status_code == 200
    assert c.get(f"/api/v1/reports/documents/{doc}?format=csv", headers=a).status_code == 200
    assert c.get(f"/api/v1/documents/{secret}", headers=h.reader.headers).status_code == 404
    theirs = h.new_dossier(h.other_archivist)
    assert c.get(f"/api/v1/dossiers/{theirs}", headers=h.reader.headers).status_code == 404
    made = c.post(
        "/api/v1/users",
        json={"username": "vanthu2", "office_code": "VPTU", "role": "archivist"},
        headers=h.admin.headers,
    )
    assert made.status_code == 201, made.text
    user_id = made.json()["user"]["id"]
    token = c.post(f"/api/v1/users/{user_id}/tokens", json={"label": "máy quét"}, headers=h.admin.headers)
    assert token.status_code == 201, token.text
    return dossier, doc, secret


def test_every_read_and_change_of_a_scripted_session_is_in_the_trail(harness: Harness) -> None:
    dossier, doc, secret = _script(harness)
    auditor = add_user(harness.services, "kiemtra", Role.AUDITOR, "VPTU", clearance=3)
    mine = {(e["action"], e["object_id"]) for e in _events(harness, auditor.headers, user="vanthu")}
    d, x = str(dossier), str(doc)
    for expected in [
        ("dossier.create", d),
        ("document.upload", x),
        ("dossier.list", None),
        ("dossier.view", d),
        ("dossier.list-documents", d),
        ("dossier.findings", d),
        ("dossier.check", d),
        ("dossier.update", d),
        ("document.view", x),
        ("document.findings", x),
        ("document.download", x),
        ("search.query", None),
        ("office.report", None),
        ("dossier.report", d),
        ("document.report", x),
    ]:
        assert expected in mine or (expected[0] == "office.report" and any(a == "office.report" for a, _ in mine)), (
            expected
        )
    by_admin = {e["action"] for e in _events(harness, auditor.headers, user="admin")}
    assert {"user.create", "token.create", "document.upload"} <= by_admin
    refused = _events(harness, auditor.headers, action="access.refused", user="doc")
    assert {(e["object_type"], e["object_id"]) for e in refused} >= {("document", str(secret))}
    assert any(e["object_type"] == "dossier" for e in refused)
    search = next(e for e in _events(harness, auditor.headers, action="search.query"))
    assert search["details"]["query"]["q"] == "biên bản" and "total" in search["details"]
    # Reading the trail is itself in the trail.
    assert _events(harness, auditor.headers, action="audit.read", user="kiemtra")


def test_the_trail_filters_by_office_action_prefix_object_and_period(harness: Harness) -> None:
    dossier, doc, _ = _script(harness)
    admin = harness.admin.headers
    about_doc = _events(harness, admin, object_type="document", object_id=str(doc))
    assert about_doc and all(e["object_id"] == str(doc) for e in about_doc)
    prefixed = _events(harness, admin, action="dossier.*")
    assert prefixed and all(e["action"].startswith("dossier.") for e in prefixed)
    other_office = _events(harness, admin, office="VPHU")
    assert other_office and all(e["office_code"] == "VPHU" for e in other_office)
    assert not _events(harness, admin, **{"from": "2000-01-01", "to": "2000-01-02"})
    bad = harness.client.get("/api/v1/audit?from=2024-02-01&to=2024-01-01", headers=admin)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "AUDIT-BAD-PERIOD"
    assert dossier


def test_an_auditor_without_clearance_sees_who_touched_a_secret_but_not_its_details(harness: Harness) -> None:
    _, _, secret = _script(harness)
    low = add_user(harness.services, "kiemtra0", Role.AUDITOR, "VPTU", clearance=0)
    response = harness.client.get("/api/v1/audit", params={"limit": "1000"}, headers=low.headers)
    assert SECRET not in response.text
    upload = next(
        e for e in response.json()["items"] if e["action"] == "document.upload" and e["object_id"] == str(secret)
    )
    assert upload["details"] is None and upload["redacted"] is True and upload["username"] == "admin"
    exported = harness.client.get("/api/v1/audit?format=csv", headers=low.headers)
    assert exported.status_code == 200 and SECRET not in exported.text


def test_only_auditors_and_admins_read_the_trail(harness: Harness) -> None:
    for actor in (harness.archivist, harness.reader):
        response = harness.client.get("/api/v1/audit", headers=actor.headers)
        assert response.status_code == 403 and response.json()["error"]["code"] == "AUTH-FORBIDDEN-ROLE"
    assert harness.client.get("/api/v1/audit").status_code == 401


def test_an_auditor_exports_the_trail_as_csv_that_a_spreadsheet_cannot_run(harness: Harness) -> None:
    dossier = harness.new_dossier(title='=HYPERLINK("http://x")')
    auditor = add_user(harness.services, "kiemtra2", Role.AUDITOR, "VPTU", clearance=3)
    response = harness.client.get("/api/v1/audit?format=csv&action=dossier.create", headers=auditor.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "nhat-ky-truy-cap.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã sự kiện" and len(rows) == 2
    assert rows[1][6] == str(dossier)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_web_trail_page_and_its_csv_are_for_auditors(harness: Harness) -> None:
    _script(harness)
    auditor = add_user(harness.services, "kiemtra3", Role.AUDITOR, "VPTU", clearance=0)
    for name in ("kiemtra3", "doc"):
        set_password(harness.services, name)
    client = type(harness.client)(harness.client.app)
    page = client.get("/dang-nhap")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/dang-nhap", data={"username": auditor.username, "password": PASSWORD, "csrf_token": token})
    trail = client.get("/nhat-ky?hanh_dong=document.upload")
    assert trail.status_code == 200 and "Nhật ký truy cập" in trail.text and "Tải lên văn bản" in trail.text
    assert SECRET not in trail.text and "ẩn: văn bản vượt quyền xem" in trail.text
    exported = client.get("/nhat-ky.csv?hanh_dong=document.upload")
    assert exported.status_code == 200 and SECRET not in exported.text
    assert client.get("/nhat-ky?tu_ngay=31/02/2024").status_code == 422  # as the API answers a bad date
    reader = type(harness.client)(harness.client.app)
    page = reader.get("/dang-nhap")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    reader.post("/dang-nhap", data={"username": "doc", "password": PASSWORD, "csrf_token": token})
    assert reader.get("/nhat-ky").status_code == 403


def test_the_operator_reads_and_exports_the_trail_from_the_command_line(harness: Harness, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dossier, _, _ = _script(harness)
    settings = harness.services.settings
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("ARCHIVE_DATABASE_URL", settings.database_url)
    from archive_service.config import get_settings

    get_settings.cache_clear()
    try:
        runner = CliRunner()
        shown = runner.invoke(cli, ["audit", "--action", "dossier.update", "--limit", "5"])
        assert shown.exit_code == 0, shown.output
        assert "dossier.update" in shown.output and "vanthu" in shown.output
        exported = runner.invoke(cli, ["audit", "--csv", "--object-type", "dossier", "--object-id", str(dossier)])
        assert exported.exit_code == 0
        rows = list(csv.reader(io.StringIO(exported.stdout_bytes.decode("utf-8-sig"))))
        assert {r[4] for r in rows[1:]} >= {"dossier.create", "dossier.update", "dossier.view"}
    finally:
        get_settings.cache_clear()


def test_counts_seen_at_a_higher_clearance_are_not_shown_to_a_lower_auditor(harness: Harness) -> None:
    """How many hits a cleared user's search had, or which documents a dossier showed them, hints at secrets."""
    dossier, _, secret = _script(harness)
    admin = harness.admin.headers  # clearance 3
    assert harness.client.get("/api/v1/search", params={"q": "nghị quyết"}, headers=admin).status_code == 200
    assert harness.client.get(f"/api/v1/dossiers/{dossier}/documents", headers=admin).status_code == 200
    assert harness.client.get("/api/v1/reports/offices?office=VPTU", headers=admin).status_code == 200
    low = add_user(harness.services, "kiemtra4", Role.AUDITOR, "VPTU", clearance=0)
    high = add_user(harness.services, "kiemtra5", Role.AUDITOR, "VPTU", clearance=3)
    for action in ("search.query", "dossier.list-documents", "office.report"):
        seen_low = _events(harness, low.headers, action=action, user="admin")
        seen_high = _events(harness, high.headers, action=action, user="admin")
        assert seen_low and all(e["details"] is None and e["redacted"] for e in seen_low), action
        assert seen_high and all(e["details"] for e in seen_high), action
    listing = _events(harness, high.headers, action="dossier.list-documents", user="admin")[0]
    assert secret in listing["details"]["documents"]
    # The archivist's own readings (clearance 0) stay readable to the clearance-0 auditor.
    mine = _events(harness, low.headers, action="dossier.list-documents", user="vanthu")
    assert mine and all(e["details"] is not None for e in mine)
