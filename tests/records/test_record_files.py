"""Record files stored and served (records/files.py; GET /api/v1/record-files/{id}, GET /tep-luu-tru/{id}).

A record file lists what its dossiers hold, so it is readable only by who may read every dossier it names and
is cleared for the most secret document they hold; anyone else gets the 404 of a missing file. A download is the
stored bytes exactly, and is audited; storing it is audited too, and a new file of the same kind replaces the old.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Appraisal, AuditEvent, RecordFile, Role, User
from archive_service.errors import NotFound
from archive_service.records.files import (
    MEDIA,
    readable_record_file,
    readable_record_files_of,
    record_files_of,
    store_record_file,
)
from archive_service.records.sheet import Column, RecordSheet, Row
from archive_service.records.sheet_pdf import sheet_pdf
from tests.conftest import Actor, Harness, add_user
from tests.samples import tiny_pdf
from tests.web.conftest import PASSWORD, csrf_of, set_password

SECRET_TITLE = "Nghị quyết MẬT-QX7 về nhân sự"


@dataclass
class Setup:
    plain_dossier: int  # VPTU, holds an ordinary document
    secret_dossier: int  # VPTU, holds a Tối mật (2) document
    other_dossier: int  # VPHU
    plain_file: int
    secret_file: int
    pdf: bytes
    cleared_reader: Actor


def _principal(h: Harness, username: str) -> Principal:
    with transaction(h.services.factory) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Principal(user.id, user.username, Role(user.role), user.office_id, clearance=user.clearance)


def _upload(h: Harness, dossier_id: int, name: str, actor: Actor) -> int:
    files = {"files": (name, tiny_pdf(name), "application/pdf")}
    response = h.client.post(f"/api/v1/dossiers/{dossier_id}/documents", files=files, headers=actor.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _store(h: Harness, owner_type: str, owner_id: int, data: bytes, *, kind: str = "muc-luc-van-ban") -> int:
    with transaction(h.services.factory) as session:
        row = store_record_file(
            h.services.blobs,
            session,
            owner_type=owner_type,
            owner_id=owner_id,
            kind=kind,
            filename=f"Mục lục văn bản {owner_id}.pdf",
            media_type=MEDIA["pdf"],
            data=data,
            principal=_principal(h, "vanthu"),
        )
        return row.id


def _setup(h: Harness) -> Setup:
    plain = h.new_dossier()
    secret = h.new_dossier(title="Hội nghị Ban Thường vụ bàn về công tác cán bộ")
    other = h.new_dossier(h.other_archivist)
    _upload(h, plain, "bien-ban.pdf", h.archivist)
    secret_doc = _upload(h, secret, "nghi-quyet-mat.pdf", h.archivist)
    _upload(h, other, "bien-ban-huyen.pdf", h.other_archivist)
    response = h.client.patch(f"/api/v1/documents/{secret_doc}", json={"secrecy_level": 2}, headers=h.admin.headers)
    assert response.status_code == 200, response.text
    sheet = RecordSheet(
        title="Mục lục văn bản",
        issuer_lines=("Văn phòng Tỉnh ủy",),
        columns=(Column("STT"), Column("Trích yếu nội dung văn bản", 4)),
        rows=(Row(("1", SECRET_TITLE)),),
        metadata={"date": "2026-01-05"},
    )
    pdf = sheet_pdf(sheet)
    return Setup(
        plain_dossier=plain,
        secret_dossier=secret,
        other_dossier=other,
        plain_file=_store(h, "dossier", plain, pdf),
        secret_file=_store(h, "dossier", secret, pdf),
        pdf=pdf,
        cleared_reader=add_user(h.services, "doc-mat", Role.READER, "VPTU", clearance=2),
    )


def _get(h: Harness, actor: Actor, file_id: int) -> object:
    return h.client.get(f"/api/v1/record-files/{file_id}", headers=actor.headers)


def _events(h: Harness, action: str, file_id: int) -> list[AuditEvent]:
    with transaction(h.services.factory) as session:
        query = select(AuditEvent).where(AuditEvent.action == action, AuditEvent.object_id == str(file_id))
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


def test_archivist_of_its_office_downloads_the_exact_bytes_audited(harness: Harness) -> None:
    s = _setup(harness)
    response = harness.client.get(f"/api/v1/record-files/{s.plain_file}", headers=harness.archivist.headers)
    assert response.status_code == 200, response.text
    assert response.content == s.pdf
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["etag"] == f'"{hashlib.sha256(s.pdf).hexdigest()}"'
    disposition = response.headers["content-disposition"]
    assert (
        disposition.startswith('attachment; filename="Muc luc van ban ')
        and "filename*=UTF-8''M%E1%BB%A5c" in disposition
    )
    stored = _events(harness, "record-file.store", s.plain_file)
    assert len(stored) == 1 and stored[0].details is not None and stored[0].details["owner_id"] == s.plain_dossier
    downloads = _events(harness, "record-file.download", s.plain_file)
    assert len(downloads) == 1
    assert downloads[0].details == {
        "via": "api",
        "owner_type": "dossier",
        "owner_id": s.plain_dossier,
        "kind": "muc-luc-van-ban",
    }


def test_another_offices_archivist_gets_404_like_a_missing_file(harness: Harness) -> None:
    s = _setup(harness)
    refused = harness.client.get(f"/api/v1/record-files/{s.plain_file}", headers=harness.other_archivist.headers)
    missing = harness.client.get("/api/v1/record-files/999999", headers=harness.other_archivist.headers)
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert refused.json()["error"]["code"] == "RECORD-FILE-NOT-FOUND"
    assert not _events(harness, "record-file.download", s.plain_file)
    with transaction(harness.services.factory) as session:
        refusals = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "access.refused", AuditEvent.object_type == "record-file")
        ).all()
        assert [e.object_id for e in refusals] == [str(s.plain_file)]  # the missing one is not recorded as refused


def test_a_reader_not_cleared_for_a_secret_document_gets_404(harness: Harness) -> None:
    s = _setup(harness)
    assert _get(harness, harness.reader, s.plain_file).status_code == 200  # type: ignore[attr-defined]
    refused = _get(harness, harness.reader, s.secret_file)
    assert refused.status_code == 404  # type: ignore[attr-defined]
    assert "MẬT-QX7" not in refused.text  # type: ignore[attr-defined]
    refused_archivist = _get(harness, harness.archivist, s.secret_file)  # clearance 0, own office: still hidden
    assert refused_archivist.status_code == 404  # type: ignore[attr-defined]
    cleared = _get(harness, s.cleared_reader, s.secret_file)
    assert cleared.status_code == 200 and cleared.content == s.pdf  # type: ignore[attr-defined]
    assert _get(harness, harness.admin, s.secret_file).status_code == 200  # type: ignore[attr-defined]
    assert len(_events(harness, "record-file.download", s.secret_file)) == 2


def test_the_web_route_serves_the_same_file_by_the_same_rule(harness: Harness) -> None:
    s = _setup(harness)
    for name in ("vanthu", "vanthu-huyen", "doc"):
        set_password(harness.services, name)

    def login(username: str) -> TestClient:
        client = TestClient(harness.client.app)
        page = client.get("/dang-nhap")
        form = {"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)}
        assert client.post("/dang-nhap", data=form, follow_redirects=False).status_code == 303
        return client

    archivist = login("vanthu")
    response = archivist.get(f"/tep-luu-tru/{s.plain_file}")
    assert response.status_code == 200 and response.content == s.pdf
    assert login("vanthu-huyen").get(f"/tep-luu-tru/{s.plain_file}").status_code == 404
    assert login("doc").get(f"/tep-luu-tru/{s.secret_file}").status_code == 404
    assert [e.details["via"] for e in _events(harness, "record-file.download", s.plain_file) if e.details] == ["web"]
    assert TestClient(harness.client.app).get(f"/tep-luu-tru/{s.plain_file}", follow_redirects=False).status_code == 303


def test_a_new_file_of_the_same_kind_replaces_the_old_and_the_same_bytes_keep_it(harness: Harness) -> None:
    s = _setup(harness)
    again = _store(harness, "dossier", s.plain_dossier, s.pdf)
    assert again == s.plain_file
    newer = _store(harness, "dossier", s.plain_dossier, s.pdf + b"\n% v2")
    assert newer != s.plain_file
    other_kind = _store(harness, "dossier", s.plain_dossier, s.pdf, kind="chung-tu-ket-thuc")
    with transaction(harness.services.factory) as session:
        rows = record_files_of(session, "dossier", s.plain_dossier)
        assert sorted(r.id for r in rows) == sorted([newer, other_kind])
        assert session.get(RecordFile, s.plain_file) is None
    assert _get(harness, harness.archivist, s.plain_file).status_code == 404  # type: ignore[attr-defined]
    got = _get(harness, harness.archivist, newer)
    assert got.content == s.pdf + b"\n% v2"  # type: ignore[attr-defined]
    replaced = _events(harness, "record-file.store", newer)
    assert replaced[0].details is not None and replaced[0].details["replaced"] == [s.plain_file]


def test_an_appraisal_file_needs_every_dossier_it_names(harness: Harness) -> None:
    s = _setup(harness)
    admin = _principal(harness, "admin")
    with transaction(harness.services.factory) as session:
        own = Appraisal(
            office_id=admin.office_id, dossier_ids=[s.plain_dossier, s.secret_dossier], created_by=admin.user_id
        )
        mixed = Appraisal(
            office_id=admin.office_id, dossier_ids=[s.plain_dossier, s.other_dossier], created_by=admin.user_id
        )
        session.add_all([own, mixed])
        session.flush()
        own_id, mixed_id = own.id, mixed.id
    own_file = _store(harness, "appraisal", own_id, s.pdf, kind="danh-muc-het-gia-tri")
    mixed_file = _store(harness, "appraisal", mixed_id, s.pdf, kind="danh-muc-het-gia-tri")
    assert _get(harness, harness.reader, own_file).status_code == 404  # type: ignore[attr-defined]
    assert _get(harness, s.cleared_reader, own_file).status_code == 200  # type: ignore[attr-defined]
    assert _get(harness, harness.archivist, mixed_file).status_code == 404  # type: ignore[attr-defined]
    assert _get(harness, harness.admin, mixed_file).status_code == 200  # type: ignore[attr-defined]
    reader = _principal(harness, "doc")
    with transaction(harness.services.factory) as session:
        assert readable_record_files_of(session, reader, "appraisal", own_id) == []
        assert [f.id for f in readable_record_files_of(session, admin, "appraisal", own_id)] == [own_file]
        with pytest.raises(NotFound):
            readable_record_file(session, reader, own_file)
