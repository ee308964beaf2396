"""The report workflow as data: one table of moves, run by the shared state machine.

Each entry says: from this state, this action, done by these roles, leads to
that state. ``AUTHOR`` is not a role but a relation: the report's writer, one
of its authors, or the liaison of its submitting unit. Side effects that some
actions need (a decline reason, a composite report) live in ``actions.py`` and
call ``transition()``; nothing else changes ``Report.state``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from minyi.audit.statemachine import Machine, Move, move
from minyi.people.models import Role
from minyi.reports.models import Report, State

if TYPE_CHECKING:
    from minyi.audit.models import Event
    from minyi.people.models import User

AUTHOR = "author"

__all__ = [
    "ACTION_VERBS",
    "AUTHOR",
    "MACHINE",
    "TRANSITIONS",
    "Move",
    "available_actions",
    "check_transition",
    "transition",
]


def _fast_track_only(report: Report) -> str | None:
    if not report.is_fast_track:
        return "只有急报、特报可以不经刊物直接报送。"
    return None


TRANSITIONS: dict[tuple[str, str], Move] = {
    (State.DRAFT, "submit"): move(State.SUBMITTED, {AUTHOR}, "报送"),
    (State.WITHDRAWN, "submit"): move(State.SUBMITTED, {AUTHOR}, "重新报送"),
    (State.SUBMITTED, "withdraw"): move(State.WITHDRAWN, {AUTHOR}, "撤回"),
    (State.RETURNED, "resubmit"): move(State.SUBMITTED, {AUTHOR}, "修改后重新报送"),
    (State.SUBMITTED, "return"): move(
        State.RETURNED, {Role.EDITOR}, "退回修改", note_required=True
    ),
    (State.ACCEPTED, "return"): move(State.RETURNED, {Role.EDITOR}, "退回修改", note_required=True),
    (State.SUBMITTED, "accept"): move(State.ACCEPTED, {Role.EDITOR}, "受理"),
    (State.SUBMITTED, "decline"): move(State.DECLINED, {Role.EDITOR}, "不予采用", internal=True),
    (State.ACCEPTED, "decline"): move(State.DECLINED, {Role.EDITOR}, "不予采用", internal=True),
    (State.SUBMITTED, "merge"): move(State.MERGED, {Role.EDITOR}, "综合", internal=True),
    (State.ACCEPTED, "merge"): move(State.MERGED, {Role.EDITOR}, "综合", internal=True),
    (State.ACCEPTED, "send_for_sign_off"): move(State.AWAITING_SIGN_OFF, {Role.EDITOR}, "送审签"),
    (State.AWAITING_SIGN_OFF, "sign_off"): move(State.SIGNED_OFF, {Role.APPROVER}, "签发"),
    (State.AWAITING_SIGN_OFF, "reject_sign_off"): move(
        State.ACCEPTED, {Role.APPROVER}, "退回编辑", note_required=True
    ),
    (State.SIGNED_OFF, "publish"): move(
        State.PUBLISHED, {Role.EDITOR, Role.APPROVER}, "编发", internal=True
    ),
    (State.SIGNED_OFF, "send_directly"): move(
        State.SENT_DIRECTLY, {Role.EDITOR}, "直报", guard=_fast_track_only
    ),
}

ACTION_VERBS = {action for (_, action) in TRANSITIONS}


def _stamp(report: Report, action: str, _move: Move, note: str, now: dt.datetime) -> dict[str, Any]:
    changes: dict[str, Any] = {"state_note": note, "state_changed_at": now}
    if action in ("submit", "resubmit") and report.submitted_at is None:
        changes["submitted_at"] = now
    return changes


MACHINE: Machine[Report] = Machine(
    model=Report,
    noun="稿件",
    table=TRANSITIONS,
    relations={AUTHOR: lambda report, user: report.is_authored_by(user)},
    report_of=lambda report: report.pk,
    stamp=_stamp,
    touch=("updated_at",),
)


def check_transition(report: Report, action: str, user: User, note: str = "") -> Move:
    """Return the move, or raise ``ActionRefused`` saying in Chinese why not."""
    return MACHINE.check(report, action, user, note)


def available_actions(report: Report, user: User) -> list[tuple[str, Move]]:
    """The buttons to show this user on this report."""
    return MACHINE.available(report, user)


def transition(
    report: Report,
    action: str,
    user: User,
    *,
    note: str = "",
    payload: dict[str, Any] | None = None,
    extra_fields: dict[str, Any] | None = None,
) -> Event:
    """Lock the report, re-check and make the move, and write its event (see ``Machine``)."""
    return MACHINE.transition(
        report, action, user, note=note, payload=payload, extra_fields=extra_fields
    )
