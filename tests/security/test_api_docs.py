"""/docs: Swagger UI served from the installation (no CDN, no inline script), behind a login in production."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import Harness
from tests.web.conftest import PASSWORD, csrf_of, set_password

_REFERENCES = re.compile(r'(?:src|href)="([^"]*)"')
_CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


def test_the_docs_page_references_only_its_own_assets_and_each_is_served(dev: Harness) -> None:
    page = dev.client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # the CSP allows no inline script: the start-up code is a file
    references = _REFERENCES.findall(page.text)
    assert {"/static/swagger-ui/swagger-ui-bundle.js", "/static/swagger-ui/swagger-ui.css"} <= set(references)
    for ref in references:
        assert ref.startswith("/") and not ref.startswith("//"), ref  # same origin, never a CDN
        asset = dev.client.get(ref)
        assert asset.status_code == 200, ref
        suffix = ref[ref.rfind(".") :]
        assert asset.headers["content-type"].startswith(_CONTENT_TYPES[suffix]), ref
        assert asset.content, ref
    assert "SwaggerUIBundle" in dev.client.get("/static/swagger-ui/swagger-ui-bundle.js").text
    assert "data-openapi-url" in page.text and "SwaggerUIBundle" in dev.client.get("/static/api-docs.js").text


def test_only_the_needed_files_of_the_swagger_distribution_are_served(dev: Harness) -> None:
    for name in ("index.html", "swagger-initializer.js", "..%2F__init__.py", "swagger-ui-bundle.js.map"):
        assert dev.client.get(f"/static/swagger-ui/{name}").status_code == 404, name


def test_development_serves_the_schema_openly_and_no_redoc(dev: Harness) -> None:
    schema = dev.client.get("/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/dossiers" in schema.json()["paths"]
    assert not {"/docs", "/openapi.json"} & set(schema.json()["paths"])
    assert dev.client.get("/redoc").status_code == 404


def test_production_sends_a_visitor_of_the_docs_to_the_login_page(prod: Harness) -> None:
    response = prod.client.get("/docs", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/dang-nhap?next=/docs"
    schema = prod.client.get("/openapi.json")
    assert schema.status_code == 401 and schema.json()["error"]["code"] == "AUTH-REQUIRED"
    bad_token = prod.client.get("/openapi.json", headers={"Authorization": "Bearer arch_khong-dung"})
    assert bad_token.status_code == 401
    assert prod.client.get("/static/swagger-ui/swagger-ui.css").status_code == 200  # public library code


def test_production_shows_the_docs_and_schema_to_a_logged_in_user_or_a_token(prod: Harness) -> None:
    set_password(prod.services, "doc")
    client = TestClient(prod.client.app, base_url="https://testserver")  # the Secure cookie needs HTTPS
    login = client.get("/dang-nhap?next=/docs")
    response = client.post(
        "/dang-nhap",
        data={"username": "doc", "password": PASSWORD, "csrf_token": csrf_of(login.text), "next": "/docs"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/docs"
    assert client.get("/docs").status_code == 200
    assert "/api/v1/dossiers" in client.get("/openapi.json").json()["paths"]
    by_token = prod.client.get("/openapi.json", headers=prod.reader.headers)
    assert by_token.status_code == 200 and "/api/v1/dossiers" in by_token.json()["paths"]
