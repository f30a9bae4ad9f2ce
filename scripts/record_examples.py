"""Render example pages of the records' files (issue 15) into ``docs/examples/``.

    python scripts/record_examples.py [--out docs/examples]

Runs the real use cases on the embedded backends (SQLite and a folder, in a temporary data directory that is
removed afterwards): an office "VPTU" plans its year 2026 (two đề mục lớn, đề mục nhỏ, eight planned dossiers,
approved by Quyết định 15-QĐ/VPTU), opens the Ban Thường vụ conference dossier from its row, files a nghị quyết, a
biên bản and a tờ trình generated as DOCX (tests/corpus/generator.py), closes it (permanent) and exports its
transfer bag to the office archive. It then writes the five PDFs the office prints (danh mục hồ sơ, NĐ 30/2020
Phụ lục V.I; mục lục văn bản, V.IV; chứng từ kết thúc; mục lục hồ sơ nộp lưu, V.III; biên bản giao nhận, V.V)
and page 1 of each as a PNG, so that a reader sees the layout without running the service.

Dates are fixed (the plan of 2026, the meeting of 12/3/2026, closing on 31/3/2026, transfer on 10/4/2026), so
the PDFs come out the same on every run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final

import pypdfium2 as pdfium

ROOT: Final = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive_service.catalog import accounts  # noqa: E402
from archive_service.catalog.access import Principal  # noqa: E402
from archive_service.catalog.db import transaction  # noqa: E402
from archive_service.catalog.models import Role  # noqa: E402
from archive_service.config import Settings  # noqa: E402
from archive_service.documents.ingest import ingest_paths  # noqa: E402
from archive_service.fileplans import service as fileplans  # noqa: E402
from archive_service.records import closing  # noqa: E402
from archive_service.records import service as records  # noqa: E402
from archive_service.records.files import download_record_file  # noqa: E402
from archive_service.retention.values import parse  # noqa: E402
from archive_service.services import Services, open_services  # noqa: E402
from archive_service.transfers import service as transfers  # noqa: E402
from archive_service.workers.jobs import run_pending_jobs  # noqa: E402
from schemas.fileplans import EntryIn, FilePlanApprove, FilePlanCreate, HeadingIn, OpenFromEntry  # noqa: E402
from schemas.retention_schedule import shipped_schedule  # noqa: E402
from tests.corpus.generator import DocSpec, write_docx  # noqa: E402

OFFICE_CODE: Final = "VPTU"
OFFICE_NAME: Final = "Văn phòng Tỉnh ủy Thanh Hóa"
ARCHIVIST: Final = "vanthu"
ADMIN: Final = "chanhvanphong"
ADDR: Final = "scripts/record_examples.py"
SCALE: Final = 1.5  # 72 dpi × 1.5: a landscape A4 page is about 1260 px wide
CLOSED_AT: Final = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
SENT_AT: Final = datetime(2026, 4, 10, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Example:
    """One file of the examples: its name (without extension) and what it is, for docs/examples/README.md."""

    name: str
    what: str


EXAMPLES: Final = (
    Example("danh-muc-ho-so", "Danh mục hồ sơ năm 2026 (NĐ 30/2020 Phụ lục V.I), xuất từ danh mục đã phê duyệt"),
    Example("muc-luc-van-ban", "Mục lục văn bản của hồ sơ bảo quản vĩnh viễn, lập khi kết thúc hồ sơ (Phụ lục V.IV)"),
    Example("chung-tu-ket-thuc", "Chứng từ kết thúc hồ sơ (số tờ, số trang, đặc điểm), lập khi kết thúc hồ sơ"),
    Example("muc-luc-ho-so-nop-luu", "Mục lục hồ sơ nộp lưu vào lưu trữ cơ quan (Phụ lục V.III), trong gói BagIt"),
    Example("bien-ban-giao-nhan", "Biên bản giao nhận tài liệu nộp lưu (Phụ lục V.V), trong gói BagIt"),
)


def _plan() -> FilePlanCreate:
    """A realistic plan of a Văn phòng Tỉnh ủy: two đề mục lớn, each with two đề mục nhỏ, eight dossiers."""
    lan = "Nguyễn Thị Lan"
    minh = "Trần Văn Minh"
    return FilePlanCreate(
        year=2026,
        title="Danh mục hồ sơ năm 2026",
        headings=[
            HeadingIn(
                title="Công tác tham mưu, tổng hợp",
                headings=[
                    HeadingIn(
                        title="Hội nghị của cấp ủy",
                        entries=[
                            EntryIn(
                                title="Hồ sơ Hội nghị Ban Thường vụ Tỉnh ủy tháng 3 năm 2026",
                                retention="vinh-vien",
                                former_name=lan,
                                kind="hoi-nghi",
                            ),
                            EntryIn(
                                title="Hồ sơ Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 5, khóa XX",
                                retention="vinh-vien",
                                former_name=lan,
                                kind="hoi-nghi",
                            ),
                            EntryIn(
                                title="Hồ sơ các cuộc họp Thường trực Tỉnh ủy quý II năm 2026",
                                retention="vinh-vien",
                                former_name=lan,
                                kind="hoi-nghi",
                            ),
                        ],
                    ),
                    HeadingIn(
                        title="Chương trình, kế hoạch, báo cáo",
                        entries=[
                            EntryIn(
                                title="Hồ sơ xây dựng Chương trình công tác năm 2026 của Ban Thường vụ Tỉnh ủy",
                                retention="vinh-vien",
                                former_name=minh,
                            ),
                            EntryIn(
                                title="Hồ sơ báo cáo sơ kết 6 tháng đầu năm 2026",
                                retention="20-nam",
                                former_name=minh,
                                note="Bản chính lưu tại hồ sơ hội nghị",
                            ),
                        ],
                    ),
                ],
            ),
            HeadingIn(
                title="Công tác hành chính, văn thư, lưu trữ",
                headings=[
                    HeadingIn(
                        title="Văn thư, lưu trữ",
                        entries=[
                            EntryIn(
                                title="Hồ sơ về công tác văn thư, lưu trữ năm 2026",
                                retention="10-nam",
                                former_name="Lê Thị Hương",
                            ),
                            EntryIn(
                                title="Hồ sơ thu thập, chỉnh lý tài liệu vào Lưu trữ cơ quan năm 2026",
                                retention="20-nam",
                                former_name="Lê Thị Hương",
                            ),
                        ],
                    ),
                    HeadingIn(
                        title="Quản trị, tài chính",
                        entries=[
                            EntryIn(
                                title="Hồ sơ mua sắm, sửa chữa tài sản của cơ quan năm 2026",
                                retention="10-nam",
                                former_name="Phạm Văn Nam",
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


def _documents(folder: Path) -> list[Path]:
    """A nghị quyết, a biên bản and a tờ trình of the meeting, in the layout of 05-HD/VPTW (written in 2026)."""
    base = replace(
        DocSpec(),
        issued_on=date(2026, 3, 12),
        recipients=("Các huyện ủy, thị ủy, thành ủy,", "Các đảng ủy trực thuộc Tỉnh ủy,", "Lưu Văn phòng Tỉnh ủy."),
    )
    specs = {
        "Nghị quyết 210-NQ-TU.docx": replace(
            base,
            key="nq-210",
            number="210",
            type_code="NQ",
            summary="về đẩy mạnh chuyển đổi số trong các cơ quan đảng giai đoạn 2026 - 2030",
        ),
        "Biên bản hội nghị BTV 12-3-2026.docx": replace(
            base,
            key="bb-btv",
            number="31",
            type_code="BB",
            document_type="BIÊN BẢN",
            summary="hội nghị Ban Thường vụ Tỉnh ủy tháng 3 năm 2026",
            signing_form_lines=(),
            signer_title="CHỦ TRÌ HỘI NGHỊ",
            minute_taker=("NGƯỜI GHI BIÊN BẢN", "Nguyễn Thị Lan"),
            noi_nhan_label="",
            recipients=(),
            body=(
                "Thời gian: 08 giờ 00, ngày 12 tháng 3 năm 2026.",
                "Địa điểm: Hội trường Tỉnh ủy Thanh Hóa.",
                "Thành phần: các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy.",
            ),
        ),
        "Tờ trình 58-TTr-VPTU.docx": replace(
            base,
            key="ttr-vptu",
            parent_issuer="TỈNH ỦY THANH HÓA",
            issuer_lines=("VĂN PHÒNG",),
            issuer_code="VPTU",
            number="58",
            type_code="TTr",
            document_type="TỜ TRÌNH",
            issued_on=date(2026, 3, 2),
            summary="về dự thảo Nghị quyết về đẩy mạnh chuyển đổi số trong các cơ quan đảng",
            addressees=("Ban Thường vụ Tỉnh ủy",),
            addressee_label="Kính trình",
            signing_form_lines=(),
            signer_title="CHÁNH VĂN PHÒNG",
            signer_name="Lê Thị Thu Hà",
            recipients=("Như trên,", "Lưu Văn phòng Tỉnh ủy."),
        ),
    }
    paths = []
    for filename, spec in specs.items():
        path = folder / filename
        write_docx(spec, path)
        paths.append(path)
    return paths


def _accounts(services: Services) -> tuple[Principal, Principal]:
    with transaction(services.factory) as session:
        office = accounts.get_or_create_office(session, code=OFFICE_CODE, name=OFFICE_NAME)
        archivist = accounts.create_user(
            session, username=ARCHIVIST, role=Role.ARCHIVIST, office=office, display_name="Nguyễn Thị Lan"
        )
        admin = accounts.create_user(
            session, username=ADMIN, role=Role.ADMIN, office=office, display_name="Lê Thị Thu Hà"
        )
        return accounts.principal_of(archivist), accounts.principal_of(admin)


def _record_pdf(services: Services, principal: Principal, file_id: int) -> bytes:
    """A record file's bytes through the download use case (SHA-256 checked, audited like any download)."""
    download = download_record_file(services, principal, file_id, addr=ADDR, via="script")
    try:
        return download.path.read_bytes()
    finally:
        shutil.rmtree(download.path.parent, ignore_errors=True)


def _make_pdfs(services: Services, work: Path) -> dict[str, bytes]:
    """Run the year of the office through the use cases; the five PDFs by example name."""
    archivist, admin = _accounts(services)
    plan = fileplans.create_plan(services, archivist, _plan(), addr=ADDR)
    approval = FilePlanApprove(
        decision_number="15-QĐ/VPTU", decision_date=date(2026, 1, 5), approver_name="Lê Thị Thu Hà"
    )
    plan = fileplans.approve(services, admin, plan.id, approval, addr=ADDR, now=datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    row = plan.headings[0].headings[0].entries[0]
    opening = OpenFromEntry(
        meeting_body="BTV", meeting_number="12", meeting_date=date(2026, 3, 12), start_date=date(2026, 3, 2)
    )
    dossier = fileplans.open_from_entry(services, archivist, plan.id, row.id, opening, addr=ADDR)
    report = ingest_paths(services, _documents(work), dossier_id=dossier.id, username=ARCHIVIST)
    if report.refused:
        raise RuntimeError(f"documents refused: {report.refused}")
    run_pending_jobs(services)
    closed = records.close_dossier(
        services, archivist, dossier.id, retention="vinh-vien", take_out=None, addr=ADDR, now=CLOSED_AT
    )
    run_pending_jobs(services)
    by_kind = {f.kind: f.id for f in closed.files if f.media_type == "application/pdf"}
    sent = transfers.export_transfer(
        services, archivist, [dossier.id], target="office-archive", out_dir=work / "bags", addr=ADDR, now=SENT_AT
    )
    data = sent.bag_path / "data"
    return {
        "danh-muc-ho-so": fileplans.export(services, archivist, plan.id, "pdf", addr=ADDR).body,
        "muc-luc-van-ban": _record_pdf(services, archivist, by_kind[closing.DOCUMENT_INDEX]),
        "chung-tu-ket-thuc": _record_pdf(services, archivist, by_kind[closing.CLOSING_RECORD]),
        "muc-luc-ho-so-nop-luu": (data / "muc-luc-ho-so-nop-luu.pdf").read_bytes(),
        "bien-ban-giao-nhan": (data / "bien-ban-giao-nhan.pdf").read_bytes(),
    }


def first_page_png(pdf_bytes: bytes, out: Path, *, scale: float = SCALE) -> None:
    """Page 1 of the PDF as a PNG (pypdfium2, white background)."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        page = document[0]
        page.render(scale=scale).to_pil().save(out, format="PNG", optimize=True)
    finally:
        document.close()


def readme() -> str:
    lines = [
        "# Rendered examples of the records' files (issue 15)",
        "",
        "Made by `python scripts/record_examples.py` (optionally `--out DIR`) on the embedded backends in a",
        "temporary data directory: office VPTU (“Văn phòng Tỉnh ủy Thanh Hóa”) plans 2026 (approved by Quyết định",
        "15-QĐ/VPTU), opens the Ban Thường vụ conference dossier from its row, files a nghị quyết, a biên bản and a",
        "tờ trình (generated DOCX), closes it as permanent and exports its transfer bag to the office archive.",
        "Every file below is what the service itself produced through its use cases; the dates are fixed, so a",
        "second run gives the same PDFs. Each PNG is page 1 of the PDF beside it (pypdfium2, scale 1.5).",
        "",
        "| file | what |",
        "| --- | --- |",
    ]
    lines += [f"| `{e.name}.pdf`, `{e.name}.png` | {e.what} |" for e in EXAMPLES]
    lines += [
        "",
        "## Which retention values are proposals",
        "",
        "The retention values in the plan above (vĩnh viễn, 20 năm, 10 năm) are the office's own entries. The",
        "schedule the service ships (`schemas/retention_schedule.yaml`, edited by an admin on the page “Thời hạn",
        "bảo quản”, each edit a new version) gives the defaults; the tables of Hướng dẫn 35-HD/VPTW were not read,",
        "so every value it marks `proposal` is a proposal, shown as such on screen, to be checked against the",
        "office's own table before it serves a transfer or a destruction:",
        "",
        "| group | retention | confidence |",
        "| --- | --- | --- |",
    ]
    labels = {"proposal": "đề xuất (proposal)", "secondary": "nguồn thứ cấp (secondary)", "read": "đã đọc (read)"}
    lines += [
        f"| {g.title} | {parse(g.retention).label} | {labels.get(g.confidence, g.confidence)} |"
        for g in shipped_schedule().groups
    ]
    lines.append("")
    return "\n".join(lines)


def main(out_dir: Path) -> list[Path]:
    """Write the five PDFs, their first pages as PNGs and README.md into ``out_dir``; the PNGs written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0o022)  # open_services makes every later file private (umask 077): put it back after
    os.umask(umask)
    with tempfile.TemporaryDirectory(prefix="record-examples-") as tmp:
        work = Path(tmp)
        settings = Settings(data_dir=work / "data", workers=0, page_images=False)
        services = open_services(settings)
        try:
            pdfs = _make_pdfs(services, work)
        finally:
            services.close()
            os.umask(umask)
    pngs = []
    for example in EXAMPLES:
        data = pdfs[example.name]
        (out_dir / f"{example.name}.pdf").write_bytes(data)
        png = out_dir / f"{example.name}.png"
        first_page_png(data, png)
        pngs.append(png)
    (out_dir / "README.md").write_text(readme(), encoding="utf-8")
    return pngs


def _cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "examples", help="where to write the files")
    args = parser.parse_args()
    for png in main(args.out):
        sys.stdout.write(f"{png}\n")


if __name__ == "__main__":
    _cli()
