"""Reading ``/metrics`` in the tests: a scrape from the machine itself, its samples by name and labels."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

LOOPBACK = ("127.0.0.1", 50000)  # TestClient's peer is "testclient" unless told: not this machine


def scrape(app: FastAPI, **headers: str) -> str:
    """The exposition as the machine's own Prometheus reads it (no lifespan: no worker threads)."""
    response = TestClient(app, client=LOOPBACK).get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    return str(response.text)


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of the sample ``name`` with exactly ``labels``; None when the exposition has none."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return None


def count(text: str, name: str, **labels: str) -> float:
    """A counter's value, 0 before its first count (a labelled series appears with its first request)."""
    return sample(text, name, **labels) or 0.0


def changes(before: str, after: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """Every series of ``name`` that moved between two scrapes, by its sorted labels: how much it moved."""

    def series(text: str) -> dict[tuple[tuple[str, str], ...], float]:
        return {
            tuple(sorted(found.labels.items())): float(found.value)
            for family in text_string_to_metric_families(text)
            for found in family.samples
            if found.name == name
        }

    old, new = series(before), series(after)
    return {labels: value - old.get(labels, 0.0) for labels, value in new.items() if value != old.get(labels, 0.0)}
