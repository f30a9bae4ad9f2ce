"""The appraisal pages and the ``archive-service appraisal`` commands walk the same path as the API: the expired
list, the proposal, the council, the decision, and a destruction that asks for the decision number again."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive_service.cli import app as cli_app
from archive_service.config import get_settings
from tests.conftest import Harness, build_harness, make_settings
from tests.records.test_appraisal import World, _doc, _state, _world
from tests.web.conftest import PASSWORD, csrf_of, set_password


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Harness]:
    for harness in build_harness(make_settings("embedded", tmp_path)):
        for name in ("admin", "vanthu", "doc"):
            set_password(harness.services, name)
        yield harness


def _login(h: Harness, username: str) -> tuple[object, str]:
    from fastapi.testclient import TestClient

    client = TestClient(h.client.app)
    page = client.get("/dang-nhap")
    done = client.post(
        "/dang-nhap",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return client, csrf_of(client.get("/xac-dinh-gia-tri").text)


def test_the_pages_propose_record_the_council_decide_and_destroy_after_the_number_is_typed_again(site: Harness) -> None:
    w: World = _world(site)
    archivist, a_csrf = _login(site, "vanthu")
    page = archivist.get("/xac-dinh-gia-tri")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "07.VPTU" in page.text and "08.VPTU" not in page.text
    made = archivist.post(  # type: ignore[attr-defined]
        "/xac-dinh-gia-tri", data={"csrf_token": a_csrf, "ho_so": [str(w.expired)]}, follow_redirects=False
    )
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    council = {"csrf_token": a_csrf, "thanh_vien": "Nguyễn Văn An\nLê Thị Bình", "ngay": "20/11/2026", "y_kien": "Hủy"}
    assert archivist.post(f"{url}/hoi-dong", data=council, follow_redirects=False).status_code == 303  # type: ignore[attr-defined]
    decision = {"csrf_token": a_csrf, "so": "15-QĐ/VPTU", "ngay": "25/11/2026", "nguoi_ky": "Trần Văn Cường"}
    assert archivist.post(f"{url}/quyet-dinh", data=decision).status_code == 403  # type: ignore[attr-defined]

    admin, csrf = _login(site, "admin")
    decision["csrf_token"] = csrf
    assert admin.post(f"{url}/quyet-dinh", data=decision, follow_redirects=False).status_code == 303  # type: ignore[attr-defined]
    shown = admin.get(url).text  # type: ignore[attr-defined]
    assert "Gõ lại số quyết định hủy" in shown and "bien-ban-2009.pdf" in shown  # what will be destroyed
    wrong = admin.post(f"{url}/huy", data={"csrf_token": csrf, "xac_nhan": "15"})  # type: ignore[attr-defined]
    assert wrong.status_code == 422 and _doc(site, w.own_doc).destroyed_at is None
    done = admin.post(f"{url}/huy", data={"csrf_token": csrf, "xac_nhan": "15-QĐ/VPTU"})  # type: ignore[attr-defined]
    assert done.status_code == 200 and "Đã hủy" in done.text and "bien-ban-huy" in done.text
    assert _state(site, w.expired) == "destroyed"
    tombstone = archivist.get(f"/van-ban/{w.own_doc}").text  # type: ignore[attr-defined]
    assert re.search(r"Đã hủy theo Quyết định số 15-QĐ/VPTU", tombstone)
    assert archivist.get(f"/van-ban/{w.own_doc}/ban-goc").status_code == 410  # type: ignore[attr-defined]


def test_the_cli_walks_the_same_path(site: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    w = _world(site)
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(site.services.settings.data_dir))
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str) -> dict[str, object] | list[object]:
        result = runner.invoke(cli_app, list(args))
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    try:
        listed = run("appraisal", "expired", "--user", "vanthu", "--json")
        assert [i["dossier_id"] for i in listed] == [w.expired]  # type: ignore[index]
        made = run("appraisal", "propose", str(w.expired), "--user", "vanthu", "--json")
        number = str(made["id"])  # type: ignore[call-overload]
        refused = runner.invoke(cli_app, ["appraisal", "propose", str(w.current), "--user", "vanthu"])
        assert refused.exit_code == 2 and "APPRAISAL-NOT-EXPIRED" in refused.stderr
        run("appraisal", "council", number, "--user", "vanthu", "--member", "Nguyễn Văn An", "--date", "2026-11-20",
            "--opinion", "Hủy", "--json")  # fmt: skip
        run("appraisal", "approve", number, "--user", "admin", "--number", "15-QĐ/VPTU", "--date", "2026-11-25",
            "--approver", "Trần Văn Cường", "--json")  # fmt: skip
        wrong = runner.invoke(cli_app, ["appraisal", "destroy", number, "--user", "admin", "--confirm", "x"])
        assert wrong.exit_code == 2 and "APPRAISAL-CONFIRM-MISMATCH" in wrong.stderr
        done = run("appraisal", "destroy", number, "--user", "admin", "--confirm", "15-QĐ/VPTU", "--json")
        assert w.own_doc in done["destroyed_document_ids"]  # type: ignore[call-overload,operator]
    finally:
        get_settings.cache_clear()
