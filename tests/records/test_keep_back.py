"""Keeping a closed dossier back in the unit (giữ lại, NĐ 30/2020 Điều 30.2): only dossiers that go to the office
archive (5 years or more), at most 2 years past the transfer deadline (closing + 1 year), with the head's written
consent; by archivists of the office and admins; audited as a step of the dossier's life."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.errors import AppError
from archive_service.records import service
from tests.conftest import Actor, Harness
from tests.records.closing_helpers import read_all, set_document, upload

CLOSED_AT = datetime(2019, 1, 10, 9, 0, tzinfo=UTC)  # a 5-year dossier closed then: its lock has run out
SOON = datetime(2019, 6, 1, tzinfo=UTC)


def _principal(h: Harness, actor: Actor) -> Principal:
    with transaction(h.services.factory) as s:
        return accounts.principal_of(accounts.get_user(s, actor.username))


def _closed(h: Harness, retention: str) -> int:
    dossier = h.new_dossier(title="Hồ sơ công việc 2018")
    doc = upload(h, dossier, "thong-bao.pdf")
    read_all(h)
    set_document(h, doc, {"summary": "họp giao ban"}, page_count=1)  # no group of the schedule holds it
    service.close_dossier(
        h.services, _principal(h, h.archivist), dossier, retention=retention, take_out=[], addr=None, now=CLOSED_AT
    )
    return dossier


def _keep(h: Harness, actor: Actor, dossier: int, until: date, consent: str = "Công văn số 12-CV/VPTU ngày 05/01/2020"):  # noqa: ANN202
    with transaction(h.services.factory) as s:
        return service.keep_back(
            s, _principal(h, actor), dossier, until=until, consent=consent, addr=None, now=SOON
        ).state


def _refused(h: Harness, actor: Actor, dossier: int, until: date, consent: str = "Công văn số 12") -> AppError:
    with pytest.raises(AppError) as caught:
        _keep(h, actor, dossier, until, consent)
    return caught.value


def test_a_closed_dossier_is_kept_back_at_most_two_years_past_its_transfer_deadline(harness: Harness) -> None:
    h = harness
    dossier = _closed(h, "5-nam")
    too_long = _refused(h, h.archivist, dossier, date(2022, 1, 11))  # deadline 10/01/2020, + 2 years = 10/01/2022
    assert (too_long.status_code, too_long.code) == (422, "DOSSIER-KEEP-TOO-LONG") and "10/01/2022" in too_long.message
    no_consent = _refused(h, h.archivist, dossier, date(2021, 12, 31), consent="  ")
    assert (no_consent.status_code, no_consent.code) == (422, "DOSSIER-KEEP-CONSENT-MISSING")
    assert _keep(h, h.archivist, dossier, date(2022, 1, 10)) == "kept-by-unit"
    again = _refused(h, h.archivist, dossier, date(2021, 1, 1))
    assert (again.status_code, again.code) == (409, "DOSSIER-STATE-INVALID")
    history = h.client.get(f"/api/v1/dossiers/{dossier}/history", headers=h.reader.headers).json()["items"]
    assert history[-1]["action"] == "dossier.keep" and history[-1]["details"]["until"] == "2022-01-10"
    assert history[-1]["from_label"] == "Đã kết thúc" and history[-1]["to_label"] == "Đơn vị giữ lại"


def test_a_dossier_kept_less_than_five_years_stays_with_the_unit_anyway(harness: Harness) -> None:
    h = harness
    dossier = _closed(h, "2-nam")
    refused = _refused(h, h.admin, dossier, date(2020, 6, 1))
    assert (refused.status_code, refused.code) == (409, "DOSSIER-KEEP-NOT-NEEDED") and "Điều 30.1" in refused.message


def test_keeping_back_is_refused_by_role_office_and_state(harness: Harness) -> None:
    h = harness
    dossier = _closed(h, "10-nam")
    reader = _refused(h, h.reader, dossier, date(2021, 1, 1))
    assert (reader.status_code, reader.code) == (403, "AUTH-FORBIDDEN-ROLE")
    other = _refused(h, h.other_archivist, dossier, date(2021, 1, 1))
    assert (other.status_code, other.code) == (404, "DOSSIER-NOT-FOUND")
    open_one = h.new_dossier()
    still_open = _refused(h, h.archivist, open_one, date(2021, 1, 1))
    assert (still_open.status_code, still_open.code) == (409, "DOSSIER-STATE-INVALID")
    assert _keep(h, h.admin, dossier, date(2021, 1, 1)) == "kept-by-unit"  # an admin may too


def test_the_api_keeps_back_with_the_real_clock(harness: Harness) -> None:
    h = harness
    dossier = _closed(h, "10-nam")  # closed in 2019: its last day to be kept back is long past
    late = h.client.post(
        f"/api/v1/dossiers/{dossier}/keep",
        json={"until": f"{datetime.now(UTC).year + 1}-01-01", "consent": "Công văn số 3"},
        headers=h.archivist.headers,
    )
    assert late.status_code == 422 and late.json()["error"]["code"] == "DOSSIER-KEEP-TOO-LONG"
    bad = h.client.post(f"/api/v1/dossiers/{dossier}/keep", json={"until": "31/12/2021"}, headers=h.archivist.headers)
    assert bad.status_code == 422
