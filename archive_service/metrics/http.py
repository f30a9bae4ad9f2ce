"""Request counters and durations, by method, route template and status: an ASGI middleware around the app.

A route's label is the template the router matched (``scope["route"].path``), read after the app answered, so
that a document id, a file name or a query string never becomes a label (the service keeps secret documents, and
every distinct label value is a new series Prometheus keeps). A path no route matched is ``other``; so is a
method outside HTTP's usual ones (a client may send any word there).
"""

from __future__ import annotations

import time
from typing import Final

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from starlette.types import ASGIApp, Message, Receive, Scope, Send

OTHER: Final = "other"
METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Uploads of large scans and report exports take tens of seconds; a page view a few milliseconds.
BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)

# No ``*_created`` series beside each counter: Prometheus does not need them and they double what it stores.
disable_created_metrics()  # type: ignore[no-untyped-call]

# The process's own figures when it is the only one; under multiprocess mode they are also written to its files.
REGISTRY: Final = CollectorRegistry()
REQUESTS: Final = Counter(
    "archive_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
    registry=REGISTRY,
)
DURATION: Final = Histogram(
    "archive_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template",
    ["method", "route"],
    buckets=BUCKETS,
    registry=REGISTRY,
)


def route_label(scope: Scope) -> str:
    """The template of the route that answered (``/ho-so/{dossier_id}``), or ``other`` when none matched."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path.startswith("/") else OTHER


def method_label(scope: Scope) -> str:
    method = str(scope.get("method", ""))
    return method if method in METHODS else OTHER


class RequestMetrics:
    """Count and time each HTTP request once its answer is sent (or the app failed: 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # the app raised before answering: the server's error handler answers 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            method, route = method_label(scope), route_label(scope)
            REQUESTS.labels(method=method, route=route, status=str(status)).inc()
            DURATION.labels(method=method, route=route).observe(time.perf_counter() - started)
