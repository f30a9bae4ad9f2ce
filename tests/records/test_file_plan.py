"""The file plan (danh mục hồ sơ, NĐ 30/2020 Điều 28–29, Phụ lục V.I) and the kinds of dossier, through the API."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest

from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Role
from archive_service.dossiers.checks import check_dossier
from archive_service.fileplans import service
from archive_service.fileplans.numbering import dossier_number, roman
from archive_service.vietnam_time import today_in_vietnam
from schemas.fileplans import FilePlanApprove
from tests.conftest import Harness, add_user

PLAN: dict[str, Any] = {
    "year": 2026,
    "headings": [
        {
            "title": "Tổng hợp",
            "entries": [
                {
                    "title": "Hồ sơ hội nghị Ban Chấp hành Đảng bộ tỉnh năm 2026",
                    "retention": "vinh-vien",
                    "former_name": "Nguyễn Văn An",
                    "kind": "hoi-nghi",
                },
            ],
            "headings": [
                {
                    "title": "Báo cáo định kỳ",
                    "entries": [
                        {"title": "Báo cáo tháng của Văn phòng", "retention": "10-nam", "former_name": "Lê Thị Bình"},
                        {"title": "Báo cáo năm của Văn phòng", "retention": "vinh-vien", "note": "Bản điện tử"},
                    ],
                }
            ],
        },
        {
            "title": "Tổ chức, cán bộ",
            "entries": [{"file_code": "TCCB.01", "title": "Hồ sơ nâng lương năm 2026", "retention": "20-nam"}],
        },
    ],
}


def _plan(h: Harness, body: dict[str, Any] | None = None, actor: Any = None) -> dict[str, Any]:
    response = h.client.post("/api/v1/file-plans", json=body or PLAN, headers=(actor or h.archivist).headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    rows = list(plan["entries"])
    for top in plan["headings"]:
        rows += top["entries"]
        for sub in top["headings"]:
            rows += sub["entries"]
    return rows


def _approve(h: Harness, plan_id: int, actor: Any = None) -> Any:
    body = {"decision_number": "15-QĐ/VPTU", "decision_date": "2026-01-05", "approver_name": "Trần Văn Chánh"}
    return h.client.post(f"/api/v1/file-plans/{plan_id}/approve", json=body, headers=(actor or h.admin).headers)


def test_roman_and_arabic_numbers_read_as_the_forms_print_them() -> None:
    assert [roman(n) for n in (1, 2, 4, 9, 14, 40)] == ["I", "II", "IV", "IX", "XIV", "XL"]
    assert [dossier_number(n) for n in (1, 9, 10, 123)] == ["01", "09", "10", "123"]


def test_an_imported_plan_is_a_numbered_two_level_tree_with_its_counts(harness: Harness) -> None:
    plan = _plan(harness)
    tops = plan["headings"]
    assert [t["number"] for t in tops] == ["I", "II"]
    assert [s["number"] for s in tops[0]["headings"]] == ["1"]
    rows = _rows(plan)
    assert [r["number"] for r in rows] == ["01", "02", "03", "04"]
    # Codes given stay, missing ones are the number joined to the office code.
    assert [r["file_code"] for r in rows] == ["01.VPTU", "02.VPTU", "03.VPTU", "TCCB.01"]
    assert rows[1]["retention_label"] == "10 năm"
    assert plan["counts"] == {"total": 4, "permanent": 2, "term": 2}
    assert plan["approved"] is False


def test_numbering_within_each_top_heading_starts_again_at_01(harness: Harness) -> None:
    plan = _plan(harness, {**PLAN, "numbering": "heading"})
    assert [r["number"] for r in _rows(plan)] == ["01", "02", "03", "01"]


def test_one_plan_per_office_and_year(harness: Harness) -> None:
    _plan(harness)
    again = harness.client.post("/api/v1/file-plans", json={"year": 2026}, headers=harness.archivist.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "FILE-PLAN-EXISTS"
    other = harness.client.post("/api/v1/file-plans", json={"year": 2026}, headers=harness.other_archivist.headers)
    assert other.status_code == 201  # another office has its own


def test_rows_are_added_edited_moved_and_removed_with_unique_codes_and_valid_retention(harness: Harness) -> None:
    h = harness
    plan = _plan(h, {"year": 2027})
    pid = plan["id"]
    url = f"/api/v1/file-plans/{pid}"
    top = h.client.post(f"{url}/headings", json={"title": "Tổng hợp"}, headers=h.archivist.headers).json()
    top_id = top["headings"][0]["id"]
    sub = h.client.post(f"{url}/headings", json={"title": "Kế hoạch", "parent_id": top_id}, headers=h.archivist.headers)
    sub_id = sub.json()["headings"][0]["headings"][0]["id"]
    third = h.client.post(
        f"{url}/headings", json={"title": "Quá sâu", "parent_id": sub_id}, headers=h.archivist.headers
    )
    assert third.status_code == 422 and third.json()["error"]["code"] == "FILE-PLAN-LEVELS"
    entry = {"title": "Kế hoạch công tác năm", "retention": "10-nam", "heading_id": sub_id}
    added = h.client.post(f"{url}/entries", json=entry, headers=h.archivist.headers)
    assert added.status_code == 201
    row = added.json()["headings"][0]["headings"][0]["entries"][0]
    assert row["file_code"] == "01.VPTU"
    taken = h.client.post(f"{url}/entries", json={**entry, "file_code": "01.VPTU"}, headers=h.archivist.headers)
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "FILE-PLAN-CODE-TAKEN"
    bad = h.client.post(f"{url}/entries", json={**entry, "retention": "mãi mãi"}, headers=h.archivist.headers)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "RETENTION-INVALID"
    moved = h.client.patch(
        f"{url}/entries/{row['id']}", json={"heading_id": top_id, "title": "Kế hoạch năm"}, headers=h.archivist.headers
    )
    assert moved.status_code == 200
    assert moved.json()["headings"][0]["entries"][0]["title"] == "Kế hoạch năm"
    full = h.client.delete(f"{url}/headings/{top_id}", headers=h.archivist.headers)
    assert full.status_code == 409 and full.json()["error"]["code"] == "FILE-PLAN-HEADING-NOT-EMPTY"
    gone = h.client.delete(f"{url}/entries/{row['id']}", headers=h.archivist.headers)
    assert gone.status_code == 200 and gone.json()["counts"]["total"] == 0


def test_only_an_admin_approves_and_only_once(harness: Harness) -> None:
    h = harness
    pid = _plan(h)["id"]
    assert _approve(h, pid, h.archivist).status_code == 403
    assert _approve(h, pid, h.reader).status_code == 403
    assert _approve(h, pid, h.other_archivist).status_code == 404  # may not even read it
    done = _approve(h, pid)
    assert done.status_code == 200, done.text
    assert done.json()["approved"] and done.json()["decision_number"] == "15-QĐ/VPTU"
    again = _approve(h, pid)
    assert again.status_code == 409 and again.json()["error"]["code"] == "FILE-PLAN-APPROVED"
    # Additions during the year are allowed on an approved plan.
    extra = {"title": "Hồ sơ phát sinh bổ sung", "retention": "5-nam"}
    assert (
        h.client.post(f"/api/v1/file-plans/{pid}/entries", json=extra, headers=h.archivist.headers).status_code == 201
    )


def test_another_office_cannot_see_a_plan_and_a_reader_cannot_change_it(harness: Harness) -> None:
    h = harness
    pid = _plan(h)["id"]
    assert h.client.get(f"/api/v1/file-plans/{pid}", headers=h.other_archivist.headers).status_code == 404
    assert h.client.get(f"/api/v1/file-plans/{pid}/export", headers=h.other_archivist.headers).status_code == 404
    assert h.client.get("/api/v1/file-plans", headers=h.other_archivist.headers).json()["items"] == []
    assert h.client.get(f"/api/v1/file-plans/{pid}", headers=h.reader.headers).status_code == 200
    head = {"title": "Không được"}
    assert h.client.post(f"/api/v1/file-plans/{pid}/headings", json=head, headers=h.reader.headers).status_code == 403
    denied = h.client.post(f"/api/v1/file-plans/{pid}/headings", json=head, headers=h.other_archivist.headers)
    assert denied.status_code == 404
    auditor = add_user(h.services, "kiemtra", Role.AUDITOR, "VPHU")
    assert h.client.get(f"/api/v1/file-plans/{pid}", headers=auditor.headers).status_code == 200
    admin_other = h.client.post(
        f"/api/v1/file-plans/{pid}/headings", json={"title": "Quản trị thêm"}, headers=h.admin.headers
    )
    assert admin_other.status_code == 201


def _pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def test_the_exports_carry_the_rows_the_headings_and_the_closing_counts(harness: Harness) -> None:
    h = harness
    pid = _plan(h)["id"]
    _approve(h, pid)
    pdf = h.client.get(f"/api/v1/file-plans/{pid}/export?format=pdf", headers=h.reader.headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(_pdf_text(pdf.content).split())
    for needle in (
        "DANH MỤC HỒ SƠ CỦA",
        "Năm 2026",
        "I. TỔNG HỢP",
        "1. Báo cáo định kỳ",
        "II. TỔ CHỨC, CÁN BỘ",
        "02.VPTU",
        "TCCB.01",
        "Báo cáo tháng của Văn phòng",
        "Bản danh mục hồ sơ này có 4 hồ sơ, bao gồm: 2 hồ sơ bảo quản vĩnh viễn; 2 hồ sơ bảo quản có thời hạn.",
        "Quyết định số 15-QĐ/VPTU",
        "Trần Văn Chánh",
    ):
        assert needle in text, needle
    word = h.client.get(f"/api/v1/file-plans/{pid}/export?format=docx", headers=h.reader.headers)
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.content))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {"03.VPTU", "Báo cáo năm của Văn phòng", "Vĩnh viễn", "Nguyễn Văn An"} <= cells
    paragraphs = " ".join(p.text for p in document.paragraphs)
    assert "2 hồ sơ bảo quản có thời hạn" in paragraphs
    book = h.client.get(f"/api/v1/file-plans/{pid}/export?format=xlsx", headers=h.reader.headers)
    assert book.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    values = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"TCCB.01", "Hồ sơ nâng lương năm 2026", "20 năm"} <= values
    assert h.client.get(f"/api/v1/file-plans/{pid}/export?format=odt", headers=h.reader.headers).status_code == 422


def test_a_dossier_opened_from_its_row_copies_the_row_once(harness: Harness) -> None:
    h = harness
    plan = _plan(h)
    row = _rows(plan)[1]
    url = f"/api/v1/file-plans/{plan['id']}/entries/{row['id']}/open"
    assert h.client.post(url, json={}, headers=h.reader.headers).status_code == 403
    opened = h.client.post(url, json={}, headers=h.archivist.headers)
    assert opened.status_code == 201, opened.text
    d = opened.json()
    assert (d["kind"], d["title"], d["file_code"], d["retention"], d["former_name"]) == (
        "cong-viec",
        "Báo cáo tháng của Văn phòng",
        "02.VPTU",
        "10-nam",
        "Lê Thị Bình",
    )
    assert d["plan_entry_id"] == row["id"] and d["start_date"] == today_in_vietnam().isoformat()  # the offices' day
    assert d["state"] == "open" and d["state_label"] == "Đang lập" and d["meeting_body"] is None
    twice = h.client.post(url, json={}, headers=h.archivist.headers)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "FILE-PLAN-ENTRY-OPENED"
    shown = h.client.get(f"/api/v1/file-plans/{plan['id']}", headers=h.reader.headers).json()
    assert _rows(shown)[1]["dossier_id"] == d["id"] and _rows(shown)[1]["dossier_state_label"] == "Đang lập"
    kept = h.client.delete(f"/api/v1/file-plans/{plan['id']}/entries/{row['id']}", headers=h.archivist.headers)
    assert kept.status_code == 409 and kept.json()["error"]["code"] == "FILE-PLAN-ENTRY-IN-USE"
    # A conference row needs the body that met.
    meeting = _rows(plan)[0]
    murl = f"/api/v1/file-plans/{plan['id']}/entries/{meeting['id']}/open"
    assert h.client.post(murl, json={}, headers=h.archivist.headers).status_code == 422
    ok = h.client.post(murl, json={"meeting_body": "BCH"}, headers=h.archivist.headers)
    assert ok.status_code == 201 and ok.json()["kind"] == "hoi-nghi"


AD_HOC = {
    "title": "Hồ sơ xử lý đơn thư phát sinh",
    "file_code": "25.VPTU",
    "retention": "10-nam",
    "former_name": "Phạm Thị Dung",
    "start_date": "2026-03-02",
}


@pytest.mark.parametrize("missing", sorted(AD_HOC))
def test_an_ad_hoc_dossier_needs_each_of_its_five_fields(harness: Harness, missing: str) -> None:
    body = {k: v for k, v in AD_HOC.items() if k != missing}
    response = harness.client.post("/api/v1/dossiers/ad-hoc", json=body, headers=harness.archivist.headers)
    assert response.status_code == 422
    assert missing in response.json()["error"]["message"]


def test_an_ad_hoc_dossier_with_its_five_fields_is_opened_and_marked(harness: Harness) -> None:
    h = harness
    assert h.client.post("/api/v1/dossiers/ad-hoc", json=AD_HOC, headers=h.reader.headers).status_code == 403
    response = h.client.post("/api/v1/dossiers/ad-hoc", json=AD_HOC, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    d = response.json()
    assert d["ad_hoc"] is True and d["plan_entry_id"] is None and d["file_code"] == "25.VPTU"
    assert d["former_name"] == "Phạm Thị Dung" and d["start_date"] == "2026-03-02"


def _not_in_plan(h: Harness, dossier_id: int) -> bool:
    findings = check_dossier(h.services, dossier_id)
    return any(f.code == "DOS-NOT-IN-FILE-PLAN" for f in findings)


def test_a_dossier_outside_the_approved_plan_is_flagged_and_one_from_a_row_or_ad_hoc_is_not(harness: Harness) -> None:
    h = harness
    plan = _plan(h)
    work = {"title": "Hồ sơ công việc lạc", "kind": "cong-viec", "meeting_body": None, "start_date": "2026-02-01"}
    outside = h.new_dossier(**work)
    assert not _not_in_plan(h, outside)  # no approved plan yet: nothing to compare with
    _approve(h, plan["id"])
    assert _not_in_plan(h, outside)
    finding = next(f for f in check_dossier(h.services, outside) if f.code == "DOS-NOT-IN-FILE-PLAN")
    assert finding.severity == "warning" and finding.clause == "NĐ 30/2020/NĐ-CP Điều 28, 29"
    assert "15-QĐ/VPTU" in finding.message
    row = _rows(plan)[1]
    opened = h.client.post(
        f"/api/v1/file-plans/{plan['id']}/entries/{row['id']}/open", json={}, headers=h.archivist.headers
    ).json()
    assert not _not_in_plan(h, opened["id"])
    ad_hoc = h.client.post("/api/v1/dossiers/ad-hoc", json=AD_HOC, headers=h.archivist.headers).json()
    assert not _not_in_plan(h, ad_hoc["id"])
    other_year = h.new_dossier(**{**work, "start_date": "2025-06-01"})
    assert not _not_in_plan(h, other_year)


def test_a_work_dossier_has_its_own_fields_and_no_meeting_body(harness: Harness) -> None:
    h = harness
    body = {
        "title": "Hồ sơ tổ chức Đại hội chi bộ",
        "kind": "cong-viec",
        "file_code": "07.VPTU",
        "former_name": "Hoàng Văn Em",
        "start_date": "2026-01-10",
        "end_date": "2026-04-30",
        "medium": "ca-hai",
        "page_total": 120,
        "description": "Kế hoạch, báo cáo\nvà biên bản",
        "usage_mode": "Hạn chế sử dụng",
        "retention": "20-nam",
    }
    made = h.client.post("/api/v1/dossiers", json=body, headers=h.archivist.headers)
    assert made.status_code == 201, made.text
    d = made.json()
    assert {k: d[k] for k in body} == body and d["meeting_body"] is None
    assert d["state"] == "open" and d["closed_at"] is None and d["legal_hold"] is False
    for wrong in (
        {**body, "meeting_body": "BTV"},
        {**body, "end_date": "2025-12-31"},
        {**body, "page_total": -1},
        {**body, "medium": "bang-tu"},
        {"title": "Hội nghị thiếu cơ quan họp", "kind": "hoi-nghi"},
    ):
        refused = h.client.post("/api/v1/dossiers", json=wrong, headers=h.archivist.headers)
        assert refused.status_code == 422, wrong
    # Changed into a conference dossier only with its meeting body; an end before the start is refused.
    url = f"/api/v1/dossiers/{d['id']}"
    half = h.client.patch(url, json={"kind": "hoi-nghi"}, headers=h.archivist.headers)
    assert half.status_code == 422 and "cơ quan họp" in half.json()["error"]["message"]
    whole = h.client.patch(url, json={"kind": "hoi-nghi", "meeting_body": "BTV"}, headers=h.archivist.headers)
    assert whole.status_code == 200 and whole.json()["meeting_body"] == "BTV"
    early = h.client.patch(url, json={"end_date": "2025-01-01"}, headers=h.archivist.headers)
    assert early.status_code == 422
    assert h.client.patch(url, json={"page_total": 3}, headers=h.other_archivist.headers).status_code == 404


def test_approval_time_comes_from_the_clock_given(harness: Harness) -> None:
    h = harness
    pid = _plan(h)["id"]
    with transaction(h.services.factory) as session:
        principal = accounts.principal_of(accounts.get_user(session, "admin"))
    when = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    data = FilePlanApprove(decision_number="1-QĐ/VPTU", decision_date=date(2026, 1, 5), approver_name="A")
    out = service.approve(h.services, principal, pid, data, addr=None, now=when)
    assert out.approved_at is not None and out.approved_at.replace(tzinfo=UTC) == when
