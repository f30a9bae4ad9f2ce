"""The rule tables load with their sources and dates, and a malformed table is refused clearly."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from archive_service.validation.tables import TABLE_DIR, TABLES, TableError, load_table, load_tables


def test_every_table_states_its_source_and_dates() -> None:
    for table in TABLES.all_versions():
        assert table.source.strip()
        assert table.valid_from <= (table.valid_to or date.max)


def test_a_document_is_judged_by_the_table_of_its_own_date() -> None:
    before = TABLES.authority(date(2026, 1, 8))
    after = TABLES.authority(date(2026, 1, 9))
    assert before is not None and before.regime == "66-QĐ/TW"
    assert after is not None and after.regime == "399-QĐ/TW"
    assert TABLES.authority(date(2016, 12, 31)) is None


def test_quy_dinh_takes_qdi_until_05_hd_and_only_qd_after() -> None:
    tables = [TABLES.document_types("party", day) for day in (date(2024, 1, 1), date(2026, 2, 1), date(2026, 6, 1))]
    old, window, hd05 = (t.by_name("QUY ĐỊNH") if t is not None else None for t in tables)
    assert old is not None and "QĐi" in old.abbr
    assert window is not None and set(window.abbr) == {"QĐ", "QĐi"}
    assert hd05 is not None and hd05.abbr == ["QĐ"] and not hd05.tolerated and hd05.changed


def test_the_regimes_by_date() -> None:
    regimes = TABLES.regimes
    assert regimes.guides_on(date(2025, 12, 31)) == ["36-HD/VPTW"]
    assert regimes.guides_on(date(2026, 1, 9)) == ["36-HD/VPTW", "05-HD/VPTW"]
    assert regimes.guides_on(date(2026, 5, 26)) == ["36-HD/VPTW", "05-HD/VPTW"]
    assert regimes.guides_on(date(2026, 5, 27)) == ["05-HD/VPTW"]
    on = regimes.on(date(2026, 1, 8))
    assert on is not None and on.authority == "66-QĐ/TW"


def test_a_table_without_its_source_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: signing\nprofile: party\nvalid_from: 2020-01-01\n", encoding="utf-8")
    with pytest.raises(TableError, match="bad.yaml: header field 'source' is missing"):
        load_table(bad)


def test_a_table_with_a_bad_pattern_is_refused(tmp_path: Path) -> None:
    for path in TABLE_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    issuers = tmp_path / "issuers_party.yaml"
    issuers.write_text(issuers.read_text(encoding="utf-8").replace("'^CHI BỘ'", "'^CHI BỘ('"), encoding="utf-8")
    with pytest.raises(TableError, match="issuers_party.yaml"):
        load_tables(tmp_path)


def test_an_authority_table_naming_an_unknown_type_is_refused(tmp_path: Path) -> None:
    for path in TABLE_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    auth = tmp_path / "authority_66.yaml"
    auth.write_text(
        auth.read_text(encoding="utf-8").replace("allowed: [BC]}", "allowed: [BC, XYZ]}", 1), encoding="utf-8"
    )
    with pytest.raises(TableError, match="unknown document type keys"):
        load_tables(tmp_path)


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    for path in TABLE_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    auth = tmp_path / "authority_399.yaml"
    auth.write_text(
        auth.read_text(encoding="utf-8").replace("valid_from: 2026-01-09", "valid_from: 2025-01-09"),
        encoding="utf-8",
    )
    with pytest.raises(TableError, match="overlap"):
        load_tables(tmp_path)
