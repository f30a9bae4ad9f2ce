"""The bad-input corpus: hostile files, names, bodies and parameters through the HTTP API.

Every refusal is a 4xx JSON ``{"error": {"code", "message"}}`` with a Vietnamese message, leaves the
catalog, the blob store and the spool as they were, and the service keeps working afterwards (health,
a normal upload). A file of the right type whose content is broken is stored on purpose (the original
is kept) and marked failed by the worker with its PARSE-* code; a good file with a hostile name is
stored under a cleaned name.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Dossier
from archive_service.documents.ingest import ingest_paths
from archive_service.filenames import clean_filename
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness, build_harness, make_settings
from tests.indexers.bad_files.make_bad_files import make_all
from tests.samples import tiny_docx, tiny_pdf
from tests.web.conftest import Web, set_password

PDF = "application/pdf"
OCTET = "application/octet-stream"
VIETNAMESE_LETTER = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]")
LIMIT_MB = 1
MAX_FILES = 3


@pytest.fixture
def small(backend_kind: str, tmp_path: Path) -> Iterator[Harness]:
    """The app with small limits: files up to 1 MB, three files a request."""
    settings = make_settings(backend_kind, tmp_path, max_upload_mb=LIMIT_MB, max_files_per_upload=MAX_FILES)
    yield from build_harness(settings)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    made = make_all(tmp_path_factory.mktemp("bad"))
    return {name: path.read_bytes() for name, path in made.items()}


@dataclass
class World:
    """What a case acts on: a dossier with one stored document, and the bad files."""

    h: Harness
    dossier: int
    document: int
    files: dict[str, bytes]

    @property
    def headers(self) -> dict[str, str]:
        return self.h.archivist.headers

    def upload(self, parts: list[tuple[str, tuple[str, bytes, str]]], **kw: Any) -> httpx.Response:
        url = f"/api/v1/dossiers/{self.dossier}/documents"
        return self.h.client.post(url, files=parts, headers=self.headers, **kw)

    def upload_one(self, name: str, data: bytes) -> httpx.Response:
        return self.upload([("files", (name, data, OCTET))])

    def raw(self, url: str, body: bytes, content_type: str) -> httpx.Response:
        return self.h.client.post(url, content=body, headers={**self.headers, "content-type": content_type})

    def patch_dossier(self, body: object) -> httpx.Response:
        return self.h.client.patch(f"/api/v1/dossiers/{self.dossier}", json=body, headers=self.headers)

    def patch_document(self, body: object) -> httpx.Response:
        return self.h.client.patch(f"/api/v1/documents/{self.document}", json=body, headers=self.headers)

    def patch_raw(self, body: bytes) -> httpx.Response:
        headers = {**self.headers, "content-type": "application/json"}
        return self.h.client.patch(f"/api/v1/dossiers/{self.dossier}", content=body, headers=headers)

    def check(self, parts: list[tuple[str, tuple[str, bytes, str]]]) -> httpx.Response:
        return self.h.client.post("/api/v1/check", files=parts, headers=self.headers)


def multipart(*parts: tuple[str, bytes], boundary: str = "ranh-gioi-42", close: bool = True) -> tuple[bytes, str]:
    """A multipart body written by hand: (Content-Disposition value, content) per part."""
    body = b""
    for disposition, data in parts:
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        body += b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n"
    if close:
        body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def asgi_get(app: FastAPI, path: str, query: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """A GET straight to the app: httpx refuses to build a URL whose query is over 64 KB."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return int(start["status"]), body


def _huge_query(w: World) -> httpx.Response:
    query = b"q=" + quote("quyết định " * 7_000).encode()  # ~100 kB once encoded
    assert len(query) > 100_000
    status, body = asgi_get(w.h.client.app, "/api/v1/search", query, w.headers)  # type: ignore[arg-type]
    return httpx.Response(status, content=body)


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@dataclass(frozen=True)
class Case:
    send: Callable[[World], httpx.Response]
    status: int
    code: str


CASES: dict[str, Case] = {
    # Files the gate refuses, from the bad-file generator.
    "empty file": Case(lambda w: w.upload_one("rong.pdf", w.files["empty.pdf"]), 400, "UPLOAD-EMPTY"),
    "random bytes": Case(lambda w: w.upload_one("x.pdf", w.files["random.bin"]), 415, "UPLOAD-UNSUPPORTED-TYPE"),
    "macro DOCM": Case(lambda w: w.upload_one("a.docx", w.files["macro.docm"]), 415, "UPLOAD-MACRO"),
    "DOCX holding vbaProject.bin": Case(
        lambda w: w.upload_one("a.docx", w.files["vba-project.docx"]), 415, "UPLOAD-MACRO"
    ),
    "legacy DOC": Case(lambda w: w.upload_one("cu.doc", w.files["legacy.doc"]), 415, "UPLOAD-LEGACY-FORMAT"),
    "encrypted DOCX": Case(lambda w: w.upload_one("mat.docx", w.files["encrypted.docx"]), 415, "UPLOAD-ENCRYPTED"),
    "ZIP that is no DOCX": Case(
        lambda w: w.upload_one("a.docx", w.files["archive.zip"]), 415, "UPLOAD-UNSUPPORTED-TYPE"
    ),
    "broken ZIP": Case(lambda w: w.upload_one("a.docx", w.files["broken-zip.docx"]), 415, "UPLOAD-UNSUPPORTED-TYPE"),
    # Limits.
    "oversized file": Case(
        lambda w: w.upload_one("lon.pdf", tiny_pdf() + b"%" * (LIMIT_MB * 1024 * 1024)), 413, "UPLOAD-TOO-LARGE"
    ),
    "too many files": Case(
        lambda w: w.upload([("files", (f"{i}.pdf", tiny_pdf(f"so {i}"), PDF)) for i in range(MAX_FILES + 1)]),
        413,
        "UPLOAD-TOO-MANY-FILES",
    ),
    "file name over 64 KB": Case(
        lambda w: w.raw(
            f"/api/v1/dossiers/{w.dossier}/documents",
            *multipart((f'form-data; name="files"; filename="{"a" * 70_000}.pdf"', tiny_pdf("dai"))),
        ),
        400,
        "UPLOAD-HEADER-TOO-LARGE",
    ),
    # Parts the route does not read.
    "file under another field name": Case(
        lambda w: w.upload([("tep", ("a.pdf", tiny_pdf("khac"), PDF))]), 400, "UPLOAD-UNEXPECTED-FIELD"
    ),
    "a good file beside one under another field": Case(
        lambda w: w.upload([("files", ("a.pdf", tiny_pdf("tot"), PDF)), ("file", ("b.pdf", tiny_pdf("b"), PDF))]),
        400,
        "UPLOAD-UNEXPECTED-FIELD",
    ),
    "unknown text field": Case(
        lambda w: w.upload([("files", ("a.pdf", tiny_pdf("tot"), PDF))], data={"ghi_chu": "x"}),
        400,
        "UPLOAD-UNEXPECTED-FIELD",
    ),
    "non-multipart body": Case(
        lambda w: w.raw(f"/api/v1/dossiers/{w.dossier}/documents", b"%PDF-1.4 raw", PDF), 400, "UPLOAD-NOT-MULTIPART"
    ),
    "multipart body cut short": Case(
        lambda w: w.raw(
            f"/api/v1/dossiers/{w.dossier}/documents",
            *multipart(('form-data; name="files"; filename="a.pdf"', tiny_pdf("cat")[:200]), close=False),
        ),
        400,
        "UPLOAD-MALFORMED",
    ),
    "version_of not a number": Case(
        lambda w: w.upload([("files", ("a.pdf", tiny_pdf("v"), PDF))], data={"version_of": "²"}),
        422,
        "REQUEST-INVALID",
    ),
    "version_of beyond 64 bits": Case(
        lambda w: w.upload([("files", ("a.pdf", tiny_pdf("v"), PDF))], data={"version_of": "9" * 30}),
        422,
        "REQUEST-INVALID",
    ),
    "upload into an unknown dossier": Case(
        lambda w: w.h.client.post(
            "/api/v1/dossiers/999999/documents",
            files=[("files", ("a.pdf", tiny_pdf("u"), PDF))],
            headers=w.headers,
        ),
        404,
        "DOSSIER-NOT-FOUND",
    ),
    # /check answers as an upload does.
    "check: empty file": Case(lambda w: w.check([("file", ("rong.pdf", b"", PDF))]), 400, "UPLOAD-EMPTY"),
    "check: macro DOCX": Case(
        lambda w: w.check([("file", ("a.docx", w.files["vba-project.docx"], OCTET))]), 415, "UPLOAD-MACRO"
    ),
    "check: file under files": Case(
        lambda w: w.check([("files", ("a.pdf", tiny_pdf(), PDF))]), 400, "UPLOAD-UNEXPECTED-FIELD"
    ),
    # JSON bodies.
    "invalid JSON": Case(lambda w: w.patch_raw(b'{"title": '), 422, "REQUEST-INVALID"),
    "nested JSON, 10,000 levels": Case(lambda w: w.patch_raw(_nested(10_000)), 400, "REQUEST-INVALID"),
    "title a number": Case(lambda w: w.patch_dossier({"title": 5}), 422, "REQUEST-INVALID"),
    "title null": Case(lambda w: w.patch_dossier({"title": None}), 422, "REQUEST-INVALID"),
    "title blank": Case(lambda w: w.patch_dossier({"title": " \t "}), 422, "REQUEST-INVALID"),
    "meeting_body null": Case(lambda w: w.patch_dossier({"meeting_body": None}), 422, "REQUEST-INVALID"),
    "retention null": Case(lambda w: w.patch_dossier({"retention": None}), 422, "REQUEST-INVALID"),
    "retention not in the schedule": Case(
        lambda w: w.patch_dossier({"retention": "bogus-forever"}), 422, "REQUEST-INVALID"
    ),
    "meeting_date a number": Case(lambda w: w.patch_dossier({"meeting_date": 5}), 422, "REQUEST-INVALID"),
    "misspelt field": Case(lambda w: w.patch_dossier({"titel": "x"}), 422, "REQUEST-INVALID"),
    "new dossier with a blank title": Case(
        lambda w: w.h.client.post("/api/v1/dossiers", json={"title": "  ", "meeting_body": "BTV"}, headers=w.headers),
        422,
        "REQUEST-INVALID",
    ),
    "secrecy_level a string": Case(lambda w: w.patch_document({"secrecy_level": "2"}), 422, "REQUEST-INVALID"),
    "secrecy_level true": Case(lambda w: w.patch_document({"secrecy_level": True}), 422, "REQUEST-INVALID"),
    "secrecy_level null": Case(lambda w: w.patch_document({"secrecy_level": None}), 422, "REQUEST-INVALID"),
    "dossier_id null": Case(lambda w: w.patch_document({"dossier_id": None}), 422, "REQUEST-INVALID"),
    "dossier_id true": Case(lambda w: w.patch_document({"dossier_id": True}), 422, "REQUEST-INVALID"),
    "version_of beyond 64 bits in JSON": Case(
        lambda w: w.patch_document({"version_of": 2**70}), 422, "REQUEST-INVALID"
    ),
    "PATCH an unknown dossier": Case(
        lambda w: w.h.client.patch("/api/v1/dossiers/999999", json={"title": "x"}, headers=w.headers),
        404,
        "DOSSIER-NOT-FOUND",
    ),
    # Query parameters.
    "search q of 100 kB": Case(_huge_query, 422, "REQUEST-INVALID"),
}


def _state(h: Harness) -> tuple[int, list[str], tuple[Any, ...], list[tuple[Any, ...]]]:
    """Documents, blobs, and the stored values of every dossier and document."""
    with transaction(h.services.factory) as s:
        count = int(s.scalar(select(func.count()).select_from(Document)) or 0)
        dossiers = tuple(
            (d.title, d.meeting_body, d.meeting_number, d.meeting_date, d.retention)
            for d in s.scalars(select(Dossier).order_by(Dossier.id))
        )
        documents = [
            (d.dossier_id, d.secrecy_level, d.version_of, d.original_filename)
            for d in s.scalars(select(Document).order_by(Document.id))
        ]
    return count, sorted(h.services.blobs.iter_keys()), dossiers, documents


def _world(h: Harness, files: dict[str, bytes]) -> World:
    dossier = h.new_dossier()
    stored = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files=[("files", ("bien-ban.pdf", tiny_pdf("Bien ban"), PDF))],
        headers=h.archivist.headers,
    )
    assert stored.status_code == 201, stored.text
    return World(h=h, dossier=dossier, document=int(stored.json()["items"][0]["document"]["id"]), files=files)


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    """A 4xx JSON error with the code and a Vietnamese message."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert VIETNAMESE_LETTER.search(error["message"].lower()), error["message"]


def assert_still_serving(h: Harness, dossier: int) -> None:
    assert h.client.get("/healthz").json() == {"status": "ok"}
    fresh = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files=[("files", ("sau-do.docx", tiny_docx("Văn bản sau khi bị từ chối"), OCTET))],
        headers=h.archivist.headers,
    )
    assert fresh.status_code == 201, fresh.text


@pytest.mark.parametrize(
    "name",
    list(CASES),
)
def test_bad_input_is_refused_with_a_vietnamese_4xx_and_leaves_nothing_behind(
    small: Harness, bad_files: dict[str, bytes], name: str
) -> None:
    case = CASES[name]
    world = _world(small, bad_files)
    before = _state(small)
    assert_refused(case.send(world), case.status, case.code)
    assert _state(small) == before
    assert list(small.services.settings.spool_dir.iterdir()) == []
    assert_still_serving(small, world.dossier)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("truncated.pdf", "PARSE-CORRUPT"),
        ("encrypted.pdf", "PARSE-ENCRYPTED"),
        ("huge-page-count.pdf", "PARSE-TOO-LARGE"),
        ("zip-bomb.docx", "PARSE-TOO-LARGE"),
    ],
)
def test_a_file_of_the_right_type_with_broken_content_is_kept_and_marked_failed(
    small: Harness, bad_files: dict[str, bytes], name: str, code: str
) -> None:
    """The original is stored byte for byte (an archive keeps what it was given); the worker says why it failed."""
    world = _world(small, bad_files)
    stored = world.upload_one(name, bad_files[name])
    assert stored.status_code == 201, stored.text
    doc_id = stored.json()["items"][0]["document"]["id"]
    run_pending_jobs(small.services)
    doc = small.client.get(f"/api/v1/documents/{doc_id}", headers=world.headers).json()
    assert (doc["status"], doc["parse_error_code"]) == ("failed", code)
    assert VIETNAMESE_LETTER.search(doc["parse_error_message"].lower())
    original = small.client.get(f"/api/v1/documents/{doc_id}/content", headers=world.headers)
    assert original.content == bad_files[name]
    assert_still_serving(small, world.dossier)


RLO = "\u202e"
HOSTILE_NAMES: dict[str, tuple[str, str]] = {
    # name sent → name stored
    "RTL override": (f"bao-cao{RLO}fdp.exe", "bao-caofdp.exe"),
    "bidi isolates and marks": ("\u2066a\u2069\u200eb\u200f\u200bc\ufeff.pdf", "abc.pdf"),
    "control characters": ("a\x01b\x7fc\x1b[31m.pdf", "abc[31m.pdf"),
    "path traversal": ("../../etc/passwd", "passwd"),
    "Windows path": ("C:\\Users\\van-thu\\Biên bản.pdf", "Biên bản.pdf"),
    "only dots": ("....", "tai-lieu"),
    "Windows device name": ("CON", "_CON"),
    "Windows device name with extension": ("nul.pdf", "_nul.pdf"),
    "decomposed Vietnamese": (unicodedata.normalize("NFD", "Nghị quyết.pdf"), "Nghị quyết.pdf"),
}


def _sent_raw(w: World, name: str, data: bytes) -> httpx.Response:
    """The name as raw UTF-8 in filename="…", the way a browser sends it (only CR, LF and " escaped)."""
    escaped = name.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")
    body, content_type = multipart((f'form-data; name="files"; filename="{escaped}"', data))
    return w.raw(f"/api/v1/dossiers/{w.dossier}/documents", body, content_type)


def _sent_star(w: World, name: str, data: bytes) -> httpx.Response:
    """The name as RFC 5987 filename*=UTF-8''…, with a harmless ASCII filename beside it."""
    disposition = f'form-data; name="files"; filename="x.pdf"; filename*=UTF-8\'\'{quote(name, safe="")}'
    body, content_type = multipart((disposition, data))
    return w.raw(f"/api/v1/dossiers/{w.dossier}/documents", body, content_type)


def _sent_web(w: World, name: str, data: bytes) -> httpx.Response:
    """The web upload page's request: a logged-in session, X-CSRF-Token, the raw UTF-8 name as a browser sends it."""
    set_password(w.h.services, w.h.archivist.username)
    web = Web(harness=w.h, client=w.h.client)
    browser = web.login(w.h.archivist.username)
    escaped = name.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")
    body, content_type = multipart((f'form-data; name="files"; filename="{escaped}"', data))
    headers = {"X-CSRF-Token": web.csrf(browser), "content-type": content_type}
    return browser.post(f"/web-api/ho-so/{w.dossier}/van-ban", content=body, headers=headers)


SENDERS: dict[str, Callable[[World, str, bytes], httpx.Response]] = {
    "raw filename": _sent_raw,
    "filename*": _sent_star,
    "web upload": _sent_web,
}


@pytest.mark.parametrize("how", sorted(SENDERS))
@pytest.mark.parametrize("case", sorted(HOSTILE_NAMES))
def test_a_hostile_file_name_is_stored_cleaned_and_downloads_cleaned(
    small: Harness, bad_files: dict[str, bytes], case: str, how: str
) -> None:
    sent, expected = HOSTILE_NAMES[case]
    world = _world(small, bad_files)
    data = tiny_pdf(f"{case} {how}")
    response = SENDERS[how](world, sent, data)
    assert response.status_code == 201, response.text
    item = response.json()["items"][0]
    assert item["filename"] == expected == item["document"]["original_filename"]
    got = small.client.get(f"/api/v1/documents/{item['document']['id']}/content", headers=world.headers)
    assert got.content == data
    utf8_name = unquote(got.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert utf8_name == expected


def test_a_5000_character_name_is_shortened_to_255_bytes_keeping_its_extension(
    small: Harness, bad_files: dict[str, bytes]
) -> None:
    world = _world(small, bad_files)
    long_name = "Nghị quyết về công tác cán bộ " * 170 + ".pdf"
    assert len(long_name) > 5000
    for how, sender in SENDERS.items():
        response = sender(world, long_name, tiny_pdf(f"dai {how}"))
        assert response.status_code == 201, (how, response.text)
        stored = response.json()["items"][0]["filename"]
        assert stored.endswith(".pdf") and len(stored.encode("utf-8")) <= 255
        assert long_name.startswith(stored.removesuffix(".pdf")), how  # whole characters, nothing garbled
        assert stored == clean_filename(long_name)


def test_a_name_cut_inside_a_multibyte_character_keeps_only_whole_characters() -> None:
    name = "a" + "ệ" * 200 + ".docx"  # ệ is three bytes: 255 - 5 - 1 is not a multiple of three
    cleaned = clean_filename(name)
    assert cleaned.endswith(".docx") and len(cleaned.encode()) <= 255
    assert cleaned.removesuffix(".docx").strip("aệ") == ""


def test_an_empty_file_gets_the_same_answer_at_upload_and_at_check(small: Harness, bad_files: dict[str, bytes]) -> None:
    world = _world(small, bad_files)
    upload = world.upload_one("rong.pdf", b"")
    check = world.check([("file", ("rong.pdf", b"", PDF))])
    assert (upload.status_code, upload.json()["error"]["code"]) == (check.status_code, check.json()["error"]["code"])
    assert upload.json() == check.json()


def test_control_characters_in_a_title_are_dropped_not_stored(small: Harness) -> None:
    dossier = small.new_dossier()
    changed = small.client.patch(
        f"/api/v1/dossiers/{dossier}",
        json={"title": "  Hội nghị\u0000 lần\u202e thứ 12\n "},
        headers=small.archivist.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["title"] == "Hội nghị lần thứ 12"


def test_fields_that_may_be_cleared_accept_null(small: Harness) -> None:
    dossier = small.new_dossier(
        meeting_number="12", meeting_date="2024-03-05", committee_name="TỈNH ỦY", committee_code="TU"
    )
    cleared = small.client.patch(
        f"/api/v1/dossiers/{dossier}",
        json={"meeting_number": None, "meeting_date": None, "committee_name": None, "committee_code": None},
        headers=small.archivist.headers,
    )
    assert cleared.status_code == 200, cleared.text
    body = cleared.json()
    assert [body[k] for k in ("meeting_number", "meeting_date", "committee_name", "committee_code")] == [None] * 4


def test_every_retention_value_of_the_schedule_is_offered_by_the_form_and_accepted(small: Harness) -> None:
    from archive_service.reports.labels import RETENTION_LABELS
    from schemas.api import RETENTION_CODES

    assert tuple(RETENTION_LABELS) == RETENTION_CODES
    dossier = small.new_dossier()
    for code in RETENTION_CODES:
        response = small.client.patch(
            f"/api/v1/dossiers/{dossier}", json={"retention": code}, headers=small.archivist.headers
        )
        assert response.status_code == 200 and response.json()["retention"] == code


def test_a_nested_json_body_does_not_reach_the_database(small: Harness) -> None:
    """Whatever the status, 10,000 levels of brackets never become a 500 nor change the dossier."""
    dossier = small.new_dossier()
    before = _state(small)
    response = small.client.patch(
        f"/api/v1/dossiers/{dossier}",
        content=_nested(10_000),
        headers={**small.archivist.headers, "content-type": "application/json"},
    )
    assert 400 <= response.status_code < 500 and "error" in response.json()
    assert _state(small) == before


def test_a_file_ingested_from_disk_is_stored_under_the_cleaned_name(small: Harness, tmp_path: Path) -> None:
    """``archive-service ingest`` reads names from the disk, where U+202E and control characters are legal."""
    dossier = small.new_dossier()
    path = tmp_path / f"bao-cao{RLO}fdp.exe\x01"
    path.write_bytes(tiny_pdf("tu o dia"))
    report = ingest_paths(small.services, [path], dossier_id=dossier, username=small.archivist.username)
    assert report.stored == 1
    with transaction(small.services.factory) as s:
        assert s.scalar(select(Document.original_filename)) == "bao-caofdp.exe"


def test_a_name_stored_before_the_cleaning_downloads_cleaned(small: Harness) -> None:
    dossier = small.new_dossier()
    stored = small.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files=[("files", ("cu.pdf", tiny_pdf("cu"), PDF))],
        headers=small.archivist.headers,
    )
    doc_id = stored.json()["items"][0]["document"]["id"]
    with transaction(small.services.factory) as s:  # a row written by an earlier version
        s.execute(update(Document).where(Document.id == doc_id).values(original_filename=f"bao-cao{RLO}fdp.exe"))
    got = small.client.get(f"/api/v1/documents/{doc_id}/content", headers=small.archivist.headers)
    disposition = got.headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "bao-caofdp.exe"
    assert "%E2%80%AE" not in disposition.upper()


def test_the_refusal_of_another_field_names_it_and_the_expected_one(
    small: Harness, bad_files: dict[str, bytes]
) -> None:
    world = _world(small, bad_files)
    refused = world.upload([("tep\u202e", ("a.pdf", tiny_pdf("ten"), PDF))])
    message = refused.json()["error"]["message"]
    assert "“tep”" in message and "“files”" in message and "“version_of”" in message


@pytest.mark.parametrize(
    ("name", "code"),
    [("truncated.pdf", "PARSE-CORRUPT"), ("encrypted.pdf", "PARSE-ENCRYPTED"), ("zip-bomb.docx", "PARSE-TOO-LARGE")],
)
def test_check_reports_broken_content_as_a_finding_and_stores_nothing(
    small: Harness, bad_files: dict[str, bytes], name: str, code: str
) -> None:
    """/check answers what the worker would find (200 with the PARSE-* finding), as the CLI ``check`` does."""
    world = _world(small, bad_files)
    before = _state(small)
    checked = world.check([("file", (name, bad_files[name], OCTET))])
    assert checked.status_code == 200, checked.text
    assert [f["code"] for f in checked.json()["findings"]] == [code]
    assert _state(small) == before
    assert list(small.services.settings.spool_dir.iterdir()) == []
