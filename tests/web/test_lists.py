"""Lists an archivist works with (issue 14, items 7 and 9): the dossier list's search, filters, sort and error
counts; the dossier page's order and bulk actions (ZIP, check again, remove); and malformed addresses that
fall back to defaults or answer 404 instead of an error page.

The documents are stored through the API (real originals in the blob store); what a worker would read from
them (fields, findings, secrecy) is written to the catalog directly, so that each test controls its counts.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlencode

import anyio
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document, DocumentStatus, FindingRow, Job, JobKind
from tests.samples import tiny_pdf
from tests.web.conftest import Web


@dataclass(frozen=True)
class Filed:
    dossier_id: int
    docs: dict[str, int]  # file name → document id
    originals: dict[str, bytes]


def _file(
    web: Web,
    title: str,
    meeting_date: str,
    body: str,
    files: dict[str, tuple[int, int]],
    *,
    secret: Collection[str] = (),
) -> Filed:
    """A dossier holding ``files`` (name → (errors, warnings)), read and checked as a worker would leave them."""
    harness = web.harness
    dossier_id = harness.new_dossier(title=title, meeting_body=body, meeting_date=meeting_date)
    docs: dict[str, int] = {}
    originals: dict[str, bytes] = {}
    for name in files:
        data = tiny_pdf(f"Van ban {name} {title[:20]}")
        response = web.client.post(
            f"/api/v1/dossiers/{dossier_id}/documents",
            files={"files": (name, data, "application/pdf")},
            headers=harness.archivist.headers,
        )
        assert response.status_code == 201, response.text
        docs[name] = int(response.json()["items"][0]["document"]["id"])
        originals[name] = data
    with transaction(web.services.factory) as session:
        for n, (name, (errors, warnings)) in enumerate(files.items()):
            session.execute(
                update(Document)
                .where(Document.id == docs[name])
                .values(
                    status=DocumentStatus.CHECKED.value,
                    validation_status="errors" if errors else "ok",
                    secrecy_level=2 if name in secret else 0,
                    fields={
                        "number": str(10 - n),
                        "number_line": f"Số {10 - n}-NQ/TU",
                        "issued_on": f"2024-03-0{n + 1}",
                    },
                )
            )
            for severity, count in (("error", errors), ("warning", warnings)):
                for _ in range(count):
                    session.add(
                        FindingRow(
                            document_id=docs[name],
                            dossier_id=dossier_id,
                            code="FMT-STAR-MISSING",
                            severity=severity,
                            clause="36-HD/VPTW",
                            message="Thiếu dấu sao.",
                            hint="Thêm dấu *.",
                        )
                    )
    return Filed(dossier_id, docs, originals)


def _rows(html: str, table_id: str) -> list[str]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)[1:]


def _titles(html: str) -> list[str]:
    return [re.search(r'<a href="/ho-so/\d+">([^<]+)</a>', r).group(1) for r in _rows(html, "bang-ho-so")]  # type: ignore[union-attr]


def _post(client: TestClient, web: Web, path: str, ids: list[int], page: str) -> object:
    """Submit the page's own bulk form (its CSRF token as the page gives it) with ``ids`` ticked."""
    html = client.get(page).text
    form = html.split('id="chon-van-ban"', 1)[1] if 'id="chon-van-ban"' in html else html
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    data: dict[str, object] = {"csrf_token": token.group(1) if token else "", "van_ban": [str(i) for i in ids]}
    return client.post(path, data=data, follow_redirects=False)


def _three_dossiers(web: Web) -> tuple[Filed, Filed, Filed]:
    a = _file(web, "Hội nghị Ban Thường vụ lần thứ 12", "2024-03-05", "BTV", {"a1.pdf": (2, 1), "a2.pdf": (0, 0)})
    b = _file(web, "Hội nghị Ban Chấp hành lần thứ 5", "2023-07-10", "BCH", {"b1.pdf": (0, 2)})
    c = _file(web, "Thường trực họp giao ban", "2024-11-20", "TT", {"c1.pdf": (5, 0)}, secret={"c1.pdf"})
    return a, b, c


def test_the_dossier_list_searches_titles_without_diacritics_filters_sorts_and_counts_errors(embedded_web: Web) -> None:
    web = embedded_web
    _three_dossiers(web)
    client = web.login("vanthu")  # clearance 0: the Tối mật document of the third dossier is not theirs to count

    page = client.get("/ho-so").text
    assert _titles(page) == [
        "Thường trực họp giao ban",
        "Hội nghị Ban Thường vụ lần thứ 12",
        "Hội nghị Ban Chấp hành lần thứ 5",
    ]
    rows = dict(zip(_titles(page), _rows(page, "bang-ho-so"), strict=True))
    assert re.search(
        r'data-label="Lỗi" class="num"><span class="badge sev-error">2</span>',
        rows["Hội nghị Ban Thường vụ lần thứ 12"],
    )
    assert 'data-label="Cảnh báo" class="num">1<' in rows["Hội nghị Ban Thường vụ lần thứ 12"]
    assert 'data-label="Lỗi" class="num">0<' in rows["Thường trực họp giao ban"]  # the secret errors stay unseen
    assert 'data-label="Số văn bản" class="num">0<' in rows["Thường trực họp giao ban"]

    assert _titles(client.get("/ho-so", params={"q": "hoi nghi ban"}).text) == [
        "Hội nghị Ban Thường vụ lần thứ 12",
        "Hội nghị Ban Chấp hành lần thứ 5",
    ]
    assert _titles(client.get("/ho-so", params={"q": "THƯỜNG VỤ"}).text) == ["Hội nghị Ban Thường vụ lần thứ 12"]
    assert _titles(client.get("/ho-so", params={"nam": "2023"}).text) == ["Hội nghị Ban Chấp hành lần thứ 5"]
    assert _titles(client.get("/ho-so", params={"co_quan": "TT"}).text) == ["Thường trực họp giao ban"]
    assert _titles(client.get("/ho-so", params={"loi": "co"}).text) == ["Hội nghị Ban Thường vụ lần thứ 12"]
    assert (
        _titles(client.get("/ho-so", params={"sap_xep": "ngay-hop-cu"}).text)[0] == "Hội nghị Ban Chấp hành lần thứ 5"
    )
    assert _titles(client.get("/ho-so", params={"sap_xep": "nhieu-loi"}).text)[0] == "Hội nghị Ban Thường vụ lần thứ 12"
    none = client.get("/ho-so", params={"q": "không có hồ sơ nào tên này"}).text
    assert "Không có hồ sơ nào phù hợp" in none and "Tìm thấy 0 hồ sơ" in none

    admin = web.login("admin")  # clearance 3 sees the secret document's five errors
    assert _titles(admin.get("/ho-so", params={"sap_xep": "nhieu-loi"}).text)[0] == "Thường trực họp giao ban"
    assert _titles(admin.get("/ho-so", params={"loi": "co"}).text) == [
        "Thường trực họp giao ban",
        "Hội nghị Ban Thường vụ lần thứ 12",
    ]


def test_a_bad_page_number_or_order_falls_back_to_the_defaults(embedded_web: Web) -> None:
    web = embedded_web
    _three_dossiers(web)
    client = web.login("vanthu")
    default = _titles(client.get("/ho-so").text)
    for params in ({"trang": "abc"}, {"trang": "-1"}, {"sap_xep": "xyz"}, {"nam": "hai-nghin"}, {"trang": "9" * 30}):
        response = client.get("/ho-so", params=params)
        assert response.status_code == 200, (params, response.status_code)
        assert _titles(response.text) == default, params
    dossier_id = int(re.search(r'href="/ho-so/(\d+)"', client.get("/ho-so").text).group(1))  # type: ignore[union-attr]
    assert client.get(f"/ho-so/{dossier_id}", params={"sap_xep": "<script>"}).status_code == 200
    # Pages whose values are validated by the framework send the browser to the same page without them.
    for path, params in (("/tim-kiem", {"q": "nghị quyết", "trang": "abc"}), ("/nhat-ky", {"trang": "x"})):
        user = web.login("admin")
        response = user.get(path, params=params, follow_redirects=False)
        assert response.status_code == 303 and "trang" not in response.headers["location"], response.headers
        assert user.get(path, params=params).status_code == 200


def test_a_non_numeric_id_is_not_found_on_pages_and_in_the_api(embedded_web: Web) -> None:
    client = embedded_web.login("vanthu")
    for path in ("/ho-so/abc", "/ho-so/abc/sua", "/van-ban/abc", "/bao-cao/ho-so/1x"):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert "Không tìm thấy" in response.text and "REQUEST-INVALID" not in response.text
    api = embedded_web.client.get("/api/v1/dossiers/abc", headers=embedded_web.harness.archivist.headers)
    assert api.status_code == 404 and api.json()["error"]["code"] == "NOT-FOUND"


def test_a_bad_report_date_shows_the_form_again_with_its_message(embedded_web: Web) -> None:
    client = embedded_web.login("vanthu")
    response = client.get("/bao-cao", params={"tu_ngay": "31/02/2024", "den_ngay": "abc"})
    assert response.status_code == 422
    assert 'id="ngay-loi"' in response.text and "ngày/tháng/năm" in response.text
    assert 'value="31/02/2024"' in response.text and 'name="tu_ngay"' in response.text  # kept as typed, to correct
    backwards = client.get("/bao-cao", params={"tu_ngay": "01/05/2024", "den_ngay": "01/01/2024"})
    assert backwards.status_code == 422 and "Ngày bắt đầu phải trước ngày kết thúc" in backwards.text
    assert client.get("/bao-cao/don-vi.csv", params={"tu_ngay": "abc"}).status_code == 422  # a file is never guessed


def test_breadcrumbs_name_the_dossier_by_its_title(embedded_web: Web) -> None:
    web = embedded_web
    filed = _file(web, "Hội nghị Ban Thường vụ lần thứ 12", "2024-03-05", "BTV", {"a1.pdf": (0, 0)})
    client = web.login("vanthu")
    for path in (f"/ho-so/{filed.dossier_id}", f"/ho-so/{filed.dossier_id}/sua", f"/van-ban/{filed.docs['a1.pdf']}"):
        crumb = client.get(path).text.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
        assert "Hội nghị Ban Thường vụ lần thứ 12" in crumb and "Hồ sơ số" not in crumb, (path, crumb)


def test_the_dossier_page_sorts_its_documents(embedded_web: Web) -> None:
    web = embedded_web
    filed = _file(web, "Hội nghị", "2024-03-05", "BTV", {"b.pdf": (0, 0), "c.pdf": (3, 0), "a.pdf": (1, 0)})
    client = web.login("vanthu")

    def order(sort: str | None) -> list[str]:
        html = client.get(f"/ho-so/{filed.dossier_id}", params={"sap_xep": sort} if sort else None).text
        return re.findall(
            r'<a href="/van-ban/\d+">(?:<img[^>]*>)?([^<]+)</a>',
            html.split('id="bang-van-ban"', 1)[1].split("</table>")[0],
        )

    assert order(None) == ["b.pdf", "c.pdf", "a.pdf"]  # as uploaded
    assert order("ten-tep") == ["a.pdf", "b.pdf", "c.pdf"]
    assert order("nhieu-loi") == ["c.pdf", "a.pdf", "b.pdf"]
    assert order("so-ky-hieu") == ["a.pdf", "c.pdf", "b.pdf"]  # numbers 8, 9, 10
    assert order("ngay-ban-hanh") == ["b.pdf", "c.pdf", "a.pdf"]


def test_the_ticked_documents_download_as_one_zip_of_the_originals_audited(embedded_web: Web) -> None:
    web = embedded_web
    filed = _file(
        web, "Hội nghị", "2024-03-05", "BTV", {"a.pdf": (0, 0), "b.pdf": (0, 0), "mat.pdf": (0, 0)}, secret={"mat.pdf"}
    )
    other = _file(web, "Hồ sơ khác", "2024-04-05", "BTV", {"x.pdf": (0, 0)})
    reader = web.login("doc")  # clearance 0
    page = f"/ho-so/{filed.dossier_id}"
    ids = [filed.docs["a.pdf"], filed.docs["mat.pdf"], other.docs["x.pdf"], filed.docs["b.pdf"]]
    response = _post(reader, web, f"/ho-so/{filed.dossier_id}/tai-zip", ids, page)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/zip"  # type: ignore[attr-defined]
    archive = zipfile.ZipFile(io.BytesIO(response.content))  # type: ignore[attr-defined]
    # The secret one and the other dossier's are left out without a word; the rest byte for byte.
    assert archive.namelist() == ["a.pdf", "b.pdf"]
    assert archive.read("a.pdf") == filed.originals["a.pdf"] and archive.read("b.pdf") == filed.originals["b.pdf"]
    with transaction(web.services.factory) as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(["document.download", "dossier.download-zip"]))
        ).all()
        assert sorted((e.action, e.object_id) for e in events) == sorted(
            [
                ("document.download", str(filed.docs["a.pdf"])),
                ("document.download", str(filed.docs["b.pdf"])),
                ("dossier.download-zip", str(filed.dossier_id)),
            ]
        )
    nothing = _post(reader, web, f"/ho-so/{filed.dossier_id}/tai-zip", [filed.docs["mat.pdf"]], page)
    assert nothing.status_code == 303 and "thong_bao=chua-chon" in nothing.headers["location"]  # type: ignore[attr-defined]
    assert "Chưa chọn văn bản nào" in reader.get(nothing.headers["location"]).text  # type: ignore[attr-defined]
    outsider = web.login("vanthu-huyen")  # another office: the dossier does not exist for them
    assert _post(outsider, web, f"/ho-so/{filed.dossier_id}/tai-zip", ids, "/ho-so").status_code == 404  # type: ignore[attr-defined]


def test_a_zip_whose_sending_fails_mid_way_leaves_no_copy_in_the_spool(embedded_web: Web) -> None:
    """The ZIP holds the originals: a sending that fails mid-way (the connection broken) must not leave it in the
    spool, as a background task would (it runs only after a whole answer)."""
    web = embedded_web
    filed = _file(web, "Hội nghị", "2024-03-05", "BTV", {"a.pdf": (0, 0)})
    reader = web.login("doc")
    page = f"/ho-so/{filed.dossier_id}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', reader.get(page).text)
    body = urlencode({"csrf_token": token.group(1) if token else "", "van_ban": str(filed.docs["a.pdf"])}).encode()
    cookies = "; ".join(f"{k}={v}" for k, v in reader.cookies.items())
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"{page}/tai-zip",
        "raw_path": f"{page}/tai-zip".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"cookie", cookies.encode()),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    started: list[int] = []
    sent_body: list[bool] = []

    async def receive() -> dict[str, object]:
        if sent_body:  # the body was read: no disconnect message comes, the sending itself fails
            await anyio.sleep_forever()
        sent_body.append(True)
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            started.append(int(message["status"]))  # type: ignore[call-overload]
        elif message["type"] == "http.response.body" and message.get("body"):
            raise OSError("the client closed the connection")

    async def call() -> None:
        with contextlib.suppress(OSError):
            await web.client.app(scope, receive, send)  # type: ignore[arg-type]

    anyio.run(call)
    assert started == [200]  # the ZIP was made and its sending began
    assert sorted(web.services.settings.spool_dir.rglob("*")) == []


def test_check_again_queues_the_ticked_documents_once_for_writers_only(embedded_web: Web) -> None:
    web = embedded_web
    filed = _file(web, "Hội nghị", "2024-03-05", "BTV", {"a.pdf": (1, 0), "b.pdf": (0, 0)})
    with transaction(web.services.factory) as session:  # the uploads' own jobs are done
        session.execute(update(Job).values(state="done"))
    page = f"/ho-so/{filed.dossier_id}"
    reader = web.login("doc")
    assert _post(reader, web, f"{page}/kiem-tra-lai", [filed.docs["a.pdf"]], page).status_code == 403  # type: ignore[attr-defined]
    archivist = web.login("vanthu")
    first = _post(archivist, web, f"{page}/kiem-tra-lai", [filed.docs["a.pdf"]], page)
    assert first.status_code == 303 and "so=1" in first.headers["location"]  # type: ignore[attr-defined]
    again = _post(archivist, web, f"{page}/kiem-tra-lai", [filed.docs["a.pdf"], filed.docs["b.pdf"]], page)
    assert "so=1" in again.headers["location"]  # type: ignore[attr-defined]  # a is waiting already
    assert "Đã xếp 1 văn bản vào hàng chờ" in archivist.get(again.headers["location"]).text  # type: ignore[attr-defined]
    with transaction(web.services.factory) as session:
        queued = session.scalars(
            select(Job.document_id).where(Job.kind == JobKind.PROCESS_DOCUMENT.value, Job.state == "queued")
        ).all()
        assert sorted(int(i or 0) for i in queued) == sorted(filed.docs.values())
        assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "document.recheck")).all()) == 3


def test_removing_documents_takes_them_out_of_the_dossier_but_keeps_the_originals(embedded_web: Web) -> None:
    web = embedded_web
    filed = _file(web, "Hội nghị Ban Thường vụ", "2024-03-05", "BTV", {"a.pdf": (2, 0), "b.pdf": (0, 0)})
    page = f"/ho-so/{filed.dossier_id}"
    reader = web.login("doc")
    assert _post(reader, web, f"{page}/go-khoi-ho-so", [filed.docs["a.pdf"]], page).status_code == 403  # type: ignore[attr-defined]
    archivist = web.login("vanthu")
    response = _post(archivist, web, f"{page}/go-khoi-ho-so", [filed.docs["a.pdf"]], page)
    assert response.status_code == 303  # type: ignore[attr-defined]
    shown = archivist.get(response.headers["location"]).text  # type: ignore[attr-defined]
    assert "Đã gỡ 1 văn bản khỏi hồ sơ" in shown and "Văn bản trong hồ sơ (1)" in shown
    assert ">a.pdf<" not in shown.split('id="bang-van-ban"', 1)[1]
    listing = archivist.get("/ho-so").text
    assert 'data-label="Số văn bản" class="num">1<' in listing and 'data-label="Lỗi" class="num">0<' in listing
    # The document and its original stay: readable by its id, byte-identical.
    assert archivist.get(f"/van-ban/{filed.docs['a.pdf']}").status_code == 200
    original = archivist.get(f"/van-ban/{filed.docs['a.pdf']}/ban-goc")
    assert original.status_code == 200 and original.content == filed.originals["a.pdf"]
    with transaction(web.services.factory) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "document.remove-from-dossier")).one()
        assert (
            event.object_id == str(filed.docs["a.pdf"])
            and event.details
            and event.details["dossier"] == filed.dossier_id
        )


def _move(client: TestClient, page: str, ids: list[int], target: str) -> object:
    """Submit the page's bulk form to move ``ids`` into dossier ``target`` (the form's own CSRF token)."""
    html = client.get(page).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html.split('id="chon-van-ban"', 1)[1])
    data = {"csrf_token": token.group(1) if token else "", "van_ban": [str(i) for i in ids], "ho_so_dich": target}
    return client.post(f"{page}/chuyen-ho-so", data=data, follow_redirects=False)


def test_moving_documents_files_them_in_the_chosen_dossier_of_the_office_audited(embedded_web: Web) -> None:
    web = embedded_web
    a = _file(web, "Hội nghị Ban Thường vụ lần thứ 12", "2024-03-05", "BTV", {"a1.pdf": (2, 0), "a2.pdf": (0, 0)})
    b = _file(web, "Hội nghị Ban Chấp hành lần thứ 5", "2024-07-10", "BCH", {"b1.pdf": (0, 0)})
    page = f"/ho-so/{a.dossier_id}"
    moved = a.docs["a1.pdf"]
    reader = web.login("doc")
    assert 'id="ho-so-dich"' not in reader.get(page).text  # a reader is offered no move
    assert _move(reader, page, [moved], str(b.dossier_id)).status_code == 403  # type: ignore[attr-defined]
    archivist = web.login("vanthu")
    html = archivist.get(page).text
    offered = html.split('id="ho-so-dich"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{b.dossier_id}">Hội nghị Ban Chấp hành lần thứ 5' in offered
    assert f'value="{a.dossier_id}"' not in offered  # not the dossier itself

    no_target = _move(archivist, page, [moved], "")
    assert "Chưa chọn hồ sơ để chuyển đến" in archivist.get(no_target.headers["location"]).text  # type: ignore[attr-defined]
    assert _move(archivist, page, [moved], "999999").status_code == 404  # type: ignore[attr-defined]
    assert _move(archivist, page, [moved], str(a.dossier_id)).status_code == 409  # type: ignore[attr-defined]

    response = _move(archivist, page, [moved], str(b.dossier_id))
    assert response.status_code == 303  # type: ignore[attr-defined]
    shown = archivist.get(response.headers["location"]).text  # type: ignore[attr-defined]
    assert "Đã chuyển 1 văn bản sang hồ sơ đã chọn" in shown and "Văn bản trong hồ sơ (1)" in shown
    target = archivist.get(f"/ho-so/{b.dossier_id}").text
    assert "Văn bản trong hồ sơ (2)" in target and ">a1.pdf<" in target.split('id="bang-van-ban"', 1)[1]
    with transaction(web.services.factory) as session:
        doc = session.get(Document, moved)
        assert doc is not None and doc.dossier_id == b.dossier_id and doc.removed_from_dossier_at is None
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "document.move")).one()
        assert event.details and (event.details["dossier"], event.details["to_dossier"]) == (a.dossier_id, b.dossier_id)
        checks = session.scalars(select(Job.dossier_id).where(Job.kind == JobKind.CHECK_DOSSIER.value)).all()
        assert {a.dossier_id, b.dossier_id} <= set(checks)
