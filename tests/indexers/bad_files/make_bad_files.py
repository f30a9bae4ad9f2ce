"""Make the bad files the readers must refuse, each with the code it must get.

Run ``python tests/indexers/bad_files/make_bad_files.py DIR`` to write them; the tests call
``make_all(tmp_dir)``. The zip bomb is only ever made at test time (it inflates to 300 MiB).
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from pypdf import PdfWriter
from pypdf.generic import NameObject, NumberObject


def _small_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _small_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Số 12-NQ/TU")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def truncated_pdf(out: Path) -> Path:
    data = _small_pdf(3)
    out.write_bytes(data[: len(data) // 2])
    return out


def encrypted_pdf(out: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu", algorithm="AES-128")
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def owner_only_encrypted_pdf(out: Path) -> Path:
    """Encrypted with an empty user password: opens without asking, so it must be read."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-128")
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def huge_page_count_pdf(out: Path) -> Path:
    """A tiny PDF whose page tree claims a million pages (/Count is all a reader sees first)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pages = writer._root_object["/Pages"]
    pages[NameObject("/Count")] = NumberObject(1_000_000)
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def many_pages_pdf(out: Path, pages: int = 1500) -> Path:
    out.write_bytes(_small_pdf(pages))
    return out


def docm_with_macro(out: Path) -> Path:
    source = zipfile.ZipFile(io.BytesIO(_small_docx()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            zf.writestr(info, data)
        zf.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return out


def docx_with_vba_project(out: Path) -> Path:
    """A DOCX whose content types say "document" but which carries a macro project (word/vbaProject.bin)."""
    source = zipfile.ZipFile(io.BytesIO(_small_docx()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            zf.writestr(info, source.read(info.filename))
        zf.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return out


def zip_not_docx(out: Path) -> Path:
    """A well-formed ZIP of text files: an archive, not a Word document."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bien-ban.txt", "Biên bản hội nghị".encode())
        zf.writestr("word/document.xml", b"<w:document/>")  # the right part name, without an OOXML package
    return out


def zip_bomb_docx(out: Path, inflated_mib: int = 300) -> Path:
    """A valid DOCX plus one member that inflates to ``inflated_mib`` MiB of zeros."""
    source = zipfile.ZipFile(io.BytesIO(_small_docx()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for info in source.infolist():
            zf.writestr(info, source.read(info.filename))
        block = b"\x00" * (1024 * 1024)
        with zf.open("word/media/image1.bin", "w", force_zip64=True) as member:
            for _ in range(inflated_mib):
                member.write(block)
    return out


def many_entries_docx(out: Path, entries: int = 3000) -> Path:
    source = zipfile.ZipFile(io.BytesIO(_small_docx()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for info in source.infolist():
            zf.writestr(info, source.read(info.filename))
        for i in range(entries):
            zf.writestr(f"customXml/extra{i}.xml", b"<a/>")
    return out


def broken_zip_docx(out: Path) -> Path:
    data = _small_docx()
    out.write_bytes(data[:200] + bytes(random.Random(7).randrange(256) for _ in range(800)))
    return out


def encrypted_docx(out: Path) -> Path:
    """The shape of a password-protected DOCX: an OLE compound file with an EncryptedPackage stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptedInfo".encode("utf-16-le") + b"\x00" * 40 + "EncryptedPackage".encode("utf-16-le")
    out.write_bytes(header + directory + b"\x00" * 1024)
    return out


def legacy_doc(out: Path) -> Path:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    out.write_bytes(header + "WordDocument".encode("utf-16-le") + b"\x00" * 1024)
    return out


def random_bytes(out: Path) -> Path:
    out.write_bytes(bytes(random.Random(3).randrange(256) for _ in range(4096)))
    return out


def empty_file(out: Path) -> Path:
    out.write_bytes(b"")
    return out


# name → (maker, expected code); None means the file must be read, not refused.
BAD_FILES: dict[str, tuple[Callable[[Path], Path], str | None]] = {
    "truncated.pdf": (truncated_pdf, "PARSE-CORRUPT"),
    "encrypted.pdf": (encrypted_pdf, "PARSE-ENCRYPTED"),
    "owner-password-only.pdf": (owner_only_encrypted_pdf, None),
    "huge-page-count.pdf": (huge_page_count_pdf, "PARSE-TOO-LARGE"),
    "many-pages.pdf": (many_pages_pdf, "PARSE-TOO-LARGE"),
    "macro.docm": (docm_with_macro, "PARSE-UNSUPPORTED"),
    "vba-project.docx": (docx_with_vba_project, "PARSE-UNSUPPORTED"),
    "archive.zip": (zip_not_docx, "PARSE-UNSUPPORTED"),
    "zip-bomb.docx": (zip_bomb_docx, "PARSE-TOO-LARGE"),
    "many-entries.docx": (many_entries_docx, "PARSE-TOO-LARGE"),
    "broken-zip.docx": (broken_zip_docx, "PARSE-CORRUPT"),
    "encrypted.docx": (encrypted_docx, "PARSE-ENCRYPTED"),
    "legacy.doc": (legacy_doc, "PARSE-UNSUPPORTED"),
    "random.bin": (random_bytes, "PARSE-UNSUPPORTED"),
    "empty.pdf": (empty_file, "PARSE-CORRUPT"),
}


def make_all(folder: Path, *, include_bomb: bool = True) -> dict[str, Path]:
    """Write every bad file into ``folder``; return name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    for name, (maker, _) in BAD_FILES.items():
        if name == "zip-bomb.docx" and not include_bomb:
            continue
        made[name] = maker(folder / name)
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "generated"
    for name, path in make_all(target, include_bomb="--bomb" in sys.argv).items():
        sys.stdout.write(f"{name}: {path.stat().st_size} bytes\n")
