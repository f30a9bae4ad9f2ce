"""scripts/record_examples.py runs the office's year through the real use cases and writes the five rendered pages
the issue's note shows: each PNG must be a real A4 page with ink on it, and each PDF say what it is."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pypdfium2 as pdfium
import pytest
from PIL import Image

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "record_examples.py"
EXPECTED = {
    "danh-muc-ho-so": ("DANH MỤC HỒ SƠ CỦA VĂN PHÒNG TỈNH ỦY THANH HÓA", "Quyết định số 15-QĐ/VPTU", "II. CÔNG TÁC"),
    "muc-luc-van-ban": ("MỤC LỤC VĂN BẢN", "210-NQ/TU", "VĂN PHÒNG TỈNH ỦY THANH HÓA"),
    "chung-tu-ket-thuc": ("CHỨNG TỪ KẾT THÚC", "01.VPTU", "3 tệp DOCX"),
    "muc-luc-ho-so-nop-luu": ("MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU", "Hồ sơ Hội nghị Ban Thường vụ Tỉnh ủy tháng 3"),
    "bien-ban-giao-nhan": ("BIÊN BẢN GIAO NHẬN HỒ SƠ, TÀI LIỆU", "Hôm nay, ngày 10 tháng 4 năm 2026"),
}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("record_examples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while they are made
    spec.loader.exec_module(module)
    return module


def _text(pdf: Path) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return " ".join(" ".join(document[i].get_textpage().get_text_range() for i in range(len(document))).split())
    finally:
        document.close()


@pytest.mark.slow  # the whole year through the use cases: about 8 s
def test_the_script_writes_five_rendered_pages_and_their_pdfs(tmp_path: Path) -> None:
    out = tmp_path / "examples"
    umask = os.umask(0o022)
    try:
        pngs = _script().main(out)
        assert os.umask(0o022) == 0o022, "the script must give the process its umask back"
    finally:
        os.umask(umask)
    assert sorted(p.name for p in pngs) == sorted(f"{name}.png" for name in EXPECTED)
    for name, needles in EXPECTED.items():
        png = out / f"{name}.png"
        assert png.stat().st_size > 20_000, name
        with Image.open(png) as image:
            width, height = image.size
            assert {round(width / 1.5 / 72 * 25.4), round(height / 1.5 / 72 * 25.4)} == {210, 297}, (name, image.size)
            histogram = image.convert("L").histogram()
            inked = sum(histogram[:128]) / (width * height)
            assert 0.002 < inked < 0.5, (name, inked)  # text and rules on a white page, neither blank nor black
        text = _text(out / f"{name}.pdf")
        for needle in needles:
            assert needle in text, (name, needle)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "python scripts/record_examples.py" in readme and all(f"{name}.png" in readme for name in EXPECTED)
