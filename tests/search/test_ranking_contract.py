"""Ranking and snippets, run on every backend: words typed side by side, snippets from the body.

Most Vietnamese words are two syllables. Someone who types "nghị quyết" wants nghị quyết, not a quyết định
whose text says "hội nghị" here and "quyết định" there; the snippet should show why a document was found
(the words where they stand together, from the body), not the header every Party document begins with.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from indexers.search.base import SearchIndex
from schemas.search import SearchDocument, SearchHit, SearchQuery
from tests.search.conftest import IndexFactory

HEADER = (
    "ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY THANH HÓA\nSố {symbol}\n*\nThanh Hóa, ngày 05 tháng 3 năm 2024\n"
    "{kind}\n{summary}\n-----\n"
)


def _doc(document_id: str, kind: str, symbol: str, summary: str, body: str) -> SearchDocument:
    number, codes = symbol.split("-", 1)
    type_code, issuer_code = codes.split("/")
    return SearchDocument(
        document_id=document_id,
        office_id=1,
        filename=f"{document_id}.pdf",
        text=HEADER.format(symbol=symbol, kind=kind, summary=summary) + body,
        document_type=kind,
        summary=summary,
        number=number,
        type_code=type_code,
        issuer_code=issuer_code,
        symbol=symbol,
        issuer="TỈNH ỦY THANH HÓA",
        issued_on=date(2024, 3, 5),
        uploaded_at=datetime(2025, 1, 6, 8, 30, tzinfo=UTC),
    )


# A real nghị quyết: the two syllables side by side, twice.
NGHI_QUYET = _doc(
    "nq-125",
    "NGHỊ QUYẾT",
    "125-NQ/TU",
    "về tăng cường công tác xây dựng tổ chức cơ sở",
    "Ban Chấp hành Tỉnh ủy ban hành nghị quyết tại hội nghị lần thứ 12 về công tác xây dựng tổ chức cơ sở "
    "đảng trong sạch, vững mạnh. Các cấp ủy tổ chức quán triệt nghị quyết đến từng chi bộ.",
)
# A quyết định whose text has "hội nghị" and "quyết" many times, never side by side.
QUYET_DINH = _doc(
    "qd-981",
    "QUYẾT ĐỊNH",
    "981-QĐ/TU",
    "về việc chuẩn y kết quả bầu cử tại hội nghị",
    "Căn cứ kết quả hội nghị Ban Chấp hành Đảng bộ huyện; hội nghị đã biểu quyết thống nhất. "
    "Ban Thường vụ Tỉnh ủy quyết định chuẩn y kết quả bầu cử tại hội nghị nêu trên. "
    "Quyết định có hiệu lực từ ngày ký; hội nghị lần sau do Thường trực quyết định triệu tập.",
)
# The place of the header ("Thanh Hóa, ngày …") also named in the body.
KE_HOACH = _doc(
    "kh-40",
    "KẾ HOẠCH",
    "40-KH/TU",
    "triển khai chuyển đổi số trong cơ quan đảng",
    "Các cơ quan tham mưu, giúp việc của Tỉnh ủy và các huyện ủy, thị ủy, thành ủy trong tỉnh Thanh Hóa "
    "triển khai chuyển đổi số trong năm 2024.",
)
DOCS = [NGHI_QUYET, QUYET_DINH, KE_HOACH]


@pytest.fixture
def index(make_index: IndexFactory) -> SearchIndex:
    index = make_index()
    index.upsert(DOCS)
    return index


def hits(index: SearchIndex, q: str) -> list[SearchHit]:
    return index.search(SearchQuery(q=q, page_size=20)).hits


def snippet_of(hit: SearchHit) -> str:
    """The text snippet of a hit (its last highlight; the first is the marked trích yếu when it matched)."""
    assert hit.highlights, hit
    return hit.highlights[-1]


@pytest.mark.parametrize("q", ["nghị quyết", "nghi quyet", "NGHỊ QUYẾT"])
def test_words_typed_side_by_side_rank_the_document_where_they_stand_together_first(index: SearchIndex, q: str) -> None:
    found = [h.document_id for h in hits(index, q)]
    assert found == ["nq-125", "qd-981"]


def test_three_words_close_together_rank_above_the_same_words_scattered(make_index: IndexFactory) -> None:
    index = make_index()
    close = _doc("bc-1", "BÁO CÁO", "1-BC/TU", "sơ kết", "Công tác xây dựng đảng ở cơ sở có chuyển biến.")
    scattered = _doc(
        "bc-2",
        "BÁO CÁO",
        "2-BC/TU",
        "tổng kết",
        "Đảng bộ xã tập trung xây dựng nông thôn mới; xây dựng đường giao thông; công tác đảng viên mới; "
        "xây dựng quy chế làm việc của Đảng ủy.",
    )
    index.upsert([scattered, close])
    assert [h.document_id for h in hits(index, "xây dựng đảng")] == ["bc-1", "bc-2"]


def test_highlights_mark_the_words_where_they_stand_together_not_far_apart(index: SearchIndex) -> None:
    top = hits(index, "nghị quyết")[0]
    snippet = snippet_of(top)
    assert "<mark>nghị</mark> <mark>quyết</mark>" in snippet, snippet
    assert "tại hội nghị lần thứ 12" in snippet, snippet  # in the window, and not marked


def test_words_that_never_stand_together_are_still_marked_where_they_are(index: SearchIndex) -> None:
    other = next(h for h in hits(index, "nghị quyết") if h.document_id == "qd-981")
    joined = " ".join(other.highlights)
    assert "<mark>nghị</mark>" in joined and "<mark>quyết</mark>" in joined.lower(), joined


def test_snippets_come_from_the_body_not_the_header(index: SearchIndex) -> None:
    snippet = snippet_of(hits(index, "nghị quyết")[0])
    for boilerplate in ("ĐẢNG CỘNG SẢN", "Số 125", "ngày 05 tháng 3", "<mark>NGHỊ</mark>"):
        assert boilerplate not in snippet, snippet
    place = snippet_of(hits(index, "Thanh Hóa")[0])
    assert "tỉnh <mark>Thanh</mark> <mark>Hóa</mark>" in place and "ngày 05" not in place, place


def test_the_trich_yeu_is_marked_whole_and_not_repeated_as_the_snippet(index: SearchIndex) -> None:
    hit = hits(index, "chuyển đổi số")[0]
    assert hit.document_id == "kh-40"
    assert hit.highlights[0] == "triển khai <mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark> trong cơ quan đảng"
    assert hit.highlights[-1].startswith("…") or "Các cơ quan" in hit.highlights[-1], hit.highlights
    assert "cơ quan đảng\n" not in hit.highlights[-1]


def test_a_header_only_match_still_gets_its_snippet(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert([_doc("tb-1", "THÔNG BÁO", "1-TB/TU", "lịch làm việc", "Nội dung như phụ lục kèm theo.")])
    snippet = snippet_of(hits(index, "ĐẢNG CỘNG SẢN")[0])
    assert "<mark>ĐẢNG</mark> <mark>CỘNG</mark> <mark>SẢN</mark>" in snippet
