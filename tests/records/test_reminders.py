"""Reminders (issue 15 item 4) and DOS-TRANSFER-OVERDUE: closed dossiers fall in the right section by their
closing day and retention (NĐ 30/2020 Điều 30–31, Phụ lục VI), and another office's never appear."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Dossier, Role
from archive_service.config import get_settings
from archive_service.retention.findings import transfer_overdue
from archive_service.retention.reminders import reminders
from archive_service.retention.values import add_years_dt
from archive_service.services import open_services
from tests.conftest import Actor, Harness
from tests.web.conftest import PASSWORD, csrf_of, set_password

NOW = datetime(2031, 6, 15, 9, 0, tzinfo=UTC)


def _principal(h: Harness, actor: Actor) -> Principal:
    with transaction(h.services.factory) as session:
        user = accounts.get_user(session, actor.username)
        return Principal(user.id, user.username, Role(user.role), user.office_id, user.all_offices, user.clearance)


def _closed(
    h: Harness,
    actor: Actor,
    title: str,
    retention: str,
    closed_at: datetime,
    state: str = "closed",
    kept_until: date | None = None,
) -> int:
    """A dossier of ``actor``'s office arranged as closed on ``closed_at`` (state set directly: arranging)."""
    dossier_id = h.new_dossier(actor, title=title, kind="cong-viec", meeting_body=None)
    with transaction(h.services.factory) as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None  # a term under 5 years is not offered by the form: set here too
        dossier.state, dossier.closed_at, dossier.kept_until = state, closed_at, kept_until
        dossier.retention = retention
    return dossier_id


def _arrange(h: Harness, now: datetime) -> dict[str, int]:
    year_ago = add_years_dt(now, -1)
    return {
        "due": _closed(h, h.archivist, "Sắp đến hạn nộp lưu", "10-nam", year_ago + timedelta(days=10)),
        "due-today": _closed(h, h.archivist, "Đến hạn hôm nay", "vinh-vien", year_ago),
        "not-yet": _closed(h, h.archivist, "Còn xa hạn nộp lưu", "10-nam", year_ago + timedelta(days=45)),
        "overdue": _closed(h, h.archivist, "Quá hạn nộp lưu", "20-nam", year_ago - timedelta(days=5)),
        "short": _closed(h, h.archivist, "Hồ sơ 3 năm ở đơn vị", "3-nam", year_ago - timedelta(days=5)),
        "kept-over": _closed(h, h.archivist, "Giữ lại quá 2 năm", "10-nam", add_years_dt(now, -4), "kept-by-unit"),
        "kept-ok": _closed(
            h,
            h.archivist,
            "Giữ lại còn hạn",
            "10-nam",
            add_years_dt(now, -2),
            "kept-by-unit",
            kept_until=(now + timedelta(days=30)).date(),
        ),
        "kept-consent-over": _closed(
            h,
            h.archivist,
            "Giữ lại quá ngày được đồng ý",
            "10-nam",
            add_years_dt(now, -2),
            "kept-by-unit",
            kept_until=(now - timedelta(days=1)).date(),
        ),
        "expired-archive": _closed(
            h, h.archivist, "Hết hạn trong lưu trữ", "10-nam", add_years_dt(now, -11), "office-archive"
        ),
        "expired-unit": _closed(h, h.archivist, "Hết hạn ở đơn vị", "3-nam", add_years_dt(now, -4)),
        "permanent": _closed(h, h.archivist, "Vĩnh viễn", "vinh-vien", add_years_dt(now, -50), "office-archive"),
        "other-office": _closed(h, h.other_archivist, "Hồ sơ huyện quá hạn", "10-nam", add_years_dt(now, -3)),
    }


def _sections(h: Harness, actor: Actor, now: datetime | None) -> dict[str, set[int]]:
    found = reminders(h.services, _principal(h, actor), now=now)
    assert all(s.count == len(s.items) for s in found.sections)
    return {s.kind: {i.dossier_id for i in s.items} for s in found.sections}


def test_closed_dossiers_fall_in_the_right_section_at_a_chosen_now(harness: Harness) -> None:
    h = harness
    ids = _arrange(h, NOW)
    sections = _sections(h, h.archivist, NOW)
    assert sections == {
        "transfer-due": {ids["due"], ids["due-today"]},
        "transfer-overdue": {ids["overdue"]},
        "kept-overdue": {ids["kept-over"], ids["kept-consent-over"]},
        "retention-expired": {ids["expired-archive"], ids["expired-unit"]},
    }
    # The same dossiers, seen ten years earlier: nothing is due yet.
    assert _sections(h, h.archivist, add_years_dt(NOW, -10)) == {k: set() for k in sections}


def test_another_offices_dossiers_never_appear(harness: Harness) -> None:
    h = harness
    ids = _arrange(h, NOW)
    for actor in (h.archivist, h.reader):
        seen = set().union(*_sections(h, actor, NOW).values())
        assert ids["other-office"] not in seen
    assert _sections(h, h.other_archivist, NOW)["transfer-overdue"] == {ids["other-office"]}
    assert ids["other-office"] in _sections(h, h.admin, NOW)["transfer-overdue"]  # admins see every office


def test_the_api_and_the_page_show_todays_reminders_scoped_to_the_caller(harness: Harness) -> None:
    h = harness
    now = datetime.now(UTC)
    ids = _arrange(h, now)
    body = h.client.get("/api/v1/reminders", headers=h.reader.headers)
    assert body.status_code == 200, body.text
    data = body.json()
    by_kind = {s["kind"]: s for s in data["sections"]}
    assert [i["dossier_id"] for i in by_kind["transfer-overdue"]["items"]] == [ids["overdue"]]
    overdue = by_kind["transfer-overdue"]["items"][0]
    assert overdue["days"] == -5 and overdue["state_label"] == "Đã kết thúc" and overdue["office_code"] == "VPTU"
    assert "Hồ sơ huyện" not in body.text
    assert h.client.get("/api/v1/reminders").status_code == 401
    only = h.client.get("/api/v1/reminders?office=VPHU", headers=h.reader.headers).json()
    assert all(s["count"] == 0 for s in only["sections"])  # an office the reader may not see: nothing

    set_password(h.services, "doc")
    client = TestClient(h.client.app)
    login = client.get("/dang-nhap")
    response = client.post(
        "/dang-nhap",
        data={"username": "doc", "password": PASSWORD, "csrf_token": csrf_of(login.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get("/nhac-viec")
    assert page.status_code == 200
    assert f'href="/ho-so/{ids["overdue"]}"' in page.text and "quá 5 ngày" in page.text
    assert "Hồ sơ huyện quá hạn" not in page.text
    assert page.text.count("<section") == 4 and 'href="/nhac-viec"' in page.text


def test_the_overdue_finding_is_raised_by_the_dossier_check(harness: Harness) -> None:
    h = harness
    ids = _arrange(h, datetime.now(UTC))
    checked = h.client.post(f"/api/v1/dossiers/{ids['overdue']}/check", headers=h.archivist.headers)
    assert checked.status_code == 200, checked.text
    items = h.client.get(f"/api/v1/dossiers/{ids['overdue']}/findings", headers=h.reader.headers).json()["items"]
    (finding,) = [f for f in items if f["code"] == "DOS-TRANSFER-OVERDUE"]
    assert finding["severity"] == "error" and finding["clause"] == "NĐ 30/2020/NĐ-CP Điều 30, 31"
    for key in ("due", "short", "kept-ok"):
        h.client.post(f"/api/v1/dossiers/{ids[key]}/check", headers=h.archivist.headers)
        items = h.client.get(f"/api/v1/dossiers/{ids[key]}/findings", headers=h.reader.headers).json()["items"]
        assert "DOS-TRANSFER-OVERDUE" not in {f["code"] for f in items}, key


def test_the_overdue_rule_by_state_and_time(harness: Harness) -> None:
    h = harness
    ids = _arrange(h, NOW)
    with transaction(h.services.factory) as session:

        def codes(key: str, now: datetime) -> list[str]:
            dossier = session.get(Dossier, ids[key])
            assert dossier is not None
            return [f.code for f in transfer_overdue(session, dossier, [], now)]

        assert codes("overdue", NOW) == ["DOS-TRANSFER-OVERDUE"]
        assert codes("overdue", NOW - timedelta(days=6)) == []  # the day before its deadline
        assert codes("kept-over", NOW) == ["DOS-TRANSFER-OVERDUE"]
        assert codes("kept-ok", NOW) == []
        assert codes("expired-archive", NOW) == []  # already in the office archive
        assert codes("short", NOW) == []  # kept under 5 years: stays with the unit


def test_the_cli_prints_the_reminders_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archive_service.cli import app

    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        services = open_services(get_settings())
        with transaction(services.factory) as session:
            office = accounts.get_or_create_office(session, code="VP")
            user = accounts.create_user(session, username="vt", role=Role.ARCHIVIST, office=office)
            closed = add_years_dt(datetime.now(UTC), -1) - timedelta(days=3)
            session.add(
                Dossier(
                    office_id=office.id,
                    title="Hồ sơ công việc quá hạn",
                    kind="cong-viec",
                    retention="10-nam",
                    state="closed",
                    closed_at=closed,
                    created_by=user.id,
                )
            )
        services.close()
        result = CliRunner().invoke(app, ["reminders", "--json"])
        assert result.exit_code == 0, result.output
        sections = {s["kind"]: s for s in json.loads(result.stdout)["sections"]}
        assert sections["transfer-overdue"]["count"] == 1 and sections["transfer-due"]["count"] == 0
        text = CliRunner().invoke(app, ["reminders", "--office", "VP"])
        assert text.exit_code == 0 and "Hồ sơ công việc quá hạn" in text.stdout and "quá 3 ngày" in text.stdout
    finally:
        get_settings.cache_clear()
