"""DocumentFields: the formal elements (thành phần thể thức) extracted from a ParsedDocument.

Names follow the parsing issue and are a public contract of ``archive-service check --json``.
A missing element is ``None`` (or an empty list), never an exception.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class Profile(StrEnum):
    PARTY = "party"  # văn bản của Đảng (36-HD/VPTW): "ĐẢNG CỘNG SẢN VIỆT NAM"
    STATE = "state"  # văn bản hành chính nhà nước (NĐ 30/2020): Quốc hiệu and Tiêu ngữ
    UNKNOWN = "unknown"


class FieldLocation(BaseModel):
    """Where an element was read: page, line index in ParsedDocument.lines, and the text as found."""

    page: int | None = None
    line: int | None = None
    text: str | None = None


class DocumentFields(BaseModel):
    """The formal elements of one document, each with where it was found (``locations[field]``)."""

    profile: Profile = Profile.UNKNOWN
    title: str | None = None  # tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM" (or the Quốc hiệu line) as written
    parent_issuer: str | None = None  # tên cơ quan cấp trên trực tiếp, e.g. "ĐẢNG BỘ TỈNH THANH HÓA"
    issuer: str | None = None  # tên cơ quan ban hành, e.g. "TỈNH ỦY THANH HÓA", "BAN THƯỜNG VỤ"
    star: bool = False  # the "*" under the issuing body
    number: str | None = None  # the số as written, e.g. "981" or "05"
    number_line: str | None = None  # the whole line, e.g. "Số 981-QĐ/TU"
    type_code: str | None = None  # ký hiệu loại, e.g. "QĐ"
    issuer_code: str | None = None  # ký hiệu cơ quan, e.g. "TU", "VPTU", "BTCTU-BDVTU"
    document_type: str | None = None  # tên loại, upper case; "CÔNG VĂN" for a công văn without one
    summary: str | None = None  # trích yếu nội dung
    place: str | None = None  # địa danh
    issued_on: date | None = None
    date_line: str | None = None  # the whole place-and-date line as written
    signing_form: str | None = None  # "T/M BAN THƯỜNG VỤ", "K/T CHÁNH VĂN PHÒNG", "T/L BAN THƯỜNG VỤ", …
    signer_title: str | None = None  # "BÍ THƯ", "PHÓ CHÁNH VĂN PHÒNG", …
    signer_name: str | None = None
    recipients: list[str] = Field(default_factory=list)  # nơi nhận, one entry a line, without the "- "
    addressees: list[str] = Field(default_factory=list)  # kính gửi
    secrecy: str | None = None  # "MẬT" | "TỐI MẬT" | "TUYỆT MẬT"
    urgency: str | None = None  # "KHẨN" | "THƯỢNG KHẨN" | "HỎA TỐC" | "HỎA TỐC HẸN GIỜ"
    draft: str | None = None  # "Dự thảo lần 2" when the document carries a draft mark
    # The signature blocks besides the signer's own (05-HD/VPTW I.7.1.4 a, e): the minutes-taker's block of a
    # biên bản ("NGƯỜI GHI BIÊN BẢN", left) and the office's confirmation of a signature that may not be sealed
    # ("Xác nhận chữ ký của đồng chí …" + "T/L BAN THƯỜNG VỤ" + "CHÁNH VĂN PHÒNG").
    minute_taker: str | None = None  # the minutes-taker's name ("" when only the label was read)
    confirmation: str | None = None  # the confirming authority and title: "T/L BAN THƯỜNG VỤ CHÁNH VĂN PHÒNG"
    # Additional components at the end of a document (05-HD/VPTW Phần II mục II.5–6).
    drafter_mark: str | None = None  # drafter's mark and copy count at the end of the nơi nhận: "NguyenVanAn-26"
    contact: str | None = None  # contact information of the issuing body (address, điện thoại, email…)
    # What a reader could not read, or read with doubt (issue 11): a number or a day left blank for the
    # e-signature stamp is information, not an error; a partial date keeps what can be read.
    number_blank: bool = False  # "Số:      /TB-UBND": the number left blank for the e-signature stamp
    date_blank: bool = False  # "ngày    tháng 01 năm 2025": day or month left blank for the stamp
    issued_year: int | None = None  # of a partial date (issued_on None); the year alone often settles the regime
    issued_month: int | None = None
    confidence: dict[str, float] = Field(default_factory=dict)  # per field, 0..1; a missing key is 1.0
    legal_normative: bool = False  # a legal normative document (nghị định, thông tư, luật…): read, not checked
    locations: dict[str, FieldLocation] = Field(default_factory=dict)
