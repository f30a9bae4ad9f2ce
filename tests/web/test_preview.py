"""Each finding is marked on the line of the document text its location names."""

from __future__ import annotations

from archive_service.web.preview import build_preview

TEXT = "ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY THANH HÓA\n*\nSố: 12/NQ-TU\nThanh Hóa, ngày 5 tháng 3 năm 2024"


def test_a_finding_with_a_line_marks_that_line_with_its_number() -> None:
    lines, targets = build_preview(TEXT, [("error", {"line": 3, "text": "Số: 12/NQ-TU"})])
    assert targets == [3]
    assert lines[3].marks == [1] and lines[3].severity == "error" and lines[3].anchor == "dong-3"
    assert all(not line.marks for i, line in enumerate(lines) if i != 3)


def test_a_finding_without_a_line_is_found_by_its_text() -> None:
    _, targets = build_preview(TEXT, [("warning", {"text": "ngày 5 tháng 3"})])
    assert targets == [4]


def test_the_worst_severity_colours_a_line_with_several_findings() -> None:
    lines, _ = build_preview(TEXT, [("warning", {"line": 3}), ("error", {"line": 3}), ("info", {"line": 3})])
    assert lines[3].marks == [1, 2, 3] and lines[3].severity == "error"


def test_a_finding_outside_the_text_or_without_location_marks_nothing() -> None:
    lines, targets = build_preview(TEXT, [("error", {"line": 99}), ("error", None), ("info", {})])
    assert targets == [None, None, None]
    assert not any(line.marks for line in lines)
    assert build_preview(None, [("error", {"line": 0})]) == ([], [None])
