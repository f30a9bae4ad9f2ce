"""The heartbeat of a running job: its lease renewed every quarter of ``job_lease_s`` while it works.

A long OCR or index rebuild must never be taken by another worker while its holder lives, and a dead holder's
job must be taken again soon: so the lease is short and a background thread renews it. The thread stops with
the job; a catalog that does not answer for a moment is logged and tried again at the next beat.
"""

from __future__ import annotations

import logging
import threading

from archive_service.catalog.models import Job
from archive_service.jobs import queue
from archive_service.services import Services

log = logging.getLogger(__name__)


class Heartbeat:
    """``start`` before running the job, ``stop`` after: the job's ``heartbeat_at`` is renewed in between."""

    def __init__(self, services: Services, job: Job) -> None:
        self.services = services
        self.job = job
        self.every_s = services.settings.job_lease_s / 4
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job.id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """End the beats (at once: the thread waits on the stop event); safe to call twice."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                if not queue.heartbeat(self.services, self.job):
                    log.warning("job %s is no longer held by %s: its lease ran out", self.job.id, self.job.worker)
                    return
            except Exception:  # noqa: BLE001 - a catalog outage: the next beat tries again
                log.exception("heartbeat of job %s not recorded", self.job.id)
