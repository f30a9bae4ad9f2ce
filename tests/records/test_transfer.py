"""Nộp lưu: a closed dossier leaves as a BagIt bag that bagit validates, another instance receives it, and the
sender's dossiers move only when that instance's receipt for this very bag comes back (NĐ 30/2020 Điều 30–31)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import bagit
import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import select
from typer.testing import CliRunner

from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Dossier, Role, Transfer
from archive_service.cli import app as cli_app
from archive_service.config import get_settings
from archive_service.records import service as records
from archive_service.transfers.bag import verify_bag
from archive_service.transfers.metadata_xml import split_code_number
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Actor, Harness, add_user, build_harness, make_settings
from tests.corpus.generator import DocSpec, write_docx
from tests.samples import tiny_pdf

TRANSFERS = "/api/v1/transfers"


@pytest.mark.parametrize(
    ("text", "number", "notation"),
    [
        ("981-QĐ/TU", "981", "QĐ/TU"),
        ("Số 981-QĐ/TU", "981", "QĐ/TU"),
        ("Số: 05-HD/VPTW", "05", "HD/VPTW"),
        ("12/NQ-CP", "12", "NQ-CP"),
        ("Số: 12/NQ-CP", "12", "NQ-CP"),
        ("CV", None, "CV"),
        (None, None, None),
    ],
)
def test_so_ky_hieu_splits_into_code_number_and_code_notation(
    text: str | None, number: str | None, notation: str | None
) -> None:
    assert split_code_number(text) == (number, notation)


def _principal(h: Harness, username: str) -> Principal:
    with transaction(h.services.factory) as session:
        return accounts.principal_of(accounts.get_user(session, username))


def _dossier_with_files(h: Harness, tmp_path: Path, *, retention: str, file_code: str, seed: str) -> int:
    dossier_id = h.new_dossier(
        title=f"Hội nghị Ban Thường vụ Tỉnh ủy {seed}",
        meeting_date="2024-03-05",
        retention=retention,
        file_code=file_code,
        former_name="Nguyễn Thị Lan",
    )
    files: list[tuple[str, tuple[str, bytes, str]]] = [
        ("files", (f"Biên bản {seed}.pdf", tiny_pdf(f"Bien ban {seed}"), "application/pdf"))
    ]
    if retention == "vinh-vien":
        docx = tmp_path / f"qd-{seed}.docx"
        write_docx(
            DocSpec(
                key=f"qd-{seed}",
                number="981",
                type_code="QĐ",
                document_type="QUYẾT ĐỊNH",
                summary=f"về việc thành lập tổ công tác {seed}",
                signing_form_lines=("T/M BAN THƯỜNG VỤ",),
            ),
            docx,
        )
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        files.append(("files", (f"Quyết định 981 {seed}.docx", docx.read_bytes(), mime)))
    response = h.client.post(f"/api/v1/dossiers/{dossier_id}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code in (200, 201), response.text
    run_pending_jobs(h.services)
    return dossier_id


def _close(h: Harness, dossier_id: int, retention: str) -> None:
    """Close through the closing use case (helper C's), as the archivist."""
    records.close_dossier(
        h.services, _principal(h, "vanthu"), dossier_id, retention=retention, take_out=None, addr="test"
    )
    run_pending_jobs(h.services)


def _closed(h: Harness, tmp_path: Path, *, retention: str = "vinh-vien", code: str = "01.VPTU", seed: str = "a") -> int:
    dossier_id = _dossier_with_files(h, tmp_path, retention=retention, file_code=code, seed=seed)
    _close(h, dossier_id, retention)
    return dossier_id


def _state(h: Harness, dossier_id: int) -> str:
    with transaction(h.services.factory) as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        return dossier.state


def _export(h: Harness, actor: Actor, ids: list[int], target: str = "office-archive") -> tuple[int, dict[str, object]]:
    response = h.client.post(TRANSFERS, json={"dossier_ids": ids, "target": target}, headers=actor.headers)
    return response.status_code, response.json()


@pytest.fixture
def second(harness: Harness, backend_kind: str, tmp_path: Path) -> Iterator[Harness]:
    """Another instance (its own catalog, blob store and index): the receiving archive."""
    made = build_harness(make_settings(backend_kind, tmp_path / "second"))
    yield next(made)
    next(made, None)


def _sha256s(h: Harness) -> set[str]:
    with transaction(h.services.factory) as session:
        return set(session.scalars(select(Document.sha256)))


def test_a_closed_dossier_travels_as_a_valid_bag_to_another_instance_and_moves_on_its_receipt(
    harness: Harness, second: Harness, tmp_path: Path
) -> None:
    dossier_id = _closed(harness, tmp_path)
    status, body = _export(harness, harness.archivist, [dossier_id])
    assert status == 201, body
    bag_path = Path(str(body["bag_path"]))
    assert body["state"] == "sent" and _state(harness, dossier_id) == "closed"  # not moved on export

    bag = bagit.Bag(str(bag_path))
    bag.validate(fast=False)
    assert bag.info["External-Identifier"] == str(body["id"])
    assert "sha256" in bag.algorithms
    root = etree.fromstring((bag_path / "data/metadata/ho-so.xml").read_bytes())
    file_code = root.findtext("HoSo/FileCode")
    assert file_code == "VPTU.2024.01.VPTU"
    assert body["file_codes"] == [file_code]
    notations = {(v.findtext("CodeNumber"), v.findtext("CodeNotation")) for v in root.iter("VanBan")}
    assert ("981", "QĐ/TU") in notations
    assert root.findtext("HoSo/Maintenance") == "Vĩnh viễn"
    assert root.findtext("HoSo/DocTotal") == "2"
    for name in ("muc-luc-ho-so-nop-luu.pdf", "bien-ban-giao-nhan.pdf"):
        pdf = pdfium.PdfDocument(str(bag_path / "data" / name))
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        assert "01.VPTU" in text, name
    assert any(p.name.endswith(".pdf") for p in (bag_path / "data/record-files").rglob("*"))  # its chứng từ kết thúc

    with transaction(second.services.factory) as session:
        receiver = accounts.principal_of(accounts.get_user(session, "admin"))
    from archive_service.transfers import service as transfers

    result = transfers.import_bag(second.services, receiver, bag_path, addr="test")
    receipt = result.receipt
    assert receipt["bag_digest"] == body["bag_digest"] and receipt["file_codes"] == [file_code]
    assert result.receipt_path is not None and json.loads(result.receipt_path.read_text("utf-8")) == receipt
    with transaction(second.services.factory) as session:
        received = session.scalars(select(Dossier)).one()
        assert (received.state, received.file_code, received.retention) == ("office-archive", "01.VPTU", "vinh-vien")
    assert _sha256s(second) == _sha256s(harness)
    with pytest.raises(Exception) as twice:
        transfers.import_bag(second.services, receiver, bag_path, addr="test")
    assert getattr(twice.value, "code", None) == "TRANSFER-ALREADY-IMPORTED"

    wrong = {**receipt, "bag_digest": "0" * 64}
    refused = harness.client.post(f"{TRANSFERS}/{body['id']}/confirm", json=wrong, headers=harness.archivist.headers)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "TRANSFER-RECEIPT-MISMATCH"
    assert _state(harness, dossier_id) == "closed"
    by_reader = harness.client.post(f"{TRANSFERS}/{body['id']}/confirm", json=receipt, headers=harness.reader.headers)
    assert by_reader.status_code == 403
    confirmed = harness.client.post(
        f"{TRANSFERS}/{body['id']}/confirm", json=receipt, headers=harness.archivist.headers
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "confirmed"
    assert _state(harness, dossier_id) == "office-archive"
    again = harness.client.post(f"{TRANSFERS}/{body['id']}/confirm", json=receipt, headers=harness.archivist.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "TRANSFER-STATE-INVALID"


def test_a_byte_flipped_in_the_bag_fails_verify_naming_the_file_and_cannot_be_imported(
    harness: Harness, tmp_path: Path
) -> None:
    dossier_id = _closed(harness, tmp_path)
    status, body = _export(harness, harness.archivist, [dossier_id])
    assert status == 201, body
    bag_path = Path(str(body["bag_path"]))
    assert verify_bag(bag_path).valid
    victim = sorted((bag_path / "data/originals").rglob("*.pdf"))[0]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    report = verify_bag(bag_path)
    assert not report.valid
    name = victim.relative_to(bag_path).as_posix()
    assert any(name in p and "SHA-256" in p for p in report.problems), report.problems

    # The same through the API's ZIP import: refused with the problem, nothing received.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in bag_path.rglob("*"):
            if p.is_file():
                zf.write(p, arcname=f"{bag_path.name}/{p.relative_to(bag_path).as_posix()}")
    sent = harness.client.post(
        f"{TRANSFERS}/import",
        files={"file": ("goi.zip", buf.getvalue(), "application/zip")},
        headers=harness.other_archivist.headers,
    )
    assert sent.status_code == 422 and sent.json()["error"]["code"] == "TRANSFER-BAG-INVALID"
    assert name in sent.json()["error"]["message"]


def test_who_may_send_what_where(harness: Harness, tmp_path: Path) -> None:
    permanent = _closed(harness, tmp_path)
    auditor = add_user(harness.services, "kiemtra", Role.AUDITOR, "VPTU", clearance=3)
    for actor in (harness.reader, auditor):
        status, body = _export(harness, actor, [permanent])
        assert status == 403, (actor.username, body)
    status, body = _export(harness, harness.other_archivist, [permanent])
    assert status == 404 and body["error"]["code"] == "DOSSIER-NOT-FOUND"

    still_open = harness.new_dossier(title="Hội nghị chưa kết thúc")
    status, body = _export(harness, harness.archivist, [still_open])
    assert status == 409 and body["error"]["code"] == "DOSSIER-STATE-INVALID"

    short = _dossier_with_files(harness, tmp_path, retention="5-nam", file_code="02.VPTU", seed="b")
    _close(harness, short, "2-nam")  # kept 2 years: stays with the unit until it expires
    status, body = _export(harness, harness.archivist, [short])
    assert status == 409 and body["error"]["code"] == "TRANSFER-RETENTION-SHORT"

    status, body = _export(harness, harness.archivist, [permanent], target="historical-archive")
    assert status == 409 and body["error"]["code"] == "DOSSIER-STATE-INVALID"  # the office archive comes first

    with transaction(harness.services.factory) as session:
        doc = session.scalars(select(Document).where(Document.dossier_id == permanent)).first()
        assert doc is not None
        doc.secrecy_level = 2
    status, body = _export(harness, harness.archivist, [permanent])  # clearance 0: may not carry a Tối mật one
    assert status == 404 and body["error"]["code"] == "TRANSFER-NOT-CLEARED"
    status, body = _export(harness, harness.admin, [permanent])  # cleared: carries everything
    assert status == 201, body
    with transaction(harness.services.factory) as session:
        assert session.scalars(select(Transfer)).one().state == "sent"

    listed = harness.client.get(TRANSFERS, headers=harness.other_archivist.headers).json()["items"]
    assert listed == []
    assert harness.client.get(f"{TRANSFERS}/{body['id']}", headers=harness.other_archivist.headers).status_code == 404
    assert harness.client.get(f"{TRANSFERS}/{body['id']}", headers=harness.reader.headers).status_code == 200


def _cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, list(args), env=env)
    get_settings.cache_clear()
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("backend_kind", ["embedded"])
def test_the_command_line_exports_verifies_imports_and_confirms(harness: Harness, tmp_path: Path) -> None:
    dossier_id = _closed(harness, tmp_path)
    sender = {"ARCHIVE_DATA_DIR": str(harness.services.settings.data_dir)}
    receiver_dir = tmp_path / "kho"
    receiver = {"ARCHIVE_DATA_DIR": str(receiver_dir)}
    code, stdout, stderr = _cli(
        sender, "transfer", "export", "--dossier", str(dossier_id), "--out", str(tmp_path / "goi"), "--user", "vanthu"
    )
    assert code == 0, stderr
    bag = Path(stdout.strip())
    assert bag.parent == tmp_path / "goi" and (bag / "bagit.txt").is_file()
    assert _cli(sender, "transfer", "verify", str(bag))[0] == 0

    made = build_harness(make_settings("embedded", receiver_dir.parent / "unused", data_dir=receiver_dir))
    next(made)  # the receiving instance with its users
    try:
        code, stdout, stderr = _cli(receiver, "transfer", "import", str(bag), "--user", "vanthu")
        assert code == 0, stderr
        receipt = Path(stdout.strip())
        code, stdout, stderr = _cli(receiver, "transfer", "import", str(bag), "--user", "vanthu")
        assert code == 2 and "TRANSFER-ALREADY-IMPORTED" in stderr
    finally:
        next(made, None)
    transfer_id = json.loads(receipt.read_text("utf-8"))["external_identifier"]
    code, stdout, stderr = _cli(sender, "transfer", "confirm", transfer_id, "--receipt", str(receipt), "--user", "doc")
    assert code == 2 and "AUTH-FORBIDDEN-ROLE" in stderr
    code, stdout, stderr = _cli(
        sender, "transfer", "confirm", transfer_id, "--receipt", str(receipt), "--user", "vanthu"
    )
    assert code == 0, stderr
    assert _state(harness, dossier_id) == "office-archive"

    (bag / "data/metadata/ho-so.xml").write_bytes(b"<HoSoNopLuu/>")
    code, stdout, _ = _cli(sender, "transfer", "verify", str(bag))
    assert code == 1 and "ho-so.xml" in stdout


@pytest.mark.parametrize("backend_kind", ["embedded"])
def test_the_transfer_page_makes_a_bag_downloads_it_and_confirms_with_the_receipt(
    harness: Harness, tmp_path: Path
) -> None:
    from tests.web.conftest import PASSWORD, csrf_of, set_password

    dossier_id = _closed(harness, tmp_path)
    set_password(harness.services, "vanthu")
    set_password(harness.services, "doc")
    client = TestClient(harness.client.app)
    login = client.get("/dang-nhap")
    client.post(
        "/dang-nhap",
        data={"username": "vanthu", "password": PASSWORD, "csrf_token": csrf_of(login.text)},
        follow_redirects=False,
    )
    page = client.get("/nop-luu")
    assert page.status_code == 200 and "01.VPTU" in page.text and "Lập gói nộp lưu" in page.text
    made = client.post(
        "/nop-luu",
        data={"csrf_token": csrf_of(page.text), "ho_so": str(dossier_id), "noi_nhan": "office-archive"},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    with transaction(harness.services.factory) as session:
        transfer = session.scalars(select(Transfer)).one()
        transfer_id, digest = transfer.id, transfer.bag_digest
    zipped = client.get(f"/nop-luu/{transfer_id}/tai-ve.zip")
    assert zipped.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert any(n.endswith("data/metadata/ho-so.xml") for n in names)

    page = client.get("/nop-luu")
    wrong = json.dumps({"bag_digest": "0" * 64, "external_identifier": str(transfer_id), "file_codes": []})
    refused = client.post(
        f"/nop-luu/{transfer_id}/xac-nhan",
        data={"csrf_token": csrf_of(page.text)},
        files={"bien_nhan": ("receipt.json", wrong.encode(), "application/json")},
    )
    assert refused.status_code == 409 and "TRANSFER-RECEIPT-MISMATCH" in refused.text
    good = json.dumps(
        {"bag_digest": digest, "external_identifier": str(transfer_id), "file_codes": ["VPTU.2024.01.VPTU"]}
    )
    done = client.post(
        f"/nop-luu/{transfer_id}/xac-nhan",
        data={"csrf_token": csrf_of(page.text)},
        files={"bien_nhan": ("receipt.json", good.encode(), "application/json")},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert _state(harness, dossier_id) == "office-archive"


def _bag_zip(harness: Harness, transfer_id: int) -> tuple[str | None, str | None, Path]:
    with transaction(harness.services.factory) as session:
        row = session.get(Transfer, transfer_id)
        assert row is not None
        return row.bag_zip_key, row.bag_zip_sha256, harness.services.settings.resolved_transfer_dir / row.bag_name


def test_the_bag_is_kept_in_the_blob_store_and_any_server_sends_it(harness: Harness, tmp_path: Path) -> None:
    """Behind a load balancer the download may reach a server that did not write the bag's folder: the ZIP kept in
    the blob store is sent, byte for byte, and verify counts it as referenced (never an orphan to sweep)."""
    import hashlib
    import shutil

    from archive_service.documents.verify import verify

    dossier_id = _closed(harness, tmp_path)
    code, body = _export(harness, harness.archivist, [dossier_id])
    assert code == 201, body
    transfer_id = int(str(body["id"]))
    key, sha256, folder = _bag_zip(harness, transfer_id)
    assert key is not None and sha256 is not None and (folder / "bagit.txt").is_file()
    shutil.rmtree(folder)  # this server never had the folder
    sent = harness.client.get(f"{TRANSFERS}/{transfer_id}/bag.zip", headers=harness.archivist.headers)
    assert sent.status_code == 200, sent.text
    assert hashlib.sha256(sent.content).hexdigest() == sha256
    names = zipfile.ZipFile(io.BytesIO(sent.content)).namelist()
    assert {n.split("/", 1)[1] for n in names} >= {"bagit.txt", "manifest-sha256.txt", "data/metadata/ho-so.xml"}
    # The same rule as before for who may have it: a reader of the office is not a writer.
    by_reader = harness.client.get(f"{TRANSFERS}/{transfer_id}/bag.zip", headers=harness.reader.headers)
    assert by_reader.status_code == 403
    drift = verify(harness.services, deep=True)
    assert key not in drift.orphans and not drift.missing and not drift.corrupt
    # A backup carries it like any original.
    from archive_service.backup.service import create_backup

    backup = create_backup(harness.services, tmp_path / "backup")
    (entry,) = [b for b in backup.manifest.blobs if b.key == key]
    assert entry.sha256 == sha256 and entry.media_type == "application/zip"


def test_a_transfer_sent_before_the_zip_was_kept_is_zipped_from_its_folder_or_gone(
    harness: Harness, tmp_path: Path
) -> None:
    import shutil

    dossier_id = _closed(harness, tmp_path)
    code, body = _export(harness, harness.archivist, [dossier_id])
    assert code == 201, body
    transfer_id = int(str(body["id"]))
    with transaction(harness.services.factory) as session:
        row = session.get(Transfer, transfer_id)
        assert row is not None
        row.bag_zip_key = row.bag_zip_sha256 = row.bag_zip_size = None  # as sent before migration 18b
    _, _, folder = _bag_zip(harness, transfer_id)
    made = harness.client.get(f"{TRANSFERS}/{transfer_id}/bag.zip", headers=harness.archivist.headers)
    assert made.status_code == 200
    assert any(n.endswith("/bagit.txt") for n in zipfile.ZipFile(io.BytesIO(made.content)).namelist())
    shutil.rmtree(folder)
    gone = harness.client.get(f"{TRANSFERS}/{transfer_id}/bag.zip", headers=harness.archivist.headers)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "TRANSFER-BAG-GONE"


def test_a_bag_made_after_midnight_in_hanoi_is_named_and_dated_that_day(harness: Harness, tmp_path: Path) -> None:
    """18:30 UTC on 31 December is 01:30 on 1 January in Hà Nội: the bag's name, its Bagging-Date and its sheets
    all carry the new day, never two different ones."""
    from datetime import UTC, datetime

    from archive_service.transfers import service as transfers

    dossier_id = _closed(harness, tmp_path)
    made = transfers.export_transfer(
        harness.services,
        _principal(harness, "vanthu"),
        [dossier_id],
        target="office-archive",
        out_dir=tmp_path / "out",
        addr=None,
        now=datetime(2030, 12, 31, 18, 30, tzinfo=UTC),
    )
    assert made.bag_path.name.endswith("-20310101")
    assert "Bagging-Date: 2031-01-01" in (made.bag_path / "bag-info.txt").read_text(encoding="utf-8")
