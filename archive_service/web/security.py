"""Response headers of every answer, web page or API: own origin only, never cached, HTTPS in production.

A plain ASGI middleware: it only touches the response start, so request bodies (uploads) stream
through untouched, without the per-chunk relay of Starlette's BaseHTTPMiddleware. It wraps the
whole app, so /api, /web-api, the docs and the error answers get the same headers as the pages.
"""

from __future__ import annotations

from typing import Final

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# One year, subdomains too: once a browser has seen the office's HTTPS site it never tries plain HTTP.
HSTS: Final = "max-age=31536000; includeSubDomains"
# The application's own code and style, the same for every user: the only answers worth caching.
CACHEABLE_PREFIX: Final = "/static/"


class SecurityHeaders:
    """Adds nosniff, referrer, CSP and framing rules; no-store to everything but /static; HSTS in production."""

    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", CSP)
                    headers.setdefault("X-Frame-Options", "DENY")
                if not path.startswith(CACHEABLE_PREFIX):
                    # Originals of secret documents, reports, search results, errors: none may stay in
                    # a shared cache, a proxy or the browser's history. Set, not defaulted: no route
                    # may loosen it.
                    headers["Cache-Control"] = "no-store"
                if self.production:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_security_headers(app: FastAPI) -> None:
    """Wrap ``app`` (whose ``state.services`` is already set) in the headers of its environment."""
    app.add_middleware(SecurityHeaders, production=app.state.services.settings.production)
