"""The results of a search as a CSV file (UTF-8 with BOM for Excel), scoped and audited like the search.

Trích yếu, file names and issuers come from outside: every row goes through ``SafeCsvWriter`` so that a cell
a spreadsheet would run as a formula is written as text (``archive_service.csv_cells``), as every CSV export.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Final

from sqlalchemy import select

from archive_service.catalog import audit
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Office
from archive_service.csv_cells import SafeCsvWriter
from archive_service.reports.files import FileDownload
from archive_service.reports.labels import validation_label
from archive_service.reports.text import local_time
from archive_service.search.service import asked_details, run_scoped, scoped
from archive_service.services import Services
from schemas.search import MAX_RESULT_WINDOW, SearchHit, SearchQuery
from schemas.signature_state import STATE_LABELS

EXPORT_FILENAME: Final = "ket-qua-tim-kiem.csv"
EXPORT_PAGE: Final = 200  # hits per request to the engine
MAX_EXPORT_ROWS: Final = MAX_RESULT_WINDOW  # the deepest an index serves without a scroll
CSV_HEADER: Final = (
    "STT",
    "Số và ký hiệu",
    "Loại văn bản",
    "Trích yếu",
    "Cơ quan ban hành",
    "Ngày ban hành",
    "Đơn vị",
    "Hồ sơ số",
    "Kết quả kiểm tra",
    "Chữ ký số",
    "Tệp",
    "Ngày tải lên",
    "Mã văn bản",
)


def _day(value: date | datetime | None) -> str:
    """dd/mm/yyyy; an instant as the day it was in Vietnam."""
    if isinstance(value, datetime):
        value = local_time(value)
    return value.strftime("%d/%m/%Y") if value else ""


def _hits(services: Services, query: SearchQuery) -> Iterator[SearchHit]:
    """Every hit of an already scoped query, in its order, page by page (at most MAX_EXPORT_ROWS)."""
    page = 1
    while page * EXPORT_PAGE <= MAX_EXPORT_ROWS:
        result = run_scoped(
            services, query.model_copy(update={"page": page, "page_size": EXPORT_PAGE, "facet_size": 0})
        )
        yield from result.hits
        if page * EXPORT_PAGE >= result.total or not result.hits:
            return
        page += 1


def export_search(
    services: Services, principal: Principal, query: SearchQuery, *, addr: str | None = None, via: str = "api"
) -> FileDownload:
    """Every result the caller may see (up to MAX_EXPORT_ROWS) as ``ket-qua-tim-kiem.csv``; the export is audited.

    The audit event keeps the words and filters asked and how many rows were written, never the rows.
    """
    hits = list(_hits(services, scoped(principal, query)))
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    with transaction(services.factory) as session:
        offices = {o.id: o.name for o in session.scalars(select(Office))}
        for n, hit in enumerate(hits, start=1):
            writer.writerow(
                [
                    n,
                    hit.symbol or "",
                    hit.document_type or "",
                    hit.summary or "",
                    hit.issuer or "",
                    _day(hit.issued_on),
                    offices.get(hit.office_id, ""),
                    "; ".join(str(i) for i in hit.dossier_ids),  # every dossier that holds it now
                    validation_label(hit.validation_status),
                    STATE_LABELS[hit.signature_state],
                    hit.filename,
                    _day(hit.uploaded_at),
                    hit.document_id,
                ]
            )
        audit.record(
            session,
            principal=principal,
            action="search.export",
            object_type="search",
            object_id=None,
            client_addr=addr,
            details={"via": via, "query": asked_details(query), "rows": len(hits)},
            scoped=True,
        )
    return FileDownload(
        body=("\ufeff" + out.getvalue()).encode("utf-8"), filename=EXPORT_FILENAME, media_type="text/csv; charset=utf-8"
    )
