"""ho-so.xml: the NĐ 30/2020 Phụ lục VI metadata of every dossier and document a transfer bag carries.

Layout (UTF-8, no namespace, no schema file; element names are the English field names of Phụ lục VI, the
containers Vietnamese; stable, so that a receiving archive can read it without this program)::

    <HoSoNopLuu version="1">
      <Transfer>
        <Identifier/> <Target/> <OrganId/> <OrganName/> <CreatedAt/>
        <Files><File path= sha256= size= mediaType= role=/>…</Files>     the mục lục and biên bản PDFs
      </Transfer>
      <HoSo>                                                          one per dossier (Phụ lục VI, I)
        <FileCode/>  = OrganId + "." + year + "." + FileNotation
        <OrganId/> <FileCatalog/> (the year) <FileNotation/> (số và ký hiệu hồ sơ) <Title/>
        <Maintenance code="vinh-vien|<n>-nam"/> (its label) <Rights/> <Creator/> <Language/>
        <StartDate/> <EndDate/> <DocTotal/> <PageTotal/> <Description/>
        <Kind/> <MeetingBody/> <MeetingNumber/> <MeetingDate/> <ClosedAt/>   beyond Phụ lục VI: this program's
        <Files>…</Files>                                               the dossier's record files (mục lục, chứng từ)
        <VanBan>                                                       one per document (Phụ lục VI, II)
          <DocOrdinal/> <TypeName/> <CodeNumber/> <CodeNotation/> <IssuedDate/> <OrganName/> <Subject/>
          <Language/> <PageAmount/> <Description/> <SignerPosition/> <SignerName/> <To>(<Recipient/>…)</To>
          <Priority><Urgency/><Secrecy level="0-3"/></Priority> <IssuedAmount/> <DueDate/> <FileName/>
          <File …/> (the original)  <Derivatives><File …/>…</Derivatives>
        </VanBan>
      </HoSo>
    </HoSoNopLuu>

Dates are ISO (YYYY-MM-DD), an unknown value an empty element. Every file of the bag's payload except this one
is listed exactly once with its path inside the bag, SHA-256 and size: ``verify_bag`` holds the two to each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from lxml import etree

from archive_service.errors import AppError

VERSION: Final = "1"
# Party form "981-QĐ/TU" (36-HD/VPTW: số, hyphen, ký hiệu) and state form "12/NQ-CP" (NĐ 30 Phụ lục I: số, slash).
_CODE: Final = re.compile(r"^\s*(?:số\s*:?\s*)?(\d+[a-zđ]?)\s*([-/])\s*(\S.*?)\s*$", re.IGNORECASE)


def split_code_number(text: str | None) -> tuple[str | None, str | None]:
    """Số và ký hiệu into CodeNumber and CodeNotation: "981-QĐ/TU" → ("981", "QĐ/TU"), "12/NQ-CP" → ("12", "NQ-CP").

    A "Số" or "Số:" in front is dropped; a text without a leading number is all notation.
    """
    if text is None or not text.strip():
        return None, None
    match = _CODE.match(text)
    if match is None:
        stripped = re.sub(r"^\s*số\s*:?\s*", "", text, flags=re.IGNORECASE).strip()
        return None, stripped or None
    return match.group(1), match.group(3)


class BadMetadata(AppError):
    status_code = 422

    def __init__(self, detail: str) -> None:
        super().__init__("TRANSFER-METADATA-INVALID", f"Tệp metadata/ho-so.xml không đọc được: {detail}.")


@dataclass(frozen=True)
class FileEntry:
    """One payload file: its path inside the bag ("data/…"), SHA-256, size, media type and what it is."""

    path: str
    sha256: str
    size: int
    media_type: str
    role: str  # "original" | "derivative:<kind>" | "record-file:<kind>" | "sheet:<kind>"


@dataclass(frozen=True)
class DocumentMeta:
    ordinal: int
    filename: str
    file: FileEntry
    type_name: str | None = None
    code_number: str | None = None
    code_notation: str | None = None
    issued_date: date | None = None
    organ_name: str | None = None
    subject: str | None = None
    language: str = "vi"
    page_amount: int | None = None
    description: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    to: tuple[str, ...] = ()
    urgency: str | None = None
    secrecy: str | None = None
    secrecy_level: int = 0
    issued_amount: int | None = None
    due_date: date | None = None
    derivatives: tuple[FileEntry, ...] = ()


@dataclass(frozen=True)
class DossierMeta:
    organ_id: str
    year: int
    file_notation: str
    title: str
    maintenance: str  # retention code
    maintenance_label: str
    rights: str | None = None
    creator: str | None = None
    language: str = "vi"
    start_date: date | None = None
    end_date: date | None = None
    page_total: int | None = None
    description: str | None = None
    kind: str | None = None
    meeting_body: str | None = None
    meeting_number: str | None = None
    meeting_date: date | None = None
    closed_at: str | None = None  # ISO instant
    documents: tuple[DocumentMeta, ...] = ()
    record_files: tuple[FileEntry, ...] = ()

    @property
    def file_code(self) -> str:
        """Mã hồ sơ (Phụ lục VI): mã cơ quan + năm hình thành + số và ký hiệu hồ sơ."""
        return f"{self.organ_id}.{self.year}.{self.file_notation}"

    @property
    def doc_total(self) -> int:
        return len(self.documents)


@dataclass(frozen=True)
class TransferMeta:
    identifier: str
    target: str
    organ_id: str
    organ_name: str
    created_at: str  # ISO instant
    dossiers: tuple[DossierMeta, ...] = ()
    files: tuple[FileEntry, ...] = field(default=())

    def all_files(self) -> Iterator[FileEntry]:
        """Every payload file the metadata lists (all but ho-so.xml itself)."""
        yield from self.files
        for dossier in self.dossiers:
            yield from dossier.record_files
            for doc in dossier.documents:
                yield doc.file
                yield from doc.derivatives


def _text(parent: etree._Element, tag: str, value: object | None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, **attrs)
    if value is not None:
        el.text = value.isoformat() if isinstance(value, date) else str(value)
    return el


def _files(parent: etree._Element, tag: str, files: tuple[FileEntry, ...]) -> None:
    box = etree.SubElement(parent, tag)
    for f in files:
        _file(box, f)


def _file(parent: etree._Element, f: FileEntry) -> None:
    etree.SubElement(
        parent, "File", path=f.path, sha256=f.sha256, size=str(f.size), mediaType=f.media_type, role=f.role
    )


def _document(parent: etree._Element, doc: DocumentMeta) -> None:
    el = etree.SubElement(parent, "VanBan")
    _text(el, "DocOrdinal", doc.ordinal)
    _text(el, "TypeName", doc.type_name)
    _text(el, "CodeNumber", doc.code_number)
    _text(el, "CodeNotation", doc.code_notation)
    _text(el, "IssuedDate", doc.issued_date)
    _text(el, "OrganName", doc.organ_name)
    _text(el, "Subject", doc.subject)
    _text(el, "Language", doc.language)
    _text(el, "PageAmount", doc.page_amount)
    _text(el, "Description", doc.description)
    _text(el, "SignerPosition", doc.signer_position)
    _text(el, "SignerName", doc.signer_name)
    to = etree.SubElement(el, "To")
    for name in doc.to:
        _text(to, "Recipient", name)
    priority = etree.SubElement(el, "Priority")
    _text(priority, "Urgency", doc.urgency)
    _text(priority, "Secrecy", doc.secrecy, level=str(doc.secrecy_level))
    _text(el, "IssuedAmount", doc.issued_amount)
    _text(el, "DueDate", doc.due_date)
    _text(el, "FileName", doc.filename)
    _file(el, doc.file)
    _files(el, "Derivatives", doc.derivatives)


def _dossier(parent: etree._Element, d: DossierMeta) -> None:
    el = etree.SubElement(parent, "HoSo")
    _text(el, "FileCode", d.file_code)
    _text(el, "OrganId", d.organ_id)
    _text(el, "FileCatalog", d.year)
    _text(el, "FileNotation", d.file_notation)
    _text(el, "Title", d.title)
    _text(el, "Maintenance", d.maintenance_label, code=d.maintenance)
    _text(el, "Rights", d.rights)
    _text(el, "Creator", d.creator)
    _text(el, "Language", d.language)
    _text(el, "StartDate", d.start_date)
    _text(el, "EndDate", d.end_date)
    _text(el, "DocTotal", d.doc_total)
    _text(el, "PageTotal", d.page_total)
    _text(el, "Description", d.description)
    _text(el, "Kind", d.kind)
    _text(el, "MeetingBody", d.meeting_body)
    _text(el, "MeetingNumber", d.meeting_number)
    _text(el, "MeetingDate", d.meeting_date)
    _text(el, "ClosedAt", d.closed_at)
    _files(el, "Files", d.record_files)
    for doc in d.documents:
        _document(el, doc)


def ho_so_xml(transfer: TransferMeta) -> bytes:
    """The transfer's dossiers and documents as ho-so.xml (UTF-8, pretty-printed, same input → same bytes)."""
    root = etree.Element("HoSoNopLuu", version=VERSION)
    head = etree.SubElement(root, "Transfer")
    _text(head, "Identifier", transfer.identifier)
    _text(head, "Target", transfer.target)
    _text(head, "OrganId", transfer.organ_id)
    _text(head, "OrganName", transfer.organ_name)
    _text(head, "CreatedAt", transfer.created_at)
    _files(head, "Files", transfer.files)
    for dossier in transfer.dossiers:
        _dossier(root, dossier)
    return bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True))


# Reading it back (verify, import) -------------------------------------------------------------------------------


def _get(el: etree._Element, tag: str) -> str | None:
    child = el.find(tag)
    if child is None or child.text is None or not child.text.strip():
        return None
    return str(child.text).strip()


def _need(el: etree._Element, tag: str) -> str:
    value = _get(el, tag)
    if value is None:
        raise BadMetadata(f"thiếu <{tag}> trong <{el.tag}>")
    return value


def _int(el: etree._Element, tag: str) -> int | None:
    value = _get(el, tag)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise BadMetadata(f"<{tag}> “{value}” không phải là số") from None


def _date(el: etree._Element, tag: str) -> date | None:
    value = _get(el, tag)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadMetadata(f"<{tag}> “{value}” không phải là ngày (YYYY-MM-DD)") from None


def _read_file(el: etree._Element | None) -> FileEntry:
    if el is None:
        raise BadMetadata("thiếu <File> của một văn bản")
    try:
        return FileEntry(
            path=str(el.attrib["path"]),
            sha256=str(el.attrib["sha256"]),
            size=int(el.attrib["size"]),
            media_type=str(el.attrib.get("mediaType", "application/octet-stream")),
            role=str(el.attrib.get("role", "")),
        )
    except (KeyError, ValueError) as exc:
        raise BadMetadata(f"một <File> thiếu hoặc sai thuộc tính ({exc})") from None


def _read_files(el: etree._Element, tag: str) -> tuple[FileEntry, ...]:
    box = el.find(tag)
    return () if box is None else tuple(_read_file(f) for f in box.findall("File"))


def _read_document(el: etree._Element) -> DocumentMeta:
    priority = el.find("Priority")
    secrecy_el = priority.find("Secrecy") if priority is not None else None
    level = secrecy_el.attrib.get("level", "0") if secrecy_el is not None else "0"
    to = el.find("To")
    return DocumentMeta(
        ordinal=_int(el, "DocOrdinal") or 0,
        filename=_get(el, "FileName") or "van-ban",
        file=_read_file(el.find("File")),
        type_name=_get(el, "TypeName"),
        code_number=_get(el, "CodeNumber"),
        code_notation=_get(el, "CodeNotation"),
        issued_date=_date(el, "IssuedDate"),
        organ_name=_get(el, "OrganName"),
        subject=_get(el, "Subject"),
        language=_get(el, "Language") or "vi",
        page_amount=_int(el, "PageAmount"),
        description=_get(el, "Description"),
        signer_position=_get(el, "SignerPosition"),
        signer_name=_get(el, "SignerName"),
        to=tuple(str(r.text) for r in to.findall("Recipient") if r.text) if to is not None else (),
        urgency=_get(priority, "Urgency") if priority is not None else None,
        secrecy=_get(priority, "Secrecy") if priority is not None else None,
        secrecy_level=int(level) if str(level).isdigit() and int(level) <= 3 else 0,
        issued_amount=_int(el, "IssuedAmount"),
        due_date=_date(el, "DueDate"),
        derivatives=_read_files(el, "Derivatives"),
    )


def _read_dossier(el: etree._Element) -> DossierMeta:
    maintenance = el.find("Maintenance")
    code = maintenance.attrib.get("code") if maintenance is not None else None
    if not code:
        raise BadMetadata("thiếu thời hạn bảo quản (<Maintenance code=…>) của một hồ sơ")
    year = _int(el, "FileCatalog")
    if year is None:
        raise BadMetadata("thiếu <FileCatalog> (năm hình thành) của một hồ sơ")
    return DossierMeta(
        organ_id=_need(el, "OrganId"),
        year=year,
        file_notation=_need(el, "FileNotation"),
        title=_need(el, "Title"),
        maintenance=str(code),
        maintenance_label=_get(el, "Maintenance") or str(code),
        rights=_get(el, "Rights"),
        creator=_get(el, "Creator"),
        language=_get(el, "Language") or "vi",
        start_date=_date(el, "StartDate"),
        end_date=_date(el, "EndDate"),
        page_total=_int(el, "PageTotal"),
        description=_get(el, "Description"),
        kind=_get(el, "Kind"),
        meeting_body=_get(el, "MeetingBody"),
        meeting_number=_get(el, "MeetingNumber"),
        meeting_date=_date(el, "MeetingDate"),
        closed_at=_get(el, "ClosedAt"),
        documents=tuple(_read_document(v) for v in el.findall("VanBan")),
        record_files=_read_files(el, "Files"),
    )


def read_ho_so_xml(data: bytes) -> TransferMeta:
    """Parse ho-so.xml back into values; BadMetadata (422, in Vietnamese) when it is not one of ours."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise BadMetadata(f"không phải XML hợp lệ ({exc.msg})") from None
    if root.tag != "HoSoNopLuu":
        raise BadMetadata(f"phần tử gốc là <{root.tag}>, không phải <HoSoNopLuu>")
    head = root.find("Transfer")
    if head is None:
        raise BadMetadata("thiếu <Transfer>")
    return TransferMeta(
        identifier=_need(head, "Identifier"),
        target=_need(head, "Target"),
        organ_id=_need(head, "OrganId"),
        organ_name=_get(head, "OrganName") or "",
        created_at=_get(head, "CreatedAt") or "",
        dossiers=tuple(_read_dossier(d) for d in root.findall("HoSo")),
        files=_read_files(head, "Files"),
    )
