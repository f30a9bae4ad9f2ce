"""Document read use cases: access checked, the reading audited, in one transaction."""

from __future__ import annotations

from archive_service.catalog import audit, documents
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import FindingRow
from archive_service.services import Services


def document_findings(
    services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str
) -> list[FindingRow]:
    """The format and authority findings of a document the caller may read; audited."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        rows = documents.findings_of(session, document_id=doc.id)
        audit.record(
            session,
            principal=principal,
            action="document.findings",
            object_type="document",
            object_id=doc.id,
            client_addr=addr,
            details={"via": via, "findings": len(rows)},
            office_id=doc.office_id,
        )
        return rows
