"""Bad files are refused with their code, in-process and in the sandbox, within the budget."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from archive_service.errors import AppError
from archive_service.storage.sniff import DOCX, PDF, admit
from indexers import sniff
from indexers.errors import ParseError
from indexers.parse import parse_file, parse_file_isolated
from tests.corpus.generator import DocSpec, write_docx
from tests.indexers.bad_files.make_bad_files import BAD_FILES, make_all

REFUSED = sorted(name for name, (_, code) in BAD_FILES.items() if code is not None)

# What the upload gate answers for each bad file: the media type it stores, or the code it refuses with.
# A file of the right type with broken content is stored (the original is kept) and fails in the worker.
GATE: dict[str, str] = {
    "truncated.pdf": PDF,
    "encrypted.pdf": PDF,
    "owner-password-only.pdf": PDF,
    "huge-page-count.pdf": PDF,
    "many-pages.pdf": PDF,
    "zip-bomb.docx": DOCX,
    "many-entries.docx": DOCX,
    "macro.docm": "UPLOAD-MACRO",
    "vba-project.docx": "UPLOAD-MACRO",
    "encrypted.docx": "UPLOAD-ENCRYPTED",
    "legacy.doc": "UPLOAD-LEGACY-FORMAT",
    "archive.zip": "UPLOAD-UNSUPPORTED-TYPE",
    "broken-zip.docx": "UPLOAD-UNSUPPORTED-TYPE",
    "random.bin": "UPLOAD-UNSUPPORTED-TYPE",
    "empty.pdf": "UPLOAD-EMPTY",
}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("name", REFUSED)
def test_each_bad_file_is_refused_with_its_code(bad_files: dict[str, Path], name: str) -> None:
    expected = BAD_FILES[name][1]
    started = time.monotonic()
    with pytest.raises(ParseError) as refused:
        parse_file(bad_files[name])
    assert refused.value.code == expected
    assert refused.value.message.endswith(".")  # one Vietnamese sentence
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("name", ["zip-bomb.docx", "encrypted.pdf", "macro.docm", "truncated.pdf", "random.bin"])
def test_the_sandbox_refuses_bad_files_with_the_same_code(bad_files: dict[str, Path], name: str) -> None:
    with pytest.raises(ParseError) as refused:
        parse_file_isolated(bad_files[name], timeout_s=30)
    assert refused.value.code == BAD_FILES[name][1]


def test_a_pdf_whose_user_password_is_empty_is_read(bad_files: dict[str, Path]) -> None:
    parsed = parse_file(bad_files["owner-password-only.pdf"])
    assert parsed.page_count == 1


def test_a_macro_enabled_document_is_refused_even_when_declared_as_docx(bad_files: dict[str, Path]) -> None:
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    with pytest.raises(ParseError) as refused:
        parse_file(bad_files["macro.docm"], media_type=docx_type)
    assert refused.value.code == "PARSE-UNSUPPORTED"


def _long_docx(tmp_path: Path, paragraphs: int) -> Path:
    """A valid DOCX whose body repeats one paragraph ``paragraphs`` times (slow to read, small to store)."""
    import zipfile

    short = tmp_path / "short.docx"
    write_docx(DocSpec(), short)
    path = tmp_path / "long.docx"
    with zipfile.ZipFile(short) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                body_at = data.index(b"<w:body>") + len(b"<w:body>")
                para = "<w:p><w:r><w:t>Nội dung nghị quyết</w:t></w:r></w:p>".encode()
                data = data[:body_at] + para * paragraphs + data[body_at:]
            dst.writestr(item, data)
    return path


def test_a_parse_over_its_time_budget_is_stopped_with_parse_timeout(tmp_path: Path) -> None:
    path = _long_docx(tmp_path, 15_000)  # about a second to read, under the zip-bomb ratio cap
    parse_file_isolated(tmp_path / "short.docx", timeout_s=60)  # a warm worker: only the parse counts
    started = time.monotonic()
    with pytest.raises(ParseError) as refused:
        parse_file_isolated(path, timeout_s=0.3)
    assert refused.value.code == "PARSE-TIMEOUT"
    assert time.monotonic() - started < 5
    parsed = parse_file_isolated(tmp_path / "short.docx", timeout_s=60)  # a fresh worker takes over
    assert parsed.lines


def test_a_parse_over_its_memory_budget_is_stopped_with_parse_too_large(tmp_path: Path) -> None:
    path = tmp_path / "ok.docx"
    write_docx(DocSpec(), path)
    with pytest.raises(ParseError) as refused:
        parse_file_isolated(path, memory_mb=60, timeout_s=30)
    assert refused.value.code == "PARSE-TOO-LARGE"


def test_a_good_file_parses_in_the_sandbox(tmp_path: Path) -> None:
    path = tmp_path / "ok.docx"
    write_docx(DocSpec(), path)
    parsed = parse_file_isolated(path, timeout_s=60)
    assert any(line.text == "Số 125-NQ/TU" for line in parsed.lines)


def _gate(path: Path) -> str:
    try:
        return admit(path, filename=path.name)
    except AppError as refused:
        assert refused.status_code == (400 if refused.code == "UPLOAD-EMPTY" else 415)
        return refused.code


def test_every_bad_file_has_its_upload_gate_answer() -> None:
    assert set(GATE) == set(BAD_FILES)


@pytest.mark.parametrize("name", sorted(GATE))
def test_the_upload_gate_answers_each_bad_file_as_expected(bad_files: dict[str, Path], name: str) -> None:
    assert _gate(bad_files[name]) == GATE[name]


@pytest.mark.parametrize("name", sorted(GATE))
def test_the_upload_gate_and_the_parser_agree_on_the_type(bad_files: dict[str, Path], name: str) -> None:
    """A file the gate stores never fails in the parser for its type; a file it refuses, the parser refuses too."""
    verdict = _gate(bad_files[name])
    try:
        parse_file(bad_files[name], media_type=verdict if verdict in (PDF, DOCX) else None)
    except ParseError as refused:
        if verdict in (PDF, DOCX):
            assert refused.code != "PARSE-UNSUPPORTED", f"stored as {verdict}, then refused for its type"
        return
    assert verdict in (PDF, DOCX), f"refused at upload ({verdict}) but the parser reads it"


def test_a_zip_that_names_a_member_like_a_pdf_header_is_not_a_pdf(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "polyglot.pdf"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("%PDF-1.7 decoy.txt", b"not a pdf")
    assert sniff.sniff_file(path) == sniff.ZIP
    assert _gate(path) == "UPLOAD-UNSUPPORTED-TYPE"


def test_a_bomb_in_the_content_types_part_is_read_no_further_than_its_head(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "types-bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("[Content_Types].xml", "w", force_zip64=True) as member:
            for _ in range(512):  # 512 MiB inflated, about 0.5 MB stored
                member.write(b" " * (1024 * 1024))
        zf.writestr("word/document.xml", b"<w:document/>")
    started = time.monotonic()
    assert sniff.sniff_file(path) == sniff.ZIP  # the head holds no WordprocessingML type
    assert time.monotonic() - started < 2
