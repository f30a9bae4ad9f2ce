"""Streams a multipart upload to disk, file by file, with a size limit and a SHA-256 per file.

Nothing is held in memory but one chunk; a file over the limit stops the request at once. Only the
expected parts are taken: files under the one file field of the route, and its known text fields;
any other part refuses the whole request, so that a file never slips in under a name no code reads.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final
from urllib.parse import unquote

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from archive_service.errors import AppError
from archive_service.filenames import clean_filename

# python-multipart's default (4 KiB a header line) refuses a long file name as a malformed body; a
# 5,000-character Vietnamese name sent as filename* (RFC 5987) is ~45 KB. The name is shortened later.
MAX_HEADER_BYTES: Final = 64 * 1024
MAX_FIELD_BYTES: Final = 64 * 1024
# RFC 5987 ext-value: charset ' [language] ' percent-encoded value (also seen quoted, against the RFC).
_FILENAME_STAR = re.compile(r"""filename\*\s*=\s*"?([A-Za-z0-9!#$%&+^_`{}~-]+)'[A-Za-z0-9-]*'([^";\s]*)""", re.I)
_STAR_CHARSETS: Final = frozenset({"utf-8", "iso-8859-1"})


class UploadTooLarge(AppError):
    status_code = 413


@dataclass
class SpooledFile:
    """One uploaded file, on disk in the spool folder."""

    field: str
    filename: str
    path: Path
    size: int = 0
    sha256: str = ""


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    header_field: bytearray = field(default_factory=bytearray)
    header_value: bytearray = field(default_factory=bytearray)
    spooled: SpooledFile | None = None
    handle: IO[bytes] | None = None
    digest: Any = None
    value: bytearray = field(default_factory=bytearray)


def _filename_from(disposition: str, params: dict[bytes, bytes]) -> str | None:
    """The file name of a part: ``filename*`` (RFC 5987) when readable, else ``filename``; None for a text field."""
    star = _FILENAME_STAR.search(disposition)
    if star and star.group(1).lower() in _STAR_CHARSETS:
        return unquote(star.group(2), encoding=star.group(1).lower(), errors="replace")
    raw = params.get(b"filename")
    if raw is None:
        return "" if star else None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _shown(name: str) -> str:
    """A field name as it may appear in a message: visible characters only, at most 64."""
    return "".join(ch for ch in name if unicodedata.category(ch)[0] not in "CZ" or ch == " ")[:64]


def unexpected_field(name: str, file_field: str, text_fields: frozenset[str]) -> AppError:
    """The refusal of a part the route does not read, naming it and what the route accepts."""
    accepted = f"tệp trong trường “{file_field}”"
    if text_fields:
        accepted += " và " + ", ".join(f"“{f}”" for f in sorted(text_fields))
    return AppError(
        "UPLOAD-UNEXPECTED-FIELD",
        f"Phần dữ liệu “{_shown(name)}” không được nhận (chỉ nhận {accepted}); chưa lưu tệp nào.",
    )


class MultipartSpooler:
    """Feeds a request body to a streaming multipart parser that writes file parts to the spool."""

    def __init__(
        self,
        *,
        boundary: bytes,
        spool_dir: Path,
        max_file_bytes: int,
        max_files: int,
        file_field: str = "files",
        text_fields: frozenset[str] = frozenset(),
    ) -> None:
        spool_dir.mkdir(parents=True, exist_ok=True)
        self.spool_dir = spool_dir
        self.max_file_bytes = max_file_bytes
        self.max_files = max_files
        self.file_field = file_field
        self.text_fields = text_fields
        self.files: list[SpooledFile] = []
        self.fields: dict[str, str] = {}
        self._part = _Part()
        self._error: AppError | None = None
        self._parser = MultipartParser(
            boundary,
            callbacks={
                "on_part_begin": self._on_part_begin,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_headers_finished": self._on_headers_finished,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
            },
            max_header_size=MAX_HEADER_BYTES,
        )

    async def consume(self, stream: AsyncIterator[bytes]) -> None:
        """Read the whole body; on any error every spooled file is removed before raising."""
        try:
            async for chunk in stream:
                self._parser.write(chunk)
                if self._error is not None:
                    raise self._error
            self._parser.finalize()
            if self._error is not None:
                raise self._error
            if self._parser.state != MultipartState.END:
                # python-multipart's finalize() does not check this: a body cut short would leave a partial file.
                raise AppError(
                    "UPLOAD-MALFORMED",
                    "Dữ liệu tải lên (multipart) bị cắt ngang, thiếu phần kết thúc; chưa lưu tệp nào.",
                )
        except AppError:
            self.cleanup()
            raise
        except MultipartParseError as exc:
            self.cleanup()
            if "header size" in str(exc):
                raise AppError(
                    "UPLOAD-HEADER-TOO-LARGE",
                    f"Phần đầu của một tệp (tên tệp) dài quá {MAX_HEADER_BYTES // 1024} KB; hãy đặt tên tệp ngắn hơn.",
                ) from exc
            raise AppError("UPLOAD-MALFORMED", "Dữ liệu tải lên (multipart) không đúng định dạng.") from exc
        except Exception as exc:
            self.cleanup()
            raise AppError("UPLOAD-MALFORMED", "Dữ liệu tải lên (multipart) không đúng định dạng.") from exc

    def cleanup(self) -> None:
        """Remove every spooled file of this request."""
        if self._part.handle is not None:
            self._part.handle.close()
            self._part.handle = None
        for f in self.files:
            f.path.unlink(missing_ok=True)

    def _on_part_begin(self) -> None:
        self._part = _Part()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._part.header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._part.header_value += data[start:end]

    def _on_header_end(self) -> None:
        name = self._part.header_field.decode("latin-1").lower()
        self._part.headers[name] = self._part.header_value.decode("utf-8", errors="replace")
        self._part.header_field = bytearray()
        self._part.header_value = bytearray()

    def _on_headers_finished(self) -> None:
        if self._error is not None:
            return
        disposition = self._part.headers.get("content-disposition", "")
        _, params = parse_options_header(disposition.encode("utf-8"))
        field_name = params.get(b"name", b"").decode("utf-8", errors="replace")
        filename = _filename_from(disposition, params)
        if filename is None:
            if field_name not in self.text_fields:
                self._error = unexpected_field(field_name, self.file_field, self.text_fields)
            return
        if field_name != self.file_field:
            self._error = unexpected_field(field_name, self.file_field, self.text_fields)
            return
        if len(self.files) >= self.max_files:
            self._error = AppError(
                "UPLOAD-TOO-MANY-FILES", f"Mỗi lần tải lên tối đa {self.max_files} tệp.", status_code=413
            )
            return
        fd, name = tempfile.mkstemp(dir=self.spool_dir, prefix="upload-", suffix=".part")
        spooled = SpooledFile(field=field_name, filename=clean_filename(filename), path=Path(name))
        self.files.append(spooled)
        self._part.spooled = spooled
        self._part.handle = open(fd, "wb")  # noqa: SIM115 - closed in _on_part_end or cleanup
        self._part.digest = hashlib.sha256()

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._error is not None:
            return
        part = self._part
        chunk = data[start:end]
        if part.spooled is None or part.handle is None:
            if len(part.value) + len(chunk) > MAX_FIELD_BYTES:
                self._error = AppError("UPLOAD-FIELD-TOO-LARGE", "Trường dữ liệu quá dài.", status_code=413)
                return
            part.value += chunk
            return
        part.spooled.size += len(chunk)
        if part.spooled.size > self.max_file_bytes:
            limit_mb = self.max_file_bytes // (1024 * 1024)
            self._error = UploadTooLarge(
                "UPLOAD-TOO-LARGE", f"Tệp {part.spooled.filename} vượt quá giới hạn {limit_mb} MB."
            )
            return
        part.digest.update(chunk)
        part.handle.write(chunk)

    def _on_part_end(self) -> None:
        if self._error is not None:
            return
        part = self._part
        if part.spooled is not None and part.handle is not None:
            part.handle.close()
            part.handle = None
            part.spooled.sha256 = part.digest.hexdigest()
        elif part.spooled is None:
            disposition = part.headers.get("content-disposition", "")
            _, params = parse_options_header(disposition.encode("utf-8"))
            name = params.get(b"name", b"").decode("utf-8", errors="replace")
            self.fields[name] = part.value.decode("utf-8", errors="replace")
