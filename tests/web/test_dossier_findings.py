"""Dossiers that agree with their documents: dossier findings grouped per document, on its row and on its page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from archive_service.workers.jobs import run_pending_jobs
from tests.corpus.generator import docx_to_pdf
from tests.corpus.session import need_tools
from tests.web.conftest import Web
from tests.web.helpers import correct_docx

MEDIA = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


def _dossier(web: Web, client: TestClient) -> int:
    response = client.post(
        "/ho-so/moi",
        data={
            "csrf_token": web.csrf(client, "/ho-so/moi"),
            "title": "Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 14",
            "meeting_body": "BTV",
            "meeting_date": "01/03/2024",
            "retention": "vinh-vien",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _checked(web: Web, client: TestClient, dossier_id: int, *paths: Path) -> dict[str, int]:
    """Upload the files, let the workers read and check them (and the dossier); their ids by file name."""
    files = [("files", (p.name, p.read_bytes(), MEDIA[p.suffix])) for p in paths]
    response = client.post(
        f"/web-api/ho-so/{dossier_id}/van-ban", files=files, headers={"X-CSRF-Token": web.csrf(client)}
    )
    assert response.status_code in (200, 201), response.text
    items = response.json()["items"]
    assert all(i.get("error") is None for i in items), items
    while run_pending_jobs(web.services):
        pass
    return {str(i["filename"]): int(i["document"]["id"]) for i in items}


def _row(page: str, doc_id: int) -> str:
    """The dossier table's row of one document (the row that links to its page)."""
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = [r for r in re.findall(r"<tr\b.*?</tr>", table, re.S) if f'href="/van-ban/{doc_id}"' in r]
    assert len(rows) == 1, f"no single row for document {doc_id}"
    return rows[0]


def _group(page: str, doc_id: int) -> str:
    """The dossier findings grouped under one document."""
    match = re.search(rf'<div class="finding-group" id="ho-so-van-ban-{doc_id}">.*?</div>', page, re.S)
    assert match, f"no finding group for document {doc_id}"
    return match.group(0)


def _duplicate_pair(web: Web, tmp_path: Path, client: TestClient) -> tuple[int, int, int]:
    """A dossier holding two different nghị quyết numbered 125 (issued on 05/03 and 06/03/2024)."""
    dossier_id = _dossier(web, client)
    first = correct_docx(tmp_path, "nq-125-ngay-05.docx")
    second = correct_docx(tmp_path, "nq-125-ngay-06.docx", issued_on=date(2024, 3, 6))
    ids = _checked(web, client, dossier_id, first, second)
    return dossier_id, ids[first.name], ids[second.name]


def test_a_duplicate_number_is_grouped_under_both_documents_with_links(web: Web, tmp_path: Path) -> None:
    client = web.login("vanthu")
    dossier_id, first, second = _duplicate_pair(web, tmp_path, client)
    page = client.get(f"/ho-so/{dossier_id}").text
    for doc_id, other in ((first, second), (second, first)):
        group = _group(page, doc_id)
        assert f'<a href="/van-ban/{doc_id}">' in group  # the group's heading links to the document page
        assert "DOS-DUPLICATE-NUMBER" in group
        assert f'Cùng với:\n    <a href="/van-ban/{other}">' in group
    whole = re.search(r'<div class="finding-group" id="ho-so-ca-ho-so">.*?</div>', page, re.S)
    assert whole and "DOS-MISSING-MINUTES" in whole.group(0)  # about the dossier, not about a document
    assert "DOS-DUPLICATE-NUMBER" not in whole.group(0)


def test_a_row_named_by_a_dossier_error_counts_it_and_never_reads_passed(web: Web, tmp_path: Path) -> None:
    client = web.login("vanthu")
    dossier_id, first, second = _duplicate_pair(web, tmp_path, client)
    page = client.get(f"/ho-so/{dossier_id}").text
    for doc_id in (first, second):
        row = _row(page, doc_id)
        assert f'href="#ho-so-van-ban-{doc_id}">1 lỗi hồ sơ</a>' in row
        assert '<span class="badge val-ok">Đạt</span>' not in row
        errors = re.findall(r'<td class="num">(\d+)', row)[0]
        assert int(errors) >= 1  # the Lỗi column counts the dossier error with the document's own


def test_the_document_page_shows_its_dossier_findings_linked(web: Web, tmp_path: Path) -> None:
    client = web.login("vanthu")
    dossier_id, first, second = _duplicate_pair(web, tmp_path, client)
    page = client.get(f"/van-ban/{first}").text
    section = re.search(r'<section aria-labelledby="tieu-de-loi-ho-so".*?</section>', page, re.S)
    assert section, "no dossier findings on the document page"
    text = section.group(0)
    assert "Phát hiện về hồ sơ liên quan đến văn bản này (1)" in text
    assert "DOS-DUPLICATE-NUMBER" in text and "DOS-MISSING-MINUTES" not in text
    assert f'href="/ho-so/{dossier_id}#ho-so-van-ban-{first}"' in text
    assert f'<a href="/van-ban/{second}">nq-125-ngay-06.docx</a>' in text
    facts = page[page.index('<dl class="facts">') : page.index("</dl>")]
    assert "Hồ sơ báo 1 lỗi về văn bản này" in facts  # the result line never reads a bare "Đạt"


def test_a_document_no_dossier_finding_names_has_no_dossier_section(web: Web, tmp_path: Path) -> None:
    client = web.login("vanthu")
    dossier_id = _dossier(web, client)
    ids = _checked(web, client, dossier_id, correct_docx(tmp_path, "nq-125.docx"))
    page = client.get(f"/van-ban/{ids['nq-125.docx']}").text
    assert "tieu-de-loi-ho-so" not in page and "Hồ sơ báo" not in page
    dossier = client.get(f"/ho-so/{dossier_id}").text
    assert "lỗi hồ sơ" not in _row(dossier, ids["nq-125.docx"])


def test_a_dossier_finding_naming_a_secret_document_is_neither_counted_nor_shown_to_the_uncleared(
    web: Web, tmp_path: Path
) -> None:
    archivist = web.login("vanthu")  # clearance 0
    dossier_id, first, second = _duplicate_pair(web, tmp_path, archivist)
    admin = web.harness.admin
    secret = web.client.patch(f"/api/v1/documents/{second}", json={"secrecy_level": 2}, headers=admin.headers)
    assert secret.status_code == 200, secret.text
    page = archivist.get(f"/ho-so/{dossier_id}").text
    assert "nq-125-ngay-06.docx" not in page and "DOS-DUPLICATE-NUMBER" not in page
    assert "lỗi hồ sơ" not in _row(page, first)
    assert "tieu-de-loi-ho-so" not in archivist.get(f"/van-ban/{first}").text
    cleared = web.login("admin")
    assert "1 lỗi hồ sơ" in _row(cleared.get(f"/ho-so/{dossier_id}").text, first)
    assert "nq-125-ngay-06.docx" in cleared.get(f"/van-ban/{first}").text


@pytest.mark.slow
def test_the_docx_and_its_pdf_are_one_document_not_a_duplicate_number(web: Web, tmp_path: Path) -> None:
    need_tools("soffice")
    client = web.login("vanthu")
    dossier_id = _dossier(web, client)
    docx = correct_docx(tmp_path, "nq-125.docx")
    (pdf,) = docx_to_pdf([docx], tmp_path / "pdf")
    ids = _checked(web, client, dossier_id, docx, pdf)
    page = client.get(f"/ho-so/{dossier_id}").text
    assert "DOS-DUPLICATE-NUMBER" not in page
    for doc_id in ids.values():
        assert "lỗi hồ sơ" not in _row(page, doc_id)
    # The near miss: another nghị quyết with the same number, issued on another day, is still a duplicate.
    other = correct_docx(tmp_path, "nq-125-ngay-06.docx", issued_on=date(2024, 3, 6))
    more = _checked(web, client, dossier_id, other)
    page = client.get(f"/ho-so/{dossier_id}").text
    assert "DOS-DUPLICATE-NUMBER" in _group(page, more[other.name])
    for doc_id in ids.values():  # both renditions of the first are named by the finding
        assert "1 lỗi hồ sơ" in _row(page, doc_id)


def _issuer_findings(web: Web, tmp_path: Path, name: str, **spec: object) -> str:
    """The dossier page after filing a document of the Huyện ủy Nga Sơn beside a Tỉnh ủy nghị quyết."""
    client = web.login("vanthu")
    dossier_id = _dossier(web, client)
    own = correct_docx(tmp_path, "nq-125.docx")
    foreign = correct_docx(
        tmp_path,
        name,
        parent_issuer="ĐẢNG BỘ TỈNH THANH HÓA",
        issuer_lines=("HUYỆN ỦY NGA SƠN",),
        issuer_code="HU",
        number="40",
        issued_on=date(2024, 2, 26),
        **spec,
    )
    _checked(web, client, dossier_id, own, foreign)
    return client.get(f"/ho-so/{dossier_id}").text


def test_a_to_trinh_another_body_submits_to_the_meeting_is_not_an_issuer_mismatch(web: Web, tmp_path: Path) -> None:
    page = _issuer_findings(
        web,
        tmp_path,
        "to-trinh-huyen-uy.docx",
        document_type="TỜ TRÌNH",
        type_code="TTr",
        summary="về đề nghị phê duyệt đề án phát triển nông nghiệp",
        addressees=("Ban Thường vụ Tỉnh ủy",),
        addressee_label="Kính trình",
    )
    assert "DOS-ISSUER-MISMATCH" not in page


def test_a_conclusion_of_another_committee_is_still_an_issuer_mismatch(web: Web, tmp_path: Path) -> None:
    page = _issuer_findings(
        web, tmp_path, "ket-luan-huyen-uy.docx", document_type="KẾT LUẬN", type_code="KL", summary="về công tác cán bộ"
    )
    assert "DOS-ISSUER-MISMATCH" in page
