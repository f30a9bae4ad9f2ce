"""The file plan pages and the dossier form's kinds and fields, through the web app with a session."""

from __future__ import annotations

import re

from tests.web.conftest import Web, csrf_of, embedded_web, web  # noqa: F401  (fixtures)


def _plan_id(location: str) -> int:
    match = re.fullmatch(r"/danh-muc-ho-so/(\d+)", location)
    assert match, location
    return int(match.group(1))


def test_an_archivist_builds_a_plan_an_admin_approves_it_and_a_dossier_is_opened_from_a_row(web: Web) -> None:  # noqa: F811
    archivist = web.login("vanthu")
    csrf = web.csrf(archivist, "/danh-muc-ho-so")
    listing = archivist.get("/danh-muc-ho-so")
    assert "Danh mục hồ sơ" in listing.text and "Lập danh mục mới" in listing.text
    made = archivist.post("/danh-muc-ho-so", data={"year": "2026", "csrf_token": csrf}, follow_redirects=False)
    assert made.status_code == 303
    pid = _plan_id(made.headers["location"])
    url = f"/danh-muc-ho-so/{pid}"
    assert archivist.post(f"{url}/de-muc", data={"title": "Tổng hợp", "csrf_token": csrf}).status_code == 200
    page = archivist.get(url)
    top_id = re.search(r'<option value="(\d+)">I\. Tổng hợp</option>', page.text)
    assert top_id, page.text
    entry = {"title": "Kế hoạch công tác năm 2026", "retention": "vinh-vien", "former_name": "Nguyễn An"}
    added = archivist.post(f"{url}/ho-so", data={**entry, "heading_id": top_id.group(1), "csrf_token": csrf})
    assert added.status_code == 200
    assert "I. TỔNG HỢP" in added.text and "01.VPTU" in added.text and "Vĩnh viễn" in added.text
    assert "1 hồ sơ bảo quản vĩnh viễn; 0 hồ sơ bảo quản có thời hạn" in added.text
    assert "Phê duyệt danh mục" not in added.text  # an archivist does not approve
    refused = archivist.post(
        f"{url}/phe-duyet",
        data={"decision_number": "1-QĐ", "decision_date": "05/01/2026", "approver_name": "A", "csrf_token": csrf},
    )
    assert refused.status_code == 403
    admin = web.login("admin")
    admin_csrf = web.csrf(admin, url)
    assert "Phê duyệt danh mục" in admin.get(url).text
    approval = {"decision_number": "15-QĐ/VPTU", "decision_date": "05/01/2026", "approver_name": "Trần Văn Chánh"}
    approved = admin.post(f"{url}/phe-duyet", data={**approval, "csrf_token": admin_csrf})
    assert approved.status_code == 200 and "Quyết định số 15-QĐ/VPTU ngày 05/01/2026" in approved.text
    row = re.search(rf'action="/danh-muc-ho-so/{pid}/dong/(\d+)/mo-ho-so"', archivist.get(url).text)
    assert row
    opened = archivist.post(row.group(0)[8:-1], data={"csrf_token": csrf}, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"].startswith("/ho-so/")
    dossier_page = archivist.get(opened.headers["location"])
    assert "Số và ký hiệu hồ sơ" in dossier_page.text and "01.VPTU" in dossier_page.text
    assert "Hồ sơ công việc" in dossier_page.text and "Nguyễn An" in dossier_page.text
    assert "Đang lập" in archivist.get(url).text
    pdf = archivist.get(f"{url}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = web.login("vanthu-huyen")
    assert other.get(url).status_code == 404
    assert other.get(f"{url}.xlsx").status_code == 404


def test_a_work_dossier_is_made_on_the_form_with_its_fields(embedded_web: Web) -> None:  # noqa: F811
    client = embedded_web.login("vanthu")
    form = client.get("/ho-so/moi")
    assert "Loại hồ sơ" in form.text and "Hồ sơ công việc" in form.text and "Sử dụng rộng rãi" in form.text
    csrf = csrf_of(form.text)
    values = {
        "csrf_token": csrf,
        "kind": "cong-viec",
        "title": "Hồ sơ tổ chức hội thao",
        "meeting_body": "BTV",  # left checked on the form: dropped for a work dossier
        "retention": "10-nam",
        "file_code": "09.VPTU",
        "former_name": "Lê Bình",
        "start_date": "01/02/2026",
        "end_date": "30/04/2026",
        "medium": "giay",
        "page_total": "45",
        "usage_mode": "Hạn chế sử dụng",
        "description": "Kế hoạch và báo cáo",
    }
    made = client.post("/ho-so/moi", data=values, follow_redirects=False)
    assert made.status_code == 303, made.text
    page = client.get(made.headers["location"]).text
    for shown in ("Hồ sơ công việc", "09.VPTU", "Lê Bình", "01/02/2026", "30/04/2026", "Giấy", "45", "Hạn chế sử dụng"):
        assert shown in page, shown
    assert "Cơ quan họp" not in page
    wrong = client.post("/ho-so/moi", data={**values, "end_date": "01/01/2026"})
    assert wrong.status_code == 400 and "trước ngày bắt đầu" in wrong.text
    meeting = client.post("/ho-so/moi", data={**values, "kind": "hoi-nghi", "meeting_body": ""})
    assert meeting.status_code == 400
    works = client.get("/ho-so?loai=cong-viec").text
    assert "Hồ sơ tổ chức hội thao" in works and "09.VPTU" in works
    assert "Hồ sơ tổ chức hội thao" not in client.get("/ho-so?loai=hoi-nghi").text
    edit = client.get(made.headers["location"] + "/sua")
    assert 'value="09.VPTU"' in edit.text and "Hạn chế sử dụng" in edit.text


def _rows_in_order(html: str) -> list[str]:
    """The plan's đề mục and rows as the page lists them: "de-muc-<id>" and "dong-<id>"."""
    return re.findall(r'<tr (?:class="heading-row" )?id="((?:de-muc|dong)-\d+)"', html)


def _actions(web: Web, plan_id: int) -> list[dict[str, object]]:  # noqa: F811
    from sqlalchemy import select

    from archive_service.catalog.db import transaction
    from archive_service.catalog.models import AuditEvent

    with transaction(web.services.factory) as session:
        rows = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "file-plan", AuditEvent.object_id == str(plan_id))
            .order_by(AuditEvent.id)
        )
        return [{"action": e.action, **(e.details or {})} for e in rows]


def _built_plan(web: Web) -> tuple[int, dict[str, int]]:  # noqa: F811
    """A plan of VPTU made through the API's use cases: two đề mục lớn, three rows under the first, one loose."""
    body = {
        "year": 2027,
        "entries": [{"title": "Hồ sơ ngoài đề mục", "retention": "5-nam", "file_code": "20.VPTU"}],
        "headings": [
            {
                "title": "Tổng hợp",
                "entries": [
                    {"title": "Kế hoạch công tác", "retention": "vinh-vien", "file_code": "01.VPTU"},
                    {"title": "Báo cáo sơ kết", "retention": "10-nam", "file_code": "02.VPTU"},
                    {"title": "Báo cáo tổng kết", "retention": "vinh-vien", "file_code": "03.VPTU"},
                ],
            },
            {"title": "Tổ chức", "entries": []},
        ],
    }
    headers = {"Authorization": f"Bearer {web.harness.admin.token}"}
    made = web.client.post("/api/v1/file-plans", json=body, headers=headers)
    assert made.status_code == 201, made.text
    plan = made.json()
    ids = {e["file_code"]: e["id"] for e in [*plan["entries"], *plan["headings"][0]["entries"]]}
    ids |= {f"h{i}": h["id"] for i, h in enumerate(plan["headings"], start=1)}
    return int(plan["id"]), ids


def test_an_archivist_edits_moves_and_removes_headings_and_rows_on_the_plan_page(web: Web) -> None:  # noqa: F811
    pid, ids = _built_plan(web)
    url = f"/danh-muc-ho-so/{pid}"
    archivist = web.login("vanthu")
    csrf = web.csrf(archivist, url)
    page = archivist.get(url).text
    assert f'href="{url}/dong/{ids["02.VPTU"]}/sua"' in page and 'aria-label="Sửa đề mục I"' in page
    assert 'aria-label="Chuyển dòng 01.VPTU lên"' not in page  # the first row has no "up"
    assert 'aria-label="Chuyển dòng 01.VPTU xuống"' in page

    # A row's fields, and its đề mục: the form shows them, the page shows the change.
    form = archivist.get(f"{url}/dong/{ids['02.VPTU']}/sua")
    assert form.status_code == 200 and 'value="Báo cáo sơ kết"' in form.text and "Xóa dòng 02.VPTU" in form.text
    edited = {
        "title": "Báo cáo sơ kết 6 tháng",
        "file_code": "02.VPTU",
        "retention": "20-nam",
        "former_name": "Lê Bình",
        "note": "Bản giấy và điện tử",
        "kind": "cong-viec",
        "heading_id": str(ids["h2"]),
        "csrf_token": csrf,
    }
    saved = archivist.post(f"{url}/dong/{ids['02.VPTU']}/sua", data=edited, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"{url}#dong-{ids['02.VPTU']}"
    page = archivist.get(url).text
    assert "Báo cáo sơ kết 6 tháng" in page and "Lê Bình" in page and "20 năm" in page
    order = _rows_in_order(page)
    assert order.index(f"de-muc-{ids['h2']}") < order.index(f"dong-{ids['02.VPTU']}")  # now under II. Tổ chức

    # A số và ký hiệu already given, or a bad thời hạn: refused on the form, with what was typed kept.
    taken = archivist.post(f"{url}/dong/{ids['02.VPTU']}/sua", data={**edited, "file_code": "01.VPTU"})
    assert taken.status_code == 409 and "FILE-PLAN-CODE-TAKEN" in taken.text and 'role="alert"' in taken.text
    assert "“01.VPTU” đã có trong danh mục năm 2027" in taken.text and 'value="01.VPTU"' in taken.text
    blank = archivist.post(f"{url}/dong/{ids['02.VPTU']}/sua", data={**edited, "title": ""})
    assert blank.status_code == 400 and "Biểu mẫu chưa hợp lệ" in blank.text

    # A đề mục's title.
    assert 'value="Tổng hợp"' in archivist.get(f"{url}/de-muc/{ids['h1']}/sua").text
    renamed = archivist.post(f"{url}/de-muc/{ids['h1']}/sua", data={"title": "Tổng hợp, kế hoạch", "csrf_token": csrf})
    assert renamed.status_code == 200 and "I. TỔNG HỢP, KẾ HOẠCH" in renamed.text
    assert archivist.post(f"{url}/de-muc/{ids['h1']}/sua", data={"title": " ", "csrf_token": csrf}).status_code == 400

    # Move: the last row of I up one place, then II above I.
    moved = archivist.post(
        f"{url}/dong/{ids['03.VPTU']}/di-chuyen", data={"huong": "len", "csrf_token": csrf}, follow_redirects=False
    )
    assert moved.status_code == 303 and moved.headers["location"].endswith(f"#dong-{ids['03.VPTU']}")
    order = _rows_in_order(archivist.get(url).text)
    assert order.index(f"dong-{ids['03.VPTU']}") < order.index(f"dong-{ids['01.VPTU']}")
    up = archivist.post(f"{url}/de-muc/{ids['h2']}/di-chuyen", data={"huong": "len", "csrf_token": csrf})
    assert up.status_code == 200
    page = archivist.get(url).text
    assert page.index("I. TỔ CHỨC") < page.index("II. TỔNG HỢP, KẾ HOẠCH")
    bad = archivist.post(f"{url}/dong/{ids['01.VPTU']}/di-chuyen", data={"huong": "ngang", "csrf_token": csrf})
    assert bad.status_code == 400 and "lên" in bad.text

    # Remove: a đề mục with rows is refused on its page; an unused row goes; a row a dossier came from stays.
    full = archivist.post(f"{url}/de-muc/{ids['h1']}/xoa", data={"csrf_token": csrf})
    assert full.status_code == 409 and "còn hồ sơ hoặc đề mục nhỏ" in full.text and 'role="alert"' in full.text
    gone = archivist.post(f"{url}/dong/{ids['20.VPTU']}/xoa", data={"csrf_token": csrf}, follow_redirects=False)
    assert gone.status_code == 303 and "Hồ sơ ngoài đề mục" not in archivist.get(url).text
    opened = archivist.post(f"{url}/dong/{ids['01.VPTU']}/mo-ho-so", data={"csrf_token": csrf}, follow_redirects=False)
    assert opened.status_code == 303
    form = archivist.get(f"{url}/dong/{ids['01.VPTU']}/sua").text
    assert "dòng không xóa được" in form
    kept = archivist.post(f"{url}/dong/{ids['01.VPTU']}/xoa", data={"csrf_token": csrf})
    assert kept.status_code == 409 and "FILE-PLAN-ENTRY-IN-USE" in kept.text
    assert "Đã mở hồ sơ từ dòng “01.VPTU Kế hoạch công tác”: dòng này không xóa được" in kept.text
    again = archivist.post(f"{url}/dong/{ids['01.VPTU']}/mo-ho-so", data={"csrf_token": csrf})
    assert again.status_code == 409 and "FILE-PLAN-ENTRY-OPENED" in again.text and "Kế hoạch công tác" in again.text
    # Emptied of its one row, II. Tổ chức can go.
    assert archivist.post(f"{url}/dong/{ids['02.VPTU']}/xoa", data={"csrf_token": csrf}).status_code == 200
    emptied = archivist.post(f"{url}/de-muc/{ids['h2']}/xoa", data={"csrf_token": csrf}, follow_redirects=False)
    assert emptied.status_code == 303
    assert "TỔ CHỨC" not in archivist.get(url).text

    actions = [(a["action"], a.get("moved")) for a in _actions(web, pid)]
    for expected in (
        ("file-plan.entry-update", None),
        ("file-plan.heading-update", None),
        ("file-plan.entry-update", "up"),
        ("file-plan.heading-update", "up"),
        ("file-plan.entry-remove", None),
        ("file-plan.heading-remove", None),
    ):
        assert expected in actions, expected
    assert sum(1 for a in actions if a[0] == "file-plan.entry-remove") == 2  # the refused removal is not one


def test_only_who_may_change_a_plan_sees_and_uses_its_edit_forms(web: Web) -> None:  # noqa: F811
    pid, ids = _built_plan(web)
    url = f"/danh-muc-ho-so/{pid}"
    reader = web.login("doc")
    page = reader.get(url)
    assert page.status_code == 200 and "/sua" not in page.text and "di-chuyen" not in page.text
    csrf = web.csrf(reader, url)
    assert reader.get(f"{url}/dong/{ids['01.VPTU']}/sua").status_code == 403
    assert reader.get(f"{url}/de-muc/{ids['h1']}/sua").status_code == 403
    for path, data in (
        (f"{url}/dong/{ids['01.VPTU']}/sua", {"title": "Đổi", "retention": "5-nam"}),
        (f"{url}/dong/{ids['01.VPTU']}/xoa", {}),
        (f"{url}/dong/{ids['02.VPTU']}/di-chuyen", {"huong": "len"}),
        (f"{url}/dong/{ids['02.VPTU']}/di-chuyen", {"huong": "ngang"}),
        (f"{url}/de-muc/{ids['h1']}/sua", {"title": "Đổi"}),
        (f"{url}/de-muc/{ids['h2']}/xoa", {}),
        (f"{url}/de-muc/{ids['h2']}/di-chuyen", {"huong": "len"}),
    ):
        assert reader.post(path, data={**data, "csrf_token": csrf}).status_code == 403, path
    other = web.login("vanthu-huyen")
    other_csrf = web.csrf(other, "/danh-muc-ho-so")
    assert other.get(f"{url}/dong/{ids['01.VPTU']}/sua").status_code == 404
    assert other.post(f"{url}/de-muc/{ids['h2']}/xoa", data={"csrf_token": other_csrf}).status_code == 404
    missing = web.login("vanthu").get(f"{url}/dong/999999/sua")
    assert missing.status_code == 404 and "Danh mục không có hồ sơ (dòng) số 999999" in missing.text
    no_token = web.login("vanthu").post(f"{url}/de-muc/{ids['h2']}/xoa", data={})
    assert no_token.status_code in {400, 403}
    plan = web.login("admin").get(url).text
    assert "Tổ chức" in plan and "Tổng hợp" in plan  # nothing was changed by the refused calls
    actions = [a["action"] for a in _actions(web, pid)]
    assert [a for a in actions if a != "access.refused"] == ["file-plan.create"]
    assert actions.count("access.refused") >= 9  # each refused form and call is in the trail
