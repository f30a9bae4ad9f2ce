"""A small catalog built in the test: two offices, dossiers, documents with known findings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Dossier, FindingRow, Role
from archive_service.services import Services, open_services
from tests.conftest import make_settings, release_real_backends


def fields(doc_type: str, number: str, code: str, issued: date, **extra: Any) -> dict[str, Any]:
    return {
        "profile": "party",
        "issuer": "TỈNH ỦY THANH HÓA",
        "number": number,
        "type_code": code,
        "issuer_code": "TU",
        "number_line": f"Số {number}-{code}/TU",
        "document_type": doc_type,
        "summary": "về tăng cường công tác xây dựng tổ chức cơ sở đảng",
        "place": "Thanh Hóa",
        "issued_on": issued.isoformat(),
        "signing_form": "T/M BAN THƯỜNG VỤ",
        "signer_title": "BÍ THƯ",
        "signer_name": "Nguyễn Văn Hùng",
        "recipients": ["Các huyện ủy, thị ủy, thành ủy,", "Lưu Văn phòng Tỉnh ủy."],
        **extra,
    }


@dataclass
class Catalog:
    services: Services
    ids: dict[str, int]
    principals: dict[str, Principal]


def _seed(services: Services) -> Catalog:
    ids: dict[str, int] = {}
    principals: dict[str, Principal] = {}
    with transaction(services.factory) as s:
        vptu = accounts.get_or_create_office(s, code="VPTU", name="Văn phòng Tỉnh ủy Thanh Hóa")
        vphu = accounts.get_or_create_office(s, code="VPHU", name="Văn phòng Huyện ủy Đông Sơn")
        users = {
            "admin": accounts.create_user(s, username="admin", role=Role.ADMIN, office=vptu, clearance=3),
            "reader": accounts.create_user(s, username="doc", role=Role.READER, office=vptu),
            "auditor": accounts.create_user(s, username="kiemtra", role=Role.AUDITOR, office=vptu),
            "archivist_hu": accounts.create_user(s, username="vanthu-hu", role=Role.ARCHIVIST, office=vphu),
        }
        principals = {k: accounts.principal_of(u) for k, u in users.items()}
        admin_id = users["admin"].id
        d1 = Dossier(
            office_id=vptu.id,
            title="Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 12",
            meeting_body="BTV",
            meeting_date=date(2024, 3, 1),
            created_by=admin_id,
        )
        d2 = Dossier(
            office_id=vphu.id,
            title="Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 5",
            meeting_body="BCH",
            meeting_date=date(2024, 3, 10),
            created_by=admin_id,
        )
        s.add_all([d1, d2])
        s.flush()
        ids["d1"], ids["d2"] = d1.id, d2.id

        def doc(key: str, dossier: Dossier, f: dict[str, Any], status: str, secrecy: int = 0) -> Document:
            row = Document(
                office_id=dossier.office_id,
                dossier_id=dossier.id,
                sha256=f"{key:0>64}",
                size=100,
                media_type="application/pdf",
                original_filename=f"{key}.pdf",
                storage_key=f"k/{key}",
                uploaded_by=admin_id,
                uploaded_at=datetime(2024, 6, 1, 8, 0),
                status="checked",
                validation_status=status,
                secrecy_level=secrecy,
                fields=f,
                text="ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY THANH HÓA\n*\nSố: 12/NQ-TU",
            )
            s.add(row)
            s.flush()
            ids[key] = row.id
            return row

        def finding(document: Document | None, dossier: Dossier, code: str, severity: str) -> None:
            s.add(
                FindingRow(
                    document_id=document.id if document else None,
                    dossier_id=dossier.id,
                    code=code,
                    severity=severity,
                    clause="36-HD/VPTW mục II.1.3",
                    message="Số và ký hiệu viết sai.",
                    hint="Viết lại theo mẫu.",
                    location={"line": 3, "text": "Số: 12/NQ-TU"} if document else None,
                )
            )

        doc1 = doc("doc1", d1, fields("NGHỊ QUYẾT", "12", "NQ", date(2024, 3, 5)), "error")
        finding(doc1, d1, "FMT-NUMBER-COLON", "error")
        finding(doc1, d1, "FMT-DATE-STYLE", "warning")
        doc("doc2", d1, fields("QUYẾT ĐỊNH", "981", "QĐ", date(2024, 4, 10)), "ok")
        doc3 = doc("doc3", d1, fields("KẾT LUẬN", "05", "KL", date(2024, 4, 20)), "error")
        finding(doc3, d1, "AUTH-TYPE-NOT-ALLOWED", "error")
        finding(doc3, d1, "FMT-NUMBER-COLON", "error")
        doc4 = doc("doc4", d1, fields("NGHỊ QUYẾT", "13", "NQ", date(2024, 5, 2), secrecy="MẬT"), "error", 1)
        finding(doc4, d1, "FMT-FONT", "error")
        doc5 = doc("doc5", d1, fields("NGHỊ QUYẾT", "11", "NQ", date(2023, 12, 1)), "error")
        finding(doc5, d1, "FMT-NUMBER-COLON", "error")
        finding(None, d1, "DOS-MISSING-MINUTES", "warning")
        doc6 = doc("doc6", d2, fields("NGHỊ QUYẾT", "03", "NQ", date(2024, 3, 15)), "error")
        finding(doc6, d2, "FMT-NUMBER-COLON", "error")
        doc("doc7", d2, fields("THÔNG BÁO", "04", "TB", date(2024, 3, 20)), "ok")
    return Catalog(services=services, ids=ids, principals=principals)


@pytest.fixture
def catalog(backend_kind: str, tmp_path: Path) -> Iterator[Catalog]:
    """The seeded catalog on SQLite and on PostgreSQL."""
    settings = make_settings(backend_kind, tmp_path)
    services = open_services(settings)
    try:
        yield _seed(services)
    finally:
        release_real_backends(services)
