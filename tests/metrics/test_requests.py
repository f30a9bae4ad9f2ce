"""Requests are counted and timed by method, route template and status; no label ever carries what a request
named (a document id, a search, a file name): the service keeps secret documents."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.metrics.scrape import count, sample, scrape

REQUESTS = "archive_http_requests_total"
DURATIONS = "archive_http_request_duration_seconds_count"


def test_requests_are_counted_by_route_template_never_by_what_they_named(app: FastAPI) -> None:
    before = scrape(app)
    client = TestClient(app)
    for _ in range(3):
        assert client.get("/api/v1/documents/12345").status_code == 401  # no token: refused, still counted
    assert client.get("/api/v1/documents/12345/pages/67890.png").status_code == 401
    assert client.get("/api/v1/search", params={"q": "nghiquyetmat"}).status_code == 401
    assert client.get("/khong-co-trang-nay/55555.pdf").status_code == 404
    assert client.get("/healthz").status_code == 200
    after = scrape(app)

    template = {"method": "GET", "route": "/api/v1/documents/{document_id}"}
    assert count(after, REQUESTS, **template, status="401") == count(before, REQUESTS, **template, status="401") + 3
    assert count(after, DURATIONS, **template) == count(before, DURATIONS, **template) + 3
    pages = {"method": "GET", "route": "/api/v1/documents/{document_id}/pages/{number}.png", "status": "401"}
    assert count(after, REQUESTS, **pages) == count(before, REQUESTS, **pages) + 1, after
    other = {"method": "GET", "route": "other", "status": "404"}
    assert count(after, REQUESTS, **other) == count(before, REQUESTS, **other) + 1
    health = {"method": "GET", "route": "/healthz", "status": "200"}
    assert count(after, REQUESTS, **health) == count(before, REQUESTS, **health) + 1
    for named in ("12345", "67890", "nghiquyetmat", "khong-co-trang-nay", "55555"):
        assert named not in after, f"{named!r} reached a label"


def test_an_unknown_method_is_one_label_not_one_series_per_word(app: FastAPI) -> None:
    client = TestClient(app)
    before = scrape(app)
    assert client.request("BREWCOFFEE", "/healthz").status_code == 405
    after = scrape(app)
    assert "BREWCOFFEE" not in after
    other = {"method": "other", "route": "/healthz", "status": "405"}
    assert count(after, REQUESTS, **other) == count(before, REQUESTS, **other) + 1


def test_the_scrape_is_prometheus_text_and_counts_itself_afterwards(app: FastAPI) -> None:
    client = TestClient(app, client=("127.0.0.1", 50000))
    first = client.get("/metrics")
    assert first.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "_created" not in first.text  # one series per counter, not two
    second = client.get("/metrics").text
    own = {"method": "GET", "route": "/metrics", "status": "200"}
    assert count(second, REQUESTS, **own) == count(first.text, REQUESTS, **own) + 1
    assert sample(second, "archive_metrics_catalog_up") == 1.0
