"""The authorisation matrix, generated from the app's route table.

Every route of the API and the web app is declared once below with the rule that governs it; a route
without a declaration fails the test. Each declared route is then called by every caller (four roles ×
clearance 0–3, all of office VPTU) on every target it takes (each document: two offices × four secrecy
levels; each dossier: own and other office; each office code), and:
- the status is the one the rule gives (allowed → 2xx/3xx, or the route's declared "empty" answer; not
  readable → 404, exactly as a missing object; readable but not changeable → 403);
- no answer, allowed or refused, contains the marker of any document the caller may not read (file name,
  số và ký hiệu, issuer, trích yếu, text, findings that name it);
- without credentials, every non-public route answers 401 (API) or sends the browser to the login page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import BaseRoute, Mount

from archive_service.app import create_app
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Role, User
from archive_service.records.files import MEDIA, store_record_file
from archive_service.services import open_services
from tests.access.world import LEVELS, OFFICES, Caller, Doc, World, build_world
from tests.conftest import make_settings, release_real_backends
from tests.samples import tiny_pdf

pytestmark = pytest.mark.page_images  # derivatives and the page routes are part of what is checked


class Rule(Enum):
    PUBLIC = "public"  # no login needed (health, login page, docs in development, static assets)
    LOGGED_IN = "logged-in"  # any caller; what it shows is scoped to them
    WRITER = "writer"  # archivists and admins (creating in their own office)
    AUDIT = "audit"  # auditors and admins
    ADMIN = "admin"  # admins only
    DOCUMENT_READ = "document-read"
    DOCUMENT_WRITE = "document-write"
    DOSSIER_READ = "dossier-read"
    DOSSIER_WRITE = "dossier-write"
    OFFICE_READ = "office-read"  # a report of one office, by its code
    RECORD_FILE_READ = "record-file-read"  # a record file of an office's dossier: its office AND its top secrecy


Target = Doc | str | None  # a document, an office code (dossiers and office reports), or nothing
RequestArgs = dict[str, Any]


@dataclass(frozen=True)
class Route:
    rule: Rule
    make: Callable[[World, Caller, Any], RequestArgs]
    web: bool = False  # authenticated by the session cookie (else the bearer token)
    # (status, error code) pairs that count as "allowed" besides 2xx/3xx: e.g. no derivative for this document
    empty: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    fresh_session: bool = False  # the call ends its session (log out): made on a session of its own


def get(path: str) -> Callable[[World, Caller, Any], RequestArgs]:
    def make(world: World, _caller: Caller, target: Any) -> RequestArgs:
        return {"method": "GET", "url": _fill(path, world, target)}

    return make


def _fill(path: str, world: World, target: Any) -> str:
    if isinstance(target, Doc):
        return path.replace("{document_id}", str(target.id))
    if isinstance(target, str):
        return path.replace("{dossier_id}", str(world.dossiers[target])).replace("{office}", target)
    return path


def _json(method: str, path: str, body: dict[str, Any]) -> Callable[[World, Caller, Any], RequestArgs]:
    def make(world: World, _caller: Caller, target: Any) -> RequestArgs:
        return {"method": method, "url": _fill(path, world, target), "json": body}

    return make


def _form(path: str, values: dict[str, str]) -> Callable[[World, Caller, Any], RequestArgs]:
    def make(world: World, caller: Caller, target: Any) -> RequestArgs:
        return {"method": "POST", "url": _fill(path, world, target), "data": {**values, "csrf_token": caller.csrf}}

    return make


def _upload(path: str, *, csrf_header: bool) -> Callable[[World, Caller, Any], RequestArgs]:
    def make(world: World, caller: Caller, target: Any) -> RequestArgs:
        files = {"files": ("bien-ban-kiem-thu.pdf", tiny_pdf("Bien ban kiem thu"), "application/pdf")}
        headers = {"X-CSRF-Token": caller.csrf} if csrf_header else {}
        return {"method": "POST", "url": _fill(path, world, target), "files": files, "headers": headers}

    return make


def _link(path: str, *, csrf_header: bool) -> Callable[[World, Caller, Any], RequestArgs]:
    """Link the target office's unclassified document into that office's dossier (it holds it: nothing changes)."""

    def make(world: World, caller: Caller, target: Any) -> RequestArgs:
        doc = next(d for d in world.docs if d.office == target and d.level == 0)
        headers = {"X-CSRF-Token": caller.csrf} if csrf_header else {}
        return {
            "method": "POST",
            "url": _fill(path, world, target),
            "json": {"document_id": doc.id},
            "headers": headers,
        }

    return make


def _bulk(path: str, *, tick: bool = True) -> Callable[[World, Caller, Any], RequestArgs]:
    """A bulk action of the dossier page on every document of the target office's dossier (or on none)."""

    def make(world: World, caller: Caller, target: Any) -> RequestArgs:
        ticked = [str(d.id) for d in world.docs if d.office == target] if tick else []
        data = {"csrf_token": caller.csrf, "van_ban": ticked}
        return {"method": "POST", "url": _fill(path, world, target), "data": data}

    return make


def _check(world: World, _caller: Caller, _target: Any) -> RequestArgs:
    return {
        "method": "POST",
        "url": "/api/v1/check",
        "files": {"file": ("x.pdf", tiny_pdf("Kiem tra"), "application/pdf")},
    }


def _patch_document(world: World, _caller: Caller, target: Doc) -> RequestArgs:
    # The same secrecy level it has: allowed callers change nothing, refused ones are refused before.
    return {"method": "PATCH", "url": f"/api/v1/documents/{target.id}", "json": {"secrecy_level": target.level}}


def _login(world: World, _caller: Caller, _target: Any) -> RequestArgs:
    return {"method": "POST", "url": "/dang-nhap", "data": {"username": "x", "password": "y", "csrf_token": "z"}}


_serial = iter(range(1, 1_000_000))


def _account(
    method: str, path: str, body: Callable[[], dict[str, Any]] | None = None
) -> Callable[[World, Caller, Any], RequestArgs]:
    """A call on the accounts API: {user_id} is the world's target user, {token_id} a fresh token of theirs."""

    def make(world: World, _caller: Caller, _target: Any) -> RequestArgs:
        url = path.replace("{user_id}", str(world.target_user_id))
        if "{token_id}" in url:
            url = url.replace("{token_id}", str(world.fresh_token_id()))
        args: RequestArgs = {"method": method, "url": url}
        if body is not None:
            args["json"] = body()
        return args

    return make


def _own_saved(method: str, path: str, *, form: bool = False) -> Callable[[World, Caller, Any], RequestArgs]:
    """A call on one of the caller's own saved searches ({id}), made for them first through the API."""

    def make(world: World, caller: Caller, _target: Any) -> RequestArgs:
        created = world.client.post(
            "/api/v1/search/saved",
            json={"name": "Công tác", "query": {"q": "công tác"}},
            headers={"Authorization": f"Bearer {caller.token}"},
        )
        assert created.status_code == 201, created.text
        args: RequestArgs = {"method": method, "url": path.replace("{id}", str(created.json()["id"]))}
        if form:
            args["data"] = {"csrf_token": caller.csrf}
        return args

    return make


def _password_form(world: World, caller: Caller, _target: Any) -> RequestArgs:
    data = {"current_password": "sai", "new_password": "Mật-khẩu-mới-dài", "new_password_repeat": "Mật-khẩu-mới-dài"}
    return {"method": "POST", "url": "/doi-mat-khau", "data": {**data, "csrf_token": caller.csrf}}


_record_files: dict[str, int] = {}  # office code → a record file of its dossier (made on first use)


def _record_file(path: str) -> Callable[[World, Caller, Any], RequestArgs]:
    """A record file of the target office's dossier, stored once through the use case (issue 15, helper R)."""

    def make(world: World, _caller: Caller, target: Any) -> RequestArgs:
        if target not in _record_files:
            with transaction(world.services.factory) as session:
                boss_id = session.scalar(select(User.id).where(User.username == "boss"))
                assert boss_id is not None
                boss = Principal(boss_id, "boss", Role.ADMIN, world.office_ids[OFFICES[0]], clearance=3)
                row = store_record_file(
                    world.services.blobs,
                    session,
                    owner_type="dossier",
                    owner_id=world.dossiers[target],
                    kind="muc-luc-van-ban",
                    filename=f"muc-luc-{target}.pdf",
                    media_type=MEDIA["pdf"],
                    data=f"%PDF-1.4 muc luc {target}".encode(),
                    principal=boss,
                )
                _record_files[target] = row.id
        return {"method": "GET", "url": path.replace("{file_id}", str(_record_files[target]))}

    return make


def _spare_dossier(world: World, *, held: bool) -> tuple[int, int | None]:
    """A new dossier of VPTU (readable by every caller) to freeze, and a hold on it when ``held`` (helper D)."""
    from archive_service.catalog.models import Dossier
    from archive_service.freezes.service import freeze

    with transaction(world.services.factory) as session:
        boss_id = session.scalar(select(User.id).where(User.username == "boss"))
        assert boss_id is not None
        boss = Principal(boss_id, "boss", Role.ADMIN, world.office_ids[OFFICES[0]], clearance=3)
        dossier = Dossier(office_id=world.office_ids[OFFICES[0]], title="Hồ sơ để đóng băng", created_by=boss_id)
        session.add(dossier)
        session.flush()
        hold = freeze(session, boss, dossier_id=dossier.id, reason="Thanh tra", addr=None) if held else None
        return dossier.id, hold.id if hold else None


def _transfer(*, web: bool) -> Callable[[World, Caller, Any], RequestArgs]:
    """Nộp lưu of the target office's dossier: it is open, so an allowed caller is refused by its state (409)."""

    def make(world: World, caller: Caller, target: Any) -> RequestArgs:
        dossier_id = world.dossiers[target]
        if web:
            data = {"csrf_token": caller.csrf, "ho_so": str(dossier_id), "noi_nhan": "office-archive"}
            return {"method": "POST", "url": "/nop-luu", "data": data}
        return {"method": "POST", "url": "/api/v1/transfers", "json": {"dossier_ids": [dossier_id]}}

    return make


def _transfer_receipt(world: World, caller: Caller, _target: Any) -> RequestArgs:
    """A receipt for a transfer that does not exist: writers get 404, the others are refused by role first."""
    return {
        "method": "POST",
        "url": "/nop-luu/999999/xac-nhan",
        "data": {"csrf_token": caller.csrf},
        "files": {"bien_nhan": ("receipt.json", b"{}", "application/json")},
    }


def _transfer_import(world: World, _caller: Caller, _target: Any) -> RequestArgs:
    """A ZIP that is not a bag: writers get 422 TRANSFER-BAG-INVALID, the others are refused by role first."""
    return {
        "method": "POST",
        "url": "/api/v1/transfers/import",
        "files": {"file": ("goi.zip", b"PK\x05\x06" + b"\x00" * 18, "application/zip")},
    }


def _freeze(*, web: bool) -> Callable[[World, Caller, Any], RequestArgs]:
    def make(world: World, caller: Caller, _target: Any) -> RequestArgs:
        dossier_id, _ = _spare_dossier(world, held=False)
        if web:
            data = {"ho_so": str(dossier_id), "ly_do": "Thanh tra", "csrf_token": caller.csrf}
            return {"method": "POST", "url": "/dong-bang", "data": data}
        return {"method": "POST", "url": "/api/v1/holds", "json": {"dossier_id": dossier_id, "reason": "Thanh tra"}}

    return make


def _lift(*, web: bool) -> Callable[[World, Caller, Any], RequestArgs]:
    def make(world: World, caller: Caller, _target: Any) -> RequestArgs:
        _, hold_id = _spare_dossier(world, held=True)
        if web:
            data = {"ly_do": "Đã xong", "csrf_token": caller.csrf}
            return {"method": "POST", "url": f"/dong-bang/{hold_id}/go", "data": data}
        return {"method": "POST", "url": f"/api/v1/holds/{hold_id}/lift", "json": {"reason": "Đã xong"}}

    return make


# File plans (issue 15, helper A): a plan per office made once through the use case; the routes that use up what
# they are given (approve, remove, open) get a fresh plan, heading or row on each call.
_plan_years = iter(range(1901, 2200))
_plans: dict[str, int] = {}  # office code → its plan


def _boss(world: World) -> Principal:
    with transaction(world.services.factory) as session:
        boss_id = session.scalar(select(User.id).where(User.username == "boss"))
    assert boss_id is not None
    return Principal(boss_id, "boss", Role.ADMIN, world.office_ids[OFFICES[0]], clearance=3)


def _new_plan(world: World, office: str) -> int:
    from archive_service.fileplans import service as plans
    from schemas.fileplans import FilePlanCreate

    body = {
        "year": next(_plan_years),
        "office_code": office,
        "headings": [{"title": "Tổng hợp", "entries": [{"title": "Hồ sơ kế hoạch", "retention": "10-nam"}]}],
    }
    return plans.create_plan(world.services, _boss(world), FilePlanCreate.model_validate(body), addr=None).id


def _plan_of(world: World, office: str) -> int:
    if office not in _plans:
        _plans[office] = _new_plan(world, office)
    return _plans[office]


def _fresh_part(world: World, plan_id: int, part: str) -> int:
    """A new đề mục or row of the plan, for a call that removes or opens it."""
    from archive_service.fileplans import service as plans
    from schemas.fileplans import EntryCreate, HeadingCreate

    if part == "heading":
        out = plans.add_heading(world.services, _boss(world), plan_id, HeadingCreate(title="Đề mục thử"), addr=None)
        return max(h.id for h in out.headings)
    out = plans.add_entry(
        world.services, _boss(world), plan_id, EntryCreate(title="Hồ sơ thử", retention="5-nam"), addr=None
    )
    return max(e.id for e in out.entries)


def _plan_call(
    method: str,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    fresh: str | None = None,
) -> Callable[[World, Caller, Any], RequestArgs]:
    """A call on the target office's file plan ({plan_id}, its first đề mục and row, or fresh ones)."""

    def make(world: World, caller: Caller, target: Any) -> RequestArgs:
        office = target if isinstance(target, str) else OFFICES[0]
        plan_id = _new_plan(world, office) if fresh == "plan" else _plan_of(world, office)
        from archive_service.fileplans import service as plans

        shown = plans.get_plan(world.services, _boss(world), plan_id)
        heading_id = _fresh_part(world, plan_id, "heading") if fresh == "heading" else shown.headings[0].id
        entry_id = _fresh_part(world, plan_id, "entry") if fresh == "entry" else shown.headings[0].entries[0].id
        url = path.replace("{plan_id}", str(plan_id)).replace("{heading_id}", str(heading_id))
        args: RequestArgs = {"method": method, "url": url.replace("{entry_id}", str(entry_id))}
        if body is not None:
            args["json"] = body
        if form is not None:
            args["data"] = {**form, "csrf_token": caller.csrf}
        return args

    return make


def _new_year(*, web: bool) -> Callable[[World, Caller, Any], RequestArgs]:
    def make(world: World, caller: Caller, _target: Any) -> RequestArgs:
        year = next(_plan_years)
        if web:
            return {"method": "POST", "url": "/danh-muc-ho-so", "data": {"year": str(year), "csrf_token": caller.csrf}}
        return {"method": "POST", "url": "/api/v1/file-plans", "json": {"year": year}}

    return make


_APPROVAL = {"decision_number": "15-QĐ/VPTU", "decision_date": "2026-01-05", "approver_name": "Trần Văn Chánh"}
_AD_HOC = {
    "title": "Hồ sơ phát sinh",
    "file_code": "25.VPTU",
    "retention": "10-nam",
    "former_name": "Phạm Dung",
    "start_date": "2026-03-02",
}


# Appraisal (issue 15, helper F): an appraisal row of the target office's (open) dossier, made directly in the
# catalog: reading it and recording its council follow the dossier's rules; the decision and the destruction are
# the admins' (a fresh appraisal without council or decision: the admin's answer is the declared 409).
_APPRAISAL_OF: dict[str, int] = {}


def _new_appraisal(world: World, office: str) -> int:
    from archive_service.catalog.models import Appraisal

    with transaction(world.services.factory) as session:
        owner = session.scalar(select(User.id).where(User.username == "boss"))
        row = Appraisal(
            office_id=world.office_ids[office], dossier_ids=[world.dossiers[office]], created_by=int(owner or 1)
        )
        session.add(row)
        session.flush()
        return int(row.id)


def _appraisal(
    method: str,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    fresh: bool = False,
) -> Callable[[World, Caller, Any], RequestArgs]:
    """A call on an appraisal ({id}) of the target office (VPTU when the rule takes no target)."""

    def make(world: World, caller: Caller, target: Any) -> RequestArgs:
        office = target if isinstance(target, str) else OFFICES[0]
        if fresh:
            appraisal_id = _new_appraisal(world, office)
        else:
            appraisal_id = _APPRAISAL_OF.get(office) or _APPRAISAL_OF.setdefault(office, _new_appraisal(world, office))
        args: RequestArgs = {"method": method, "url": path.replace("{id}", str(appraisal_id))}
        if body is not None:
            args["json"] = body
        if form is not None:
            args["data"] = {**form, "csrf_token": caller.csrf}
        return args

    return make


_COUNCIL = {"members": ["Nguyễn Văn An"], "meeting_date": "2026-11-20", "opinion": "Hủy."}
_DECISION = {"decision_number": "15-QĐ/VPTU", "decision_date": "2026-11-25", "approver_name": "Trần Văn Cường"}


DOSSIER_FORM = {"title": "Hội nghị Ban Thường vụ (sửa)", "meeting_body": "BTV", "retention": "vinh-vien"}

ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/healthz"): Route(Rule.PUBLIC, get("/healthz")),
    ("GET", "/readyz"): Route(Rule.PUBLIC, get("/readyz")),
    # No user's: the scraper's (ARCHIVE_METRICS_TOKEN, else this machine only; tests/metrics/test_access.py). The
    # matrix's peer is not loopback and sets no token: 403 for every caller, its body checked for leaks like any.
    ("GET", "/metrics"): Route(Rule.PUBLIC, get("/metrics"), empty=frozenset({(403, "AUTH-FORBIDDEN")})),
    ("GET", "/docs"): Route(Rule.PUBLIC, get("/docs")),
    ("GET", "/openapi.json"): Route(Rule.PUBLIC, get("/openapi.json")),
    ("GET", "/static/swagger-ui/{name}"): Route(Rule.PUBLIC, get("/static/swagger-ui/swagger-ui.css")),
    ("GET", "/"): Route(Rule.PUBLIC, get("/"), web=True),
    ("GET", "/dang-nhap"): Route(Rule.PUBLIC, get("/dang-nhap"), web=True),
    ("POST", "/dang-nhap"): Route(Rule.PUBLIC, _login, web=True, empty=frozenset({(403, "CSRF-INVALID")})),
    ("POST", "/dang-xuat"): Route(Rule.LOGGED_IN, _form("/dang-xuat", {}), web=True, fresh_session=True),
    # API: dossiers
    ("POST", "/api/v1/dossiers"): Route(
        Rule.WRITER, _json("POST", "/api/v1/dossiers", {"title": "Hội nghị", "meeting_body": "BTV"})
    ),
    ("GET", "/api/v1/dossiers"): Route(Rule.LOGGED_IN, get("/api/v1/dossiers")),
    ("GET", "/api/v1/dossiers/{dossier_id}"): Route(Rule.DOSSIER_READ, get("/api/v1/dossiers/{dossier_id}")),
    ("PATCH", "/api/v1/dossiers/{dossier_id}"): Route(
        Rule.DOSSIER_WRITE, _json("PATCH", "/api/v1/dossiers/{dossier_id}", {"meeting_number": "12"})
    ),
    ("GET", "/api/v1/dossiers/{dossier_id}/findings"): Route(
        Rule.DOSSIER_READ, get("/api/v1/dossiers/{dossier_id}/findings")
    ),
    ("POST", "/api/v1/dossiers/{dossier_id}/check"): Route(
        Rule.DOSSIER_WRITE, _json("POST", "/api/v1/dossiers/{dossier_id}/check", {})
    ),
    ("GET", "/api/v1/dossiers/{dossier_id}/documents"): Route(
        Rule.DOSSIER_READ, get("/api/v1/dossiers/{dossier_id}/documents")
    ),
    ("POST", "/api/v1/dossiers/{dossier_id}/documents"): Route(
        Rule.DOSSIER_WRITE, _upload("/api/v1/dossiers/{dossier_id}/documents", csrf_header=False)
    ),
    # Duplicates linked into a dossier (14C)
    ("POST", "/api/v1/dossiers/{dossier_id}/links"): Route(
        Rule.DOSSIER_WRITE, _link("/api/v1/dossiers/{dossier_id}/links", csrf_header=False)
    ),
    # File plans (danh mục hồ sơ, issue 15 helper A): read like the office's dossiers, changed by its archivists
    ("POST", "/api/v1/file-plans"): Route(Rule.WRITER, _new_year(web=False)),
    ("GET", "/api/v1/file-plans"): Route(Rule.LOGGED_IN, get("/api/v1/file-plans")),
    ("GET", "/api/v1/file-plans/{plan_id}"): Route(
        Rule.DOSSIER_READ, _plan_call("GET", "/api/v1/file-plans/{plan_id}")
    ),
    ("PATCH", "/api/v1/file-plans/{plan_id}"): Route(
        Rule.DOSSIER_WRITE, _plan_call("PATCH", "/api/v1/file-plans/{plan_id}", body={"numbering": "plan"})
    ),
    ("GET", "/api/v1/file-plans/{plan_id}/export"): Route(
        Rule.DOSSIER_READ, _plan_call("GET", "/api/v1/file-plans/{plan_id}/export?format=xlsx")
    ),
    ("POST", "/api/v1/file-plans/{plan_id}/headings"): Route(
        Rule.DOSSIER_WRITE, _plan_call("POST", "/api/v1/file-plans/{plan_id}/headings", body={"title": "Đề mục"})
    ),
    ("PATCH", "/api/v1/file-plans/{plan_id}/headings/{heading_id}"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("PATCH", "/api/v1/file-plans/{plan_id}/headings/{heading_id}", body={"title": "Tổng hợp"}),
    ),
    ("DELETE", "/api/v1/file-plans/{plan_id}/headings/{heading_id}"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("DELETE", "/api/v1/file-plans/{plan_id}/headings/{heading_id}", fresh="heading"),
    ),
    ("POST", "/api/v1/file-plans/{plan_id}/entries"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("POST", "/api/v1/file-plans/{plan_id}/entries", body={"title": "Hồ sơ", "retention": "5-nam"}),
    ),
    ("PATCH", "/api/v1/file-plans/{plan_id}/entries/{entry_id}"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("PATCH", "/api/v1/file-plans/{plan_id}/entries/{entry_id}", body={"note": "Ghi chú"}),
    ),
    ("DELETE", "/api/v1/file-plans/{plan_id}/entries/{entry_id}"): Route(
        Rule.DOSSIER_WRITE, _plan_call("DELETE", "/api/v1/file-plans/{plan_id}/entries/{entry_id}", fresh="entry")
    ),
    ("POST", "/api/v1/file-plans/{plan_id}/entries/{entry_id}/open"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("POST", "/api/v1/file-plans/{plan_id}/entries/{entry_id}/open", body={}, fresh="entry"),
    ),
    ("POST", "/api/v1/file-plans/{plan_id}/approve"): Route(
        Rule.ADMIN, _plan_call("POST", "/api/v1/file-plans/{plan_id}/approve", body=_APPROVAL, fresh="plan")
    ),
    ("POST", "/api/v1/dossiers/ad-hoc"): Route(Rule.WRITER, _json("POST", "/api/v1/dossiers/ad-hoc", _AD_HOC)),
    ("GET", "/danh-muc-ho-so"): Route(Rule.LOGGED_IN, get("/danh-muc-ho-so"), web=True),
    ("POST", "/danh-muc-ho-so"): Route(Rule.WRITER, _new_year(web=True), web=True),
    ("GET", "/danh-muc-ho-so/{plan_id}"): Route(
        Rule.DOSSIER_READ, _plan_call("GET", "/danh-muc-ho-so/{plan_id}"), web=True
    ),
    ("GET", "/danh-muc-ho-so/{plan_id}.{fmt}"): Route(
        Rule.DOSSIER_READ, _plan_call("GET", "/danh-muc-ho-so/{plan_id}.docx"), web=True
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/de-muc"): Route(
        Rule.DOSSIER_WRITE, _plan_call("POST", "/danh-muc-ho-so/{plan_id}/de-muc", form={"title": "Đề mục"}), web=True
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/ho-so"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("POST", "/danh-muc-ho-so/{plan_id}/ho-so", form={"title": "Hồ sơ", "retention": "5-nam"}),
        web=True,
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/phe-duyet"): Route(
        Rule.ADMIN,
        _plan_call(
            "POST",
            "/danh-muc-ho-so/{plan_id}/phe-duyet",
            form={**_APPROVAL, "decision_date": "05/01/2026"},
            fresh="plan",
        ),
        web=True,
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/mo-ho-so"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("POST", "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/mo-ho-so", form={}, fresh="entry"),
        web=True,
    ),
    # Editing the plan's tree on its page (issue 15, helper W): forms on the first đề mục and row, changes and
    # removals on fresh ones (a fresh row is loose, a fresh đề mục last: "up" and "down" leave the first in place).
    ("GET", "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/sua"): Route(
        Rule.DOSSIER_WRITE, _plan_call("GET", "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/sua"), web=True
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/sua"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call(
            "POST",
            "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/sua",
            form={"title": "Hồ sơ thử", "retention": "5-nam", "note": "Ghi chú"},
            fresh="entry",
        ),
        web=True,
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/xoa"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("POST", "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/xoa", form={}, fresh="entry"),
        web=True,
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/di-chuyen"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("POST", "/danh-muc-ho-so/{plan_id}/dong/{entry_id}/di-chuyen", form={"huong": "len"}, fresh="entry"),
        web=True,
    ),
    ("GET", "/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/sua"): Route(
        Rule.DOSSIER_WRITE, _plan_call("GET", "/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/sua"), web=True
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/sua"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("POST", "/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/sua", form={"title": "Tổng hợp"}),
        web=True,
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/xoa"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call("POST", "/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/xoa", form={}, fresh="heading"),
        web=True,
    ),
    ("POST", "/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/di-chuyen"): Route(
        Rule.DOSSIER_WRITE,
        _plan_call(
            "POST", "/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/di-chuyen", form={"huong": "xuong"}, fresh="heading"
        ),
        web=True,
    ),
    # API: documents
    ("GET", "/api/v1/documents/{document_id}"): Route(Rule.DOCUMENT_READ, get("/api/v1/documents/{document_id}")),
    ("PATCH", "/api/v1/documents/{document_id}"): Route(Rule.DOCUMENT_WRITE, _patch_document),
    ("GET", "/api/v1/documents/{document_id}/content"): Route(
        Rule.DOCUMENT_READ, get("/api/v1/documents/{document_id}/content")
    ),
    ("GET", "/api/v1/documents/{document_id}/searchable-pdf"): Route(
        Rule.DOCUMENT_READ,
        get("/api/v1/documents/{document_id}/searchable-pdf"),
        empty=frozenset({(404, "DERIVATIVE-NOT-READY")}),
    ),
    ("GET", "/api/v1/documents/{document_id}/findings"): Route(
        Rule.DOCUMENT_READ, get("/api/v1/documents/{document_id}/findings")
    ),
    # Page images (14E): the world's documents have none rendered, so a page is its declared "not ready" answer.
    ("GET", "/api/v1/documents/{document_id}/pages"): Route(
        Rule.DOCUMENT_READ, get("/api/v1/documents/{document_id}/pages")
    ),
    ("GET", "/api/v1/documents/{document_id}/pages/{number}.png"): Route(
        Rule.DOCUMENT_READ,
        get("/api/v1/documents/{document_id}/pages/1.png?width=200"),
        empty=frozenset({(404, "PAGES-NOT-READY")}),
    ),
    ("GET", "/van-ban/{document_id}/trang/{number}.png"): Route(
        Rule.DOCUMENT_READ,
        get("/van-ban/{document_id}/trang/1.png"),
        web=True,
        empty=frozenset({(404, "PAGES-NOT-READY")}),
    ),
    ("GET", "/van-ban/{document_id}/anh-nho.png"): Route(
        Rule.DOCUMENT_READ, get("/van-ban/{document_id}/anh-nho.png"), web=True
    ),
    ("GET", "/van-ban/{document_id}/xem"): Route(
        Rule.DOCUMENT_READ, get("/van-ban/{document_id}/xem"), web=True, empty=frozenset({(404, "PDF-NOT-READY")})
    ),
    # API: search, check, reports, audit
    ("GET", "/api/v1/search"): Route(Rule.LOGGED_IN, get("/api/v1/search?q=c%C3%B4ng%20t%C3%A1c&page_size=50")),
    ("GET", "/api/v1/search/export"): Route(Rule.LOGGED_IN, get("/api/v1/search/export?q=c%C3%B4ng%20t%C3%A1c")),
    ("GET", "/api/v1/search/saved"): Route(Rule.LOGGED_IN, get("/api/v1/search/saved")),
    ("POST", "/api/v1/search/saved"): Route(
        Rule.LOGGED_IN, _json("POST", "/api/v1/search/saved", {"name": "Công tác", "query": {"q": "công tác"}})
    ),
    ("GET", "/api/v1/search/saved/{saved_id}"): Route(Rule.LOGGED_IN, _own_saved("GET", "/api/v1/search/saved/{id}")),
    ("DELETE", "/api/v1/search/saved/{saved_id}"): Route(
        Rule.LOGGED_IN, _own_saved("DELETE", "/api/v1/search/saved/{id}")
    ),
    ("GET", "/api/v1/search/saved/{saved_id}/results"): Route(
        Rule.LOGGED_IN, _own_saved("GET", "/api/v1/search/saved/{id}/results?page_size=50")
    ),
    ("POST", "/api/v1/check"): Route(Rule.LOGGED_IN, _check),
    ("GET", "/api/v1/reports/offices"): Route(Rule.OFFICE_READ, get("/api/v1/reports/offices?office={office}")),
    ("GET", "/api/v1/reports/dossiers/{dossier_id}"): Route(
        Rule.DOSSIER_READ, get("/api/v1/reports/dossiers/{dossier_id}?format=csv")
    ),
    ("GET", "/api/v1/reports/documents/{document_id}"): Route(
        Rule.DOCUMENT_READ, get("/api/v1/reports/documents/{document_id}")
    ),
    ("GET", "/api/v1/audit"): Route(Rule.AUDIT, get("/api/v1/audit?limit=1000")),
    # Web pages
    ("GET", "/ho-so"): Route(Rule.LOGGED_IN, get("/ho-so"), web=True),
    ("GET", "/ho-so/moi"): Route(Rule.WRITER, get("/ho-so/moi"), web=True),
    ("POST", "/ho-so/moi"): Route(Rule.WRITER, _form("/ho-so/moi", DOSSIER_FORM), web=True),
    ("GET", "/ho-so/{dossier_id}/sua"): Route(Rule.DOSSIER_WRITE, get("/ho-so/{dossier_id}/sua"), web=True),
    ("POST", "/ho-so/{dossier_id}/sua"): Route(
        Rule.DOSSIER_WRITE, _form("/ho-so/{dossier_id}/sua", DOSSIER_FORM), web=True
    ),
    ("GET", "/ho-so/{dossier_id}"): Route(Rule.DOSSIER_READ, get("/ho-so/{dossier_id}"), web=True),
    # The dossier page's bulk actions: the ZIP ticks every document of the dossier (what the caller may not
    # read must be left out, its file name too); the writes tick nothing, so the world stays as built.
    ("POST", "/ho-so/{dossier_id}/tai-zip"): Route(Rule.DOSSIER_READ, _bulk("/ho-so/{dossier_id}/tai-zip"), web=True),
    ("POST", "/ho-so/{dossier_id}/kiem-tra-lai"): Route(
        Rule.DOSSIER_WRITE, _bulk("/ho-so/{dossier_id}/kiem-tra-lai", tick=False), web=True
    ),
    ("POST", "/ho-so/{dossier_id}/chuyen-ho-so"): Route(
        Rule.DOSSIER_WRITE, _bulk("/ho-so/{dossier_id}/chuyen-ho-so", tick=False), web=True
    ),
    ("POST", "/ho-so/{dossier_id}/go-khoi-ho-so"): Route(
        Rule.DOSSIER_WRITE, _bulk("/ho-so/{dossier_id}/go-khoi-ho-so", tick=False), web=True
    ),
    ("GET", "/ho-so/{dossier_id}/tai-len"): Route(Rule.DOSSIER_WRITE, get("/ho-so/{dossier_id}/tai-len"), web=True),
    ("POST", "/web-api/ho-so/{dossier_id}/van-ban"): Route(
        Rule.DOSSIER_WRITE, _upload("/web-api/ho-so/{dossier_id}/van-ban", csrf_header=True), web=True
    ),
    ("GET", "/web-api/van-ban/{document_id}/tien-do"): Route(
        Rule.DOCUMENT_READ, get("/web-api/van-ban/{document_id}/tien-do"), web=True
    ),
    # Upload page (14C): link a duplicate here; the session's CSRF token after logging in again in another tab
    ("POST", "/web-api/ho-so/{dossier_id}/lien-ket"): Route(
        Rule.DOSSIER_WRITE, _link("/web-api/ho-so/{dossier_id}/lien-ket", csrf_header=True), web=True
    ),
    ("GET", "/web-api/phien"): Route(Rule.LOGGED_IN, get("/web-api/phien"), web=True),
    ("GET", "/van-ban/{document_id}"): Route(Rule.DOCUMENT_READ, get("/van-ban/{document_id}"), web=True),
    ("GET", "/van-ban/{document_id}/ban-goc"): Route(
        Rule.DOCUMENT_READ, get("/van-ban/{document_id}/ban-goc"), web=True
    ),
    # Issue 16: the electronic mark, set to what the world's documents already hold (not electronic): no change
    ("POST", "/van-ban/{document_id}/dien-tu"): Route(
        Rule.DOCUMENT_WRITE, _form("/van-ban/{document_id}/dien-tu", {"dien_tu": "0"}), web=True
    ),
    ("GET", "/tim-kiem"): Route(Rule.LOGGED_IN, get("/tim-kiem?q=c%C3%B4ng%20t%C3%A1c"), web=True),
    ("GET", "/tim-kiem.csv"): Route(Rule.LOGGED_IN, get("/tim-kiem.csv?q=c%C3%B4ng%20t%C3%A1c"), web=True),
    ("POST", "/tim-kiem/luu"): Route(
        Rule.LOGGED_IN, _form("/tim-kiem/luu?q=c%C3%B4ng%20t%C3%A1c", {"ten": "Công tác"}), web=True
    ),
    ("POST", "/tim-kiem/da-luu/{saved_id}/xoa"): Route(
        Rule.LOGGED_IN, _own_saved("POST", "/tim-kiem/da-luu/{id}/xoa", form=True), web=True
    ),
    ("GET", "/bao-cao"): Route(Rule.OFFICE_READ, get("/bao-cao?don_vi={office}"), web=True),
    ("GET", "/bao-cao/don-vi.{fmt}"): Route(Rule.OFFICE_READ, get("/bao-cao/don-vi.csv?don_vi={office}"), web=True),
    ("GET", "/bao-cao/don-vi/bieu-do-{chart}.svg"): Route(
        Rule.OFFICE_READ, get("/bao-cao/don-vi/bieu-do-ma-loi.svg?don_vi={office}"), web=True
    ),
    ("GET", "/bao-cao/ho-so/{dossier_id:int}"): Route(Rule.DOSSIER_READ, get("/bao-cao/ho-so/{dossier_id}"), web=True),
    ("GET", "/bao-cao/ho-so/{dossier_id:int}.{fmt}"): Route(
        Rule.DOSSIER_READ, get("/bao-cao/ho-so/{dossier_id}.json"), web=True
    ),
    ("GET", "/bao-cao/van-ban/{document_id:int}"): Route(
        Rule.DOCUMENT_READ, get("/bao-cao/van-ban/{document_id}"), web=True
    ),
    ("GET", "/bao-cao/van-ban/{document_id:int}.{fmt}"): Route(
        Rule.DOCUMENT_READ, get("/bao-cao/van-ban/{document_id}.csv"), web=True
    ),
    ("GET", "/bao-cao/ho-so/{dossier_id:int}/bieu-do-{chart}.svg"): Route(
        Rule.DOSSIER_READ, get("/bao-cao/ho-so/{dossier_id}/bieu-do-ma-loi.svg"), web=True
    ),
    ("GET", "/bao-cao/van-ban/{document_id:int}/bieu-do-{chart}.svg"): Route(
        Rule.DOCUMENT_READ, get("/bao-cao/van-ban/{document_id}/bieu-do-ma-loi.svg"), web=True
    ),
    # The job queue (issue 17, helper B): admins only, numbers and ids
    ("GET", "/api/v1/jobs/summary"): Route(Rule.ADMIN, get("/api/v1/jobs/summary")),
    ("GET", "/quan-tri/hang-doi"): Route(Rule.ADMIN, get("/quan-tri/hang-doi"), web=True),
    # Accounts (admins only)
    ("GET", "/api/v1/offices"): Route(Rule.ADMIN, _account("GET", "/api/v1/offices")),
    ("POST", "/api/v1/offices"): Route(
        Rule.ADMIN, _account("POST", "/api/v1/offices", lambda: {"code": f"VPX{next(_serial)}", "name": "Văn phòng X"})
    ),
    ("GET", "/api/v1/users"): Route(Rule.ADMIN, _account("GET", "/api/v1/users")),
    ("POST", "/api/v1/users"): Route(
        Rule.ADMIN,
        _account("POST", "/api/v1/users", lambda: {"username": f"moi{next(_serial)}", "office_code": "VPTU"}),
    ),
    ("GET", "/api/v1/users/{user_id}"): Route(Rule.ADMIN, _account("GET", "/api/v1/users/{user_id}")),
    ("PATCH", "/api/v1/users/{user_id}"): Route(
        Rule.ADMIN, _account("PATCH", "/api/v1/users/{user_id}", lambda: {"display_name": "Người thử"})
    ),
    ("PUT", "/api/v1/users/{user_id}/password"): Route(
        Rule.ADMIN, _account("PUT", "/api/v1/users/{user_id}/password", lambda: {"password": "Mật-khẩu-đủ-dài-9"})
    ),
    ("GET", "/api/v1/users/{user_id}/tokens"): Route(Rule.ADMIN, _account("GET", "/api/v1/users/{user_id}/tokens")),
    ("POST", "/api/v1/users/{user_id}/tokens"): Route(
        Rule.ADMIN, _account("POST", "/api/v1/users/{user_id}/tokens", lambda: {"label": "máy quét"})
    ),
    ("DELETE", "/api/v1/users/{user_id}/tokens/{token_id}"): Route(
        Rule.ADMIN, _account("DELETE", "/api/v1/users/{user_id}/tokens/{token_id}")
    ),
    ("POST", "/api/v1/users/{user_id}/tokens/{token_id}/rotate"): Route(
        Rule.ADMIN, _account("POST", "/api/v1/users/{user_id}/tokens/{token_id}/rotate")
    ),
    ("GET", "/doi-mat-khau"): Route(Rule.LOGGED_IN, get("/doi-mat-khau"), web=True),
    ("POST", "/doi-mat-khau"): Route(Rule.LOGGED_IN, _password_form, web=True, empty=frozenset({(400, "")})),
    ("GET", "/nhat-ky"): Route(Rule.AUDIT, get("/nhat-ky"), web=True),
    ("GET", "/nhat-ky.csv"): Route(Rule.AUDIT, get("/nhat-ky.csv"), web=True),
    # Closing and keeping back (issue 15, helper C): the world's dossiers stay open — the close asks for a retention
    # that is not one (422 after the access checks), the keep meets an open dossier (409 after them).
    ("GET", "/api/v1/dossiers/{dossier_id}/closing-checklist"): Route(
        Rule.DOSSIER_READ, get("/api/v1/dossiers/{dossier_id}/closing-checklist")
    ),
    ("POST", "/api/v1/dossiers/{dossier_id}/close"): Route(
        Rule.DOSSIER_WRITE,
        _json("POST", "/api/v1/dossiers/{dossier_id}/close", {"retention": "khong-hop-le"}),
        empty=frozenset({(422, "RETENTION-INVALID")}),
    ),
    ("POST", "/api/v1/dossiers/{dossier_id}/keep"): Route(
        Rule.DOSSIER_WRITE,
        _json("POST", "/api/v1/dossiers/{dossier_id}/keep", {"until": "2099-01-01", "consent": "Công văn số 1"}),
        empty=frozenset({(409, "DOSSIER-STATE-INVALID")}),
    ),
    ("GET", "/api/v1/dossiers/{dossier_id}/record-files"): Route(
        Rule.DOSSIER_READ, get("/api/v1/dossiers/{dossier_id}/record-files")
    ),
    ("GET", "/api/v1/dossiers/{dossier_id}/history"): Route(
        Rule.DOSSIER_READ, get("/api/v1/dossiers/{dossier_id}/history")
    ),
    ("GET", "/ho-so/{dossier_id}/ket-thuc"): Route(Rule.DOSSIER_WRITE, get("/ho-so/{dossier_id}/ket-thuc"), web=True),
    ("POST", "/ho-so/{dossier_id}/ket-thuc"): Route(
        Rule.DOSSIER_WRITE,
        _form("/ho-so/{dossier_id}/ket-thuc", {"thoi_han": "khong-hop-le"}),
        web=True,
        empty=frozenset({(422, "RETENTION-INVALID")}),
    ),
    ("GET", "/ho-so/{dossier_id}/giu-lai"): Route(Rule.DOSSIER_WRITE, get("/ho-so/{dossier_id}/giu-lai"), web=True),
    ("POST", "/ho-so/{dossier_id}/giu-lai"): Route(
        Rule.DOSSIER_WRITE,
        _form("/ho-so/{dossier_id}/giu-lai", {"den_ngay": "01/01/2099", "dong_y": "Công văn số 1"}),
        web=True,
        empty=frozenset({(409, "DOSSIER-STATE-INVALID")}),
    ),
    # Record files (issue 15): readable with the dossier AND a clearance for its most secret document
    ("GET", "/api/v1/record-files/{file_id}"): Route(
        Rule.RECORD_FILE_READ, _record_file("/api/v1/record-files/{file_id}")
    ),
    ("GET", "/tep-luu-tru/{file_id}"): Route(Rule.RECORD_FILE_READ, _record_file("/tep-luu-tru/{file_id}"), web=True),
    # Đóng băng (issue 15, helper D): admins place and lift holds on a fresh dossier; everyone lists what they read
    ("GET", "/api/v1/holds"): Route(Rule.LOGGED_IN, get("/api/v1/holds")),
    ("POST", "/api/v1/holds"): Route(Rule.ADMIN, _freeze(web=False)),
    ("POST", "/api/v1/holds/{hold_id}/lift"): Route(Rule.ADMIN, _lift(web=False)),
    ("GET", "/dong-bang"): Route(Rule.LOGGED_IN, get("/dong-bang"), web=True),
    ("POST", "/dong-bang"): Route(Rule.ADMIN, _freeze(web=True), web=True),
    ("POST", "/dong-bang/{hold_id}/go"): Route(Rule.ADMIN, _lift(web=True), web=True),
    # Retention schedule and reminders (issue 15, helper B): read by anyone signed in, edited by admins
    ("GET", "/api/v1/retention-schedule"): Route(Rule.LOGGED_IN, get("/api/v1/retention-schedule")),
    ("PUT", "/api/v1/retention-schedule/{group_code}"): Route(
        Rule.ADMIN, _json("PUT", "/api/v1/retention-schedule/VB-CONG-VAN", {"retention": "10-nam"})
    ),
    ("GET", "/api/v1/retention-schedule/{group_code}/history"): Route(
        Rule.LOGGED_IN, get("/api/v1/retention-schedule/VB-CONG-VAN/history")
    ),
    ("GET", "/api/v1/reminders"): Route(Rule.LOGGED_IN, get("/api/v1/reminders")),
    ("GET", "/thoi-han-bao-quan"): Route(Rule.LOGGED_IN, get("/thoi-han-bao-quan"), web=True),
    ("GET", "/thoi-han-bao-quan/{group_code}"): Route(Rule.LOGGED_IN, get("/thoi-han-bao-quan/VB-CONG-VAN"), web=True),
    ("POST", "/thoi-han-bao-quan/{group_code}"): Route(
        Rule.ADMIN, _form("/thoi-han-bao-quan/VB-CONG-VAN", {"retention": "10-nam"}), web=True
    ),
    ("GET", "/nhac-viec"): Route(Rule.LOGGED_IN, get("/nhac-viec"), web=True),
    # Nộp lưu (issue 15, helper E): the world's dossiers are open (409 for who may send them); no transfer exists
    # in the world, so the routes on one answer 404 to writers after refusing the other roles (tests/records
    # /test_transfer.py covers them on real transfers, by role).
    ("POST", "/api/v1/transfers"): Route(
        Rule.DOSSIER_WRITE, _transfer(web=False), empty=frozenset({(409, "DOSSIER-STATE-INVALID")})
    ),
    ("GET", "/api/v1/transfers"): Route(Rule.LOGGED_IN, get("/api/v1/transfers")),
    ("GET", "/api/v1/transfers/{transfer_id}"): Route(
        Rule.LOGGED_IN, get("/api/v1/transfers/999999"), empty=frozenset({(404, "TRANSFER-NOT-FOUND")})
    ),
    ("GET", "/api/v1/transfers/{transfer_id}/bag.zip"): Route(
        Rule.WRITER, get("/api/v1/transfers/999999/bag.zip"), empty=frozenset({(404, "TRANSFER-NOT-FOUND")})
    ),
    ("POST", "/api/v1/transfers/{transfer_id}/confirm"): Route(
        Rule.WRITER,
        _json("POST", "/api/v1/transfers/999999/confirm", {}),
        empty=frozenset({(404, "TRANSFER-NOT-FOUND")}),
    ),
    ("POST", "/api/v1/transfers/{transfer_id}/cancel"): Route(
        Rule.WRITER,
        _json("POST", "/api/v1/transfers/999999/cancel", {}),
        empty=frozenset({(404, "TRANSFER-NOT-FOUND")}),
    ),
    ("POST", "/api/v1/transfers/import"): Route(
        Rule.WRITER, _transfer_import, empty=frozenset({(422, "TRANSFER-BAG-INVALID")})
    ),
    ("GET", "/nop-luu"): Route(Rule.LOGGED_IN, get("/nop-luu"), web=True),
    ("POST", "/nop-luu"): Route(
        Rule.DOSSIER_WRITE, _transfer(web=True), web=True, empty=frozenset({(409, "DOSSIER-STATE-INVALID")})
    ),
    ("GET", "/nop-luu/{transfer_id}/tai-ve.zip"): Route(
        Rule.WRITER, get("/nop-luu/999999/tai-ve.zip"), web=True, empty=frozenset({(404, "TRANSFER-NOT-FOUND")})
    ),
    ("POST", "/nop-luu/{transfer_id}/xac-nhan"): Route(
        Rule.WRITER, _transfer_receipt, web=True, empty=frozenset({(404, "TRANSFER-NOT-FOUND")})
    ),
    # Xác định giá trị và hủy (issue 15, helper F; tests/records/test_appraisal.py covers the whole path by role)
    ("GET", "/api/v1/appraisals/expired"): Route(Rule.LOGGED_IN, get("/api/v1/appraisals/expired")),
    ("POST", "/api/v1/appraisals"): Route(
        Rule.WRITER,
        _json("POST", "/api/v1/appraisals", {"dossier_ids": []}),
        empty=frozenset({(422, "APPRAISAL-EMPTY")}),
    ),
    ("GET", "/api/v1/appraisals/{appraisal_id}"): Route(
        Rule.DOSSIER_READ, _appraisal("GET", "/api/v1/appraisals/{id}")
    ),
    ("POST", "/api/v1/appraisals/{appraisal_id}/council"): Route(
        Rule.DOSSIER_WRITE, _appraisal("POST", "/api/v1/appraisals/{id}/council", body=_COUNCIL)
    ),
    ("POST", "/api/v1/appraisals/{appraisal_id}/approve"): Route(
        Rule.ADMIN,
        _appraisal("POST", "/api/v1/appraisals/{id}/approve", body=_DECISION, fresh=True),
        empty=frozenset({(409, "APPRAISAL-NO-COUNCIL")}),
    ),
    ("POST", "/api/v1/appraisals/{appraisal_id}/destroy"): Route(
        Rule.ADMIN,
        _appraisal("POST", "/api/v1/appraisals/{id}/destroy", body={"confirm": "15-QĐ/VPTU"}, fresh=True),
        empty=frozenset({(409, "APPRAISAL-STATE-INVALID")}),
    ),
    ("GET", "/xac-dinh-gia-tri"): Route(Rule.LOGGED_IN, get("/xac-dinh-gia-tri"), web=True),
    ("POST", "/xac-dinh-gia-tri"): Route(
        Rule.WRITER, _form("/xac-dinh-gia-tri", {}), web=True, empty=frozenset({(422, "APPRAISAL-EMPTY")})
    ),
    ("GET", "/xac-dinh-gia-tri/{appraisal_id}"): Route(
        Rule.DOSSIER_READ, _appraisal("GET", "/xac-dinh-gia-tri/{id}"), web=True
    ),
    ("POST", "/xac-dinh-gia-tri/{appraisal_id}/hoi-dong"): Route(
        Rule.DOSSIER_WRITE,
        _appraisal(
            "POST",
            "/xac-dinh-gia-tri/{id}/hoi-dong",
            form={"thanh_vien": "Nguyễn Văn An", "ngay": "20/11/2026", "y_kien": "Hủy."},
        ),
        web=True,
    ),
    ("POST", "/xac-dinh-gia-tri/{appraisal_id}/quyet-dinh"): Route(
        Rule.ADMIN,
        _appraisal(
            "POST",
            "/xac-dinh-gia-tri/{id}/quyet-dinh",
            form={"so": "15-QĐ/VPTU", "ngay": "25/11/2026", "nguoi_ky": "Trần Văn Cường"},
            fresh=True,
        ),
        web=True,
        empty=frozenset({(409, "APPRAISAL-NO-COUNCIL")}),
    ),
    ("POST", "/xac-dinh-gia-tri/{appraisal_id}/huy"): Route(
        Rule.ADMIN,
        _appraisal("POST", "/xac-dinh-gia-tri/{id}/huy", form={"xac_nhan": "15-QĐ/VPTU"}, fresh=True),
        web=True,
        empty=frozenset({(409, "APPRAISAL-STATE-INVALID")}),
    ),
}


def app_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path) of every route the app serves, through included routers."""

    def walk(routes: list[BaseRoute], prefix: str) -> Iterator[tuple[str, str]]:
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:
                yield from walk(included.routes, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
            elif isinstance(route, APIRoute):
                for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
                    yield method, prefix + route.path
            elif isinstance(route, Mount) and route.path == "/static":
                continue  # the web app's own CSS, JS and icons: public files, no data
            else:
                raise AssertionError(f"a route of an unknown kind: {route!r}")

    return walk(app.routes, "")


def targets(world: World, rule: Rule) -> list[Target]:
    if rule in (Rule.DOCUMENT_READ, Rule.DOCUMENT_WRITE):
        return list(world.docs)
    if rule in (Rule.DOSSIER_READ, Rule.DOSSIER_WRITE, Rule.OFFICE_READ, Rule.RECORD_FILE_READ):
        return list(OFFICES)
    return [None]


def expected(rule: Rule, caller: Caller, target: Target) -> str:
    """ "ok", "hidden" (404 as a missing object) or "forbidden" (403)."""
    if rule in (Rule.PUBLIC, Rule.LOGGED_IN):
        return "ok"
    if rule is Rule.WRITER:
        return "ok" if caller.writes_office(OFFICES[0]) else "forbidden"
    if rule is Rule.AUDIT:
        return "ok" if caller.audits else "forbidden"
    if rule is Rule.ADMIN:
        return "ok" if caller.role.value == "admin" else "forbidden"
    if isinstance(target, Doc):
        if not caller.reads(target):
            return "hidden"
        if rule is Rule.DOCUMENT_WRITE and not caller.writes_office(target.office):
            return "forbidden"
        return "ok"
    assert isinstance(target, str)
    if not caller.reads_office(target):
        return "hidden"
    if rule is Rule.RECORD_FILE_READ and caller.clearance < max(LEVELS):  # each dossier holds a Tuyệt mật document
        return "hidden"
    if rule is Rule.DOSSIER_WRITE and not caller.writes_office(target):
        return "forbidden"
    return "ok"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = make_settings("embedded", Path(tmp_path_factory.mktemp("matrix")))
    services = open_services(settings)
    app = create_app(settings, services=services)
    with TestClient(app) as client:
        yield build_world(client, services)
    release_real_backends(services)


def _error_code(response: Any) -> str | None:
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            return str(body["error"].get("code"))
    return None


def _declared_empty(route: Route, status: int, code: str | None, text: str) -> bool:
    """Whether an error answer is one the route declares as its normal "nothing here" (JSON code, or page text)."""
    return any(status == s and (code == c or (code is None and c in text)) for s, c in route.empty)


def _call(world: World, route: Route, caller: Caller, target: Target) -> Any:
    args = route.make(world, caller, target)
    client = TestClient(world.client.app, raise_server_exceptions=True)
    if route.web:
        cookie, csrf = (caller.cookie, caller.csrf)
        if route.fresh_session:
            cookie, csrf = world.new_session(caller.username)
            if "data" in args:
                args["data"]["csrf_token"] = csrf
        client.cookies.set("archive_session", cookie)
    else:
        args.setdefault("headers", {})
        args["headers"] = {**args["headers"], "Authorization": f"Bearer {caller.token}"}
    return client.request(follow_redirects=False, **args)


def test_every_route_of_the_app_has_a_declared_rule(world: World) -> None:
    served = set(app_routes(world.client.app))  # type: ignore[arg-type]
    undeclared = sorted(served - set(ROUTES))
    assert not undeclared, f"routes with no access rule declared in the matrix: {undeclared}"
    gone = sorted(set(ROUTES) - served)
    assert not gone, f"declared routes the app no longer serves: {gone}"


@pytest.mark.parametrize("key", sorted(ROUTES), ids=lambda k: f"{k[0]} {k[1]}")
def test_route_answers_by_its_rule_and_leaks_nothing(world: World, key: tuple[str, str]) -> None:
    route = ROUTES[key]
    failures: list[str] = []
    for caller in world.callers:
        hidden = world.hidden_markers(caller)
        for target in targets(world, route.rule):
            response = _call(world, route, caller, target)
            want = expected(route.rule, caller, target)
            status, code = response.status_code, _error_code(response)
            shown = f"doc {target.office}/{target.level}" if isinstance(target, Doc) else target
            where = f"{caller.username} → {shown}"
            if want == "ok":
                if status >= 400 and not _declared_empty(route, status, code, response.text):
                    failures.append(f"{where}: expected success, got {status} {code}")
            elif want == "hidden":
                if status != 404:
                    failures.append(f"{where}: expected 404 (hidden), got {status} {code}")
            elif status != 403:
                failures.append(f"{where}: expected 403, got {status} {code}")
            body = response.content.decode("utf-8", errors="replace").upper()
            leaked = [m for m in hidden if m.upper() in body]
            if leaked:
                failures.append(f"{where}: {status} answer contains {leaked}")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.parametrize(
    "key", sorted(k for k, r in ROUTES.items() if r.rule is not Rule.PUBLIC), ids=lambda k: f"{k[0]} {k[1]}"
)
def test_route_without_credentials_is_refused(world: World, key: tuple[str, str]) -> None:
    route = ROUTES[key]
    target = targets(world, route.rule)[0]
    args = route.make(world, world.callers[0], target)
    args.pop("headers", None)
    response = TestClient(world.client.app).request(follow_redirects=False, **args)
    if route.web and not args["url"].startswith("/web-api/"):
        assert response.status_code == 303 and response.headers["location"].startswith("/dang-nhap"), response.text
    else:
        assert response.status_code in (401, 403), (response.status_code, response.text[:200])
    body = response.content.decode("utf-8", errors="replace").upper()
    assert not [d.marker for d in world.docs if d.marker.upper() in body]


ID_ROUTES = sorted(k for k in ROUTES if "{document_id" in k[1] or "{dossier_id" in k[1])


@pytest.mark.parametrize("key", ID_ROUTES, ids=lambda k: f"{k[0]} {k[1]}")
@pytest.mark.parametrize("bad_id", ["9223372036854775808", "99999999999999999999999", "0"])
def test_an_id_that_names_nothing_is_404_never_500(world: World, key: tuple[str, str], bad_id: str) -> None:
    route = ROUTES[key]
    admin = next(c for c in world.callers if c.role.value == "admin" and c.clearance == 3)
    target = targets(world, route.rule)[0]
    args = route.make(world, admin, target)
    real = str(target.id) if isinstance(target, Doc) else str(world.dossiers[str(target)])
    args["url"] = args["url"].replace(f"/{real}", f"/{bad_id}", 1)
    if route.web:
        client = TestClient(world.client.app)
        client.cookies.set("archive_session", admin.cookie)
    else:
        client = TestClient(world.client.app)
        args["headers"] = {**args.get("headers", {}), "Authorization": f"Bearer {admin.token}"}
    response = client.request(follow_redirects=False, **args)
    assert response.status_code == 404, (response.status_code, response.text[:300])
