"""On every page a code is shown as words first (its label), the code after it, small: finding cards, the search
facet, the report's table, chart and finding list, and error pages."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient
from markupsafe import escape

from archive_service.search.service import drain_outbox
from archive_service.workers.jobs import run_pending_jobs
from schemas.code_labels import CODE_PATTERN, code_label
from tests.web.conftest import Web
from tests.web.helpers import correct_docx, planted_docx, upload

COLON = "FMT-NUMBER-COLON"
COLON_LABEL = 'Dấu hai chấm sau chữ "Số" sai quy định'
SHOWN_LABEL = str(escape(COLON_LABEL))  # as the templates escape it ("&#34;")
_CODE_TEXT = re.compile(r">\s*([A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)+)\s*<")  # a code's words start with letters
_LABELLED = re.compile(r'<span class="code-label">([^<]+)</span> <code class="code">$')


def raw_codes(page: str) -> list[str]:
    """The codes a page shows as text without their label right before them."""
    raw = []
    for match in _CODE_TEXT.finditer(page):
        code = match.group(1)
        before = _LABELLED.search(page[: match.start() + 1])
        if before is None or html.unescape(before.group(1)) != code_label(code):
            raw.append(code)
    return raw


def _checked(web: Web, tmp_path: Path) -> tuple[TestClient, int, dict[str, int]]:
    client = web.login("vanthu")
    dossier = web.harness.new_dossier(meeting_date="2024-03-01")
    items = upload(client, web.csrf(client), dossier, planted_docx(tmp_path), correct_docx(tmp_path))
    run_pending_jobs(web.services)
    drain_outbox(web.services)
    return client, dossier, {str(i["filename"]): int(i["document"]["id"]) for i in items}  # type: ignore[call-overload,index]


def test_the_finding_card_is_headed_by_the_label_with_the_code_small_after_it(
    embedded_web: Web, tmp_path: Path
) -> None:
    client, dossier, ids = _checked(embedded_web, tmp_path)
    page = client.get(f"/van-ban/{ids['nghi-quyet-sai-so.docx']}").text
    head = re.search(r'<p class="finding-head">(.*?)</p>', page, re.S)
    assert head is not None
    assert f'<span class="code-label">{SHOWN_LABEL}</span> <code class="code">{COLON}</code>' in head.group(1)
    assert raw_codes(page) == []
    dossier_page = client.get(f"/ho-so/{dossier}").text  # checked after the upload: no biên bản is filed
    assert '<span class="code-label">Hồ sơ thiếu biên bản hội nghị</span> <code class="code">DOS-MISSING-MINUTES' in (
        dossier_page
    )
    assert raw_codes(dossier_page) == []


def test_the_search_facet_lists_the_kinds_of_error_in_words(embedded_web: Web, tmp_path: Path) -> None:
    client, _, _ = _checked(embedded_web, tmp_path)
    page = client.get("/tim-kiem", params={"q": "nghi quyet"}).text
    facet = page[page.index('id="facet-ma_loi"') :]
    facet = facet[: facet.index("</section>")]
    assert "Loại lỗi" in facet
    assert SHOWN_LABEL in facet and f'<code class="code">{COLON}</code>' in facet
    assert raw_codes(page) == []


def test_the_report_table_chart_and_findings_name_each_rule_in_words(embedded_web: Web, tmp_path: Path) -> None:
    client, _, ids = _checked(embedded_web, tmp_path)
    page = client.get("/bao-cao", params={"tu_ngay": "01/01/2024", "den_ngay": "31/12/2024"}).text
    table = page[page.index('id="bang-ma-loi"') :]
    table = table[: table.index("</table>")]
    assert f'<th scope="row"><span class="code-label">{SHOWN_LABEL}</span>' in table
    chart = page[page.index('id="theo-ma-loi-title"') :]
    chart = chart[: chart.index("</svg>")]
    bar_labels = [html.unescape(t) for t in re.findall(r'text-anchor="end" fill="#444444">([^<]+)</text>', chart)]
    assert COLON_LABEL in bar_labels
    assert not [label for label in bar_labels if CODE_PATTERN.match(label)]
    assert raw_codes(page) == []
    document_report = client.get(f"/bao-cao/van-ban/{ids['nghi-quyet-sai-so.docx']}").text
    assert SHOWN_LABEL in document_report and raw_codes(document_report) == []
    svg = client.get("/bao-cao/don-vi/bieu-do-ma-loi.svg", params={"tu_ngay": "01/01/2024"}).text
    assert COLON_LABEL in html.unescape(svg) and f">{COLON}<" not in svg


def test_an_error_page_says_what_happened_in_words_and_keeps_the_code(embedded_web: Web) -> None:
    client = embedded_web.login("vanthu")
    page = client.get("/ho-so/987654")
    assert page.status_code == 404
    assert (
        '<span class="code-label">Không tìm thấy hồ sơ</span> <code class="code">DOSSIER-NOT-FOUND</code>' in page.text
    )
    assert raw_codes(page.text) == []
