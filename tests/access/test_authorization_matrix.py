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
from starlette.routing import BaseRoute, Mount

from archive_service.app import create_app
from archive_service.services import open_services
from tests.access.world import OFFICES, Caller, Doc, World, build_world
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


DOSSIER_FORM = {"title": "Hội nghị Ban Thường vụ (sửa)", "meeting_body": "BTV", "retention": "vinh-vien"}

ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/healthz"): Route(Rule.PUBLIC, get("/healthz")),
    ("GET", "/readyz"): Route(Rule.PUBLIC, get("/readyz")),
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
    if rule in (Rule.DOSSIER_READ, Rule.DOSSIER_WRITE, Rule.OFFICE_READ):
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
