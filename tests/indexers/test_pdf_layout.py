"""The PDF reader: runs with font, size and style, columns kept apart, page setup, ký số."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from indexers.parse import parse_file
from indexers.pdf_fonts import family_of, font_style
from schemas.parsed import Region


def test_font_names_give_family_bold_and_italic() -> None:
    assert family_of("ABCDEF+TimesNewRomanPS-BoldMT") == "Times New Roman"
    assert family_of("TimesNewRoman,BoldItalic") == "Times New Roman"
    style = font_style(DictionaryObject({NameObject("/BaseFont"): NameObject("/BAAAAA+LiberationSerif-BoldItalic")}))
    assert (style.family, style.bold, style.italic) == ("Liberation Serif", True, True)
    assert style.substitute_for == "Times New Roman"
    plain = font_style(DictionaryObject({NameObject("/BaseFont"): NameObject("/TimesNewRomanPSMT")}))
    assert (plain.bold, plain.italic) == (False, False)


@pytest.mark.slow
def test_a_libreoffice_pdf_keeps_fonts_sizes_and_styles(corpus_pdfs: dict[str, Path]) -> None:
    parsed = parse_file(corpus_pdfs["01-nq-btv"])
    title = next(line for line in parsed.lines if line.text == "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert (title.bold, title.size_pt, title.font) == (True, 15.0, "Liberation Serif")
    assert title.runs[0].font_substitute_for == "Times New Roman"
    date_line = next(line for line in parsed.lines if "ngày 05 tháng 3 năm 2024" in line.text)
    assert date_line.italic and date_line.size_pt == 14.0
    assert (parsed.page_setup.width_mm, parsed.page_setup.height_mm) == (210.0, 297.0)
    assert parsed.page_setup.margin_left_mm == pytest.approx(30, abs=1.5)


@pytest.mark.slow
def test_the_two_header_columns_do_not_interleave(corpus_pdfs: dict[str, Path]) -> None:
    texts = [line.text for line in parse_file(corpus_pdfs["12-cv-vptu"]).lines]
    left = ["TỈNH ỦY THANH HÓA", "VĂN PHÒNG", "*", "Số 357-CV/VPTU"]
    start = texts.index(left[0])
    assert texts[start : start + 4] == left
    assert texts.index("ĐẢNG CỘNG SẢN VIỆT NAM") > texts.index("Số 357-CV/VPTU")


@pytest.mark.slow
def test_page_numbers_on_later_pages_are_found_as_page_headers(corpus_pdfs: dict[str, Path]) -> None:
    parsed = parse_file(corpus_pdfs["22-bc-hu"])
    assert parsed.page_count == 3
    assert parsed.page_setup.has_page_numbers and parsed.page_setup.different_first_page
    assert [line.text for line in parsed.lines if line.region == Region.HEADER] == ["2", "3"]
    assert parsed.page_setup.margin_bottom_mm is not None


def _certificate(common_name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _signed_pdf(path: Path, *, name: str | None, common_name: str) -> Path:
    """A PDF with a filled /Sig field, shaped like a ký số (the byte range is not verified here)."""
    cert, key = _certificate(common_name)
    blob = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(b"noi dung")
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    )
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    sig = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Sig"),
            NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
            NameObject("/SubFilter"): NameObject("/adbe.pkcs7.detached"),
            NameObject("/M"): TextStringObject("D:20250105093000+07'00'"),
            NameObject("/Contents"): ByteStringObject(blob + b"\x00" * 64),
            NameObject("/ByteRange"): ArrayObject([NumberObject(0)] * 4),
        }
    )
    if name is not None:
        sig[NameObject("/Name")] = TextStringObject(name)
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("KySo1"),
            NameObject("/V"): writer._add_object(sig),
        }
    )
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([writer._add_object(field)])}
    )
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_a_digitally_signed_pdf_records_signer_and_time_and_is_not_rewritten(tmp_path: Path) -> None:
    # The signer is the certificate's, not the /Name the signing software wrote; this hand-made signature's
    # /ByteRange covers nothing, so it is read but reported broken (tests/signatures has real signing).
    path = _signed_pdf(tmp_path / "signed.pdf", name="Tên tự khai", common_name="Nguyễn Văn Hùng")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    parsed = parse_file(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    [signature] = parsed.signatures
    assert signature.signer_name == "Nguyễn Văn Hùng"
    assert signature.signed_at is not None
    assert signature.field_name == "KySo1"
    assert signature.verified and signature.intact is False


def test_the_signer_name_falls_back_to_the_certificate_common_name(tmp_path: Path) -> None:
    path = _signed_pdf(tmp_path / "signed.pdf", name=None, common_name="TRẦN THỊ MAI")
    [signature] = parse_file(path).signatures
    assert signature.signer_name == "TRẦN THỊ MAI"


def test_font_names_with_spaces_are_read_too() -> None:
    assert family_of("Times New Roman") == "Times New Roman"
    style = font_style(DictionaryObject({NameObject("/BaseFont"): NameObject("/Times New Roman Bold")}))
    assert (style.family, style.bold, style.italic) == ("Times New Roman", True, False)
