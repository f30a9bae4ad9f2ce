"""CSV exports never hand a spreadsheet a formula: names and titles from outside are written as text."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest

from archive_service.csv_cells import SafeCsvWriter, csv_cell, is_dangerous
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness
from tests.corpus.generator import DocSpec, write_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The names of the issue: each one a formula if a spreadsheet reads it as written.
HOSTILE_NAMES = ["=cmd|' -c calc'!A0.pdf", "@SUM(1+1)", "-1+2"]
FORMULA_CHARS = tuple("=+-@\t\r")


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-1+2",
        "@SUM(1+1)",
        "\t=1",
        "\r=1",
        "\x00=1",
        '  =HYPERLINK("http://x")',
        "\u3000=1",
        "\uff1d1+1",
        "=cmd|' -c calc'!A0.pdf",
    ],
)
def test_a_text_cell_that_could_be_a_formula_gets_a_leading_quote(text: str) -> None:
    assert is_dangerous(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Biên bản hội nghị", "981-QĐ/TU", "", "a=b", "05/03/2024", " x", "'=1"])
def test_ordinary_text_is_left_as_it_is(value: str) -> None:
    assert csv_cell(value) == value


@pytest.mark.parametrize("value", [-1, 0, 12, 2.5, None])
def test_numbers_and_empty_cells_stay_what_they_are(value: object) -> None:
    assert csv_cell(value) is value


def test_the_safe_writer_quotes_a_cell_so_that_a_separator_cannot_open_a_new_one() -> None:
    out = io.StringIO()
    SafeCsvWriter(out, lineterminator="\r\n").writerow(["a,=1+1", 'x";=1', -3, "=2"])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["a,=1+1", 'x";=1', "-3", "'=2"]


def _planted(tmp_path: Path, number: int) -> bytes:
    """A Nghị quyết with the planted "Số:" error, distinct per number (so that none is a duplicate)."""
    spec = dataclasses.replace(DocSpec(), number=str(number), number_line=f"Số: {number}-NQ/TU", key=f"nq-{number}")
    path = tmp_path / f"nq-{number}.docx"
    write_docx(spec, path)
    return path.read_bytes()


def _cells(body: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row]


def test_hostile_file_names_and_titles_reach_the_office_and_dossier_csv_as_text(
    harness: Harness, tmp_path: Path
) -> None:
    h = harness
    dossier = h.new_dossier(title='=HYPERLINK("http://x.example")', meeting_date="2024-03-05")
    files = [("files", (name, _planted(tmp_path, 130 + i), DOCX)) for i, name in enumerate(HOSTILE_NAMES)]
    uploaded = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert uploaded.status_code == 201, uploaded.text
    assert [item["filename"] for item in uploaded.json()["items"]] == HOSTILE_NAMES  # stored as sent
    run_pending_jobs(h.services)

    by_dossier = h.client.get(f"/api/v1/reports/dossiers/{dossier}", params={"format": "csv"}, headers=h.reader.headers)
    by_office = h.client.get(
        "/api/v1/reports/offices", params={"office": "VPTU", "format": "csv"}, headers=h.reader.headers
    )
    for report in (by_dossier, by_office):
        assert report.status_code == 200, report.text
        cells = _cells(report.content)
        assert [c for c in cells if c.startswith(FORMULA_CHARS)] == []
        for name in HOSTILE_NAMES:  # each name is there, as text
            assert "'" + name in cells
