"""Report counts over a catalog built in the test, with the caller's rights applied."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document
from archive_service.errors import NotFound
from archive_service.reports import compute
from archive_service.reports.model import Report
from tests.reports.conftest import Catalog

YEAR_2024 = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}


def office(catalog: Catalog, who: str, office_code: str | None = None, **period: date | None) -> Report:
    with transaction(catalog.services.factory) as session:
        return compute.office_report(
            session, principal=catalog.principals[who], office_code=office_code, **(period or YEAR_2024)
        )


def test_a_reader_sees_the_counts_of_their_own_office_in_the_period(catalog: Catalog) -> None:
    report = office(catalog, "reader")
    assert report.scope.office_code == "VPTU"
    t = report.totals
    # doc1, doc2, doc3 — doc4 is secret (reader not cleared), doc5 is dated 2023.
    assert (t.documents, t.documents_with_errors, t.documents_ok) == (3, 2, 1)
    assert (t.errors, t.warnings, t.dossier_findings, t.dossier_warnings) == (3, 1, 1, 1)
    by_rule = {r.code: (r.severity, r.count, r.documents) for r in report.by_rule}
    assert by_rule["FMT-NUMBER-COLON"] == ("error", 2, 2)
    assert by_rule["AUTH-TYPE-NOT-ALLOWED"] == ("error", 1, 1)
    assert by_rule["DOS-MISSING-MINUTES"] == ("warning", 1, 0)
    assert "FMT-FONT" not in by_rule
    assert report.by_rule[0].severity == "error"


def test_the_trend_has_every_month_of_the_period_with_its_errors(catalog: Catalog) -> None:
    report = office(catalog, "reader")
    months = {m.month: m for m in report.by_month}
    assert len(report.by_month) == 12
    assert (months["2024-03"].documents, months["2024-03"].errors) == (1, 1)
    assert (months["2024-04"].documents, months["2024-04"].errors) == (2, 2)
    assert months["2024-07"].documents == 0


def test_counts_by_document_type_and_the_worst_documents_first(catalog: Catalog) -> None:
    report = office(catalog, "reader")
    types = {t.document_type: t for t in report.by_type}
    assert types["KẾT LUẬN"].errors == 2 and types["QUYẾT ĐỊNH"].errors == 0
    assert [d.document_id for d in report.worst_documents] == [catalog.ids["doc3"], catalog.ids["doc1"]]
    assert report.worst_documents[0].symbol == "05-KL/TU"


def test_a_reader_may_not_ask_for_another_office(catalog: Catalog) -> None:
    """Another office answers as an unknown one, so that office codes cannot be probed."""
    with pytest.raises(NotFound) as other:
        office(catalog, "reader", "VPHU")
    with pytest.raises(NotFound) as unknown:
        office(catalog, "reader", "KHONGCO")
    assert other.value.code == unknown.value.code == "OFFICE-NOT-FOUND"


def test_an_admin_sees_every_office_and_the_secret_documents_they_are_cleared_for(catalog: Catalog) -> None:
    report = office(catalog, "admin")
    assert report.scope.office_code is None
    assert report.totals.documents == 6
    offices = {o.office_code: o for o in report.by_office}
    assert (offices["VPTU"].documents, offices["VPTU"].errors) == (4, 4)
    assert (offices["VPHU"].documents, offices["VPHU"].documents_with_errors) == (2, 1)


def test_an_auditor_without_clearance_does_not_count_secret_documents(catalog: Catalog) -> None:
    report = office(catalog, "auditor", "VPTU")
    assert report.totals.documents == 3
    assert all(r.code != "FMT-FONT" for r in report.by_rule)


def test_an_open_period_counts_every_date(catalog: Catalog) -> None:
    report = office(catalog, "reader", date_from=None, date_to=None)
    assert report.totals.documents == 4  # doc5 of 2023 now included
    assert report.by_month[0].month == "2023-12"


def test_a_dossier_report_lists_each_finding_and_the_completeness_findings(catalog: Catalog) -> None:
    with transaction(catalog.services.factory) as session:
        report = compute.dossier_report(session, principal=catalog.principals["reader"], dossier_id=catalog.ids["d1"])
    assert report.totals.documents == 4  # doc1, doc2, doc3, doc5 (doc4 secret)
    codes = [f.code for f in report.findings]
    assert "DOS-MISSING-MINUTES" in codes and "FMT-FONT" not in codes
    dossier_level = [f for f in report.findings if f.document_id is None]
    assert len(dossier_level) == 1 and report.totals.dossier_findings == 1


def test_a_reader_cannot_report_on_a_dossier_of_another_office(catalog: Catalog) -> None:
    with transaction(catalog.services.factory) as session, pytest.raises(NotFound):
        compute.dossier_report(session, principal=catalog.principals["reader"], dossier_id=catalog.ids["d2"])


def test_a_document_report_has_its_fields_in_vietnamese_and_its_findings(catalog: Catalog) -> None:
    with transaction(catalog.services.factory) as session:
        report = compute.document_report(
            session, principal=catalog.principals["reader"], document_id=catalog.ids["doc1"]
        )
    labels = {f.label: f.value for f in report.fields}
    assert labels["Số và ký hiệu"] == "Số 12-NQ/TU"
    assert labels["Ngày ban hành"] == "05/03/2024"
    assert labels["Người ký"] == "BÍ THƯ Nguyễn Văn Hùng"
    assert [f.code for f in report.findings] == ["FMT-NUMBER-COLON", "FMT-DATE-STYLE"]
    assert report.findings[0].line == 3


def test_a_secret_document_is_not_reported_to_an_uncleared_reader(catalog: Catalog) -> None:
    with transaction(catalog.services.factory) as session, pytest.raises(NotFound):
        compute.document_report(session, principal=catalog.principals["reader"], document_id=catalog.ids["doc4"])


def test_an_undated_document_counts_in_the_month_of_its_upload_as_it_was_in_vietnam(catalog: Catalog) -> None:
    """Uploaded at 20:00 UTC on 31 March = 03:00 on 1 April in Hà Nội, no date read in it: it is April's."""
    with transaction(catalog.services.factory) as session:
        doc = session.get_one(Document, catalog.ids["doc2"])
        doc.fields = {k: v for k, v in (doc.fields or {}).items() if k != "issued_on"}
        doc.uploaded_at = datetime(2024, 3, 31, 20, 0, tzinfo=UTC)
    april = office(catalog, "reader", date_from=date(2024, 4, 1), date_to=date(2024, 4, 30))
    march = office(catalog, "reader", date_from=date(2024, 3, 1), date_to=date(2024, 3, 31))
    assert (april.totals.documents, march.totals.documents) == (2, 1)  # doc2 and doc3 / doc1
    assert [m.month for m in april.by_month] == ["2024-04"]
