"""Scan preparation before OCR (issue 11): colour ink out, deskew, binarisation, on pages drawn in the test."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from indexers.ocr import _tesseract_tsv, _words, ocr_pdf_pages, tesseract_available
from indexers.ocr_prepare import Prep, binarise, deskew, prepare, remove_colour, skew_angle
from indexers.textnorm import canonical
from tests.corpus.session import skip_unless

_Test = TypeVar("_Test", bound=Callable[..., Any])

# A serif with the Vietnamese glyphs (the Liberation build on Debian lacks the precomposed ones).
FONT = next(
    (
        p
        for p in (
            Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
            Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
        )
        if p.exists()
    ),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
)
LINES = (
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
    "Căn cứ Luật Tổ chức chính quyền địa phương",
    "Nơi nhận: Hội đồng nhân dân tỉnh",
    "Trần Hoàng Tuấn phó chủ tịch",
)


def needs_font(test: _Test) -> _Test:
    """Decorator: the test draws its page with FONT (skipped without it, failed in CI)."""

    @functools.wraps(test)
    def gated(*args: Any, **kwargs: Any) -> Any:
        skip_unless(FONT.exists(), "no TrueType serif (fonts-dejavu) is installed")
        return test(*args, **kwargs)

    return cast(_Test, gated)


def _tesseract_or_skip() -> None:
    skip_unless(tesseract_available(), "Tesseract with Vietnamese data is not installed")


def _page(lines: tuple[str, ...] = LINES, *, size: int = 44, mode: str = "RGB") -> Image.Image:
    """A white A4-ish page at 200 dpi with the lines in black."""
    image = Image.new(mode, (1654, 1200), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), size)
    for i, text in enumerate(lines):
        draw.text((140, 120 + i * 90), text, font=font, fill="black")
    return image


def _ink(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L")) < 128


@needs_font
def test_a_red_seal_and_blue_strokes_are_removed_while_the_black_text_stays() -> None:
    clean = _page()
    ink = Image.new("RGB", clean.size, "white")
    draw = ImageDraw.Draw(ink)
    draw.ellipse((600, 60, 1100, 560), outline=(210, 30, 40), width=14)  # the seal's ring over the text
    draw.line((200, 400, 1400, 300), fill=(30, 60, 200), width=8)  # a blue signature stroke
    stamped = ImageChops.multiply(clean, ink)  # ink over print: the black stays black under the seal

    cleaned, layer = remove_colour(stamped)

    black = _ink(clean)
    kept = _ink(cleaned)
    assert kept[black].mean() > 0.97  # the black text is still there …
    assert (kept & ~black).sum() < 0.002 * kept.size  # … and almost nothing else is
    taken = _ink(layer)
    assert taken[60:560, 600:1100].sum() > 5000  # the seal went to the colour layer, kept aside
    assert not (taken & black & ~_ink(stamped)).any()


@needs_font
def test_a_page_turned_three_degrees_is_deskewed_to_within_half_a_degree() -> None:
    page = _page(LINES * 3, mode="L")
    for turned_by in (3.0, -3.0):
        tilted = page.rotate(turned_by, resample=Image.Resampling.BICUBIC, fillcolor=255)
        assert abs(skew_angle(tilted) - turned_by) <= 0.5
        straight, angle = deskew(tilted)
        assert abs(angle - turned_by) <= 0.5
        assert abs(skew_angle(straight)) <= 0.5
        assert straight.size == tilted.size  # same size, same resolution


@needs_font
def test_a_straight_page_is_left_untouched_by_deskew() -> None:
    page = _page(mode="L")
    straight, angle = deskew(page)
    assert angle == 0.0
    assert straight is page


@needs_font
def test_a_grey_background_page_is_binarised_to_black_ink_on_white() -> None:
    page = _page(mode="L")
    grey = np.asarray(page, dtype=np.float64)
    shaded = grey * 0.55 + 90  # paper at ~230 … 180 grey, ink at ~90
    shaded += np.linspace(0, -50, page.width)[None, :]  # darker towards the right, like a curled scan
    image = Image.fromarray(np.clip(shaded, 0, 255).astype(np.uint8), mode="L")

    out = binarise(image)

    values = np.asarray(out)
    assert set(np.unique(values)) <= {0, 255}
    ink = values == 0
    assert ink[_ink(page)].mean() > 0.97  # every letter stays black
    assert ink[~_ink(page)].mean() < 0.01  # the grey paper turns white


def test_prep_steps_are_switched_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_OCR_PREP", "deskew,binarise")
    assert Prep.from_env() == Prep(colour=False, deskew=True, binarise=True)
    monkeypatch.setenv("ARCHIVE_OCR_PREP", "none")
    assert Prep.from_env().label == "none"
    monkeypatch.delenv("ARCHIVE_OCR_PREP")
    assert Prep.from_env() == Prep()


def _read(image: Image.Image, folder: Path, name: str) -> tuple[str, float]:
    path = folder / f"{name}.png"
    image.save(path, dpi=(200, 200))
    words = _words(_tesseract_tsv(path))
    confs = [w.conf for w in words if w.conf >= 0]
    return " ".join(w.text for w in words), (sum(confs) / len(confs) if confs else 0.0)


def _hits(text: str) -> int:
    read = canonical(text).split()
    return sum(1 for line in LINES for word in canonical(line).split() if word in read)


@needs_font
def test_tesseract_reads_a_stamped_tilted_page_better_after_preparation(tmp_path: Path) -> None:
    _tesseract_or_skip()
    seal = Image.new("RGB", (1654, 1200), "white")
    draw = ImageDraw.Draw(seal)
    for ring in (0, 40):
        draw.ellipse((500 + ring, 40 + ring, 1100 - ring, 640 - ring), outline=(220, 20, 30), width=12)
    draw.text((560, 300), "UBND TỈNH", font=ImageFont.truetype(str(FONT), 70), fill=(220, 20, 30))
    page = ImageChops.multiply(_page(), seal)
    scan = page.rotate(3.0, resample=Image.Resampling.BICUBIC, fillcolor="white")

    before, conf_before = _read(scan.convert("L"), tmp_path, "before")
    prepared = prepare(scan, Prep(colour=True, deskew=True, binarise=True))
    after, conf_after = _read(prepared.image, tmp_path, "after")

    assert _hits(after) > _hits(before), (before, after)
    assert _hits(after) >= 0.9 * sum(len(canonical(line).split()) for line in LINES)
    assert conf_after > conf_before


@needs_font
def test_ocr_lines_carry_their_word_confidence(tmp_path: Path) -> None:
    _tesseract_or_skip()
    pdf = tmp_path / "scan.pdf"
    _page().save(pdf, "PDF", resolution=200.0)

    result = ocr_pdf_pages(pdf, [1])

    lines = [ln for ln in result.lines[1] if ln.text.strip()]
    assert len(lines) == len(LINES)
    for line in lines:
        assert line.ocr_confidence is not None and 0.5 < line.ocr_confidence <= 1.0
        assert line.ocr_confidence_min is not None and line.ocr_confidence_min <= line.ocr_confidence


@needs_font
def test_a_number_stamped_in_red_is_read_back_into_the_number_line(tmp_path: Path) -> None:
    _tesseract_or_skip()
    page = Image.new("RGB", (1654, 900), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 44)
    draw.text((140, 120), "ỦY BAN NHÂN DÂN TỈNH", font=font, fill="black")
    draw.text((140, 220), "Số:", font=font, fill="black")
    draw.text((330, 220), "/TB-UBND", font=font, fill="black")
    draw.text((238, 216), "46", font=font, fill=(200, 20, 30))  # the number stamped in red ink
    draw.text((140, 320), "Về việc thụ lý giải quyết khiếu nại", font=font, fill="black")
    pdf = tmp_path / "stamped.pdf"
    page.save(pdf, "PDF", resolution=200.0)

    result = ocr_pdf_pages(pdf, [1], prep=Prep(colour=True, deskew=True, binarise=False))

    number_line = next(ln for ln in result.lines[1] if ln.text.lower().startswith("số"))
    assert number_line.text == "Số: 46/TB-UBND"
    assert number_line.size_pt is not None  # still a styled line for the format checks
    assert number_line.ocr_confidence_min is not None and number_line.ocr_confidence_min >= 0.8


@needs_font
def test_a_blank_number_line_stays_blank_when_no_coloured_ink_is_there(tmp_path: Path) -> None:
    _tesseract_or_skip()
    page = Image.new("RGB", (1654, 600), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 44)
    draw.text((140, 120), "Số:", font=font, fill="black")
    draw.text((330, 120), "/TB-UBND", font=font, fill="black")
    pdf = tmp_path / "blank.pdf"
    page.save(pdf, "PDF", resolution=200.0)

    result = ocr_pdf_pages(pdf, [1], prep=Prep(colour=True, deskew=True, binarise=False))

    number_line = next(ln for ln in result.lines[1] if ln.text.lower().startswith("số"))
    assert not any(ch.isdigit() for ch in number_line.text)
