"""How a certificate's names are compared with the document's: no case, no diacritics, abbreviations spelled out."""

from __future__ import annotations

from archive_service.validation.signatures import names_body, same_person
from indexers.signatures.certificate import kind_of
from schemas.parsed import SignatureCertificate, SignatureKind


def test_names_body_ignores_case_and_diacritics() -> None:
    assert names_body("Tỉnh ủy Điện Biên", "TỈNH UỶ ĐIỆN BIÊN")
    assert names_body("TINH UY DIEN BIEN", "Tỉnh ủy Điện Biên")
    assert not names_body("Tỉnh ủy Lai Châu", "TỈNH UỶ ĐIỆN BIÊN")


def test_ubnd_is_uy_ban_nhan_dan() -> None:
    assert names_body("UBND tỉnh Quảng Ngãi", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    assert names_body("Ủy ban nhân dân tỉnh Quảng Ngãi", "UBND TỈNH QUẢNG NGÃI")
    assert not names_body("UBND tỉnh Quảng Nam", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")


def test_a_body_under_its_parent() -> None:
    assert names_body("Văn phòng Tỉnh ủy Điện Biên", "VĂN PHÒNG", "TỈNH UỶ ĐIỆN BIÊN")
    assert not names_body("Văn phòng Tỉnh ủy Điện Biên", "VĂN PHÒNG", "TỈNH UỶ LAI CHÂU")
    assert not names_body("Tỉnh Quảng Ngãi", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")  # a territory names no body
    assert not names_body(None, "VĂN PHÒNG") and not names_body("Văn phòng", None)


def test_same_person() -> None:
    assert same_person("Trần Quốc Cường", "TRẦN QUỐC CƯỜNG")
    assert same_person("Tran Quoc Cuong", "Trần Quốc Cường")
    assert not same_person("Trần Quốc Cường", "Trần Quốc Hùng")
    assert not same_person("Trần Quốc Cường", None)


def _cert(common_name: str | None, *identifiers: str) -> SignatureCertificate:
    return SignatureCertificate(subject="", common_name=common_name, identifiers=list(identifiers))


def test_kind_of_reads_identifiers_then_the_name() -> None:
    assert kind_of(_cert("Trần Quốc Cường", "CCCD:001234567890")) is SignatureKind.PERSON
    assert kind_of(_cert("Tỉnh ủy Điện Biên", "MST:0101234567")) is SignatureKind.ORGANIZATION
    assert kind_of(_cert("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")) is SignatureKind.ORGANIZATION
    assert kind_of(_cert("ubnd tinh quang ngai")) is SignatureKind.ORGANIZATION
    assert kind_of(_cert("Nguyễn Phước Bình")) is SignatureKind.PERSON
    assert kind_of(_cert("Nguyễn Phước Bình", "MST:0101234567")) is SignatureKind.ORGANIZATION
