"""The drift ``verify`` finds, printed one line per finding: by ``archive-service verify`` and after a restore."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:  # types only: the CLI's start does not import the verify machinery
    from archive_service.documents.verify import Drift
    from indexers.search.verify import IndexDrift


def print_blob_drift(out: Console, drift: Drift) -> None:
    """Missing and corrupt originals, orphaned blobs (and what became of them), documents stuck in processing."""
    for doc_id, key in drift.missing:
        out.print(f"[red]THIẾU[/red] văn bản {doc_id}: không có bản gốc {key}")
    for doc_id, key in drift.corrupt:
        out.print(f"[red]SAI SHA-256[/red] văn bản {doc_id}: {key}")
    for key in drift.orphans:
        state = (
            "đã xóa"
            if key in drift.removed_orphans
            else "khóa WORM, giữ đến hết hạn"
            if key in drift.locked_orphans
            else "chưa xóa"
        )
        out.print(f"[yellow]MỒ CÔI[/yellow] {key} ({state})")
    for doc_id, since in drift.stuck:
        out.print(
            f"[red]KẸT XỬ LÝ[/red] văn bản {doc_id}: không còn công việc nào xử lý, từ {since:%d/%m/%Y %H:%M} UTC"
        )


def print_index_drift(out: Console, index: IndexDrift) -> None:
    """Documents the search index lacks, holds in an older reading, or holds without a catalog row."""
    for label, ids in (
        ("THIẾU TRONG CHỈ MỤC", index.missing),
        ("CHỈ MỤC CŨ", index.stale),
        ("THỪA", index.orphaned),
    ):
        for indexed_id in ids:
            out.print(f"[yellow]{label}[/yellow] văn bản {indexed_id}")
