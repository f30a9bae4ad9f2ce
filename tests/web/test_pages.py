"""The pages an archivist uses: dossiers, upload, a document with its marked findings, search, reports."""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.etree import ElementTree

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent
from archive_service.search.service import drain_outbox
from archive_service.workers.jobs import run_pending_jobs
from tests.web.conftest import Web
from tests.web.helpers import PLANTED_NUMBER_LINE, correct_docx, planted_docx, upload


def _create_dossier(web: Web, client_user: str = "vanthu") -> tuple[int, TestClient]:
    client = web.login(client_user)
    response = client.post(
        "/ho-so/moi",
        data={
            "csrf_token": web.csrf(client, "/ho-so/moi"),
            "title": "Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 12",
            "meeting_body": "BTV",
            "meeting_number": "12",
            "meeting_date": "2024-03-01",
            "retention": "vinh-vien",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1]), client


def _checked_dossier(web: Web, tmp_path: Path) -> tuple[int, TestClient, dict[str, int]]:
    dossier_id, client = _create_dossier(web)
    items = upload(client, web.csrf(client), dossier_id, planted_docx(tmp_path), correct_docx(tmp_path))
    assert all(i.get("error") is None for i in items), items
    run_pending_jobs(web.services)
    drain_outbox(web.services)
    ids = {str(i["filename"]): int(i["document"]["id"]) for i in items}  # type: ignore[call-overload,index]
    return dossier_id, client, ids


def test_an_archivist_creates_edits_and_lists_a_dossier(web: Web) -> None:
    dossier_id, client = _create_dossier(web)
    page = client.get(f"/ho-so/{dossier_id}")
    assert "Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 12" in page.text and "Ban Thường vụ" in page.text
    response = client.post(
        f"/ho-so/{dossier_id}/sua",
        data={
            "csrf_token": web.csrf(client, f"/ho-so/{dossier_id}/sua"),
            "title": "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15",
            "meeting_body": "BCH",
            "meeting_date": "2/4/2024",  # ngày/tháng/năm, as people write it
            "retention": "vinh-vien",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    listing = client.get("/ho-so")
    assert "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15" in listing.text
    assert "02/04/2024" in listing.text
    form = client.get(f"/ho-so/{dossier_id}/sua").text
    assert 'value="02/04/2024"' in form and 'type="date"' not in form


def test_an_impossible_meeting_date_is_refused_and_kept_as_typed(web: Web) -> None:
    client = web.login("vanthu")
    empty_form = client.get("/ho-so/moi")
    assert empty_form.status_code == 200 and 'placeholder="ngày/tháng/năm" value=""' in empty_form.text
    response = client.post(
        "/ho-so/moi",
        data={
            "csrf_token": web.csrf(client, "/ho-so/moi"),
            "title": "Hội nghị",
            "meeting_body": "BTV",
            "meeting_date": "31/02/2024",
        },
    )
    assert response.status_code == 400
    assert "Ngày họp không hợp lệ" in response.text and 'value="31/02/2024"' in response.text


def test_a_dossier_form_with_no_title_says_what_to_fix(web: Web) -> None:
    client = web.login("vanthu")
    response = client.post(
        "/ho-so/moi",
        data={"csrf_token": web.csrf(client, "/ho-so/moi"), "title": " ", "meeting_body": "BTV"},
    )
    assert response.status_code == 400
    assert "Nhập tiêu đề hồ sơ" in response.text and 'aria-invalid="true"' in response.text


def test_a_form_without_the_csrf_token_changes_nothing(web: Web) -> None:
    client = web.login("vanthu")
    response = client.post("/ho-so/moi", data={"title": "Hồ sơ giả", "meeting_body": "BTV"})
    assert response.status_code == 403
    assert "Hồ sơ giả" not in client.get("/ho-so").text


def test_a_reader_cannot_create_a_dossier(web: Web) -> None:
    client = web.login("doc")
    assert "Tạo hồ sơ mới" not in client.get("/ho-so").text
    response = client.get("/ho-so/moi")
    assert response.status_code == 403 and "Không có quyền" in response.text


def test_an_upload_without_the_csrf_header_is_refused(web: Web, tmp_path: Path) -> None:
    dossier_id, client = _create_dossier(web)
    path = correct_docx(tmp_path)
    response = client.post(f"/web-api/ho-so/{dossier_id}/van-ban", files=[("files", (path.name, path.read_bytes()))])
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "CSRF-INVALID"


def test_uploaded_files_are_checked_and_their_progress_reports_the_result(web: Web, tmp_path: Path) -> None:
    _, client, ids = _checked_dossier(web, tmp_path)
    progress = client.get(f"/web-api/van-ban/{ids['nghi-quyet-sai-so.docx']}/tien-do").json()
    assert progress["done"] is True and progress["status"] == "checked"
    assert progress["validation_status"] == "error" and progress["errors"] >= 1
    assert progress["validation_label"] == "Có lỗi"


def test_the_document_page_marks_the_planted_error_on_its_line(web: Web, tmp_path: Path) -> None:
    _, client, ids = _checked_dossier(web, tmp_path)
    doc_id = ids["nghi-quyet-sai-so.docx"]
    page = client.get(f"/van-ban/{doc_id}").text
    for label in ("Số và ký hiệu", "Cơ quan ban hành", "Tên loại", "Trích yếu", "Ngày ban hành", "Người ký"):
        assert label in page
    assert "FMT-NUMBER-COLON" in page
    # The texts it was judged by, those in force on its date (a 2024 document: 66-QĐ/TW and 36-HD/VPTW).
    assert "Căn cứ kiểm tra" in page and "Quy định 66-QĐ/TW, Hướng dẫn 36-HD/VPTW" in page
    marked = re.search(r'<li id="dong-(\d+)" value="\d+" class="marked sev-error">', page)
    assert marked, "no marked line"
    line_html = page[marked.start() : page.index("</li>", marked.start())]
    assert PLANTED_NUMBER_LINE in line_html
    assert f'href="#dong-{marked.group(1)}"' in page
    with transaction(web.services.factory) as session:
        views = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == "document.view", AuditEvent.object_id == str(doc_id))
            )
        )
    assert any((e.details or {}).get("via") == "web" for e in views)
    assert "Nhật ký truy cập" not in page  # an archivist does not see the audit trail
    admin_page = web.login("admin").get(f"/van-ban/{doc_id}").text
    assert "Nhật ký truy cập" in admin_page and "Tải lên" in admin_page


def test_the_original_downloads_byte_for_byte(web: Web, tmp_path: Path) -> None:
    _, client, ids = _checked_dossier(web, tmp_path)
    response = client.get(f"/van-ban/{ids['nghi-quyet-sai-so.docx']}/ban-goc")
    assert response.status_code == 200
    assert response.content == (tmp_path / "nghi-quyet-sai-so.docx").read_bytes()
    assert "nghi-quyet-sai-so.docx" in response.headers["content-disposition"]


def test_another_office_cannot_open_the_document(web: Web, tmp_path: Path) -> None:
    _, _, ids = _checked_dossier(web, tmp_path)
    other = web.login("vanthu-huyen")
    response = other.get(f"/van-ban/{ids['nghi-quyet-sai-so.docx']}")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text


def test_the_dossier_page_lists_its_documents_with_their_check_result(web: Web, tmp_path: Path) -> None:
    dossier_id, client, _ = _checked_dossier(web, tmp_path)
    page = client.get(f"/ho-so/{dossier_id}").text
    assert "nghi-quyet-sai-so.docx" in page and "nghi-quyet-dung.docx" in page
    assert "Có lỗi" in page and "Đã kiểm tra" in page
    assert "Thành phần hồ sơ" in page


def test_search_finds_documents_with_and_without_diacritics(web: Web, tmp_path: Path) -> None:
    _, client, _ = _checked_dossier(web, tmp_path)
    for q in ("xây dựng tổ chức cơ sở đảng", "xay dung to chuc co so dang"):
        page = client.get("/tim-kiem", params={"q": q}).text
        found = re.search(r"Tìm thấy (\d+) văn bản", page)
        assert found and int(found.group(1)) == 2, q
        assert "<mark>" in page
        # The trích yếu is shown once, its matches marked; snippets carry their own "…" only where cut.
        summaries = re.findall(r'<p class="summary">(.*?)</p>', page, re.S)
        snippets = re.findall(r'<p class="snippet">(.*?)</p>', page, re.S)
        assert any("<mark>" in s for s in summaries), q
        assert snippets and not set(snippets) & set(summaries), q
        assert "… …" not in page and "……" not in page, q
    filtered = client.get("/tim-kiem", params={"q": "nghi quyet", "ket_qua": "error"}).text
    assert re.search(r"Tìm thấy 1 văn bản", filtered)
    assert "Kết quả kiểm tra" in filtered  # a facet heading


def test_the_office_report_page_and_its_pdf_show_the_same_counts(web: Web, tmp_path: Path) -> None:
    _, client, _ = _checked_dossier(web, tmp_path)
    page = client.get("/bao-cao", params={"tu_ngay": "2024-01-01", "den_ngay": "2024-12-31"})
    assert page.status_code == 200
    table = page.text[page.text.index('id="bang-tong-hop"') :]
    table = table[: table.index("</table>")]
    web_counts = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', table))
    assert web_counts["Tổng số văn bản"] == "2" and int(web_counts["Tổng số lỗi"]) >= 1
    assert "<svg" in page.text and "Số lỗi theo tháng" in page.text
    pdf = client.get("/bao-cao/don-vi.pdf", params={"tu_ngay": "2024-01-01", "den_ngay": "2024-12-31"})
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for label, value in web_counts.items():
        assert re.search(rf"{re.escape(label)}\s+{value}\b", text), label
    csv_body = client.get("/bao-cao/don-vi.csv", params={"tu_ngay": "2024-01-01"}).content.decode("utf-8-sig")
    assert "Theo mã lỗi" in csv_body
    as_json = client.get("/bao-cao/don-vi.json").json()
    assert as_json["totals"]["documents"] == 2


def test_dossier_and_document_reports_render(web: Web, tmp_path: Path) -> None:
    dossier_id, client, ids = _checked_dossier(web, tmp_path)
    assert "Báo cáo kiểm tra hồ sơ hội nghị" in client.get(f"/bao-cao/ho-so/{dossier_id}").text
    doc_page = client.get(f"/bao-cao/van-ban/{ids['nghi-quyet-sai-so.docx']}").text
    assert "Thành phần thể thức đã nhận dạng" in doc_page and "FMT-NUMBER-COLON" in doc_page
    pdf = client.get(f"/bao-cao/van-ban/{ids['nghi-quyet-sai-so.docx']}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_each_chart_downloads_as_an_svg_file_with_the_pages_numbers(web: Web, tmp_path: Path) -> None:
    dossier_id, client, ids = _checked_dossier(web, tmp_path)
    period = {"tu_ngay": "2024-01-01", "den_ngay": "2024-12-31"}
    page = client.get("/bao-cao", params=period).text
    assert 'href="/bao-cao/don-vi/bieu-do-ma-loi.svg?tu_ngay=2024-01-01&amp;den_ngay=2024-12-31"' in page
    for url, params in (
        ("/bao-cao/don-vi/bieu-do-ma-loi.svg", period),
        ("/bao-cao/don-vi/bieu-do-xu-huong.svg", period),
        (f"/bao-cao/ho-so/{dossier_id}/bieu-do-ma-loi.svg", {}),
        (f"/bao-cao/van-ban/{ids['nghi-quyet-sai-so.docx']}/bieu-do-ma-loi.svg", {}),
    ):
        response = client.get(url, params=params)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == "image/svg+xml"
        assert re.search(
            r'attachment; filename="bao-cao-[\w-]+-bieu-do-[a-z-]+\.svg"', response.headers["content-disposition"]
        )
        root = ElementTree.fromstring(response.content)  # a well-formed file of its own
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("width", "").isdigit()
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    rules = client.get("/bao-cao/don-vi/bieu-do-ma-loi.svg", params=period).text
    typed = client.get("/bao-cao", params={"tu_ngay": "01/01/2024", "den_ngay": "31/12/2024"}).text
    assert 'value="01/01/2024"' in typed and re.search(r"Tổng số văn bản</th><td class=\"num\">2<", typed)
    bad = client.get("/bao-cao", params={"tu_ngay": "2024/13/45"})
    assert bad.status_code == 422 and "ngày/tháng/năm" in bad.text  # the status the API answers
    assert "FMT-NUMBER-COLON" in rules
    missing = client.get(f"/bao-cao/van-ban/{ids['nghi-quyet-sai-so.docx']}/bieu-do-xu-huong.svg")
    assert missing.status_code == 404 and "không có biểu đồ xu hướng" in missing.text
    assert client.get("/bao-cao/don-vi/bieu-do-khac.svg").status_code == 404  # a chart that is none: not found


def test_a_reader_cannot_see_another_offices_report(web: Web) -> None:
    client = web.login("doc")
    response = client.get("/bao-cao", params={"don_vi": "VPHU"})
    unknown = client.get("/bao-cao", params={"don_vi": "KHONGCO"})
    assert response.status_code == unknown.status_code == 404  # another office answers as an unknown one
    assert "Không có đơn vị mã VPHU" in response.text


def test_a_corrected_version_is_linked_to_the_original_on_both_pages(web: Web, tmp_path: Path) -> None:
    dossier_id, client, ids = _checked_dossier(web, tmp_path)
    old_id = ids["nghi-quyet-sai-so.docx"]
    assert "Tải lên bản đã sửa" in client.get(f"/van-ban/{old_id}").text
    assert "bản gốc cũ được giữ nguyên" in client.get(f"/ho-so/{dossier_id}/tai-len?thay_cho={old_id}").text
    fixed = correct_docx(tmp_path, "nghi-quyet-da-sua.docx", number="12", summary="về công tác cán bộ năm 2024")
    response = client.post(
        f"/web-api/ho-so/{dossier_id}/van-ban",
        data={"version_of": str(old_id)},
        files=[("files", (fixed.name, fixed.read_bytes()))],
        headers={"X-CSRF-Token": web.csrf(client)},
    )
    assert response.status_code == 201, response.text
    new_id = response.json()["items"][0]["document"]["id"]
    assert response.json()["items"][0]["document"]["version_of"] == old_id
    for page_id in (old_id, new_id):
        page = client.get(f"/van-ban/{page_id}").text
        assert "Các phiên bản" in page and "nghi-quyet-da-sua.docx" in page and "nghi-quyet-sai-so.docx" in page
