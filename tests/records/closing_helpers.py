"""A dossier with documents ready to close: real uploads read by the real pipeline, then the fields a reader
would have extracted set where a test needs them exactly (number, type, date, draft mark, page count)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as DocxDocument
from pypdfium2 import PdfDocument
from sqlalchemy import update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Actor, Harness
from tests.samples import tiny_pdf

NQ_FIELDS: dict[str, Any] = {
    "issuer": "TỈNH ỦY THANH HÓA",
    "issuer_code": "TU",
    "number": "125",
    "number_line": "Số 125-NQ/TU",
    "type_code": "NQ",
    "document_type": "NGHỊ QUYẾT",
    "summary": "về phát triển kinh tế biển",
    "issued_on": "2024-03-05",
}
TB_FIELDS: dict[str, Any] = {
    "issuer": "TỈNH ỦY THANH HÓA",
    "issuer_code": "TU",
    "number": "40",
    "number_line": "Số 40-TB/TU",
    "type_code": "TB",
    "document_type": "THÔNG BÁO",
    "summary": "về lịch làm việc tháng 3",
    "issued_on": "2024-03-07",
}


def upload(h: Harness, dossier: int, name: str, data: bytes | None = None, actor: Actor | None = None) -> int:
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": (name, data if data is not None else tiny_pdf(name), "application/octet-stream")},
        headers=(actor or h.archivist).headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def read_all(h: Harness) -> None:
    run_pending_jobs(h.services)


def set_document(h: Harness, doc_id: int, fields: dict[str, Any] | None = None, **values: Any) -> None:
    """What a reader would have extracted (``fields``) and other columns (page_count, secrecy_level, status)."""
    if fields is not None:
        values["fields"] = fields
    with transaction(h.services.factory) as s:
        s.execute(update(Document).where(Document.id == doc_id).values(**values))


def dossier_with_two_documents(h: Harness, **dossier: object) -> tuple[int, int, int]:
    """A BTV meeting dossier holding a nghị quyết (3 pages) and a thông báo (1 page), both read."""
    dossier_id = h.new_dossier(**dossier)
    nq = upload(h, dossier_id, "nghi-quyet-125.pdf")
    tb = upload(h, dossier_id, "thong-bao-40.pdf")
    read_all(h)
    set_document(h, nq, NQ_FIELDS, page_count=3)
    set_document(h, tb, TB_FIELDS, page_count=1)
    return dossier_id, nq, tb


def close(h: Harness, dossier: int, actor: Actor | None = None, **body: Any) -> Any:
    payload = {"retention": "vinh-vien", "take_out": []} | body
    return h.client.post(f"/api/v1/dossiers/{dossier}/close", json=payload, headers=(actor or h.archivist).headers)


def record_file(h: Harness, file_id: int, actor: Actor | None = None) -> bytes:
    response = h.client.get(f"/api/v1/record-files/{file_id}", headers=(actor or h.admin).headers)
    assert response.status_code == 200, response.text
    return response.content


def pdf_text(data: bytes) -> str:
    pdf = PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def docx_text(data: bytes) -> str:
    doc = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)
