"""The cluster's job figures, read from the catalog at each scrape: counters from ``job_tallies``, the backlog and
the age of the oldest waiting job from ``jobs``.

A few grouped queries on indexed columns per scrape (``job_tallies`` is a row per kind and outcome; the backlog
groups the queued and running jobs only, done ones excluded by the ``state`` index). Every known kind is reported,
zero included, so that a rate or an alert has its series from the first scrape. A catalog that does not answer
leaves the job figures out of that scrape and says so in ``archive_metrics_catalog_up``: the request figures are
still served.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Job, JobKind, JobOutcome, JobState, JobTally
from archive_service.jobs.queue import WHOLE_DOCUMENT_OCR_PAGES
from archive_service.jobs.service import oldest_queued_s
from archive_service.services import Services

log = logging.getLogger(__name__)

BACKLOG_STATES: Final = (JobState.QUEUED.value, JobState.RUNNING.value)


@dataclass(frozen=True)
class JobFigures:
    """What one scrape reads: outcomes counted ever, jobs waiting and running now, the oldest one's wait."""

    tallies: dict[tuple[str, str], int]  # (kind, outcome) → jobs
    backlog: dict[tuple[str, str], int]  # (kind, state) → jobs
    oldest_queued_s: float | None


def read_figures(services: Services) -> JobFigures:
    """The job figures of the whole cluster, as the catalog holds them now (one transaction)."""
    with transaction(services.factory) as session:
        tallies = {
            (kind, outcome): int(count)
            for kind, outcome, count in session.execute(select(JobTally.kind, JobTally.outcome, JobTally.count))
        }
        backlog = {
            (kind, state): int(count)
            for kind, state, count in session.execute(
                select(Job.kind, Job.state, func.count())
                .where(Job.state.in_(BACKLOG_STATES))
                .group_by(Job.kind, Job.state)
            )
        }
        oldest = oldest_queued_s(session, datetime.now(UTC))
    return JobFigures(tallies=tallies, backlog=backlog, oldest_queued_s=oldest)


def _kinds(*seen: dict[tuple[str, str], int]) -> list[str]:
    """Every kind this version knows, and any other the catalog holds (a newer worker's)."""
    kinds = {k.value for k in JobKind} | {kind for figures in seen for kind, _ in figures}
    return sorted(kinds - {WHOLE_DOCUMENT_OCR_PAGES})


class CatalogCollector:
    """Job counters and gauges for a scrape, read from the catalog when the scrape asks."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Metric]:
        try:
            figures = read_figures(self.services)
        except SQLAlchemyError as exc:
            log.warning("metrics: the catalog did not answer (%s): job figures left out", type(exc).__name__)
            yield GaugeMetricFamily("archive_metrics_catalog_up", _UP_HELP, value=0)
            return
        yield GaugeMetricFamily("archive_metrics_catalog_up", _UP_HELP, value=1)
        kinds = _kinds(figures.tallies, figures.backlog)
        jobs = CounterMetricFamily(
            "archive_jobs",
            "Jobs whose attempt ended, cluster-wide: done, retry (to be tried again), failed (given up)",
            labels=["kind", "outcome"],
        )
        for kind in kinds:
            for outcome in JobOutcome:
                jobs.add_metric([kind, outcome.value], figures.tallies.get((kind, outcome.value), 0))
        yield jobs
        yield CounterMetricFamily(
            "archive_ocr_pages",
            "Scanned pages recognised, cluster-wide: OCR page jobs done and pages a whole-document reading recognised",
            value=figures.tallies.get((JobKind.OCR_PAGE.value, JobOutcome.DONE.value), 0)
            + figures.tallies.get((WHOLE_DOCUMENT_OCR_PAGES, JobOutcome.DONE.value), 0),
        )
        backlog = GaugeMetricFamily(
            "archive_jobs_backlog",
            "Jobs waiting (queued, retries included) and running now, cluster-wide",
            labels=["kind", "state"],
        )
        for kind in kinds:
            for state in BACKLOG_STATES:
                backlog.add_metric([kind, state], figures.backlog.get((kind, state), 0))
        yield backlog
        yield GaugeMetricFamily(
            "archive_jobs_oldest_queued_seconds",
            "How long the oldest queued job has been waiting since it was queued (0: none waiting)",
            value=figures.oldest_queued_s or 0.0,
        )


_UP_HELP: Final = "1 when the catalog answered this scrape's job queries, 0 when it did not"
