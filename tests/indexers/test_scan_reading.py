"""Reading scans as offices send them (issue 11): header columns Tesseract runs together, handwritten numbers
in printed number lines, a second look at unsure lines, and the closed vocabularies a misread mark is put
right by. Each case is made here (words, lines or a page drawn in the test), never copied from a real file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from indexers.extract import extract_fields
from indexers.ocr import _chunks, _gutters, _Word, ocr_pdf_pages
from indexers.ocr_reread import Word, candidates, merge
from indexers.pdf_lines import build_lines
from schemas.parsed import ParsedDocument, Region, Run, TextLine
from tests.indexers.test_ocr_prepare import FONT, _tesseract_or_skip, needs_font

# --- one Tesseract line holding both header columns --------------------------------------------------------


def _line_words(spec: list[tuple[str, int]], *, top: int = 240, height: int = 50) -> list[_Word]:
    """Words of one Tesseract line: (text, left) with a width of 30 px a letter."""
    return [_Word(t, left, top, 30 * len(t), height, 95.0, (1, 1, 1)) for t, left in spec]


def _spaced(words: list[str], start: int, space: int = 16) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    x = start
    for word in words:
        out.append((word, x))
        x += 30 * len(word) + space
    return out


GLUED = _spaced(["UBND", "TỈNH", "QUẢNG", "NGÃI"], 400) + _spaced(
    ["CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"], 1013
)  # "NGÃI" ends at 958: a gutter of 55 px, under 2.5 letter heights (125 px)


def test_a_header_line_run_across_both_columns_splits_at_the_gutter() -> None:
    words = _line_words(GLUED)
    # The gutter (≈ 50 px) is less than 2.5 letter heights, but three times the line's usual word space.
    assert _gutters(words, 50, top_zone=True) == [False] * 4 + [True] + [False] * 7
    chunks = _chunks(words, 300, page_px=3508)
    assert [c.text for c in chunks] == ["UBND TỈNH QUẢNG NGÃI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    lines = build_lines(chunks, page=1, page_height=842, first_index=0)
    assert [ln.text for ln in lines] == ["UBND TỈNH QUẢNG NGÃI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]


def test_the_narrow_gutter_rule_holds_only_in_the_top_of_the_page() -> None:
    words = _line_words(GLUED, top=2000)
    assert [c.text for c in _chunks(words, 300, page_px=3508)] == [" ".join(t for t, _ in GLUED)]


@pytest.mark.parametrize(
    "spec",
    [
        [("Số:", 400), ("23", 520), ("/BC-UBND", 600), ("x", 900), ("y", 950)],  # the ký hiệu goes on
        [("Quảng", 400), ("Ngãi,", 580), ("ngày", 750), ("tháng", 940), ("01", 1106), ("năm", 1182)],  # a blank
    ],
)
def test_a_blank_left_for_a_value_or_a_ky_hieu_after_the_number_is_no_gutter(spec: list[tuple[str, int]]) -> None:
    words = _line_words(spec)
    assert len(_chunks(words, 300, page_px=3508)) == 1


# --- the fields of a scanned header ------------------------------------------------------------------------


def _scan(*lines: tuple[str, float], region: Region = Region.BODY) -> ParsedDocument:
    out = [
        TextLine(
            text=text,
            index=i,
            page=1,
            region=region if i == 0 else Region.BODY,
            runs=[Run(text=text, size_pt=13)],
            ocr_confidence=conf,
            ocr_confidence_min=conf,
        )
        for i, (text, conf) in enumerate(lines)
    ]
    return ParsedDocument(media_type="application/pdf", page_count=1, lines=out, ocr=True)


STATE_TOP = (("ỦY BAN NHÂN DÂN", 0.95), ("TỈNH AN GIANG", 0.9))
STATE_RIGHT = (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.95), ("Độc lập - Tự do - Hạnh phúc", 0.95))


@pytest.mark.parametrize(
    ("line", "type_code", "issuer_code"),
    [
        ("Số: 4@† /TTg-CĐS", None, "TTg-CĐS"),  # the ink of a handwritten number read as signs
        ("Só:4@` /TB-UBND", "TB", "UBND"),  # the mark of "Số" misread too
        ("Sô:⁄11 /CT-UBND", "CT", "UBND"),
        ("Số: 04+ /QĐ-BCĐ138", "QĐ", "BCĐ138"),
    ],
)
def test_a_handwritten_number_that_cannot_be_read_leaves_the_printed_ky_hieu_read_and_the_number_unread(
    line: str, type_code: str | None, issuer_code: str
) -> None:
    fields = extract_fields(_scan(*STATE_TOP, (line, 0.7), *STATE_RIGHT))
    assert (fields.type_code, fields.issuer_code) == (type_code, issuer_code)
    assert fields.number_line is not None and fields.number_line.startswith("Số")
    # Honestly unread: no value, no confidence, and not a blank left for the e-signature stamp.
    assert fields.number is None and fields.confidence["number"] == 0.0 and not fields.number_blank
    assert fields.profile.value == "state"


def test_a_handwritten_number_read_as_digits_is_kept_with_the_lines_confidence() -> None:
    fields = extract_fields(_scan(*STATE_TOP, ("Số: 23 /BC-UBND", 0.62), *STATE_RIGHT))
    assert (fields.number, fields.type_code, fields.issuer_code) == ("23", "BC", "UBND")
    assert fields.confidence["number"] == pytest.approx(0.62)


def test_a_handwritten_party_number_is_read_the_same_way() -> None:
    fields = extract_fields(_scan(("ĐẢNG BỘ TỈNH AN GIANG", 0.9), ("Số 1x -NQ/TU", 0.6)))
    assert (fields.type_code, fields.issuer_code, fields.number) == ("NQ", "TU", None)
    assert fields.confidence["number"] == 0.0


def test_a_typed_number_line_with_signs_before_the_slash_is_not_read_as_a_scan() -> None:
    parsed = _scan(*STATE_TOP, ("Số: 4@† /TTg-CĐS", 0.7), *STATE_RIGHT)
    plain = {"ocr_confidence": None, "ocr_confidence_min": None}
    typed = parsed.model_copy(update={"ocr": False, "lines": [ln.model_copy(update=plain) for ln in parsed.lines]})
    assert extract_fields(typed).number_line is None  # left to FMT-NUMBER-* on the raw line


def test_a_header_line_ocr_placed_in_the_top_margin_of_page_one_is_the_issuer() -> None:
    fields = extract_fields(
        _scan(("ỦY BAN NHÂN DÂN", 0.96), ("TỈNH QUẢNG NGÃI", 0.7), ("Số: 46/TB-UBND", 0.9), region=Region.HEADER)
    )
    assert fields.issuer == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"


def test_specks_read_as_capitals_between_issuer_and_number_are_not_part_of_the_issuer() -> None:
    fields = extract_fields(_scan(*STATE_TOP, ("NT", 0.1), ("Số: 46/TB-UBND", 0.9), *STATE_RIGHT))
    assert (fields.issuer, fields.parent_issuer) == ("ỦY BAN NHÂN DÂN TỈNH AN GIANG", None)


@pytest.mark.parametrize(
    ("line", "issuer"),
    [
        ("TÍNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),
        ("TỈNH HÀ TĨNH", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"),  # only the unit word is put right, not the name
        ("THANH PHÔ HUẾ", "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ"),
    ],
)
def test_a_units_misread_mark_is_put_right_on_a_scan(line: str, issuer: str) -> None:
    fields = extract_fields(_scan(("ỦY BAN NHÂN DÂN", 0.95), (line, 0.9), ("Số: 46/TB-UBND", 0.9), *STATE_RIGHT))
    assert fields.issuer == issuer


def test_the_unit_after_a_party_bodys_name_is_put_right_too() -> None:
    fields = extract_fields(
        _scan(("ĐẢNG BỘ TĨNH THANH HÓA", 0.9), ("ĐẢNG ỦY XÃ HOẰNG TIẾN", 0.9), ("Số 12-KH/ĐU", 0.9))
    )
    assert (fields.parent_issuer, fields.issuer) == ("ĐẢNG BỘ TỈNH THANH HÓA", "ĐẢNG ỦY XÃ HOẰNG TIẾN")


@pytest.mark.parametrize(
    ("line", "name"),
    [("QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN TỈNH", "QUYẾT ĐỊNH"), ("THÔNG BÁO.", "THÔNG BÁO")],
)
def test_the_type_line_of_older_documents_and_one_with_a_speck_after_it(line: str, name: str) -> None:
    fields = extract_fields(
        _scan(*STATE_TOP, ("Số: 157/QĐ-UB", 0.9), *STATE_RIGHT, (line, 0.9), ("Về việc giao đất ở", 0.9))
    )
    assert fields.document_type == name


SIGNATURE_BODY = (*STATE_TOP, ("Số: 12/BC-UBND", 0.9), *STATE_RIGHT, ("BÁO CÁO", 0.9), ("Về việc X", 0.9))


@pytest.mark.parametrize(
    ("title", "read", "sure"),
    [
        ("PHO CHỦ TỊCH", "PHÓ CHỦ TỊCH", True),  # the same letters without a mark: the title
        ("PHÓ CHỦ TỊC", "PHÓ CHỦ TỊCH", False),  # a letter lost under the seal: a guess
        ("PHÓ GIÁM ĐỐC SỞ", "PHÓ GIÁM ĐỐC SỞ", True),  # not a known title: as read
    ],
)
def test_a_signer_title_read_by_ocr_takes_the_spelling_of_the_title_it_is(title: str, read: str, sure: bool) -> None:
    fields = extract_fields(
        _scan(*SIGNATURE_BODY, ("KT. CHỦ TỊCH", 0.95), ("ˆ", 0.3), (title, 0.95), ("Trần Văn An", 0.95))
    )
    assert (fields.signing_form, fields.signer_title, fields.signer_name) == ("KT. CHỦ TỊCH", read, "Trần Văn An")
    assert (fields.confidence.get("signer_title", 1.0) >= 0.9) is sure


# --- a second look at unsure lines -------------------------------------------------------------------------


def _ocr_line(index: int, text: str, conf: float, y: float = 100.0) -> TextLine:
    return TextLine(
        text=text,
        index=index,
        page=1,
        x_pt=100,
        y_pt=y,
        width_pt=150,
        runs=[Run(text=text, size_pt=14)],
        ocr_confidence=conf,
        ocr_confidence_min=conf,
    )


def test_only_unsure_word_lines_other_than_number_and_date_lines_are_looked_at_again() -> None:
    lines = [
        _ocr_line(0, "TINH QUANG NGAÀI", 0.68),
        _ocr_line(1, "ỦY BAN NHÂN DÂN", 0.96),
        _ocr_line(2, "Số: 4@† /TTg-CĐS", 0.5),
        _ocr_line(3, "Hà Nội, ngày 3⁄4 tháng 4 năm 2026", 0.6),
        _ocr_line(4, "ˆ%", 0.3),
    ]
    assert [ln.index for ln in candidates(lines)] == [0]


def test_a_surer_second_reading_replaces_the_line_and_a_different_one_does_not() -> None:
    from indexers.ocr_reread import Strip
    from indexers.ocr_sheet import Piece

    lines = [_ocr_line(0, "TINH QUANG NGAÀI", 0.68), _ocr_line(1, "PHÓ CHỦ TỊCH", 0.7, y=200)]
    strips = [Strip(lines[0], Piece((0, 0, 400, 40), 10, 8)), Strip(lines[1], Piece((0, 0, 400, 40), 70, 8))]
    words = [
        Word("TỈNH", 95, 30, 10),
        Word("QUẢNG", 94, 30, 80),
        Word("NGÃI", 96, 30, 200),
        Word("X", 97, 90, 10),  # the second strip came back as one letter: not the same line read better
    ]
    merged = merge(lines, strips, words)
    assert merged[0].text == "TỈNH QUẢNG NGÃI" and merged[0].ocr_confidence == pytest.approx(0.95)
    assert merged[1] == lines[1]


@needs_font
def test_a_scanned_header_with_both_columns_on_one_line_reads_issuer_and_quoc_hieu_apart(tmp_path: Path) -> None:
    _tesseract_or_skip()
    image = Image.new("RGB", (1654, 1200), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 34)
    # Issuer and Quốc hiệu on one baseline, a gutter only about one letter height wide.
    draw.text((120, 150), "UBND TỈNH AN GIANG", font=font, fill="black")
    end = 120 + draw.textlength("UBND TỈNH AN GIANG", font=font)
    draw.text((end + 45, 150), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font, fill="black")
    draw.text((200, 230), "Số: 12/BC-UBND", font=font, fill="black")
    pdf = tmp_path / "header.pdf"
    image.save(pdf, "PDF", resolution=200.0)

    texts = [ln.text for ln in ocr_pdf_pages(pdf, [1]).lines[1]]
    assert "UBND TỈNH AN GIANG" in texts
    assert any(t.startswith("CỘNG HÒA XÃ HỘI") for t in texts)


# --- ink the page reading passed over ----------------------------------------------------------------------


def _signature_page(tmp_path: Path) -> tuple[Path, list[tuple[int, int, int, int]]]:
    """A page with a title line (already read), a signature flourish and the signer's name under it."""
    image = Image.new("L", (1654, 1200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 40)
    draw.text((900, 300), "PHÓ CHỦ TỊCH", font=font, fill=0)
    title = draw.textbbox((900, 300), "PHÓ CHỦ TỊCH", font=font)
    for k in range(0, 160, 4):  # a flourish: thin strokes about two line heights tall
        draw.line((880 + 3 * k, 400 + k, 900 + 3 * k, 560 - k // 2), fill=0, width=3)
    draw.ellipse((300, 380, 620, 700), outline=0, width=12)  # a seal, eight line heights across
    draw.text((940, 600), "Trần Văn An", font=font, fill=0)
    page = tmp_path / "page.png"
    image.save(page)
    return page, [(int(title[0]), int(title[1]), int(title[2]), int(title[3]))]


@needs_font
def test_bands_of_uncovered_ink_are_line_tall_and_skip_the_seal(tmp_path: Path) -> None:
    from indexers.ocr_missed import bands

    page, read = _signature_page(tmp_path)
    with Image.open(page) as image:
        found = bands(image, read, letter_px=50)
    # The name and the flourish beside it; not the title (already read), not the seal (far too tall).
    assert any(top < 620 < bottom and left < 950 < right for left, top, right, bottom in found)
    assert not any(left < 600 for left, _, _, _ in found)
    assert all(top > 346 for _, top, _, _ in found)


@needs_font
def test_a_name_the_page_reading_passed_over_is_read_from_its_band(tmp_path: Path) -> None:
    from indexers.ocr import _missed_words

    _tesseract_or_skip()
    page, read = _signature_page(tmp_path)
    words = [_Word("PHÓ", *read[0][:2], read[0][2] - read[0][0], read[0][3] - read[0][1], 96.0, (1, 1, 1))]
    found = _missed_words(page, words)
    assert " ".join(w.text for w in found) == "Trần Văn An"
    assert all(w.top > 580 for w in found)  # placed back where it is on the page


def test_a_line_read_without_assurance_in_a_band_does_not_come_back() -> None:
    from indexers.ocr_missed import Found, assured_lines
    from indexers.ocr_sheet import Piece

    pieces = [Piece((900, 580, 1300, 660), 10, 8)]
    sure = [Found("Trần", 95, 20, 20, 80, 40, (1, 1)), Found("An", 92, 120, 20, 50, 40, (1, 1))]
    stroke = [Found("Thự", 40, 20, 20, 80, 40, (1, 1)), Found("ụ\\.", 0, 120, 20, 50, 40, (1, 1))]
    assert [(w.text, w.left, w.top) for w in assured_lines(pieces, sure)] == [("Trần", 912, 590), ("An", 1012, 590)]
    assert assured_lines(pieces, stroke) == []


def test_a_signers_name_under_a_seal_without_title_lines_is_taken_as_a_guess() -> None:
    def placed(i: int, text: str, x: float, y: float) -> TextLine:
        run = [Run(text=text, size_pt=13)]
        return TextLine(text=text, index=i, page=1, x_pt=x, y_pt=y, width_pt=8 * len(text), runs=run,
                        ocr_confidence=0.95, ocr_confidence_min=0.95)  # fmt: skip

    lines = [
        placed(0, "ỦY BAN NHÂN DÂN", 100, 60),
        placed(1, "Số: 12/CT-UBND", 110, 90),
        placed(2, "CHỈ THỊ", 280, 150),
        placed(3, "Về việc phòng cháy", 240, 170),
        placed(4, "Nơi nhận:", 90, 600),
        placed(5, "- Như trên;", 90, 615),
        placed(6, "- Lưu: VT.", 90, 630),
        placed(7, "Phạm Văn Thọ", 380, 700),  # the seal covered "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    ]
    parsed = ParsedDocument(media_type="application/pdf", page_count=1, lines=lines, ocr=True)
    fields = extract_fields(parsed)
    assert (fields.signing_form, fields.signer_title, fields.signer_name) == (None, None, "Phạm Văn Thọ")
    assert fields.confidence["signer_name"] < 0.8
    typed = parsed.model_copy(update={"ocr": False})
    assert extract_fields(typed).signer_name is None  # a typed document without a title line: nothing guessed
