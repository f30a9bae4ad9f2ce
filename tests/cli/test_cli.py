"""The command line as an operator uses it: bulk ingest, verify and repair (accounts: tests/accounts/)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Dossier
from archive_service.cli import app
from archive_service.config import get_settings
from archive_service.services import Services, open_services
from archive_service.storage.base import key_for
from tests.samples import tiny_docx, tiny_pdf

runner = CliRunner()


def _services() -> Services:
    return open_services(get_settings())


def _dossier(services: Services) -> int:
    with transaction(services.factory) as s:
        office = accounts.get_or_create_office(s, code="VP")
        admin = accounts.get_user(s, "admin")
        d = Dossier(office_id=office.id, title="Hội nghị BCH lần thứ 5", meeting_body="BCH", created_by=admin.id)
        s.add(d)
        s.flush()
        return d.id


def _admin_and_office() -> None:
    assert runner.invoke(app, ["offices", "create", "VP", "--name", "Văn phòng"]).exit_code == 0
    created = runner.invoke(app, ["users", "create", "admin", "--role", "admin", "--office", "VP"])
    assert created.exit_code == 0, created.output


def test_ingest_imports_a_folder_tree_and_a_rerun_skips_what_is_in(env: Path) -> None:
    _admin_and_office()
    services = _services()
    dossier = _dossier(services)
    tree = env / "hoso"
    (tree / "phien-1").mkdir(parents=True)
    (tree / "bien-ban.pdf").write_bytes(tiny_pdf("bien ban"))
    (tree / "phien-1" / "ket-luan.docx").write_bytes(tiny_docx("Kết luận"))
    (tree / "phien-1" / "ghi-chu.txt").write_text("không phải văn bản")
    first = runner.invoke(app, ["ingest", str(tree), "--dossier", str(dossier), "--no-process"])
    assert "Đã nhập 2, bỏ qua 0 (đã có), từ chối 1 tệp." in first.output
    assert first.exit_code == 1  # one file refused
    second = runner.invoke(app, ["ingest", str(tree), "--dossier", str(dossier), "--no-process"])
    assert "Đã nhập 0, bỏ qua 2 (đã có), từ chối 1 tệp." in second.output


def test_verify_finds_a_missing_blob_and_repair_sweeps_an_orphan(env: Path) -> None:
    _admin_and_office()
    services = _services()
    dossier = _dossier(services)
    pdf = env / "a.pdf"
    pdf.write_bytes(tiny_pdf("verify"))
    runner.invoke(app, ["ingest", str(pdf), "--dossier", str(dossier), "--no-process"])
    clean = runner.invoke(app, ["verify", "--no-index"])
    assert clean.exit_code == 0 and "Không có sai lệch" in clean.output

    orphan = env / "orphan.bin"
    orphan.write_bytes(b"left behind by a failed commit")
    sha = hashlib.sha256(orphan.read_bytes()).hexdigest()
    services.blobs.put(orphan, sha256=sha, size=30, media_type="application/pdf", filename="o.pdf")
    found = runner.invoke(app, ["verify", "--no-index"])
    assert found.exit_code == 1 and key_for(sha) in found.output and "chưa xóa" in found.output
    young = runner.invoke(app, ["verify", "--no-index", "--repair"])
    assert services.blobs.stat(key_for(sha)) is not None, young.output  # younger than the grace period
    repaired = runner.invoke(app, ["verify", "--no-index", "--repair", "--grace-minutes", "0"])
    assert "đã xóa" in repaired.output
    assert services.blobs.stat(key_for(sha)) is None
    assert runner.invoke(app, ["verify", "--no-index"]).exit_code == 0

    pdf_sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    services.blobs.delete(key_for(pdf_sha))
    missing = runner.invoke(app, ["verify", "--no-index"])
    assert missing.exit_code == 1 and "THIẾU" in missing.output


def test_verify_reports_documents_missing_from_the_index_until_reindex(env: Path) -> None:
    _admin_and_office()
    services = _services()
    dossier = _dossier(services)
    pdf = env / "a.pdf"
    pdf.write_bytes(tiny_pdf("index"))
    runner.invoke(app, ["ingest", str(pdf), "--dossier", str(dossier), "--no-process"])
    before = runner.invoke(app, ["verify"])
    assert before.exit_code == 1 and "THIẾU TRONG CHỈ MỤC" in before.output and "reindex" in before.output
    done = runner.invoke(app, ["reindex"])
    assert done.exit_code == 0 and "Đã lập chỉ mục 1 văn bản." in done.output
    after = runner.invoke(app, ["verify"])
    assert after.exit_code == 0, after.output


def test_db_upgrade_migrates_the_configured_catalog(env: Path) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0 and "sqlite" in result.output
