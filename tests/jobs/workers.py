"""What the worker tests share: a catalog of their own, jobs queued through the use cases' ``enqueue``, and
``archive-service worker`` processes run on it with short leases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Dossier, Job, JobKind, Role, User
from archive_service.config import Settings
from archive_service.jobs.enqueue import enqueue
from archive_service.services import Services, open_services
from tests.backends import drop_postgres_schema, fresh_postgres, postgres_url

WAIT_S = 180.0  # the longest any test waits for workers (a bound against hanging on a busy machine, not a speed goal)


def catalog(kind: str, tmp_path: Path, **overrides: object) -> Iterator[Services]:
    """Services on SQLite (``embedded``) or a fresh PostgreSQL schema (``postgresql``); blobs and FTS5 in
    ``tmp_path/data``, which the worker processes share."""
    values: dict[str, object] = {"data_dir": tmp_path / "data", "workers": 0, "page_images": False}
    if kind == "postgresql":
        values["database_url"] = fresh_postgres(postgres_url())
    values.update(overrides)
    services = open_services(Settings(**values))  # type: ignore[arg-type]
    try:
        yield services
    finally:
        services.close()
        if kind == "postgresql":
            drop_postgres_schema(str(values["database_url"]))


def _archivist(session: Session) -> User:
    """The archivist of office VPTU who makes the tests' dossiers (created the first time)."""
    user = session.scalar(select(User).where(User.username == "vanthu"))
    if user is None:
        office = accounts.get_or_create_office(session, code="VPTU")
        user = accounts.create_user(session, username="vanthu", role=Role.ARCHIVIST, office=office)
        session.flush()
    return user


def _dossier(user: User, title: str) -> Dossier:
    return Dossier(office_id=user.office_id, title=title, meeting_body="BTV", created_by=user.id)


def dossiers_to_check(services: Services, count: int) -> list[int]:
    """``count`` meeting dossiers, each with a CHECK_DOSSIER job queued; returns the jobs' ids."""
    with transaction(services.factory) as session:
        user = _archivist(session)
        rows = [_dossier(user, f"Hội nghị lần thứ {i}") for i in range(count)]
        session.add_all(rows)
        session.flush()
        jobs = [enqueue(session, JobKind.CHECK_DOSSIER, dossier_id=d.id) for d in rows]
        session.flush()
        return [j.id for j in jobs]


def scanned_pdf(path: Path, pages: int) -> Path:
    """An image-only PDF of ``pages`` pages of printed lines: work for the OCR (a few seconds)."""
    font = ImageFont.load_default(size=36)
    images = []
    for p in range(pages):
        image = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(image)
        for line in range(30):
            draw.text(
                (150, 150 + line * 70), f"Trang {p + 1} dong {line + 1}: bien ban hoi nghi ban thuong vu", font=font
            )
        images.append(image.convert("RGB"))
    images[0].save(path, save_all=True, append_images=images[1:], resolution=200.0)
    return path


def ingest_scan(services: Services, tmp_path: Path, pages: int) -> int:
    """A scanned PDF taken in by the bulk intake use case; returns its PROCESS_DOCUMENT job's id."""
    from archive_service.documents.ingest import ingest_paths

    with transaction(services.factory) as session:
        dossier = _dossier(_archivist(session), "Hồ sơ quét")
        session.add(dossier)
        session.flush()
        dossier_id = dossier.id
    ingest_paths(services, [scanned_pdf(tmp_path / "scan.pdf", pages)], dossier_id=dossier_id, username="vanthu")
    with transaction(services.factory) as session:
        return int(session.scalars(select(Job.id).where(Job.kind == JobKind.PROCESS_DOCUMENT)).one())


@dataclass
class Worker:
    """One ``archive-service worker`` process; its log in a file (read while it runs)."""

    process: subprocess.Popen[bytes]
    log: Path
    pid: int = field(init=False)

    def __post_init__(self) -> None:
        self.pid = self.process.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def signal(self, signum: signal.Signals) -> None:
        self.process.send_signal(signum)

    def wait(self, timeout: float = WAIT_S) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start_worker(services: Services, log: Path, *args: str, **settings: object) -> Worker:
    """``archive-service worker ARGS`` on ``services``' catalog and data folder, with ``settings`` as ARCHIVE_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_") or k.startswith("ARCHIVE_TEST_")}
    env["ARCHIVE_DATA_DIR"] = str(services.settings.data_dir)
    env["ARCHIVE_DATABASE_URL"] = services.settings.resolved_database_url
    env["ARCHIVE_PAGE_IMAGES"] = "false"
    env.update({f"ARCHIVE_{k.upper()}": str(v) for k, v in settings.items()})
    command = [sys.executable, "-c", "from archive_service.cli import app; app()", "worker", *args]
    out = log.open("wb")
    process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    out.close()
    return Worker(process=process, log=log)


def wait_for(what: Callable[[], bool], timeout: float = WAIT_S, step: float = 0.05) -> bool:
    """Poll ``what`` until true or ``timeout``; returns its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return True
        time.sleep(step)
    return what()


def job(services: Services, job_id: int) -> Job:
    with transaction(services.factory) as session:
        row = session.get(Job, job_id)
        assert row is not None
        session.expunge(row)
        return row
