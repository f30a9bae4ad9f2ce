"""bench/transfer: the records' life at volume — closing dossiers, and a transfer bag out and into another instance,
each beside the part alone doing the same work in the same run.

    python bench/transfer.py [--dossiers 10] [--documents 20] [--kb 64]

On the embedded backends (SQLite, a folder, FTS5) in a temporary folder:
- closing: ``close_dossier`` per dossier (checklist, the chứng từ kết thúc and the mục lục văn bản as PDF and DOCX,
  stored and locked) — against rendering the same two sheets alone (``sheet_pdf`` + ``sheet_docx``);
- export: ``export_transfer`` of every dossier (access and state checks, originals copied out of the blob store with
  their SHA-256 checked, ho-so.xml, two PDFs, a BagIt bag with SHA-256 manifests) — against ``bagit.make_bag`` over
  a plain copy of the same originals;
- import: ``import_bag`` into a second instance (verify, store, catalog rows, receipt) — against ``bagit`` validate.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bagit  # noqa: E402
from sqlalchemy import select  # noqa: E402

from archive_service.catalog import accounts  # noqa: E402
from archive_service.catalog.access import Principal  # noqa: E402
from archive_service.catalog.db import transaction  # noqa: E402
from archive_service.catalog.models import Document, Dossier, Role  # noqa: E402
from archive_service.config import Settings  # noqa: E402
from archive_service.documents.ingest import ingest_paths  # noqa: E402
from archive_service.records import service as records  # noqa: E402
from archive_service.records.closing_sheets import SheetContext, closing_record, document_index  # noqa: E402
from archive_service.records.sheet_docx import sheet_docx  # noqa: E402
from archive_service.records.sheet_pdf import sheet_pdf  # noqa: E402
from archive_service.services import Services, open_services  # noqa: E402
from archive_service.transfers import service as transfers  # noqa: E402
from archive_service.workers.jobs import run_pending_jobs  # noqa: E402
from tests.samples import tiny_pdf  # noqa: E402


def _instance(root: Path) -> tuple[Services, Principal]:
    services = open_services(Settings(data_dir=root, workers=0, page_images=False))  # type: ignore[call-arg]
    with transaction(services.factory) as session:
        office = accounts.get_or_create_office(session, code="VPTU", name="Văn phòng Tỉnh ủy Thanh Hóa")
        user = accounts.create_user(session, username="vanthu", role=Role.ARCHIVIST, office=office)
        return services, accounts.principal_of(user)


def _padded_pdf(text: str, kb: int) -> bytes:
    """A valid PDF of about ``kb`` KiB: the page, then a comment of filler after %%EOF (readers ignore it)."""
    body = tiny_pdf(text)
    return body + b"\n%" + b"0" * max(0, kb * 1024 - len(body)) + b"\n"


def _dossiers(services: Services, principal: Principal, work: Path, count: int, docs: int, kb: int) -> list[int]:
    from archive_service.dossiers import service as dossiers
    from schemas.api import DossierCreate

    ids: list[int] = []
    for d in range(count):
        made = dossiers.create(
            services,
            principal,
            DossierCreate(title=f"Hồ sơ hội nghị số {d + 1:02d}", meeting_body="BTV", file_code=f"{d + 1:02d}.VPTU"),
            addr="bench",
        )
        folder = work / f"d{d}"
        folder.mkdir(parents=True)
        paths = []
        for i in range(docs):
            path = folder / f"van-ban-{i:03d}.pdf"
            path.write_bytes(_padded_pdf(f"Van ban {d}-{i} cua ho so", kb))
            paths.append(path)
        ingest_paths(services, paths, dossier_id=made.id, username=principal.username)
        ids.append(made.id)
    run_pending_jobs(services)
    return ids


def _sheets_alone(services: Services, ids: list[int]) -> float:
    """The two closing sheets of each dossier rendered, nothing else (the part alone)."""
    with transaction(services.factory) as session:
        work = [
            (session.get(Dossier, i), list(session.scalars(select(Document).where(Document.dossier_id == i))))
            for i in ids
        ]
        ctx = SheetContext(
            office_name="Văn phòng Tỉnh ủy Thanh Hóa", former_name="Nguyễn Thị Lan", closed_on=date.today()
        )
        started = time.perf_counter()
        for dossier, docs in work:
            assert dossier is not None
            for sheet in (document_index(dossier, docs, ctx), closing_record(dossier, docs, ctx, has_index=True)):
                sheet_pdf(sheet)
                sheet_docx(sheet)
        return time.perf_counter() - started


def _raw_bag(services: Services, ids: list[int], out: Path) -> float:
    """The originals copied out of the blob store and bagged with SHA-256 manifests: the part alone."""
    with transaction(services.factory) as session:
        rows = list(session.execute(select(Document.storage_key, Document.sha256).where(Document.dossier_id.in_(ids))))
    started = time.perf_counter()
    data = out / "raw-bag"
    data.mkdir(parents=True)
    for key, sha in rows:
        services.blobs.fetch(key, data / sha, sha256=sha)
    bagit.make_bag(str(data), checksums=["sha256"])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=10)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--kb", type=int, default=64)
    args = parser.parse_args()
    umask = os.umask(0o077)
    with tempfile.TemporaryDirectory(prefix="bench-transfer-") as tmp:
        root = Path(tmp)
        sender, archivist = _instance(root / "sender")
        ids = _dossiers(sender, archivist, root / "files", args.dossiers, args.documents, args.kb)
        total_docs = args.dossiers * args.documents

        alone = _sheets_alone(sender, ids)
        started = time.perf_counter()
        for dossier_id in ids:
            records.close_dossier(sender, archivist, dossier_id, retention="vinh-vien", take_out=None, addr="bench")
        closing = time.perf_counter() - started

        raw = _raw_bag(sender, ids, root / "raw")
        started = time.perf_counter()
        result = transfers.export_transfer(
            sender, archivist, ids, target="office-archive", out_dir=root / "bags", addr="bench"
        )
        export = time.perf_counter() - started

        receiver, keeper = _instance(root / "receiver")
        started = time.perf_counter()
        bagit.Bag(str(result.bag_path)).validate()
        validate = time.perf_counter() - started
        started = time.perf_counter()
        transfers.import_bag(receiver, keeper, result.bag_path, addr="bench")
        imported = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in result.bag_path.rglob("*") if p.is_file()) / 1e6
        sender.close()
        receiver.close()
        shutil.rmtree(root / "files", ignore_errors=True)
    os.umask(umask)

    print(f"{args.dossiers} dossiers × {args.documents} documents of {args.kb} KiB; bag {size_mb:.1f} MB")
    print("| what | ours | the part alone | ratio |")
    print("| --- | --- | --- | --- |")
    print(
        f"| closing (checklist, 4 files, lock) | {args.dossiers / closing:.2f} dossiers/s | "
        f"sheets rendered alone {args.dossiers / alone:.2f} dossiers/s | {alone / closing:.2f} |"
    )
    print(
        f"| transfer export (bag, XML, PDFs) | {total_docs / export:.0f} docs/s | "
        f"copy + bagit.make_bag {total_docs / raw:.0f} docs/s | {raw / export:.2f} |"
    )
    print(
        f"| transfer import (verify, store, catalog) | {total_docs / imported:.0f} docs/s | "
        f"bagit validate {total_docs / validate:.0f} docs/s | {validate / imported:.2f} |"
    )


if __name__ == "__main__":
    main()
