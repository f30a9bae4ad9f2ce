"""Documents for the web tests: generated Party documents, one with a planted format error."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fastapi.testclient import TestClient

from tests.corpus.generator import DocSpec, write_docx

PLANTED_NUMBER_LINE = "Số: 12/NQ-TU"  # a state-style colon and order in a Party document (E11, E13)


def correct_docx(folder: Path, name: str = "nghi-quyet-dung.docx", **changes: object) -> Path:
    path = folder / name
    write_docx(dataclasses.replace(DocSpec(), **changes), path)  # type: ignore[arg-type]
    return path


def planted_docx(folder: Path, name: str = "nghi-quyet-sai-so.docx") -> Path:
    return correct_docx(folder, name, number_line=PLANTED_NUMBER_LINE, number="12")


def upload(client: TestClient, csrf: str, dossier_id: int, *paths: Path) -> list[dict[str, object]]:
    files = [
        (
            "files",
            (
                p.name,
                p.read_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        )
        for p in paths
    ]
    response = client.post(f"/web-api/ho-so/{dossier_id}/van-ban", files=files, headers={"X-CSRF-Token": csrf})
    assert response.status_code in (200, 201), response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items
