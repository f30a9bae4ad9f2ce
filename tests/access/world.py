"""A small archive with secrets in two offices, and callers of every role and clearance.

Office VPTU (the callers' own) and VPHU (another) each hold one dossier with four documents, one at each
secrecy level (0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật). Every document carries one marker word (``MK<o><l>Q``)
in its file name, số và ký hiệu, issuer, trích yếu, text, its own finding and the dossier findings that name it,
so that a leak of any of these shows as the marker in an answer. The documents are read as a worker would
(fields, text, findings written to the catalog), then the dossiers are checked and the index is filled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from archive_service.accounts import sessions
from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import ApiToken, Document, DocumentStatus, FindingRow, Role, User, WebSession
from archive_service.dossiers.checks import check_dossier
from archive_service.search.service import drain_outbox
from archive_service.services import Services
from tests.samples import tiny_docx

OFFICES = ("VPTU", "VPHU")  # the callers' own office, another office
LEVELS = (0, 1, 2, 3)
ROLES = (Role.ADMIN, Role.ARCHIVIST, Role.READER, Role.AUDITOR)


def marker(office: str, level: int) -> str:
    return f"MK{OFFICES.index(office)}{level}Q"


@dataclass(frozen=True)
class Doc:
    id: int
    office: str
    level: int
    dossier_id: int

    @property
    def marker(self) -> str:
        return marker(self.office, self.level)


@dataclass(frozen=True)
class Caller:
    """A user of office VPTU with one role and one clearance, with an API token and a web session."""

    username: str
    role: Role
    clearance: int
    token: str
    cookie: str
    csrf: str

    def reads_office(self, office: str) -> bool:
        return self.role in (Role.ADMIN, Role.AUDITOR) or office == OFFICES[0]

    def reads(self, doc: Doc) -> bool:
        return self.reads_office(doc.office) and doc.level <= self.clearance

    def writes_office(self, office: str) -> bool:
        return self.role is Role.ADMIN or (self.role is Role.ARCHIVIST and office == OFFICES[0])

    @property
    def audits(self) -> bool:
        return self.role in (Role.ADMIN, Role.AUDITOR)


@dataclass
class World:
    client: TestClient
    services: Services
    callers: list[Caller]
    docs: list[Doc]
    dossiers: dict[str, int]  # office code → its dossier
    office_ids: dict[str, int] = field(default_factory=dict)
    target_user_id: int = 0  # the user the accounts API is exercised on

    def fresh_token_id(self) -> int:
        """A new API token of the target user (to revoke or rotate)."""
        with transaction(self.services.factory) as session:
            user = session.get(User, self.target_user_id)
            assert user is not None
            accounts.issue_token(session, user=user, label="matrix")
            return int(session.scalar(select(func.max(ApiToken.id)).where(ApiToken.user_id == user.id)) or 0)

    def hidden_markers(self, caller: Caller) -> list[str]:
        """The markers of every document the caller may not read: none may appear in any answer."""
        return [d.marker for d in self.docs if not caller.reads(d)]

    def new_session(self, username: str) -> tuple[str, str]:
        """A fresh web session (cookie value, CSRF token) for ``username``."""
        with transaction(self.services.factory) as session:
            user = session.scalar(select(User).where(User.username == username))
            assert user is not None
            cookie = sessions.start_session(session, user=user)
            csrf = session.scalar(
                select(WebSession.csrf_token).where(WebSession.token_hash == sessions.hash_session_token(cookie))
            )
        return cookie, str(csrf)


def _fields(office: str, level: int) -> dict[str, object]:
    m = marker(office, level)
    return {
        "profile": "party",
        "title": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "issuer": f"ĐẢNG ỦY {m}",
        "star": True,
        "number": f"0{level + 1}",
        "number_line": f"Số 0{level + 1}-NQ/ĐU{m}",
        "type_code": "NQ",
        "issuer_code": f"ĐU{m}",
        "document_type": "NGHỊ QUYẾT",
        "summary": f"về công tác {m}",
        "place": "Thanh Hóa",
        "issued_on": date(2024, 3, 6).isoformat(),
        "signing_form": "T/M BAN THƯỜNG VỤ",
        "signer_title": "BÍ THƯ",
        "signer_name": f"Nguyễn Văn {m}",
        "recipients": ["Như trên", "Lưu Văn phòng"],
    }


def build_world(client: TestClient, services: Services) -> World:
    with transaction(services.factory) as session:
        offices = {
            code: accounts.get_or_create_office(session, code=code, name=f"Văn phòng {code}") for code in OFFICES
        }
        office_ids = {code: o.id for code, o in offices.items()}
        admin = accounts.create_user(session, username="boss", role=Role.ADMIN, office=offices["VPTU"], clearance=3)
        admin_token = accounts.issue_token(session, user=admin)
    headers = {"Authorization": f"Bearer {admin_token}"}
    dossiers: dict[str, int] = {}
    docs: list[Doc] = []
    for office in OFFICES:
        body = {
            "title": f"Hội nghị Ban Thường vụ {office}",
            "meeting_body": "BTV",
            "meeting_date": "2024-03-05",
            "office_code": office,
            "committee_name": "TỈNH ỦY THANH HÓA",
            "committee_code": "TU",
        }
        response = client.post("/api/v1/dossiers", json=body, headers=headers)
        assert response.status_code == 201, response.text
        dossier_id = int(response.json()["id"])
        dossiers[office] = dossier_id
        for level in LEVELS:
            m = marker(office, level)
            files = {"files": (f"nghi-quyet-{m}.docx", tiny_docx(f"Nghị quyết {m}"), "application/octet-stream")}
            response = client.post(f"/api/v1/dossiers/{dossier_id}/documents", files=files, headers=headers)
            assert response.status_code == 201, response.text
            doc_id = int(response.json()["items"][0]["document"]["id"])
            docs.append(Doc(doc_id, office, level, dossier_id))
    with transaction(services.factory) as session:
        for doc in docs:
            session.execute(
                update(Document)
                .where(Document.id == doc.id)
                .values(
                    secrecy_level=doc.level,
                    status=DocumentStatus.CHECKED.value,
                    validation_status="errors",
                    fields=_fields(doc.office, doc.level),
                    text="\n".join(
                        [f"ĐẢNG ỦY {doc.marker}", f"Số 0{doc.level + 1}-NQ/ĐU{doc.marker}", f"về công tác {doc.marker}"]
                    ),
                    page_count=1,
                    updated_at=datetime.now(UTC),
                )
            )
            session.add(
                FindingRow(
                    document_id=doc.id,
                    dossier_id=doc.dossier_id,
                    code="FMT-STAR-MISSING",
                    severity="error",
                    clause="36-HD/VPTW mục II.1.2",
                    message=f"Thiếu dấu sao dưới tên cơ quan ĐẢNG ỦY {doc.marker}.",
                    hint="Thêm dấu * dưới tên cơ quan ban hành.",
                    location={"line": 0, "text": f"ĐẢNG ỦY {doc.marker}"},
                )
            )
    for dossier_id in dossiers.values():
        findings = check_dossier(services, dossier_id)
        assert any(f.code == "DOS-ISSUER-MISMATCH" for f in findings), findings
    drain_outbox(services)
    callers = []
    with transaction(services.factory) as session:
        for role in ROLES:
            for clearance in LEVELS:
                name = f"{role.value}-c{clearance}"
                user = accounts.create_user(
                    session, username=name, role=role, office=offices["VPTU"], clearance=clearance
                )
                token = accounts.issue_token(session, user=user)
                cookie = sessions.start_session(session, user=user)
                csrf = session.scalar(
                    select(WebSession.csrf_token).where(WebSession.token_hash == sessions.hash_session_token(cookie))
                )
                callers.append(Caller(name, role, clearance, token, cookie, str(csrf)))
        target = accounts.create_user(session, username="nguoi-thu", role=Role.READER, office=offices["VPTU"])
        target_id = target.id
    return World(client, services, callers, docs, dossiers, office_ids, target_user_id=target_id)


def read_as_worker(services: Services, doc_id: int, *, office: str, level: int, secrecy: int | None = None) -> None:
    """Write what a worker would have read from the document: fields and text carrying its marker."""
    m = marker(office, level)
    with transaction(services.factory) as session:
        session.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(
                secrecy_level=level if secrecy is None else secrecy,
                status=DocumentStatus.CHECKED.value,
                validation_status="ok",
                fields=_fields(office, level),
                text=f"ĐẢNG ỦY {m}\nvề công tác {m}",
            )
        )
