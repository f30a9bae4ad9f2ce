"""The transfer bag on disk: BagIt (RFC 8493) with SHA-256 manifests, written once and checked on both sides.

Layout of ``<out>/<bag name>/``::

    bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
    data/originals/<dossier>/<NN>-<name>        the originals, byte-identical (their SHA-256 checked on the way)
    data/derivatives/<dossier>/<NN>-<kind>-<name>   searchable PDFs made beside them
    data/record-files/<dossier>/<name>          mục lục văn bản, chứng từ kết thúc of each dossier
    data/muc-luc-ho-so-nop-luu.pdf  data/bien-ban-giao-nhan.pdf     NĐ 30/2020 Phụ lục V.III and V.V
    data/metadata/ho-so.xml                     NĐ 30/2020 Phụ lục VI (metadata_xml.py)

Names inside the bag are ASCII (diacritics folded), so that any archive's tools and file systems read them; the
real file names travel in ho-so.xml. The bag's identity is the SHA-256 of its tagmanifest-sha256.txt: it covers
every manifest, hence every byte of the payload and of bag-info.txt.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import bagit

from archive_service.errors import AppError
from archive_service.transfers.metadata_xml import TransferMeta, read_ho_so_xml

METADATA_PATH: Final = "data/metadata/ho-so.xml"
TAGMANIFEST: Final = "tagmanifest-sha256.txt"
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(text: str, *, fallback: str = "tep") -> str:
    """An ASCII file name for inside the bag: diacritics folded (đ → d), anything else a hyphen, at most 120."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    name = _UNSAFE.sub("-", ascii_only).strip("-.")
    return (name or fallback)[:120]


@dataclass(frozen=True)
class Payload:
    """One file to put at ``path`` (relative to the bag, "data/…"): its bytes, or a function that writes them."""

    path: str
    data: bytes | None = None
    write: Callable[[Path], None] | None = None


class BagExists(AppError):
    status_code = 409

    def __init__(self, path: Path) -> None:
        super().__init__("TRANSFER-BAG-EXISTS", f"Thư mục {path} đã có; chọn thư mục khác để xuất gói nộp lưu.")


def export_bag(bag_dir: Path, payload: Sequence[Payload], metadata: bytes, bag_info: dict[str, str]) -> str:
    """Write the payload and ho-so.xml into ``bag_dir``, make it a bag, return its digest (see module doc).

    The folder must not exist yet; on any failure it is removed again, so that no half bag is left to send.
    """
    if bag_dir.exists():
        raise BagExists(bag_dir)
    bag_dir.mkdir(parents=True)
    try:
        for item in payload:
            _put(bag_dir, item)
        _put(bag_dir, Payload(METADATA_PATH, data=metadata))
        # make_bag moves the folder's content under data/: stage it without that prefix.
        staged = bag_dir / "data"
        for child in list(staged.iterdir()):
            shutil.move(str(child), str(bag_dir / child.name))
        staged.rmdir()
        bagit.make_bag(str(bag_dir), bag_info=bag_info, checksums=["sha256"])
    except BaseException:
        shutil.rmtree(bag_dir, ignore_errors=True)
        raise
    return bag_digest(bag_dir)


def _put(bag_dir: Path, item: Payload) -> None:
    target = bag_dir / item.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if item.data is not None:
        target.write_bytes(item.data)
    elif item.write is not None:
        item.write(target)


def bag_digest(bag_dir: Path) -> str:
    """SHA-256 of the bag's tagmanifest-sha256.txt (which names the SHA-256 of every other manifest)."""
    return hashlib.sha256((bag_dir / TAGMANIFEST).read_bytes()).hexdigest()


@dataclass
class VerifyReport:
    """What a check of a received bag found: valid, or the problems in Vietnamese, one line each."""

    path: Path
    problems: list[str] = field(default_factory=list)
    bag_info: dict[str, str] = field(default_factory=dict)
    digest: str | None = None
    metadata: TransferMeta | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def _describe(detail: object) -> str:
    if isinstance(detail, bagit.ChecksumMismatch):
        return f"Tệp {detail.path} sai mã kiểm tra SHA-256 (bản kê ghi {detail.expected}, tính được {detail.found})."
    if isinstance(detail, bagit.FileMissing):
        return f"Thiếu tệp {detail.path} mà bản kê (manifest) có ghi."
    if isinstance(detail, bagit.UnexpectedFile):
        return f"Tệp {detail.path} không có trong bản kê (manifest)."
    return f"Gói không hợp lệ: {detail}."


def _info(bag: bagit.Bag) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in bag.info.items():
        out[str(key)] = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return out


def verify_bag(path: Path) -> VerifyReport:
    """Check a bag as the receiving archive does: BagIt validation of every checksum (not only the counts),
    then ho-so.xml parses and lists exactly the payload files, each with the SHA-256 the manifest gives it."""
    report = VerifyReport(path=path)
    if not path.is_dir():
        report.problems.append(f"Không có thư mục {path}.")
        return report
    try:
        bag = bagit.Bag(str(path))
    except bagit.BagError as exc:
        report.problems.append(f"Thư mục {path} không phải là gói BagIt ({exc}).")
        return report
    report.bag_info = _info(bag)
    try:
        bag.validate(fast=False)
    except bagit.BagValidationError as exc:
        details = getattr(exc, "details", None) or []
        if details:
            report.problems.extend(_describe(d) for d in details)
        else:
            report.problems.append(f"Gói không hợp lệ: {exc}.")
    except bagit.BagError as exc:
        report.problems.append(f"Gói không hợp lệ: {exc}.")
    if (path / TAGMANIFEST).is_file():
        report.digest = bag_digest(path)
    else:
        report.problems.append(f"Gói thiếu {TAGMANIFEST}.")
    _check_metadata(path, bag, report)
    return report


def _check_metadata(path: Path, bag: bagit.Bag, report: VerifyReport) -> None:
    xml_path = path / METADATA_PATH
    if not xml_path.is_file():
        report.problems.append(f"Gói thiếu tệp siêu dữ liệu {METADATA_PATH}.")
        return
    try:
        meta = read_ho_so_xml(xml_path.read_bytes())
    except AppError as exc:
        report.problems.append(exc.message)
        return
    report.metadata = meta
    manifest: dict[str, str] = {
        str(name): str(sums.get("sha256", "")) for name, sums in bag.entries.items() if str(name).startswith("data/")
    }
    manifest.pop(METADATA_PATH, None)
    listed: dict[str, str] = {}
    for entry in meta.all_files():
        if entry.path in listed:
            report.problems.append(f"Siêu dữ liệu ghi tệp {entry.path} hai lần.")
        listed[entry.path] = entry.sha256
    for name in sorted(set(manifest) - set(listed)):
        report.problems.append(f"Tệp {name} có trong gói nhưng siêu dữ liệu (ho-so.xml) không ghi.")
    for name in sorted(set(listed) - set(manifest)):
        report.problems.append(f"Siêu dữ liệu ghi tệp {name} nhưng gói không có.")
    for name in sorted(set(listed) & set(manifest)):
        if listed[name] != manifest[name]:
            report.problems.append(f"Tệp {name}: mã SHA-256 trong siêu dữ liệu khác với bản kê (manifest).")
