"""The catalog's tables: the system of record for metadata (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Role(StrEnum):
    ADMIN = "admin"
    ARCHIVIST = "archivist"  # văn thư, lưu trữ: uploads and edits for the own office
    READER = "reader"  # reads the own office (or all offices when granted)
    AUDITOR = "auditor"  # reads reports


class MeetingBody(StrEnum):
    """Which body met: Ban Chấp hành, Ban Thường vụ, Thường trực."""

    BCH = "BCH"
    BTV = "BTV"
    TT = "TT"


class DocumentStatus(StrEnum):
    STORED = "stored"  # bytes and row are safe; parsing queued
    PROCESSING = "processing"
    CHECKED = "checked"  # parsed, extracted and validated
    FAILED = "failed"  # the file could not be read (parse_error_code says why)


class Office(Base):
    """Đơn vị: a party committee office (Văn phòng Tỉnh ủy, Văn phòng Đảng ủy xã …)."""

    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(16))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    all_offices: Mapped[bool] = mapped_column(Boolean, default=False)  # a reader granted every office
    clearance: Mapped[int] = mapped_column(Integer, default=0)  # 0 none, 1 Mật, 2 Tối mật, 3 Tuyệt mật
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # A password set by someone else (the first admin's, a reset): the web app asks for a new one first.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored (the token is 256 random bits)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DossierKind(StrEnum):
    """Hồ sơ hội nghị (a meeting of BCH, BTV or Thường trực) or hồ sơ công việc (one matter of work)."""

    MEETING = "hoi-nghi"
    WORK = "cong-viec"


class Medium(StrEnum):
    """The medium a dossier is kept on (NĐ 30 Phụ lục VI: hồ sơ điện tử, giấy, or both)."""

    ELECTRONIC = "dien-tu"
    PAPER = "giay"
    BOTH = "ca-hai"


class DossierState(StrEnum):
    """Where a dossier is in its life (records/lifecycle.py holds the transitions, their roles and audit)."""

    OPEN = "open"  # being formed: documents come and go
    CLOSED = "closed"  # kết thúc: checklist run, mục lục and chứng từ kết thúc made, originals locked
    KEPT_BY_UNIT = "kept-by-unit"  # giữ lại: with the head's consent, at most 2 years (NĐ 30 Điều 30)
    OFFICE_ARCHIVE = "office-archive"  # nộp lưu vào lưu trữ cơ quan, confirmed by the receiving side
    HISTORICAL_ARCHIVE = "historical-archive"  # nộp lưu vào kho lưu trữ cấp ủy, confirmed by the receiving side
    UNDER_APPRAISAL = "under-appraisal"  # past retention, before the hội đồng xác định giá trị tài liệu
    DESTRUCTION_APPROVED = "destruction-approved"  # the head's decision to destroy
    DESTROYED = "destroyed"  # blobs removed; the catalog rows stay as tombstones


class Dossier(Base):
    """Hồ sơ: a conference dossier (one meeting of BCH, BTV or Thường trực) or a work dossier.

    Its fields are those of NĐ 30/2020 Điều 29 and Phụ lục VI (FileCode, Title, Maintenance, Rights, Creator,
    StartDate, EndDate, PageTotal, Description); its ``state`` moves only through records/lifecycle.py.
    """

    __tablename__ = "dossiers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(16), default=DossierKind.MEETING.value, server_default="hoi-nghi")
    meeting_body: Mapped[str | None] = mapped_column(String(8), nullable=True)  # meeting dossiers only
    meeting_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    meeting_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    retention: Mapped[str] = mapped_column(String(32), default="vinh-vien")
    # The cấp ủy whose meeting this is, as its documents name it ("TỈNH ỦY THANH HÓA", ký hiệu "TU");
    # when unset, the dossier check takes the issuer most of its documents carry.
    committee_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    committee_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # Số và ký hiệu hồ sơ ("01.VPTU"): its number in the file plan joined to the unit's code (NĐ 30 Phụ lục V).
    file_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    former_name: Mapped[str | None] = mapped_column(String(255), nullable=True)  # người lập hồ sơ
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    medium: Mapped[str] = mapped_column(String(16), default=Medium.ELECTRONIC.value, server_default="dien-tu")
    page_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    usage_mode: Mapped[str | None] = mapped_column(String(64), nullable=True)  # chế độ sử dụng (Rights)
    # Its row in the office's file plan, or null for a dossier opened ad hoc (NĐ 30 Điều 29.1) or before plans.
    plan_entry_id: Mapped[int | None] = mapped_column(ForeignKey("file_plan_entries.id"), nullable=True, index=True)
    ad_hoc: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    state: Mapped[str] = mapped_column(String(24), default=DossierState.OPEN.value, server_default="open", index=True)
    state_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Giữ lại: until when the unit keeps it back, and whose written consent (NĐ 30 Điều 30.2).
    kept_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    kept_consent: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # Object Lock set on closing: COMPLIANCE retention until this instant, or a legal hold (permanent dossiers).
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class FilePlan(Base):
    """Danh mục hồ sơ: one per office per year, approved by the head of the body (NĐ 30 Điều 28, Phụ lục V)."""

    __tablename__ = "file_plans"
    __table_args__ = (UniqueConstraint("office_id", "year", name="uq_file_plans_office_year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    # Dossier numbers run from 01 across the whole plan ("plan") or again within each đề mục lớn ("heading"):
    # NĐ 30/2020 Phụ lục V.I allows both (migration 15a_plan_numbering).
    numbering: Mapped[str] = mapped_column(String(16), default="plan", server_default="plan")
    # Approval: the decision that issues the plan, its date and who approved it; null while a draft.
    decision_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    approver_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class FilePlanHeading(Base):
    """A đề mục of a file plan: top level numbered in Roman numerals, the level under it in Arabic ones."""

    __tablename__ = "file_plan_headings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("file_plans.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("file_plan_headings.id"), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))


class FilePlanEntry(Base):
    """A planned dossier: Số và ký hiệu hồ sơ | Tiêu đề | Thời hạn bảo quản | Người lập hồ sơ | Ghi chú."""

    __tablename__ = "file_plan_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("file_plans.id"), index=True)
    heading_id: Mapped[int | None] = mapped_column(ForeignKey("file_plan_headings.id"), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    file_code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(500))
    retention: Mapped[str] = mapped_column(String(32))
    former_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default=DossierKind.WORK.value)


class RetentionRule(Base):
    """One version of one group of the retention schedule (bảng thời hạn bảo quản), as an admin edited it.

    The shipped defaults are in ``schemas/retention_schedule.yaml``; a row here overrides a group for an
    office (or every office when ``office_id`` is null) from ``version`` on; older versions stay for the record.
    """

    __tablename__ = "retention_rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), nullable=True, index=True)
    group_code: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    retention: Mapped[str] = mapped_column(String(32))  # "vinh-vien" or "<n>-nam"
    source: Mapped[str] = mapped_column(String(500))
    confidence: Mapped[str] = mapped_column(String(16))  # "read" | "secondary" | "proposal"
    edited_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    edited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RecordFile(Base):
    """A file the records' life produces (mục lục văn bản, chứng từ kết thúc, danh mục, biên bản …), in the blob
    store beside the originals and locked with them; owned by a dossier, a transfer or an appraisal."""

    __tablename__ = "record_files"
    __table_args__ = (Index("ix_record_files_owner", "owner_type", "owner_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(16))  # "dossier" | "transfer" | "appraisal" | "file-plan"
    owner_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(48))  # "muc-luc-van-ban", "chung-tu-ket-thuc", …
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(128))
    filename: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Hold(Base):
    """Đóng băng (NĐ 30 Phụ lục VI) or a pending request: while it holds, its dossier or documents cannot be moved,
    changed, deleted or destroyed. Lifted, never deleted (both audited)."""

    __tablename__ = "holds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="freeze")  # "freeze" | "request"
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), nullable=True, index=True)
    document_ids: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    lift_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class Transfer(Base):
    """Nộp lưu: a bag of dossiers sent to the office archive or the historical archive. The dossiers move to the
    next state only when the receiving side's receipt for this very bag comes back (``confirmed_at``)."""

    __tablename__ = "transfers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    target: Mapped[str] = mapped_column(String(24))  # DossierState.OFFICE_ARCHIVE or HISTORICAL_ARCHIVE
    state: Mapped[str] = mapped_column(String(16), default="sent")  # "sent" | "confirmed" | "cancelled"
    dossier_ids: Mapped[list[Any]] = mapped_column(JSON)
    bag_name: Mapped[str] = mapped_column(String(255))
    bag_digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the bag's tagmanifest-sha256.txt
    # The bag as one ZIP in the blob store (any server can send it; backed up and verified with the originals);
    # None for transfers sent before 18b, whose bag is only in the folder it was written to.
    bag_zip_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    bag_zip_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    bag_zip_size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Appraisal(Base):
    """Xác định giá trị tài liệu: dossiers past retention before a council, then the head's decision, then
    destruction. Its rows and files (danh mục tài liệu hết giá trị, biên bản hủy) stay after the records go."""

    __tablename__ = "appraisals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    state: Mapped[str] = mapped_column(String(24), default="proposed")  # proposed | approved | destroyed | cancelled
    dossier_ids: Mapped[list[Any]] = mapped_column(JSON)
    council_members: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    council_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    council_opinion: Mapped[str | None] = mapped_column(Text, nullable=True)
    decision_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    approver_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    destroyed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    destroyed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Document(Base):
    """One uploaded original (immutable bytes in the blob store) and what was read from it."""

    __tablename__ = "documents"
    # One live row per office and bytes (the same upload again is the same document). A destroyed document's
    # tombstone keeps its SHA-256 for the record, so the same bytes may come in again as a new document.
    __table_args__ = (
        Index(
            "uq_documents_office_sha256",
            "office_id",
            "sha256",
            unique=True,
            postgresql_where=text("destroyed_at IS NULL"),
            sqlite_where=text("destroyed_at IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(128))
    original_filename: Mapped[str] = mapped_column(String(500))
    storage_key: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=DocumentStatus.STORED.value)
    parse_error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    parse_error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    page_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    ocr_confidence: Mapped[float | None] = mapped_column(nullable=True)
    fields: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    parse_info: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    secrecy_level: Mapped[int] = mapped_column(Integer, default=0)
    validation_status: Mapped[str] = mapped_column(String(16), default="pending")
    # The office marks the document as issued electronically (văn bản điện tử đã ban hành, not a scan nor a
    # draft): it must then carry its digital signatures (SIG-MISSING; NĐ 30/2020 Điều 5).
    electronic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Removed from its dossier by an archivist ("gỡ khỏi hồ sơ"): archives never delete, so the row and the
    # original stay (readable by id, audited); the dossier's lists, counts and checks no longer hold it.
    removed_from_dossier_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Destroyed after appraisal and decision: the bytes, derivatives and page images are gone from the blob
    # store and the index; this row stays as the tombstone with its metadata (records/destruction.py).
    destroyed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class DossierLink(Base):
    """A document that also belongs to another dossier of its office: linked, never copied (one original).

    The document keeps its own dossier (``Document.dossier_id``); each link makes it count and show in one
    more dossier, as the same bytes uploaded there again would have, without a second row or blob.
    """

    __tablename__ = "dossier_links"
    __table_args__ = (UniqueConstraint("dossier_id", "document_id", name="uq_dossier_links_dossier_document"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    linked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Derivative(Base):
    """A file made from an original (an OCR'd searchable PDF/A of a scan); the original never changes."""

    __tablename__ = "derivatives"
    __table_args__ = (UniqueConstraint("document_id", "kind", name="uq_derivatives_document_kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "searchable-pdf"
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(128))
    storage_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PageImage(Base):
    """One page of a document rendered to a PNG once (a derivative beside the original, never remade per request),
    its size, and the boxes of the text lines on it (``{"<line index>": [x0, y0, x1, y1]}``, fractions of the page
    from its top left) so that a finding's line can be drawn as a box on the image.
    """

    __tablename__ = "page_images"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_page_images_document_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1-based
    width_px: Mapped[int] = mapped_column(Integer)
    height_px: Mapped[int] = mapped_column(Integer)
    width_pt: Mapped[float] = mapped_column(Float)
    height_pt: Mapped[float] = mapped_column(Float)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    storage_key: Mapped[str] = mapped_column(String(255))
    line_boxes: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FindingRow(Base):
    """A stored finding of a document check (document_id set) or a dossier check (document_id null)."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True, index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), nullable=True, index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    clause: Mapped[str] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(Text)
    hint: Mapped[str] = mapped_column(Text)
    location: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # A dossier finding: the ids of the documents it speaks of (shown only to who may read them all).
    document_ids: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Who did what, when, from where: every upload, download, read and change."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    # The office the object belongs to (a document's, a dossier's, a user's), so an auditor can filter by it.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    client_addr: Mapped[str | None] = mapped_column(String(64), nullable=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class JobKind(StrEnum):
    """What a job does; stored as its value."""

    PROCESS_DOCUMENT = "process-document"
    CHECK_DOSSIER = "check-dossier"
    MAKE_SEARCHABLE_PDF = "make-searchable-pdf"
    RENDER_PAGES = "render-pages"  # page images (and a DOCX's PDF rendition) for the preview
    REBUILD_SEARCH_INDEX = "rebuild-search-index"
    OCR_PAGE = "ocr-page"  # one scanned page of a document, recognised by any worker; joined by PROCESS_DOCUMENT


# Which job a free worker takes first (lower first, then the oldest): a user's upload is read before the
# pages of a bulk import are recognised, and a derivative or an index rebuild waits for both.
JOB_PRIORITY: dict[str, int] = {
    JobKind.PROCESS_DOCUMENT.value: 10,
    JobKind.CHECK_DOSSIER.value: 20,
    JobKind.OCR_PAGE.value: 40,
    JobKind.RENDER_PAGES.value: 50,
    JobKind.MAKE_SEARCHABLE_PDF.value: 70,
    JobKind.REBUILD_SEARCH_INDEX.value: 90,
}
BULK_PRIORITY_STEP = 100  # added to a bulk import's jobs (transfers received, folders ingested)


def _default_priority(context: Any) -> int:
    kind = context.get_current_parameters().get("kind")
    return JOB_PRIORITY.get(str(kind), 50)


class JobState(StrEnum):
    """Where a job is: queued (or waiting for a retry), running, done, failed after its last attempt."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """Work for the parse/check workers; claimed by one worker at a time."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # a JobKind value
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED.value, index=True)  # a JobState value
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    available_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)  # retry backoff
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Lower is taken first (JOB_PRIORITY by kind; a bulk import's jobs are BULK_PRIORITY_STEP later).
    priority: Mapped[int] = mapped_column(Integer, default=_default_priority, server_default=text("50"))
    # The holder's last sign of life: a running job whose heartbeat is older than the lease is taken again.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    worker: Mapped[str | None] = mapped_column(String(128), nullable=True)  # "host:pid" of the holder
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)  # OCR_PAGE: the 1-based page

    __table_args__ = (Index("ix_jobs_claim", "state", "priority", "id"),)


class JobOutcome(StrEnum):
    """How a job's attempt ended, as ``job_tallies`` counts it: done, failed but to be tried again, given up."""

    DONE = "done"
    RETRY = "retry"
    FAILED = "failed"


class JobTally(Base):
    """How many jobs of each kind ended each way since the table was made: the cluster's job counters.

    Workers run on any machine and no scrape reaches them, so the counts live in the catalog they share; the queue
    adds one in the same transaction in which it records a job's outcome (``archive_service.jobs.queue``), and
    ``/metrics`` reads them as Prometheus counters. Rows only grow: done jobs are pruned, their count is not.
    """

    __tablename__ = "job_tallies"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)  # a JobKind value
    outcome: Mapped[str] = mapped_column(String(16), primary_key=True)  # a JobOutcome value
    count: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))


class OcrPage(Base):
    """One scanned page recognised by an OCR_PAGE job, kept until the document's reading joins the pages.

    ``sha256`` is the original's: a page read from other bytes is never joined into this reading.
    ``result`` holds the page's lines and word confidences (``indexers.ocr``'s page result as JSON).
    """

    __tablename__ = "ocr_pages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("document_id", "page", "sha256", name="uq_ocr_pages_page"),)


class IndexOutbox(Base):
    """Pending changes for the search index; drained when the engine is reachable."""

    __tablename__ = "index_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    op: Mapped[str] = mapped_column(String(8))  # "upsert" | "delete"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class WebSession(Base):
    """A browser session (the web UI); only the SHA-256 of the cookie value is stored."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SavedSearch(Base):
    """A search a user named and kept (tìm kiếm đã lưu): its words and filters, never its results.

    Run again, it is a new search as that user is then: what they may read decides what it finds.
    """

    __tablename__ = "saved_searches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[dict[str, Any]] = mapped_column(JSON)  # a SavedQuery as JSON
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
