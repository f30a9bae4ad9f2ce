"""``archive-service check`` and digital signatures (issue 16): ``--json`` adds "signatures" per file, the text
report lists each signature (who, when, valid or why not), ``--trust-dir`` (or ARCHIVE_SIGNATURE_TRUST_DIR)
gives the trust anchors, ``--electronic`` makes a missing signature an error (SIG-MISSING).

The command reads in process (the offline reader path); the signed file is the real
``../shared/real-docs/05.signed.pdf`` (five signatures, the first Nguyễn Phước Bình's).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import pytest
from typer.testing import CliRunner

from archive_service import cli
from tests.corpus.session import skip_unless
from tests.realdocs.labels import REAL_DOCS
from tests.signatures import pki
from tests.web.helpers import correct_docx

SIGNED: Final = REAL_DOCS / "05.signed.pdf"
SIGNER: Final = "Nguyễn Phước Bình"


@pytest.fixture
def signed_pdf() -> Path:
    skip_unless(SIGNED.is_file(), f"no real signed PDF at {SIGNED}")
    return SIGNED


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, ["check", *args], env=env)
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, result.stdout


def _json(*args: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    code, out = _run("--json", *args, env=env)
    assert code != 2, out
    data: list[dict[str, Any]] = json.loads(out)
    return data


def test_json_reports_each_signature_without_anchors(signed_pdf: Path) -> None:
    (result,) = _json(str(signed_pdf), env={"ARCHIVE_SIGNATURE_TRUST_DIR": ""})
    signatures = result["signatures"]
    assert len(signatures) == 5
    first = signatures[0]
    assert first["signer"] == SIGNER and first["organization"] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert first["signed_at"] == "2025-01-08T10:31:01+00:00" and first["timestamped"] is True
    assert all(s["intact"] is True and s["valid"] is True and s["trusted"] is None for s in signatures)
    assert [s["covers_whole_document"] for s in signatures][-1] is True
    assert all([p["code"] for p in s["problems"]] == ["SIG-CERT-UNTRUSTED"] for s in signatures)


def test_the_text_report_lists_who_when_and_whether_valid(signed_pdf: Path, tmp_path: Path) -> None:
    broken = tmp_path / "05-sua.signed.pdf"
    broken.write_bytes(pki.tamper(signed_pdf.read_bytes()))
    code, out = _run(str(signed_pdf), str(broken), env={"ARCHIVE_SIGNATURE_TRUST_DIR": ""})
    assert code == 1  # the tampered copy: SIG-INVALID is an error
    good, bad = out.split(str(broken))
    assert f"Chữ ký số 1: {SIGNER} (cá nhân; ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI; người ký văn bản)" in good
    assert "Thời điểm ký: 08/01/2025 17:31, có dấu thời gian chứng thực" in good
    assert good.count("Kết quả: hợp lệ — Nguyên vẹn, chữ ký đúng") == 5
    assert "Chứng thư: Chưa kiểm tra độ tin cậy của chứng thư" in good
    assert bad.count("Kết quả: KHÔNG hợp lệ — Nội dung đã ký không còn nguyên vẹn") == 5
    assert "(SIG-INVALID)" in bad


def test_trust_dir_checks_the_chain(signed_pdf: Path, tmp_path: Path) -> None:
    """Anchors that are not the file's CA: each chain fails, SIG-CERT-UNTRUSTED becomes a warning."""
    anchors = pki.write_trust_dir(tmp_path / "trust", pki.make_pki().root.cert)
    for args, env in (
        (["--trust-dir", str(anchors)], {"ARCHIVE_SIGNATURE_TRUST_DIR": ""}),
        ([], {"ARCHIVE_SIGNATURE_TRUST_DIR": str(anchors)}),
    ):
        (result,) = _json(*args, str(signed_pdf), env=env)
        assert all(s["trusted"] is False and s["trust_problem"] for s in result["signatures"]), result["signatures"]
        untrusted = [f for f in result["findings"] if f["code"] == "SIG-CERT-UNTRUSTED"]
        assert len(untrusted) == 5 and {f["severity"] for f in untrusted} == {"warning"}
    code, _ = _run("--trust-dir", str(tmp_path / "khong-co"), str(signed_pdf))
    assert code == 2


def test_electronic_makes_a_missing_signature_an_error(tmp_path: Path) -> None:
    path = correct_docx(tmp_path)
    (plain,) = _json(str(path))
    assert plain["signatures"] == [] and "SIG-MISSING" not in {f["code"] for f in plain["findings"]}
    (marked,) = _json("--electronic", str(path))
    (missing,) = [f for f in marked["findings"] if f["code"] == "SIG-MISSING"]
    assert missing["severity"] == "error"
    code, out = _run("--electronic", str(path))
    assert code == 1 and "Chữ ký số: không có" in out and "(SIG-MISSING)" in out
