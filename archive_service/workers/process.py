"""A worker process (``archive-service worker``): the job pool on its own, stopped cleanly by a signal.

Any number run, on any machine that shares the catalog, the blob store and the search index. SIGTERM or SIGINT
lets each thread finish the job it holds, then the process exits 0 (what a deployment's stop or a rolling
restart sends); a second signal exits at once, the jobs in hand then freed by the next start on this machine or
after their lease elsewhere.
"""

from __future__ import annotations

import logging
import os
import signal
from types import FrameType

from archive_service.jobs.queue import identity
from archive_service.services import Services
from archive_service.workers.jobs import WorkerPool

log = logging.getLogger(__name__)


def run_worker(services: Services, *, threads: int, exit_when_idle: bool) -> int:
    """Work jobs until a signal (or, with ``exit_when_idle``, until none is left); returns the exit code."""
    pool = WorkerPool(services, threads=threads, exit_when_idle=exit_when_idle)
    signals = {"count": 0}

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        signals["count"] += 1
        if signals["count"] > 1:
            log.warning("second signal %s: exiting at once", signal.Signals(signum).name)
            os._exit(128 + signum)
        log.info("signal %s: finishing the jobs in hand, then exiting", signal.Signals(signum).name)
        pool.request_stop()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    pool.start()  # listening before it says so: a job queued after this line wakes it
    log.info(
        "worker %s started: %d thread(s), %s, catalog %s",
        identity(),
        threads,
        "woken by notifications" if pool.notified else f"polling every {pool.poll_s:g} s",
        services.engine.url.render_as_string(hide_password=True),
    )
    while pool.running():
        pass
    pool.stop()
    log.info("worker %s stopped", identity())
    return 0
