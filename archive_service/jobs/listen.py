"""Waking workers when a job is queued: PostgreSQL's LISTEN on ``enqueue.CHANNEL``.

A job's INSERT sends ``NOTIFY archive_jobs`` (a trigger on ``jobs``, see ``enqueue``); a worker on any machine that
listens wakes when it commits, instead of polling the table every few seconds. The listening connection is its
own (psycopg, autocommit), kept open between waits so that a notification sent while the worker was busy is
delivered at its next wait. A lost connection is reported as a wake-up (the caller looks for work, nothing is
missed) and reopened at the next wait.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Final

import psycopg
from sqlalchemy.engine import make_url

from archive_service.jobs.enqueue import CHANNEL

log = logging.getLogger(__name__)

RECONNECT_PAUSE_S: Final = 2.0  # after a failed connection, before the caller looks for work again


def listens(database_url: str) -> bool:
    """Whether the catalog at this URL can notify its workers (PostgreSQL; SQLite cannot)."""
    return make_url(database_url).get_backend_name() == "postgresql"


def conninfo(database_url: str) -> str:
    """The libpq URI for a SQLAlchemy PostgreSQL URL (its driver suffix dropped, options such as search_path kept)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class Listener:
    """A LISTEN connection to the catalog; ``wait`` returns when a job was queued or the timeout ran out."""

    def __init__(self, database_url: str) -> None:
        self._conninfo = conninfo(database_url)
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    def _connect(self) -> psycopg.Connection[tuple[object, ...]]:
        if self._conn is None or self._conn.closed:
            conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10)
            conn.execute(f"LISTEN {CHANNEL}")
            self._conn = conn
        return self._conn

    def open(self) -> None:
        """Start listening now: jobs queued from here on are noticed even if the first wait comes later."""
        try:
            self._connect()
        except psycopg.Error as exc:
            log.warning("cannot listen for new jobs (polling until the catalog answers): %s", exc)

    def wait(self, timeout: float) -> bool:
        """True when notified (or the connection was lost: look anyway), False when ``timeout`` ran out."""
        try:
            conn = self._connect()
            for _ in conn.notifies(timeout=timeout, stop_after=1):
                return True
            return False
        except psycopg.Error as exc:
            log.warning("job notifications lost, reconnecting: %s", exc)
            self.close()
            time.sleep(min(RECONNECT_PAUSE_S, timeout))
            return True

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):  # a connection already gone
                self._conn.close()
            self._conn = None
