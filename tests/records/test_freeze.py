"""Đóng băng (NĐ 30/2020 Phụ lục VI): who may freeze and lift, what a hold refuses (409, nothing lost), the
refusals of a closed dossier (DOSSIER-CLOSED), both acts audited, and the list scoped to what the caller reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document, Dossier, Role
from archive_service.dossiers import service as dossier_service
from archive_service.errors import AppError
from archive_service.records import lifecycle
from tests.conftest import Actor, Harness, add_user, build_harness, make_settings
from tests.samples import tiny_pdf
from tests.web.conftest import Web, csrf_of, set_password

REASON = "Thanh tra theo Quyết định số 12-QĐ/UBKTTU"


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    """The web app over the embedded backends (the API tests above run on both), with passwords set."""
    for harness in build_harness(make_settings("embedded", tmp_path)):
        for name in ("admin", "vanthu"):
            set_password(harness.services, name)
        yield Web(harness=harness, client=harness.client)


def _upload(harness: Harness, dossier_id: int, text: str, actor: Actor | None = None) -> Any:
    files = {"files": (f"{text}.pdf", tiny_pdf(text), "application/pdf")}
    return harness.client.post(
        f"/api/v1/dossiers/{dossier_id}/documents", files=files, headers=(actor or harness.archivist).headers
    )


def _document(harness: Harness, dossier_id: int, text: str) -> int:
    response = _upload(harness, dossier_id, text)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _principal(harness: Harness, username: str) -> Principal:
    with transaction(harness.services.factory) as session:
        user = accounts.find_user(session, username)
        assert user is not None
        return Principal(user.id, user.username, Role(user.role), user.office_id, user.all_offices, user.clearance)


def _freeze(harness: Harness, actor: Actor, **body: Any) -> Any:
    return harness.client.post("/api/v1/holds", json={"reason": REASON, **body}, headers=actor.headers)


def _code(response: Any) -> str:
    return str(response.json()["error"]["code"])


def _actions(harness: Harness, object_id: int) -> list[str]:
    with transaction(harness.services.factory) as session:
        rows = session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "hold", AuditEvent.object_id == str(object_id))
        )
        return list(rows)


def test_only_an_admin_freezes_and_lifts(harness: Harness) -> None:
    dossier_id = harness.new_dossier()
    auditor = add_user(harness.services, "kiem-tra", Role.AUDITOR, "VPTU", clearance=3)
    for actor in (harness.archivist, harness.reader, auditor):
        refused = _freeze(harness, actor, dossier_id=dossier_id)
        assert refused.status_code == 403 and _code(refused) == "AUTH-FORBIDDEN-ROLE", refused.text
    hidden = _freeze(harness, harness.other_archivist, dossier_id=dossier_id)
    assert hidden.status_code == 404 and _code(hidden) == "DOSSIER-NOT-FOUND"
    missing = _freeze(harness, harness.admin, dossier_id=dossier_id + 1000)
    assert missing.status_code == 404 and _code(missing) == "DOSSIER-NOT-FOUND"

    placed = _freeze(harness, harness.admin, dossier_id=dossier_id)
    assert placed.status_code == 201, placed.text
    hold = placed.json()
    assert hold["active"] and hold["dossier_id"] == dossier_id and hold["placed_by"] == "admin"

    for actor in (harness.archivist, harness.reader, auditor):
        refused = harness.client.post(f"/api/v1/holds/{hold['id']}/lift", json={"reason": "x"}, headers=actor.headers)
        assert refused.status_code == 403, refused.text
    hidden = harness.client.post(
        f"/api/v1/holds/{hold['id']}/lift", json={"reason": "x"}, headers=harness.other_archivist.headers
    )
    assert hidden.status_code == 404 and _code(hidden) == "HOLD-NOT-FOUND"

    lifted = harness.client.post(
        f"/api/v1/holds/{hold['id']}/lift", json={"reason": "Đã kết thúc thanh tra"}, headers=harness.admin.headers
    )
    assert lifted.status_code == 200, lifted.text
    assert not lifted.json()["active"] and lifted.json()["lift_reason"] == "Đã kết thúc thanh tra"
    again = harness.client.post(f"/api/v1/holds/{hold['id']}/lift", json={"reason": "x"}, headers=harness.admin.headers)
    assert again.status_code == 409 and _code(again) == "HOLD-ALREADY-LIFTED"
    actions = _actions(harness, hold["id"])
    assert sorted(a for a in actions if a.startswith("record.")) == ["record.freeze", "record.unfreeze"]
    assert "access.refused" in actions  # the refused lifts are in the trail too


def test_a_hold_needs_a_reason_and_one_target(harness: Harness) -> None:
    dossier_id = harness.new_dossier()
    blank = harness.client.post(
        "/api/v1/holds", json={"dossier_id": dossier_id, "reason": "  "}, headers=harness.admin.headers
    )
    assert blank.status_code == 422
    both = _freeze(harness, harness.admin, dossier_id=dossier_id, document_ids=[1])
    assert both.status_code == 422
    neither = _freeze(harness, harness.admin)
    assert neither.status_code == 422


def test_while_frozen_every_change_is_refused_and_nothing_is_lost(harness: Harness) -> None:
    dossier_id = harness.new_dossier()
    other_id = harness.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 13")
    doc_id = _document(harness, dossier_id, "Bien ban truoc dong bang")
    hold = _freeze(harness, harness.admin, dossier_id=dossier_id).json()
    archivist = _principal(harness, "vanthu")

    upload = _upload(harness, dossier_id, "Bien ban sau dong bang")
    assert upload.status_code == 409 and _code(upload) == "RECORD-FROZEN", upload.text
    update = harness.client.patch(
        f"/api/v1/dossiers/{dossier_id}", json={"meeting_number": "99"}, headers=harness.archivist.headers
    )
    assert update.status_code == 409 and _code(update) == "RECORD-FROZEN"
    moved = harness.client.patch(
        f"/api/v1/documents/{doc_id}", json={"dossier_id": other_id}, headers=harness.archivist.headers
    )
    assert moved.status_code == 409 and _code(moved) == "RECORD-FROZEN"
    with pytest.raises(AppError) as move:
        dossier_service.move_to_dossier(harness.services, archivist, dossier_id, [doc_id], other_id, addr=None, via="t")
    assert move.value.code == "RECORD-FROZEN"
    with pytest.raises(AppError) as remove:
        dossier_service.remove_from_dossier(harness.services, archivist, dossier_id, [doc_id], addr=None, via="t")
    assert remove.value.code == "RECORD-FROZEN"
    with transaction(harness.services.factory) as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        with pytest.raises(AppError) as close:
            lifecycle.move(session, archivist, dossier, "close", addr=None)
        assert close.value.code == "RECORD-FROZEN" and close.value.status_code == 409

    # nothing lost: the document is where it was, the dossier as it was
    with transaction(harness.services.factory) as session:
        doc = session.get(Document, doc_id)
        dossier = session.get(Dossier, dossier_id)
        assert doc is not None and dossier is not None
        assert doc.dossier_id == dossier_id and doc.removed_from_dossier_at is None
        assert dossier.meeting_number is None and dossier.state == "open"
        count = session.scalar(select(Document.id).where(Document.dossier_id == dossier_id).limit(2).offset(1))
        assert count is None  # still exactly one document

    lifted = harness.client.post(
        f"/api/v1/holds/{hold['id']}/lift", json={"reason": "Đã xong"}, headers=harness.admin.headers
    )
    assert lifted.status_code == 200
    assert _upload(harness, dossier_id, "Bien ban sau khi go").status_code == 201
    update = harness.client.patch(
        f"/api/v1/dossiers/{dossier_id}", json={"meeting_number": "12"}, headers=harness.archivist.headers
    )
    assert update.status_code == 200, update.text
    assert (
        dossier_service.move_to_dossier(harness.services, archivist, dossier_id, [doc_id], other_id, addr=None, via="t")
        == 1
    )


def test_a_frozen_document_cannot_be_changed_or_removed(harness: Harness) -> None:
    dossier_id = harness.new_dossier()
    doc_id = _document(harness, dossier_id, "Nghi quyet dong bang")
    placed = _freeze(harness, harness.admin, document_ids=[doc_id])
    assert placed.status_code == 201 and placed.json()["document_ids"] == [doc_id]
    patched = harness.client.patch(
        f"/api/v1/documents/{doc_id}", json={"secrecy_level": 1}, headers=harness.archivist.headers
    )
    assert patched.status_code == 409 and _code(patched) == "RECORD-FROZEN"
    archivist = _principal(harness, "vanthu")
    with pytest.raises(AppError) as remove:
        dossier_service.remove_from_dossier(harness.services, archivist, dossier_id, [doc_id], addr=None, via="t")
    assert remove.value.code == "RECORD-FROZEN"
    # a hold on a document holds its dossier's contents too (records/holds.hold_on_dossier): nothing is added
    upload = _upload(harness, dossier_id, "Van ban khac")
    assert upload.status_code == 409 and _code(upload) == "RECORD-FROZEN"


def test_a_hold_on_another_dossier_or_another_office_leaves_this_dossier_open_to_uploads(harness: Harness) -> None:
    """The check asks in one query whether the office has any active hold, and reads the holds only then: a hold
    elsewhere in the office must still be told apart from one on this dossier or on a document of it."""
    here = harness.new_dossier()
    frozen = harness.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 13")
    elsewhere = harness.new_dossier(actor=harness.other_archivist, title="Hội nghị Ban Chấp hành huyện lần thứ 5")
    frozen_doc = _document(harness, frozen, "Van ban dong bang rieng")
    assert _freeze(harness, harness.admin, dossier_id=frozen).status_code == 201
    assert _freeze(harness, harness.admin, document_ids=[frozen_doc]).status_code == 201
    assert _freeze(harness, harness.admin, dossier_id=elsewhere).status_code == 201
    assert _upload(harness, here, "Van ban van vao duoc").status_code == 201
    assert _code(_upload(harness, frozen, "Van ban bi tu choi")) == "RECORD-FROZEN"
    assert _code(_upload(harness, elsewhere, "Van ban huyen", harness.other_archivist)) == "RECORD-FROZEN"
    # 404 before anything about holds, for a dossier of another office
    assert _code(_upload(harness, elsewhere, "Van ban la")) == "DOSSIER-NOT-FOUND"


def test_a_closed_dossier_refuses_changes_with_dossier_closed(harness: Harness) -> None:
    dossier_id = harness.new_dossier()
    doc_id = _document(harness, dossier_id, "Bien ban ket thuc")
    with transaction(harness.services.factory) as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        lifecycle.move(session, _principal(harness, "vanthu"), dossier, "close", addr=None)
    upload = _upload(harness, dossier_id, "Them sau ket thuc")
    assert upload.status_code == 409 and _code(upload) == "DOSSIER-CLOSED"
    update = harness.client.patch(
        f"/api/v1/dossiers/{dossier_id}", json={"title": "Đổi tên"}, headers=harness.archivist.headers
    )
    assert update.status_code == 409 and _code(update) == "DOSSIER-CLOSED"
    patched = harness.client.patch(
        f"/api/v1/documents/{doc_id}", json={"secrecy_level": 1}, headers=harness.archivist.headers
    )
    assert patched.status_code == 409 and _code(patched) == "DOSSIER-CLOSED"
    # who may not write still gets 403 / 404 first, not a hint about the state
    assert (
        harness.client.patch(
            f"/api/v1/dossiers/{dossier_id}", json={"title": "x"}, headers=harness.reader.headers
        ).status_code
        == 403
    )
    assert (
        harness.client.patch(
            f"/api/v1/dossiers/{dossier_id}", json={"title": "x"}, headers=harness.other_archivist.headers
        ).status_code
        == 404
    )


def test_holds_list_only_what_the_caller_reads(harness: Harness) -> None:
    dossier_id = harness.new_dossier()
    doc_id = _document(harness, dossier_id, "Van ban mat")
    secret = harness.client.patch(
        f"/api/v1/documents/{doc_id}", json={"secrecy_level": 2}, headers=harness.admin.headers
    )
    assert secret.status_code == 200, secret.text
    low_admin = add_user(harness.services, "quan-tri-thuong", Role.ADMIN, "VPTU", clearance=0)
    hidden = _freeze(harness, low_admin, document_ids=[doc_id])
    assert hidden.status_code == 404 and _code(hidden) == "DOCUMENT-NOT-FOUND"

    on_doc = _freeze(harness, harness.admin, document_ids=[doc_id]).json()
    on_dossier = _freeze(harness, harness.admin, dossier_id=dossier_id).json()

    def ids(actor: Actor) -> set[int]:
        response = harness.client.get("/api/v1/holds", headers=actor.headers)
        assert response.status_code == 200
        return {h["id"] for h in response.json()["items"]}

    assert ids(harness.admin) == {on_doc["id"], on_dossier["id"]}
    assert ids(harness.reader) == {on_dossier["id"]}  # the secret document's hold (and its reason) stays hidden
    assert ids(low_admin) == {on_dossier["id"]}
    assert ids(harness.other_archivist) == set()
    lift = harness.client.post(f"/api/v1/holds/{on_doc['id']}/lift", json={"reason": "x"}, headers=low_admin.headers)
    assert lift.status_code == 404


def test_the_holds_page_freezes_and_lifts(web: Web) -> None:
    harness = web.harness
    dossier_id = harness.new_dossier()
    admin = web.login("admin")
    page = admin.get(f"/ho-so/{dossier_id}")
    assert page.status_code == 200 and 'action="/dong-bang"' in page.text
    placed = admin.post(
        "/dong-bang",
        data={"ho_so": str(dossier_id), "ly_do": "Đóng băng để thanh tra", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert placed.status_code == 303, placed.text
    listing = admin.get("/dong-bang")
    assert "Đóng băng để thanh tra" in listing.text and "Đang hiệu lực" in listing.text

    archivist = web.login("vanthu")
    seen = archivist.get("/dong-bang")
    assert "Đóng băng để thanh tra" in seen.text and "Gỡ đóng băng" not in seen.text
    hold_id = harness.client.get("/api/v1/holds", headers=harness.admin.headers).json()["items"][0]["id"]
    refused = archivist.post(
        f"/dong-bang/{hold_id}/go", data={"ly_do": "x", "csrf_token": csrf_of(seen.text)}, follow_redirects=False
    )
    assert refused.status_code == 403

    lifted = admin.post(
        f"/dong-bang/{hold_id}/go", data={"ly_do": "Xong", "csrf_token": csrf_of(listing.text)}, follow_redirects=False
    )
    assert lifted.status_code == 303
    assert "Đã gỡ" in admin.get("/dong-bang").text
    bad = admin.post(
        "/dong-bang", data={"van_ban": "abc", "ly_do": "x", "csrf_token": csrf_of(listing.text)}, follow_redirects=False
    )
    assert bad.status_code == 422 and "HOLD-TARGET-INVALID" in bad.text
