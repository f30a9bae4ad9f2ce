"""The dossier's life on the web: its page shows the state, the next steps the caller may take, the record files and
the history; the closing page lists what to take out and closes; the keep-back form refuses on the form itself."""

from __future__ import annotations

import re

from tests.records.closing_helpers import dossier_with_two_documents, read_all, set_document, upload
from tests.web.conftest import Web, web  # noqa: F401  (the fixture)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_dossier_page_shows_its_state_steps_files_and_history(web: Web) -> None:  # noqa: F811
    h = web.harness
    dossier, _, _ = dossier_with_two_documents(h)
    draft = upload(h, dossier, "du-thao.pdf")
    read_all(h)
    set_document(h, draft, {"draft": "Dự thảo"}, page_count=1)
    archivist = web.login("vanthu")
    page = archivist.get(f"/ho-so/{dossier}").text
    assert "Trạng thái hồ sơ" in page and "Đang lập" in page and f'href="/ho-so/{dossier}/ket-thuc"' in page
    reader_page = web.login("doc").get(f"/ho-so/{dossier}").text
    assert "Đang lập" in reader_page and "/ket-thuc" not in reader_page  # a reader has no step to take

    form = archivist.get(f"/ho-so/{dossier}/ket-thuc")
    assert form.status_code == 200 and "du-thao.pdf" in form.text and "bản dự thảo" in form.text
    assert '<option value="vinh-vien" selected' in form.text and "(dưới mức tối thiểu)" in form.text
    refused = archivist.post(
        f"/ho-so/{dossier}/ket-thuc", data={"csrf_token": _csrf(form.text), "thoi_han": "vinh-vien"}
    )
    assert refused.status_code == 409 and "DOSSIER-CLOSING-BLOCKED" in refused.text
    done = archivist.post(
        f"/ho-so/{dossier}/ket-thuc",
        data={"csrf_token": _csrf(form.text), "thoi_han": "vinh-vien", "dua_ra": str(draft)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    page = archivist.get(f"/ho-so/{dossier}").text
    assert "Đã kết thúc" in page and "Giữ vĩnh viễn" in page
    assert "Chứng từ kết thúc (PDF)" in page and "Mục lục văn bản (DOCX)" in page and "/tep-luu-tru/" in page
    assert "Kết thúc hồ sơ (vanthu): Đang lập → Đã kết thúc" in page
    assert f'href="/ho-so/{dossier}/giu-lai"' in page


def test_the_keep_back_form_answers_on_the_form(web: Web) -> None:  # noqa: F811
    h = web.harness
    dossier, _, _ = dossier_with_two_documents(h)
    admin = web.login("admin")
    keep = admin.get(f"/ho-so/{dossier}/giu-lai")
    assert keep.status_code == 200 and "không giữ lại được" in keep.text  # still open
    refused = admin.post(
        f"/ho-so/{dossier}/giu-lai", data={"csrf_token": _csrf(keep.text), "den_ngay": "01/01/2099", "dong_y": "CV 1"}
    )
    assert refused.status_code == 409 and "DOSSIER-STATE-INVALID" in refused.text
    bad_date = admin.post(
        f"/ho-so/{dossier}/giu-lai", data={"csrf_token": _csrf(keep.text), "den_ngay": "ngày mai", "dong_y": "CV 1"}
    )
    assert bad_date.status_code == 422 and "DOSSIER-KEEP-BAD-DATE" in bad_date.text
    other = web.login("vanthu-huyen").get(f"/ho-so/{dossier}/giu-lai")
    assert other.status_code == 404
