"""Search filters on a document's digital signatures (issue 16): signed, valid, invalid, unsigned.

The index holds one word per document, ``schemas.signature_state.signature_state`` of its stored report; both
backends filter on it the same way, an index built before the field existed keeps answering until its rebuild,
and over HTTP the filter narrows what the caller may already read, never more: a secret signed document stays
hidden from a reader without clearance whatever the filter.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive_service.search.service import drain_outbox, queue_rebuild_if_outdated, reindex_all
from archive_service.workers.jobs import run_pending_jobs
from indexers.search.base import SearchIndex
from indexers.search.documents import build_search_document
from indexers.search.elastic import ElasticsearchSearchIndex, index_definition
from indexers.search.fts5 import Fts5SearchIndex
from schemas.fields import DocumentFields
from schemas.search import SearchDocument, SearchQuery, SecrecyLevel
from schemas.signature_state import SignatureState
from tests.conftest import Harness, build_harness, make_settings
from tests.corpus.session import skip_unless
from tests.realdocs.labels import REAL_DOCS
from tests.search.conftest import EsSession, IndexFactory
from tests.signatures.pki import tamper
from tests.web.conftest import csrf_of, log_in, set_password
from tests.web.helpers import correct_docx

SIGNED_PDF = REAL_DOCS / "05.signed.pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Reports as ``parse_info["signatures"]`` stores them (``signature_json``), reduced to what the state reads.
VALID = {"field": "Sig1", "signer": "Nguyễn Văn A", "intact": True, "valid": True, "problems": []}
BROKEN = {
    "field": "Sig1",
    "signer": "Nguyễn Văn A",
    "intact": False,
    "valid": False,
    "problems": [{"code": "SIG-INVALID", "severity": "error", "message": "Chữ ký số không hợp lệ"}],
}
CHANGED = {
    "field": "Sig2",
    "signer": "UBND tỉnh",
    "intact": True,
    "valid": True,
    "problems": [{"code": "SIG-MODIFIED-AFTER-SIGNING", "severity": "error", "message": "Tệp bị sửa sau khi ký"}],
}
OLD_SHAPE = {"field_name": "Sig1", "signer_name": "Nguyễn Văn A", "signed_at": "2025-05-10T12:49:09+07:00"}


def _entry(
    document_id: str, report: list[Mapping[str, Any]] | None, *, secrecy: int = 0, office: int = 1
) -> SearchDocument:
    return build_search_document(
        document_id=document_id,
        office_id=office,
        dossier_id=1,
        filename=f"{document_id}.pdf",
        text="Quyết định về công tác văn thư",
        fields=DocumentFields(document_type="QUYẾT ĐỊNH", summary="về công tác văn thư"),
        findings=[],
        uploaded_at=datetime(2025, 5, 10, 8, 0, tzinfo=UTC),
        secrecy=secrecy,
        signatures=report,
    )


ENTRIES = [
    _entry("hop-le", [VALID, VALID]),
    _entry("hong", [VALID, BROKEN]),
    _entry("sua-sau-ky", [CHANGED]),
    _entry("chua-kiem-tra", [OLD_SHAPE]),
    _entry("khong-ky", None),
    _entry("khong-ky-rong", []),
    _entry("mat-hop-le", [VALID], secrecy=1),
    _entry("don-vi-khac", [VALID], office=2),
]
EXPECTED = {
    "signed": {"hop-le", "hong", "sua-sau-ky", "chua-kiem-tra", "mat-hop-le", "don-vi-khac"},
    "valid": {"hop-le", "mat-hop-le", "don-vi-khac"},
    "invalid": {"hong", "sua-sau-ky"},
    "unchecked": {"chua-kiem-tra"},
    "unsigned": {"khong-ky", "khong-ky-rong"},
}


def _found(index: SearchIndex, **asked: Any) -> set[str]:
    result = index.search(SearchQuery(**{"page_size": 200, "max_secrecy": SecrecyLevel.TUYET_MAT, **asked}))
    assert result.total == len(result.hits)
    return {h.document_id for h in result.hits}


# --- the index (both backends) ------------------------------------------------------------------------------


def test_the_index_entry_carries_the_state_of_the_stored_report() -> None:
    states = {e.document_id: e.signature_state.value for e in ENTRIES}
    assert states["hop-le"] == "valid" and states["hong"] == "invalid" and states["sua-sau-ky"] == "invalid"
    assert states["chua-kiem-tra"] == "unchecked" and states["khong-ky"] == states["khong-ky-rong"] == "unsigned"
    # The state is part of what the drift check compares: a new verdict means a stale entry.
    assert ENTRIES[0].content_hash() != _entry("hop-le", [BROKEN]).content_hash()


@pytest.mark.parametrize("asked", sorted(EXPECTED))
def test_each_signature_filter_returns_exactly_its_documents(make_index: IndexFactory, asked: str) -> None:
    index = make_index()
    index.upsert(ENTRIES)
    assert _found(index, signature=asked) == EXPECTED[asked]
    hits = index.search(SearchQuery(q="văn thư", signature=asked, max_secrecy=SecrecyLevel.TUYET_MAT)).hits
    assert {h.document_id for h in hits} == EXPECTED[asked]
    assert {h.signature_state.value for h in hits} <= {"valid", "invalid", "unchecked", "unsigned"}
    assert _found(index) == {e.document_id for e in ENTRIES}


def test_the_signature_facet_counts_each_state_within_the_callers_scope(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert(ENTRIES)
    every = index.search(SearchQuery(max_secrecy=SecrecyLevel.TUYET_MAT, page_size=1))
    assert dict(every.facets["signature_state"]) == {"valid": 3, "invalid": 2, "unchecked": 1, "unsigned": 2}
    scoped = index.search(SearchQuery(office_ids=[1], max_secrecy=SecrecyLevel.NONE, page_size=1))
    assert dict(scoped.facets["signature_state"]) == {"valid": 1, "invalid": 2, "unchecked": 1, "unsigned": 2}


def test_the_signature_filter_never_widens_the_callers_scope(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert(ENTRIES)
    cleared_for_nothing = index.search(
        SearchQuery(signature="valid", office_ids=[1], max_secrecy=SecrecyLevel.NONE, page_size=200)
    )
    assert {h.document_id for h in cleared_for_nothing.hits} == {"hop-le"} and cleared_for_nothing.total == 1
    nothing = index.search(SearchQuery(signature="signed", office_ids=[], max_secrecy=SecrecyLevel.TUYET_MAT))
    assert nothing.total == 0 and nothing.hits == []


def test_a_hit_shows_its_signature_state(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert(ENTRIES)
    hits = index.search(SearchQuery(page_size=200, max_secrecy=SecrecyLevel.TUYET_MAT)).hits
    assert {h.document_id: h.signature_state.value for h in hits} == {
        e.document_id: e.signature_state.value for e in ENTRIES
    }


def _fts5_of_layout_2(path: Path) -> Fts5SearchIndex:
    """An FTS5 file as layout 2 left it: no ``signature_state`` column, marked version 2, entries indexed."""
    first = Fts5SearchIndex(path)
    first.ensure_schema()
    first.upsert([e.model_copy(update={"signature_state": SignatureState.UNSIGNED}) for e in ENTRIES])
    with closing(sqlite3.connect(path)) as conn, conn:  # the file itself, as an older release left it
        conn.execute("ALTER TABLE search_documents DROP COLUMN signature_state")
        conn.execute("UPDATE search_layout SET version = 2")
    return Fts5SearchIndex(path)


def test_an_fts5_index_of_the_older_layout_gains_the_field_keeps_answering_then_is_rebuilt(tmp_path: Path) -> None:
    index = _fts5_of_layout_2(tmp_path / "catalog.sqlite3")
    index.ensure_schema()  # at start: the column is added at its default, the file stays marked old
    assert not index.schema_is_current()
    assert _found(index, q="văn thư") == {e.document_id for e in ENTRIES}  # searching works meanwhile
    assert _found(index, signature="signed") == set()  # every row "unsigned" until the rebuild
    index.reindex(ENTRIES)
    assert index.schema_is_current()
    assert _found(index, signature="invalid") == EXPECTED["invalid"]


@pytest.mark.real
def test_an_elasticsearch_index_of_the_older_mapping_keeps_answering_then_is_rebuilt(es_session: EsSession) -> None:
    prefix = f"{es_session.prefix}-{uuid.uuid4().hex[:8]}"
    definition = index_definition()
    mappings = {**definition["mappings"], "_meta": {"schema_version": 4}}
    mappings["properties"] = {k: v for k, v in mappings["properties"].items() if k != "signature_state"}
    old = f"{prefix}-v4-20250101000000000000"
    es_session.client.indices.create(index=old, settings=definition["settings"], mappings=mappings)
    es_session.client.indices.update_aliases(actions=[{"add": {"index": old, "alias": prefix}}])
    index = ElasticsearchSearchIndex(es_session.client, prefix=prefix, refresh=True)
    index.ensure_schema()
    assert not index.schema_is_current()
    assert index.search(SearchQuery(signature="signed")).total == 0  # no field yet: no match, no error
    index.reindex(ENTRIES)
    assert index.schema_is_current()
    assert _found(index, signature="valid") == EXPECTED["valid"]


# --- over HTTP (embedded and real backends) -------------------------------------------------------------------


@dataclass
class Archive:
    h: Harness
    signed: str  # 05.signed.pdf as issued: its signatures hold
    tampered: str  # the same file with one signed byte changed
    unsigned: str  # a DOCX


def _upload(h: Harness, dossier: int, name: str, content: bytes, media_type: str) -> str:
    files = {"files": (name, content, media_type)}
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["items"][0]["document"]["id"])


@pytest.fixture
def archive(backend_kind: str, tmp_path: Path) -> Iterator[Archive]:
    skip_unless(SIGNED_PDF.is_file(), f"no real signed PDF at {SIGNED_PDF}")
    for h in build_harness(make_settings(backend_kind, tmp_path)):
        for name in ("admin", "doc"):
            set_password(h.services, name)
        signed_bytes = SIGNED_PDF.read_bytes()
        ids = [
            _upload(h, h.new_dossier(), "05.signed.pdf", signed_bytes, "application/pdf"),
            _upload(h, h.new_dossier(), "05.tampered.pdf", tamper(signed_bytes), "application/pdf"),
            _upload(
                h, h.new_dossier(), "nghi-quyet.docx", correct_docx(tmp_path, "nghi-quyet.docx").read_bytes(), DOCX
            ),
        ]
        run_pending_jobs(h.services)
        drain_outbox(h.services)
        yield Archive(h, *ids)


def _ids(a: Archive, headers: Mapping[str, str], **params: object) -> set[str]:
    response = a.h.client.get("/api/v1/search", params={"page_size": 200, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return {hit["document_id"] for hit in response.json()["hits"]}


def _mark_secret(a: Archive, document_id: str) -> None:
    response = a.h.client.patch(
        f"/api/v1/documents/{document_id}", json={"secrecy_level": 1}, headers=a.h.admin.headers
    )
    assert response.status_code == 200, response.text
    run_pending_jobs(a.h.services)
    drain_outbox(a.h.services)


def test_the_api_filters_real_signed_tampered_and_unsigned_documents(archive: Archive) -> None:
    a, reader = archive, archive.h.reader.headers
    assert _ids(a, reader, signature="signed") == {a.signed, a.tampered}
    assert _ids(a, reader, signature="valid") == {a.signed}
    assert _ids(a, reader, signature="invalid") == {a.tampered}
    assert _ids(a, reader, signature="unsigned") == {a.unsigned}
    assert _ids(a, reader) == {a.signed, a.tampered, a.unsigned}
    hits = a.h.client.get("/api/v1/search", params={"signature": "signed"}, headers=reader).json()["hits"]
    assert {h["document_id"]: h["signature_state"] for h in hits} == {a.signed: "valid", a.tampered: "invalid"}
    exported = a.h.client.get("/api/v1/search/export", params={"signature": "invalid"}, headers=reader)
    assert exported.status_code == 200 and exported.text.strip().splitlines()[-1].endswith(a.tampered)
    header, row = csv.reader(io.StringIO(exported.text))
    assert row[header.index("Chữ ký số")] == "Chữ ký số không hợp lệ"


def test_a_bad_signature_filter_is_refused_in_vietnamese(archive: Archive) -> None:
    h = archive.h
    for path in ("/api/v1/search", "/api/v1/search/export"):
        refused = h.client.get(path, params={"signature": "yes"}, headers=h.reader.headers)
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert error["code"] == "SEARCH-BAD-SIGNATURE"
        assert "Bộ lọc chữ ký số không hợp lệ" in error["message"] and "hợp lệ" in error["message"]


def test_the_openapi_documents_the_signature_parameter(archive: Archive) -> None:
    spec = archive.h.client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    signature = params["signature"]
    assert signature["in"] == "query" and "chữ ký số" in signature["description"].lower()
    assert signature["schema"]["enum"] == ["signed", "valid", "invalid", "unchecked", "unsigned"]
    saved = spec["components"]["schemas"]["SavedQuery"]["properties"]["signature"]
    assert "signed" in str(saved)


def test_a_secret_signed_document_stays_hidden_whatever_the_filter(archive: Archive) -> None:
    a = archive
    _mark_secret(a, a.signed)
    for asked in ("signed", "valid", "invalid", "unsigned"):
        assert a.signed not in _ids(a, a.h.reader.headers, signature=asked), asked
    assert _ids(a, a.h.reader.headers, signature="valid") == set()
    assert _ids(a, a.h.admin.headers, signature="valid") == {a.signed}  # cleared: shown
    body = {"name": "Văn bản ký số hợp lệ", "query": {"signature": "valid"}}
    saved = a.h.client.post("/api/v1/search/saved", json=body, headers=a.h.reader.headers)
    assert saved.status_code == 201 and saved.json()["query"]["signature"] == "valid"
    rerun = a.h.client.get(f"/api/v1/search/saved/{saved.json()['id']}/results", headers=a.h.reader.headers).json()
    assert rerun["total"] == 0 and rerun["hits"] == []


def _login(h: Harness, username: str) -> TestClient:
    return log_in(h.client, username)


def test_the_search_page_offers_the_signature_filter_and_applies_it(archive: Archive) -> None:
    a = archive
    reader = _login(a.h, "doc")
    form = reader.get("/tim-kiem").text
    assert '<label for="chu_ky">Chữ ký số</label>' in form
    for value, label in (("signed", "Có"), ("valid", "Hợp lệ"), ("invalid", "Không hợp lệ"), ("unsigned", "Không có")):
        assert f'<option value="{value}" >{label}</option>' in form
    page = reader.get("/tim-kiem", params={"chu_ky": "invalid"})
    assert page.status_code == 200 and "Tìm thấy 1 văn bản" in page.text
    assert "05.tampered.pdf" in page.text and "Chữ ký số không hợp lệ" in page.text
    assert '<option value="invalid" selected>' in page.text
    valid = reader.get("/tim-kiem", params={"chu_ky": "valid"}).text
    assert "Tìm thấy 1 văn bản" in valid and "05.signed.pdf" in valid and "Chữ ký số hợp lệ" in valid
    every = reader.get("/tim-kiem", params={"chu_ky": "signed"}).text
    assert '<h3 id="facet-chu_ky">Chữ ký số</h3>' in every  # the facet, each state linking to its filter
    assert re.search(r'href="/tim-kiem\?chu_ky=invalid">Chữ ký số không hợp lệ <span class="count">\(1\)', every)
    stale = reader.get("/tim-kiem", params={"q": "quyết", "chu_ky": "co"}, follow_redirects=False)
    assert stale.status_code == 303 and "chu_ky" not in stale.headers["location"]  # a mistyped link: dropped
    csrf = csrf_of(page.text)
    saved = reader.post("/tim-kiem/luu?chu_ky=unsigned", data={"ten": "Chưa ký số", "csrf_token": csrf})
    assert saved.status_code == 200 and "chu_ky=unsigned" in reader.get("/tim-kiem").text


def test_an_outdated_index_is_rebuilt_with_the_signature_states(archive: Archive) -> None:
    a = archive
    assert not queue_rebuild_if_outdated(a.h.services)  # a fresh index is of this layout
    assert reindex_all(a.h.services) == 3
    assert _ids(a, a.h.reader.headers, signature="valid") == {a.signed}
