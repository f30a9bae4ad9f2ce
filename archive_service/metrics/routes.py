"""``GET /metrics``: the Prometheus exposition, for the scraper only.

Who may read it: with ``ARCHIVE_METRICS_TOKEN`` set, whoever sends it as ``Authorization: Bearer …`` (compared in
constant time); without one, only the machine itself — a client whose socket peer is a loopback address and whose
request does not say it was forwarded (a reverse proxy on the same machine relays other people's requests from
127.0.0.1: they are refused, so that no proxy configuration can open the figures to the network). No session and
no audit event: a scrape every few seconds would bury the trail, and the figures name no document.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterator
from typing import Final

from fastapi import APIRouter, Request, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

from archive_service.edge.errors import error_response
from archive_service.metrics import http, multiproc
from archive_service.metrics.catalog import CatalogCollector
from archive_service.services import Services

router = APIRouter()

FORWARDING_HEADERS: Final = ("forwarded", "x-forwarded-for", "x-real-ip")


class _ThisProcess:
    """The request figures of this process alone (no multiprocess folder)."""

    def collect(self) -> Iterator[Metric]:
        yield from http.REGISTRY.collect()


def exposition(services: Services) -> bytes:
    """Every figure in Prometheus' text format: the machine's requests, the cluster's jobs."""
    registry = CollectorRegistry()
    folder = multiproc.current_folder()
    if folder is not None:  # every process of this machine, the ended ones included, summed
        MultiProcessCollector(registry, path=str(folder))  # type: ignore[no-untyped-call]
    else:
        registry.register(_ThisProcess())
    registry.register(CatalogCollector(services))
    return generate_latest(registry)


def is_loopback(host: str | None) -> bool:
    """Whether a socket peer's address is this machine's (127.0.0.0/8, ::1, or IPv4 loopback mapped in IPv6)."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return False  # a Unix socket's peer, or a name: not an address
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def refusal(request: Request, token: str) -> Response | None:
    """The answer to anyone but the scraper (None for the scraper): 401 without the right token when one is set,
    403 off the machine otherwise. Always the API's JSON error shape: the reader is a program, never a browser."""
    if token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return error_response(401, "AUTH-REQUIRED", "Cần mã truy cập số liệu giám sát (Authorization: Bearer …).")
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            return error_response(401, "AUTH-INVALID-TOKEN", "Mã truy cập số liệu giám sát không đúng.")
        return None
    peer = request.client.host if request.client else None
    forwarded = any(name in request.headers for name in FORWARDING_HEADERS)
    if forwarded or not is_loopback(peer):
        return error_response(
            403,
            "AUTH-FORBIDDEN",
            "Chưa đặt ARCHIVE_METRICS_TOKEN: /metrics chỉ trả lời chính máy chủ (127.0.0.1, ::1), không qua proxy.",
        )
    return None


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """The figures for Prometheus (read from the catalog in a worker thread: the queries block)."""
    services: Services = request.app.state.services
    refused = refusal(request, services.settings.metrics_token)
    if refused is not None:
        return refused
    # The classic text format (0.0.4), which every Prometheus reads; the names need none of 1.0.0's quoting.
    return Response(exposition(services), media_type=CONTENT_TYPE_PLAIN_0_0_4)
