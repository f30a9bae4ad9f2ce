"""An office report agrees with itself: every section and every format adds up to the same totals.

Built on the seeded catalog plus what made the first real report disagree: a dossier finding that names two
documents (DOS-*) and a corrected version that supersedes an erroneous original.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, FindingRow
from archive_service.documents.processing import analyse_file
from archive_service.reports import compute
from archive_service.reports.bao_cao import Signing
from archive_service.reports.model import Report
from archive_service.reports.render_csv import render_csv
from archive_service.reports.render_pdf import render_pdf
from archive_service.reports.render_xlsx import render_xlsx
from tests.reports.conftest import Catalog, fields

YEAR_2024 = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}


def _with_dossier_finding_and_a_new_version(catalog: Catalog) -> None:
    """DOS-DUPLICATE-NUMBER naming doc1 and doc3; doc1 corrected by a new version with one warning."""
    ids = catalog.ids
    with transaction(catalog.services.factory) as s:
        old = s.get(Document, ids["doc1"])
        assert old is not None
        s.add(
            FindingRow(
                document_id=None,
                dossier_id=ids["d1"],
                code="DOS-DUPLICATE-NUMBER",
                severity="error",
                clause="36-HD/VPTW mục II.1.3",
                message="Hai văn bản cùng số.",
                hint="Cấp lại số.",
                document_ids=[ids["doc1"], ids["doc3"]],
            )
        )
        new = Document(
            office_id=old.office_id,
            dossier_id=old.dossier_id,
            sha256="n" * 64,
            size=100,
            media_type="application/pdf",
            original_filename="doc1-da-sua.pdf",
            storage_key="k/doc1b",
            uploaded_by=old.uploaded_by,
            uploaded_at=datetime(2024, 6, 2, 8, 0),
            status="checked",
            validation_status="warning",
            fields=fields("NGHỊ QUYẾT", "12", "NQ", date(2024, 3, 5)),
            version_of=old.id,
        )
        s.add(new)
        s.flush()
        ids["doc1b"] = new.id
        s.add(
            FindingRow(
                document_id=new.id,
                dossier_id=ids["d1"],
                code="FMT-DATE-STYLE",
                severity="warning",
                clause="36-HD/VPTW mục II.1.4",
                message="Dòng ngày tháng không nghiêng.",
                hint="Trình bày nghiêng.",
            )
        )


def _office(catalog: Catalog, who: str, office_code: str | None = None) -> Report:
    with transaction(catalog.services.factory) as session:
        return compute.office_report(session, principal=catalog.principals[who], office_code=office_code, **YEAR_2024)


def test_every_section_of_the_office_report_adds_up_to_its_summary(catalog: Catalog) -> None:
    _with_dossier_finding_and_a_new_version(catalog)
    report = _office(catalog, "admin")
    t = report.totals
    for severity, total in (("error", t.errors), ("warning", t.warnings)):
        key = "errors" if severity == "error" else "warnings"
        assert sum(getattr(o, key) for o in report.by_office) == total
        assert sum(getattr(r, key) for r in report.by_type) == total
        assert sum(getattr(m, key) for m in report.by_month) == total
        own = [r for r in report.by_rule if r.severity == severity and not r.code.startswith("DOS-")]
        assert sum(r.count for r in own) == total
    assert sum(o.documents for o in report.by_office) == t.documents
    # The dossier finding is counted once, apart, with the documents it names.
    dos = {r.code: r for r in report.by_rule if r.code.startswith("DOS-")}
    assert dos["DOS-DUPLICATE-NUMBER"].count == 1 and dos["DOS-DUPLICATE-NUMBER"].documents == 2
    assert t.dossier_findings == sum(r.count for r in dos.values()) and t.dossier_errors == 1


def test_a_superseded_version_leaves_every_count(catalog: Catalog) -> None:
    before = _office(catalog, "reader")
    _with_dossier_finding_and_a_new_version(catalog)
    after = _office(catalog, "reader")
    assert after.totals.superseded == 1
    assert after.totals.documents == before.totals.documents  # doc1 replaced by doc1b
    # doc1's two findings (an error, a warning) are gone; doc1b's one warning counts.
    assert (after.totals.errors, after.totals.warnings) == (before.totals.errors - 1, before.totals.warnings)
    assert catalog.ids["doc1"] not in {d.document_id for d in after.worst_documents}
    with transaction(catalog.services.factory) as session:
        dossier = compute.dossier_report(session, principal=catalog.principals["reader"], dossier_id=catalog.ids["d1"])
    assert catalog.ids["doc1"] not in {f.document_id for f in dossier.findings}
    assert dossier.totals.superseded == 1


def _csv_value(rows: list[list[str]], label: str) -> str:
    return next(r[1] for r in rows if r and r[0] == label)


def test_the_csv_xlsx_and_pdf_say_the_same_totals_as_the_report(catalog: Catalog) -> None:
    _with_dossier_finding_and_a_new_version(catalog)
    report = _office(catalog, "admin")
    t = report.totals
    csv_rows = list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig"))))
    assert _csv_value(csv_rows, "Tổng số lỗi") == str(t.errors)
    assert _csv_value(csv_rows, "Tổng số cảnh báo") == str(t.warnings)
    office_rows = csv_rows[csv_rows.index(["Theo đơn vị"]) + 2 :]
    office_rows = office_rows[: next(i for i, r in enumerate(office_rows) if len(r) < 6)]
    assert sum(int(r[4]) for r in office_rows) == t.errors

    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(report))).active
    assert sheet is not None
    xlsx_rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert [r[: len(c)] for r, c in zip(xlsx_rows, csv_rows, strict=False)] == csv_rows

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(report))).pages)
    assert f"Tổng số lỗi: {t.errors};" in text  # the báo cáo's body
    assert f"Tổng số lỗi {t.errors}" in text  # the Phụ lục's table
    assert "Số lỗi: số phát hiện mức lỗi" in text  # each table captioned


def test_the_office_report_pdf_is_a_bao_cao_that_passes_the_services_own_check(
    catalog: Catalog, tmp_path: Path
) -> None:
    report = _office(catalog, "reader", "VPTU")
    cases = (
        (Signing(number="12", signer_name="Lê Thị Hồng Vân"), "CHÁNH VĂN PHÒNG", "Lê Thị Hồng Vân"),
        (Signing(deputy=True), "PHÓ CHÁNH VĂN PHÒNG", None),
    )
    for signing, signer, name in cases:
        path = tmp_path / "bao-cao.pdf"
        path.write_bytes(render_pdf(report, signing=signing))
        analysis = analyse_file(path, media_type="application/pdf")
        errors = [f.code for f in analysis.findings if f.severity == "error"]
        assert errors == [], errors
        f = analysis.fields
        assert f is not None
        assert (f.title, f.parent_issuer, f.issuer, f.star) == (
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "TỈNH ỦY THANH HÓA",
            "VĂN PHÒNG",
            True,
        )
        assert f.document_type == "BÁO CÁO" and (f.type_code, f.issuer_code) == ("BC", "VPTU")
        assert f.place == "Thanh Hóa" and f.signer_title == signer and f.signer_name == name
        assert f.recipients[-1] == "Lưu Văn phòng Tỉnh ủy Thanh Hóa."
    assert analysis.fields is not None and analysis.fields.number_blank  # the deputy's copy: no number given
