"""Requests are counted and timed by method, route template and status; no label ever carries what a request
named (a document id, a search, a file name): the service keeps secret documents."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.metrics import fresh_process
from tests.metrics.scrape import LOOPBACK, changes, sample

REQUESTS = "archive_http_requests_total"
DURATIONS = "archive_http_request_duration_seconds_count"


def _series(method: str, route: str, status: str | None = None) -> tuple[tuple[str, str], ...]:
    labels = {"method": method, "route": route} | ({"status": status} if status else {})
    return tuple(sorted(labels.items()))


SCRAPE = _series("GET", "/metrics", "200")  # the scrape before the requests counts itself


def test_requests_are_counted_by_route_template_never_by_what_they_named(tmp_path: Path) -> None:
    sent = [("GET", "/api/v1/documents/12345")] * 3 + [
        ("GET", "/api/v1/documents/12345/pages/67890.png"),
        ("GET", "/api/v1/search?q=nghiquyetmat"),
        ("GET", "/khong-co-trang-nay/55555.pdf"),
        ("GET", "/healthz"),
    ]
    counted = fresh_process.send(tmp_path, sent)
    assert counted["statuses"] == [401, 401, 401, 401, 401, 404, 200]  # no token: refused, still counted
    before, after = counted["before"], counted["after"]
    assert changes(before, after, REQUESTS) == {
        _series("GET", "/api/v1/documents/{document_id}", "401"): 3,
        _series("GET", "/api/v1/documents/{document_id}/pages/{number}.png", "401"): 1,
        _series("GET", "/api/v1/search", "401"): 1,
        _series("GET", "other", "404"): 1,
        _series("GET", "/healthz", "200"): 1,
        SCRAPE: 1,
    }
    assert changes(before, after, DURATIONS) == {
        _series("GET", "/api/v1/documents/{document_id}"): 3,
        _series("GET", "/api/v1/documents/{document_id}/pages/{number}.png"): 1,
        _series("GET", "/api/v1/search"): 1,
        _series("GET", "other"): 1,
        _series("GET", "/healthz"): 1,
        _series("GET", "/metrics"): 1,
    }
    for named in ("12345", "67890", "nghiquyetmat", "khong-co-trang-nay", "55555"):
        assert named not in after, f"{named!r} reached a label"


def test_an_unknown_method_is_one_label_not_one_series_per_word(tmp_path: Path) -> None:
    counted = fresh_process.send(tmp_path, [("BREWCOFFEE", "/healthz")])
    assert counted["statuses"] == [405]
    assert "BREWCOFFEE" not in counted["after"]
    assert changes(counted["before"], counted["after"], REQUESTS) == {_series("other", "/healthz", "405"): 1, SCRAPE: 1}


def test_the_scrape_is_prometheus_text(app: FastAPI) -> None:
    first = TestClient(app, client=LOOPBACK).get("/metrics")
    assert first.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "_created" not in first.text  # one series per counter, not two
    assert sample(first.text, "archive_metrics_catalog_up") == 1.0


def test_a_scrape_counts_itself_once_it_is_answered(tmp_path: Path) -> None:
    counted = fresh_process.send(tmp_path, [("GET", "/metrics")])
    assert counted["statuses"] == [200]
    assert changes(counted["before"], counted["after"], REQUESTS) == {SCRAPE: 2}  # the first scrape's, and this one's
