"""Offices, users and API tokens as the accounts use cases take and return them (CLI, API, web).

Nothing here ever carries a password hash or a token hash; a clear token appears only in ``IssuedToken``,
the answer of the one call that made it. Names and codes are checked by the use cases (one rule for every
edge, with its own error code), so these models hold only types and generous length limits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RoleName = Literal["admin", "archivist", "reader", "auditor"]


class OfficeCreate(BaseModel):
    code: str = Field(max_length=64, description="Mã đơn vị, e.g. VPTU (stored upper case)")
    name: str = Field(max_length=300, description="Tên đơn vị, e.g. Văn phòng Tỉnh ủy Thanh Hóa")


class OfficeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str
    created_at: datetime
    user_count: int = 0


class OfficeList(BaseModel):
    items: list[OfficeOut]


class UserCreate(BaseModel):
    username: str = Field(max_length=100, description="2–64 of a–z 0–9 . _ - (stored lower case)")
    role: RoleName = "archivist"
    office_code: str = Field(max_length=64, description="An existing office (offices are created on their own)")
    display_name: str = Field("", max_length=300)
    clearance: int = Field(0, ge=0, le=3, description="0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật")
    all_offices: bool = Field(False, description="A reader granted every office")
    password: str | None = Field(None, max_length=4096, description="Web password, at least 10 characters")
    password_change_required: bool = Field(True, description="Ask for a new password at the first web login")
    issue_token: bool = Field(False, description="Also issue an API token (returned once in the answer)")


class UserUpdate(BaseModel):
    """The fields to change; those left out stay as they are."""

    role: RoleName | None = None
    office_code: str | None = Field(None, max_length=64)
    display_name: str | None = Field(None, max_length=300)
    clearance: int | None = Field(None, ge=0, le=3)
    all_offices: bool | None = None
    active: bool | None = Field(None, description="false disables the user: its tokens and sessions stop working")


class PasswordSet(BaseModel):
    password: str = Field(max_length=4096)
    change_required: bool = Field(True, description="Ask the user for a new password at the next web login")


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: RoleName
    office_id: int
    office_code: str
    clearance: int
    all_offices: bool
    active: bool
    has_password: bool
    must_change_password: bool
    created_at: datetime


class UserList(BaseModel):
    items: list[UserOut]


class TokenCreate(BaseModel):
    label: str = Field("", max_length=300, description="What the token is for, e.g. máy quét phòng văn thư")


class TokenOut(BaseModel):
    """An API token as it may be shown: its first characters, never the token."""

    id: int
    user_id: int
    username: str
    prefix: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenList(BaseModel):
    items: list[TokenOut]


class IssuedToken(BaseModel):
    """A new token: ``token`` is shown this once and never stored (only its SHA-256 is)."""

    token: str
    info: TokenOut


class UserCreated(BaseModel):
    user: UserOut
    token: IssuedToken | None = None


class FirstAdmin(BaseModel):
    """What the first ``serve`` made on an empty catalog: the one-time password and the API token of ``admin``."""

    username: str
    password: str
    token: str
