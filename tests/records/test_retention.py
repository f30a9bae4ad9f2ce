"""The retention schedule as data (issue 15 item 3): the shipped file, an admin's versioned edits, the page that
marks proposals, the finding DOS-RETENTION-BELOW-CONTENT (160-CV/TW) and ``minimum_retention`` for closing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document, Dossier, RetentionRule
from archive_service.retention import minimum_retention
from archive_service.retention.schedule import build_schedule, document_retention, dossier_group
from archive_service.retention.values import parse
from archive_service.workers.jobs import run_pending_jobs
from schemas.fields import DocumentFields
from schemas.retention_schedule import RETENTION_VALUE, SCHEDULE_PATH, load_schedule_file, shipped_schedule
from tests.conftest import Actor, Harness
from tests.corpus.generator import DocSpec, write_docx
from tests.records.closing_helpers import upload
from tests.web.conftest import Web, csrf_of, set_password

# ---------------------------------------------------------------- the shipped file


def test_the_shipped_schedule_loads_and_every_value_is_a_proposal_with_its_reasoning() -> None:
    schedule = load_schedule_file()
    assert schedule.version >= 1 and "35-HD/VPTW" in schedule.note and "160-CV/TW" in schedule.legal_basis
    assert len({g.code for g in schedule.groups}) == len(schedule.groups) >= 20
    for group in schedule.groups:
        assert group.confidence == "proposal", group.code  # no Party table row was read
        assert group.source.startswith("Đề xuất"), group.code
        assert RETENTION_VALUE.match(group.retention) and parse(group.retention).code == group.retention


def test_a_malformed_schedule_is_refused_when_read(tmp_path: Path) -> None:
    text = SCHEDULE_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "retention_schedule.yaml"
    broken.write_text(text.replace("retention: 10-nam", "retention: mười năm", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="retention_schedule.yaml"):
        load_schedule_file(broken)


def _fields(type_code: str | None, summary: str = "", document_type: str | None = None) -> DocumentFields:
    return DocumentFields(type_code=type_code, summary=summary, document_type=document_type)


@pytest.mark.parametrize(
    ("fields", "group", "retention"),
    [
        (_fields("NQ", "về phát triển kinh tế"), "VB-NGHI-QUYET", "vinh-vien"),
        (_fields("KL"), "VB-KET-LUAN", "vinh-vien"),
        (_fields("QĐ", "về việc thành lập Ban Chỉ đạo"), "VB-QUYET-DINH-TO-CHUC", "vinh-vien"),
        (_fields("QĐ", "phê duyệt dự toán hội nghị"), "VB-QUYET-DINH", "20-nam"),
        (_fields("BC", "tình hình tháng 5 năm 2024"), "VB-BAO-CAO-THANG-QUY", "20-nam"),
        (_fields("BC", "tổng kết công tác năm 2024"), "VB-BAO-CAO-NAM", "vinh-vien"),
        (_fields("CV", "V/v đôn đốc báo cáo"), "VB-CONG-VAN", "10-nam"),
        (_fields(None, "V/v trao đổi", "CÔNG VĂN"), "VB-CONG-VAN", "10-nam"),  # no ký hiệu loại: the tên loại
        (_fields("TB", "kết luận của Thường trực Tỉnh ủy"), "VB-THONG-BAO-KET-LUAN", "vinh-vien"),
    ],
)
def test_a_document_takes_the_first_group_it_matches(fields: DocumentFields, group: str, retention: str) -> None:
    found = document_retention(build_schedule({}), fields)
    assert found is not None and (found[1].code, found[0].code) == (group, retention)


def test_a_minutes_is_permanent_in_a_conference_dossier_only_and_an_unknown_type_has_no_group() -> None:
    schedule = build_schedule({})
    minutes = _fields("BB", "hội nghị lần thứ 12")
    meeting = Dossier(kind="hoi-nghi", meeting_body="BTV", title="Hội nghị Ban Thường vụ", retention="vinh-vien")
    work = Dossier(kind="cong-viec", title="Kiểm tra", retention="10-nam")
    assert document_retention(schedule, minutes, meeting)[0].permanent  # type: ignore[index]
    assert not document_retention(schedule, minutes, work)[0].permanent  # type: ignore[index]
    assert document_retention(schedule, _fields("XYZ")) is None
    assert dossier_group(schedule, meeting).code == "HS-HN-BTV"  # type: ignore[union-attr]
    congress = Dossier(kind="hoi-nghi", meeting_body="BCH", title="Đại hội Đảng bộ tỉnh lần thứ XX", retention="")
    assert dossier_group(schedule, congress).code == "HS-DAI-HOI"  # type: ignore[union-attr]


# ---------------------------------------------------------------- reading and editing (API)


def test_anyone_signed_in_reads_the_schedule_with_every_proposal_flagged(harness: Harness) -> None:
    h = harness
    for actor in (h.reader, h.archivist, h.other_archivist, h.admin):
        body = h.client.get("/api/v1/retention-schedule", headers=actor.headers)
        assert body.status_code == 200, body.text
        data = body.json()
        assert data["proposals"] == len(data["groups"]) and "35-HD/VPTW" in data["note"]
        assert {g["confidence"] for g in data["groups"]} == {"proposal"}
        assert all(g["version"] == 0 and g["scope"] == "shipped" for g in data["groups"])
    assert h.client.get("/api/v1/retention-schedule").status_code == 401


def _put(h: Harness, actor: Actor, code: str, body: dict[str, object]) -> dict[str, object]:
    response = h.client.put(f"/api/v1/retention-schedule/{code}", json=body, headers=actor.headers)
    return {"status": response.status_code, **response.json()}


def test_only_an_admin_edits_a_group_and_each_edit_is_a_new_audited_version(harness: Harness) -> None:
    h = harness
    for actor in (h.reader, h.archivist, h.other_archivist):
        refused = _put(h, actor, "VB-CONG-VAN", {"retention": "20-nam"})
        assert refused["status"] == 403 and refused["error"]["code"] == "AUTH-FORBIDDEN-ROLE"  # type: ignore[index]

    first = _put(h, h.admin, "VB-CONG-VAN", {"retention": "20-nam", "source": "Bảng thời hạn của Văn phòng, mục 5"})
    assert first["status"] == 200 and first["retention"] == "20-nam" and first["version"] == 1
    assert first["confidence"] == "proposal"  # kept when not given
    second = _put(h, h.admin, "VB-CONG-VAN", {"retention": "15-nam", "confidence": "read"})
    assert second["version"] == 2 and second["confidence"] == "read" and second["retention_label"] == "15 năm"

    schedule = h.client.get("/api/v1/retention-schedule", headers=h.reader.headers).json()
    edited = next(g for g in schedule["groups"] if g["code"] == "VB-CONG-VAN")
    assert (edited["retention"], edited["scope"], edited["edited_by"]) == ("15-nam", "all-offices", "admin")
    assert schedule["proposals"] == len(schedule["groups"]) - 1

    history = h.client.get("/api/v1/retention-schedule/VB-CONG-VAN/history", headers=h.reader.headers).json()
    versions = [(v["version"], v["retention"], v["current"]) for v in history["versions"]]
    assert versions == [(2, "15-nam", True), (1, "20-nam", False), (0, "10-nam", False)]
    assert history["versions"][1]["superseded_at"] is not None and history["versions"][0]["superseded_at"] is None

    with transaction(h.services.factory) as session:
        rows = session.scalars(select(RetentionRule).where(RetentionRule.group_code == "VB-CONG-VAN")).all()
        assert len(rows) == 2 and sum(r.superseded_at is None for r in rows) == 1
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.edit")).all()
        assert [(e.object_id, (e.details or {})["after"]) for e in events] == [
            ("VB-CONG-VAN", "20-nam"),
            ("VB-CONG-VAN", "15-nam"),
        ]


def test_an_office_edit_holds_for_that_office_only_over_the_edit_for_every_office(harness: Harness) -> None:
    h = harness
    assert _put(h, h.admin, "VB-HUONG-DAN", {"retention": "vinh-vien", "office": "VPHU"})["status"] == 200
    assert _put(h, h.admin, "VB-HUONG-DAN", {"retention": "30-nam"})["status"] == 200

    def value(actor: Actor, query: str = "") -> str:
        data = h.client.get(f"/api/v1/retention-schedule{query}", headers=actor.headers).json()
        return str(next(g for g in data["groups"] if g["code"] == "VB-HUONG-DAN")["retention"])

    assert value(h.other_archivist) == "vinh-vien"  # VPHU's own edit wins over the one for every office
    assert value(h.archivist) == "30-nam"
    assert value(h.admin, "?office=VPHU") == "vinh-vien"
    # An archivist of VPTU may not read VPHU's schedule: as if the office did not exist.
    hidden = h.client.get("/api/v1/retention-schedule?office=VPHU", headers=h.archivist.headers)
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "OFFICE-NOT-FOUND"


def test_bad_edits_are_refused_with_a_code_not_a_500(harness: Harness) -> None:
    h = harness
    bad = _put(h, h.admin, "VB-CONG-VAN", {"retention": "mười năm"})
    assert bad["status"] == 422 and bad["error"]["code"] == "RETENTION-INVALID"  # type: ignore[index]
    assert "vinh-vien" in bad["error"]["message"]  # type: ignore[index]
    missing = _put(h, h.admin, "VB-KHONG-CO", {"retention": "10-nam"})
    assert missing["status"] == 404 and missing["error"]["code"] == "RETENTION-GROUP-NOT-FOUND"  # type: ignore[index]
    assert _put(h, h.admin, "VB-CONG-VAN", {"retention": "10-nam", "confidence": "chac"})["status"] == 422
    history = h.client.get("/api/v1/retention-schedule/VB-KHONG-CO/history", headers=h.reader.headers)
    assert history.status_code == 404


# ---------------------------------------------------------------- the web page


def _login(h: Harness, username: str) -> TestClient:
    set_password(h.services, username)
    return Web(harness=h, client=h.client).login(username)


def test_the_page_marks_each_proposal_and_only_an_admin_gets_the_edit_form(harness: Harness) -> None:
    h = harness
    reader = _login(h, "doc")
    page = reader.get("/thoi-han-bao-quan")
    assert page.status_code == 200
    groups = len(shipped_schedule().groups)
    assert page.text.count(">Đề xuất</span>") == groups
    assert "35-HD/VPTW" in page.text and 'id="canh-bao-de-xuat"' in page.text
    assert 'href="/thoi-han-bao-quan"' in page.text  # the nav link
    group = reader.get("/thoi-han-bao-quan/VB-NGHI-QUYET")
    assert group.status_code == 200 and "Vĩnh viễn" in group.text and 'id="sua-nhom"' not in group.text
    refused = reader.post(
        "/thoi-han-bao-quan/VB-NGHI-QUYET", data={"retention": "10-nam", "csrf_token": csrf_of(group.text)}
    )
    assert refused.status_code == 403

    admin = _login(h, "admin")
    form = admin.get("/thoi-han-bao-quan/VB-CONG-VAN")
    assert 'id="sua-nhom"' in form.text
    bad = admin.post("/thoi-han-bao-quan/VB-CONG-VAN", data={"retention": "abc", "csrf_token": csrf_of(form.text)})
    assert bad.status_code == 422 and "không hợp lệ" in bad.text
    saved = admin.post(
        "/thoi-han-bao-quan/VB-CONG-VAN",
        data={"retention": "20-nam", "confidence": "secondary", "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    after = admin.get(saved.headers["location"])
    assert "Đã lưu phiên bản mới" in after.text and "Đang áp dụng" in after.text
    table = reader.get("/thoi-han-bao-quan").text
    assert table.count(">Đề xuất</span>") == groups - 1


def test_the_cli_lists_the_schedule(env: Path) -> None:
    from archive_service.cli import app

    result = CliRunner().invoke(app, ["retention", "list", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["proposals"] == len(data["groups"]) and data["office_code"] is None
    table = CliRunner().invoke(app, ["retention", "list"])
    assert table.exit_code == 0 and "VB-CONG-VAN" in table.stdout and "Đề xuất" in table.stdout
    unknown = CliRunner().invoke(app, ["retention", "list", "--office", "KHONGCO"])
    assert unknown.exit_code == 2 and "OFFICE-NOT-FOUND" in unknown.output


# ---------------------------------------------------------------- DOS-RETENTION-BELOW-CONTENT, minimum


def _resolution(h: Harness, tmp_path: Path, retention: str) -> tuple[int, int]:
    """A dossier of ``retention`` holding one checked nghị quyết (NQ: permanent by the schedule)."""
    dossier = h.new_dossier(retention=retention, meeting_date="2024-03-01")
    path = tmp_path / f"nghi-quyet-{retention}.docx"
    base = DocSpec()
    # Distinct words per dossier: the same bytes uploaded twice in one office are one document (a duplicate).
    spec = dataclasses.replace(base, key=f"nq-{retention}", summary=f"{base.summary} (hồ sơ {retention})")
    write_docx(spec, path)
    document = upload(h, dossier, path.name, path.read_bytes())
    run_pending_jobs(h.services)
    checked = h.client.post(f"/api/v1/dossiers/{dossier}/check", headers=h.archivist.headers)
    assert checked.status_code == 200, checked.text
    return dossier, document


def _codes(h: Harness, dossier: int, actor: Actor) -> dict[str, dict[str, object]]:
    items = h.client.get(f"/api/v1/dossiers/{dossier}/findings", headers=actor.headers).json()["items"]
    return {str(f["code"]): f for f in items}


def test_a_ten_year_dossier_holding_a_resolution_is_flagged_and_a_permanent_one_is_not(
    harness: Harness, tmp_path: Path
) -> None:
    h = harness
    short, document = _resolution(h, tmp_path, "10-nam")
    finding = _codes(h, short, h.reader).get("DOS-RETENTION-BELOW-CONTENT")
    assert finding is not None, _codes(h, short, h.reader)
    assert finding["severity"] == "warning"  # the nghị quyết group is a proposal: a warning, not an error
    assert "160-CV/TW" in str(finding["clause"]) and "Nghị quyết" in str(finding["message"])
    permanent, _ = _resolution(h, tmp_path, "vinh-vien")
    assert "DOS-RETENTION-BELOW-CONTENT" not in _codes(h, permanent, h.reader)

    with transaction(h.services.factory) as session:
        dossier = session.get(Dossier, short)
        docs = session.scalars(select(Document).where(Document.dossier_id == short)).all()
        assert dossier is not None and [d.id for d in docs] == [document]
        assert minimum_retention(session, dossier, docs) == parse("vinh-vien")
        assert minimum_retention(session, dossier, []) is None


def test_the_finding_is_an_error_once_the_group_was_read_in_the_regulation(harness: Harness, tmp_path: Path) -> None:
    h = harness
    edited = _put(h, h.admin, "VB-NGHI-QUYET", {"retention": "vinh-vien", "confidence": "read"})
    assert edited["status"] == 200
    dossier, _ = _resolution(h, tmp_path, "20-nam")
    assert _codes(h, dossier, h.archivist)["DOS-RETENTION-BELOW-CONTENT"]["severity"] == "error"
    # Lowered for the office below the dossier's own value: nothing to flag.
    assert _put(h, h.admin, "VB-NGHI-QUYET", {"retention": "10-nam", "office": "VPTU"})["status"] == 200
    assert h.client.post(f"/api/v1/dossiers/{dossier}/check", headers=h.archivist.headers).status_code == 200
    assert "DOS-RETENTION-BELOW-CONTENT" not in _codes(h, dossier, h.archivist)
