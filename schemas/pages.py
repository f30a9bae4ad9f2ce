"""The page images of a document as the API lists them (``GET /api/v1/documents/{id}/pages``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class PageOut(BaseModel):
    """One page: its number, the stored image's size in pixels and the page's size in points."""

    number: int
    width: int
    height: int
    width_pt: float
    height_pt: float
    url: str


class PageList(BaseModel):
    """``state``: ready; pending (being made); failed (not renderable: the text stands in); none (not asked yet)."""

    document_id: int
    state: Literal["ready", "pending", "failed", "none"]
    count: int
    pages: list[PageOut]
