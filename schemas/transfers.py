"""Transfers (nộp lưu) as they travel over the API: the request that makes a bag, and a transfer as seen."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TransferTarget = Literal["office-archive", "historical-archive"]


class TransferCreate(BaseModel):
    """Which dossiers to send and where: the office archive (closed dossiers kept ≥ 5 years) or the Party
    committee's historical archive (permanent dossiers already in the office archive)."""

    model_config = ConfigDict(extra="forbid")
    dossier_ids: list[int] = Field(min_length=1, max_length=500)
    target: TransferTarget = "office-archive"


class TransferOut(BaseModel):
    id: int
    office_code: str
    target: str
    target_label: str
    state: str  # sent | confirmed | cancelled | received
    state_label: str
    dossier_ids: list[int]
    file_codes: list[str]  # mã hồ sơ (NĐ 30 Phụ lục VI FileCode) of each dossier
    bag_name: str
    bag_digest: str  # SHA-256 of the bag's tagmanifest-sha256.txt
    created_at: datetime
    confirmed_at: datetime | None = None
    receipt: dict[str, Any] | None = None
    bag_path: str | None = None  # where the server wrote the bag (the answer of POST /api/v1/transfers)


class TransferList(BaseModel):
    items: list[TransferOut]
