"""The life of a dossier as states and the one place that moves it between them.

``open → closed → office-archive → historical-archive``; ``closed → kept-by-unit → office-archive`` (the head's
consent, at most 2 years); ``closed | office-archive → under-appraisal → destruction-approved → destroyed``
(``under-appraisal → office-archive`` when the council keeps it). Sources: NĐ 30/2020 Điều 29–31, Phụ lục V–VI;
29-HD/VPTW; records-lifecycle.md. Each use case (records/service.py and its neighbours) does its own work and then
calls ``move``, which checks the step and the role, refuses a held dossier, stamps the state and audits — so that
no transition is written twice and none escapes the trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Protocol

from sqlalchemy.orm import Session

from archive_service.catalog import audit, dossiers
from archive_service.catalog.access import Principal
from archive_service.catalog.models import Dossier, DossierState, Role, utcnow
from archive_service.errors import Conflict, Forbidden, Refusal
from archive_service.records.holds import any_active_in_office, refuse_if_dossier_held
from schemas.dossier_state import STATE_LABELS as _STATE_LABELS

S = DossierState


@dataclass(frozen=True)
class Step:
    """One transition: its name (the audit action is ``dossier.<name>``), from which states, to which, by whom."""

    name: str
    sources: frozenset[DossierState]
    target: DossierState
    roles: frozenset[Role]
    label: str  # Vietnamese, for buttons, errors and the dossier's history


_KEEPERS: Final = frozenset({Role.ARCHIVIST, Role.ADMIN})
_HEAD: Final = frozenset({Role.ADMIN})  # the head of the body's decisions are recorded by an admin

STEPS: Final[dict[str, Step]] = {
    s.name: s
    for s in (
        Step("close", frozenset({S.OPEN}), S.CLOSED, _KEEPERS, "Kết thúc hồ sơ"),
        Step("keep", frozenset({S.CLOSED}), S.KEPT_BY_UNIT, _KEEPERS, "Giữ lại tại đơn vị"),
        Step(
            "transfer-office",
            frozenset({S.CLOSED, S.KEPT_BY_UNIT}),
            S.OFFICE_ARCHIVE,
            _KEEPERS,
            "Nộp lưu vào lưu trữ cơ quan",
        ),
        Step(
            "transfer-historical",
            frozenset({S.OFFICE_ARCHIVE}),
            S.HISTORICAL_ARCHIVE,
            _KEEPERS,
            "Nộp lưu vào kho lưu trữ cấp ủy",
        ),
        Step(
            "appraise",
            frozenset({S.CLOSED, S.OFFICE_ARCHIVE}),
            S.UNDER_APPRAISAL,
            _KEEPERS,
            "Đưa ra xác định giá trị",
        ),
        Step("keep-after-appraisal", frozenset({S.UNDER_APPRAISAL}), S.OFFICE_ARCHIVE, _HEAD, "Tiếp tục bảo quản"),
        Step(
            "approve-destruction",
            frozenset({S.UNDER_APPRAISAL}),
            S.DESTRUCTION_APPROVED,
            _HEAD,
            "Phê duyệt hủy",
        ),
        Step("destroy", frozenset({S.DESTRUCTION_APPROVED}), S.DESTROYED, _HEAD, "Hủy tài liệu hết giá trị"),
    )
}

# The names live in schemas (DossierOut shows them too); re-exported here for the use cases.
STATE_LABELS: Final[dict[str, str]] = _STATE_LABELS


class IllegalTransition(Conflict):
    def __init__(self, dossier: Dossier, step: Step) -> None:
        now = STATE_LABELS.get(dossier.state, dossier.state)
        allowed = ", ".join(STATE_LABELS[s] for s in sorted(step.sources))
        super().__init__(
            "DOSSIER-STATE-INVALID",
            f"Không thể “{step.label.lower()}” hồ sơ số {dossier.id}: hồ sơ đang ở trạng thái “{now}”, "
            f"chỉ làm được khi hồ sơ “{allowed}”.",
        )


def allowed_steps(dossier: Dossier, principal: Principal) -> list[Step]:
    """The steps this caller could take next (the dossier page's buttons); the use case still checks the rest."""
    return [
        step
        for step in STEPS.values()
        if dossier.state in step.sources
        and principal.role in step.roles
        and principal.can_write_office(dossier.office_id)
    ]


def check(session: Session, principal: Principal, dossier: Dossier, name: str) -> Step:
    """Refuse the step before any work is done: by role (403), office (403), state (409), hold (409)."""
    step = STEPS[name]
    refusal = Refusal(principal.user_id, "dossier", str(dossier.id), dossier.office_id)
    if principal.role not in step.roles:
        raise Forbidden(
            "AUTH-FORBIDDEN-ROLE",
            f"Vai trò của bạn không được “{step.label.lower()}”.",
            refusal=refusal,
        )
    if not principal.can_write_office(dossier.office_id):
        raise Forbidden("AUTH-FORBIDDEN-OFFICE", "Bạn không có quyền thay đổi hồ sơ của đơn vị khác.", refusal=refusal)
    if dossier.state not in step.sources:
        raise IllegalTransition(dossier, step)
    refuse_if_dossier_held(session, dossier.id, dossier.office_id)
    return step


def move(
    session: Session,
    principal: Principal,
    dossier: Dossier,
    name: str,
    *,
    addr: str | None,
    details: dict[str, Any] | None = None,
) -> Step:
    """Check the step, move the dossier to its target state and audit it, in the caller's transaction."""
    step = check(session, principal, dossier, name)
    before = dossier.state
    dossier.state = step.target.value
    dossier.state_changed_at = utcnow()
    audit.record(
        session,
        principal=principal,
        action=f"dossier.{name}",
        object_type="dossier",
        object_id=dossier.id,
        client_addr=addr,
        details={"from": before, "to": step.target.value, **(details or {})},
        office_id=dossier.office_id,
    )
    session.flush()
    return step


class StatedDossier(Protocol):
    """A dossier as far as the checks on a change read it (the ORM row, or a ``DossierKey``)."""

    @property
    def id(self) -> int: ...
    @property
    def office_id(self) -> int: ...
    @property
    def state(self) -> str: ...


def is_open(dossier: StatedDossier) -> bool:
    return dossier.state == DossierState.OPEN.value


class DossierNotOpen(Conflict):
    def __init__(self, dossier: StatedDossier) -> None:
        now = STATE_LABELS.get(dossier.state, dossier.state)
        super().__init__(
            "DOSSIER-CLOSED",
            f"Hồ sơ số {dossier.id} đang ở trạng thái “{now}”: văn bản trong hồ sơ không được thêm, gỡ, chuyển hay "
            "sửa nữa (NĐ 30/2020 Điều 29: hồ sơ đã kết thúc được giữ nguyên vẹn).",
        )


def refuse_unless_open(session: Session, dossier: StatedDossier) -> None:
    """A change to a dossier's contents: only while it is open, and not while a hold is on it."""
    _refuse_unless_open(session, dossier, office_holds=True)


def _refuse_unless_open(session: Session, dossier: StatedDossier, *, office_holds: bool) -> None:
    """``refuse_unless_open``; the holds are read only when ``office_holds`` (some hold is active in the office)."""
    if not is_open(dossier):
        raise DossierNotOpen(dossier)
    if office_holds:
        refuse_if_dossier_held(session, dossier.id, dossier.office_id)


def open_dossier_to_change(session: Session, *, principal: Principal, dossier_id: int) -> Dossier:
    """The dossier whose contents the caller is about to change: ``get_writable`` then ``refuse_unless_open``.

    The same answers in the same order (404, 403, 409 DOSSIER-CLOSED, 409 RECORD-FROZEN) in one query while no hold
    is active in the dossier's office, the common case: whether one is comes with the dossier's row, and only then
    are the holds read.
    """
    dossier, office_holds = dossiers.get_writable_with(
        session, principal=principal, dossier_id=dossier_id, also=any_active_in_office(Dossier.office_id)
    )
    _refuse_unless_open(session, dossier, office_holds=office_holds)
    return dossier


def refuse_change(session: Session, *, principal: Principal, dossier_id: int) -> dossiers.DossierKey:
    """``open_dossier_to_change`` for a caller that needs only the dossier's id, office and state (an upload: it asks
    twice, before the bytes and in the transaction that stores them): the same checks, the row not loaded."""
    key, office_holds = dossiers.writable_key_with(
        session, principal=principal, dossier_id=dossier_id, also=any_active_in_office(Dossier.office_id)
    )
    _refuse_unless_open(session, key, office_holds=office_holds)
    return key
