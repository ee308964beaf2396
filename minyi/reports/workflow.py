"""The report workflow as data: one table of moves and one ``transition()``.

Each entry says: from this state, this action, done by these roles, leads to
that state. ``AUTHOR`` is not a role but a relation: the report's writer, one
of its authors, or the liaison of its submitting unit. Side effects that some
actions need (a decline reason, a composite report) live in ``actions.py`` and
call ``transition()``; nothing else changes ``Report.state``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from minyi.audit.models import Event, record
from minyi.core import clock
from minyi.people.models import Role
from minyi.reports.models import Report, State

if TYPE_CHECKING:
    from minyi.people.models import User

AUTHOR = "author"


class WorkflowError(Exception):
    """A refused move; the message is shown to the user as it is."""


def _fast_track_only(report: Report) -> str | None:
    if not report.is_fast_track:
        return "只有急报、特报可以不经刊物直接报送。"
    return None


@dataclass(frozen=True)
class Move:
    target: State
    roles: frozenset[str]
    label: str
    note_required: bool = False
    guard: Callable[[Report], str | None] | None = None
    # Actions only other code may trigger (publishing happens through a
    # bulletin issue's sign-off), never offered as a button.
    internal: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _m(target: State, roles: set[str], label: str, **kw: Any) -> Move:
    return Move(target, frozenset(roles), label, **kw)


TRANSITIONS: dict[tuple[State, str], Move] = {
    (State.DRAFT, "submit"): _m(State.SUBMITTED, {AUTHOR}, "报送"),
    (State.WITHDRAWN, "submit"): _m(State.SUBMITTED, {AUTHOR}, "重新报送"),
    (State.SUBMITTED, "withdraw"): _m(State.WITHDRAWN, {AUTHOR}, "撤回"),
    (State.RETURNED, "resubmit"): _m(State.SUBMITTED, {AUTHOR}, "修改后重新报送"),
    (State.SUBMITTED, "return"): _m(State.RETURNED, {Role.EDITOR}, "退回修改", note_required=True),
    (State.ACCEPTED, "return"): _m(State.RETURNED, {Role.EDITOR}, "退回修改", note_required=True),
    (State.SUBMITTED, "accept"): _m(State.ACCEPTED, {Role.EDITOR}, "受理"),
    (State.SUBMITTED, "decline"): _m(State.DECLINED, {Role.EDITOR}, "不予采用", internal=True),
    (State.ACCEPTED, "decline"): _m(State.DECLINED, {Role.EDITOR}, "不予采用", internal=True),
    (State.SUBMITTED, "merge"): _m(State.MERGED, {Role.EDITOR}, "综合", internal=True),
    (State.ACCEPTED, "merge"): _m(State.MERGED, {Role.EDITOR}, "综合", internal=True),
    (State.ACCEPTED, "send_for_sign_off"): _m(State.AWAITING_SIGN_OFF, {Role.EDITOR}, "送审签"),
    (State.AWAITING_SIGN_OFF, "sign_off"): _m(State.SIGNED_OFF, {Role.APPROVER}, "签发"),
    (State.AWAITING_SIGN_OFF, "reject_sign_off"): _m(
        State.ACCEPTED, {Role.APPROVER}, "退回编辑", note_required=True
    ),
    (State.SIGNED_OFF, "publish"): _m(
        State.PUBLISHED, {Role.EDITOR, Role.APPROVER}, "编发", internal=True
    ),
    (State.SIGNED_OFF, "send_directly"): _m(
        State.SENT_DIRECTLY, {Role.EDITOR}, "直报", guard=_fast_track_only
    ),
}

ACTION_VERBS = {action for (_, action) in TRANSITIONS}


def may_act(move: Move, report: Report, user: User) -> bool:
    if user.has_role(*move.roles):
        return True
    return AUTHOR in move.roles and report.is_authored_by(user)


def check_transition(report: Report, action: str, user: User, note: str = "") -> Move:
    """Return the move, or raise WorkflowError saying in Chinese why not."""
    move = TRANSITIONS.get((State(report.state), action))
    if move is None:
        if action not in ACTION_VERBS:
            raise WorkflowError("未知的操作。")
        raise WorkflowError(f"稿件当前状态为“{report.get_state_display()}”，不能执行此操作。")
    if not may_act(move, report, user):
        raise WorkflowError(f"您没有权限对此稿件执行“{move.label}”。")
    if move.note_required and not note.strip():
        raise WorkflowError(f"“{move.label}”须填写理由。")
    if move.guard and (problem := move.guard(report)):
        raise WorkflowError(problem)
    return move


def available_actions(report: Report, user: User) -> list[tuple[str, Move]]:
    """The buttons to show this user on this report."""
    found = []
    for (state, action), move in TRANSITIONS.items():
        if state != report.state or move.internal:
            continue
        if may_act(move, report, user) and not (move.guard and move.guard(report)):
            found.append((action, move))
    return found


def transition(
    report: Report,
    action: str,
    user: User,
    *,
    note: str = "",
    payload: dict[str, Any] | None = None,
    ip: str | None = None,
    extra_fields: dict[str, Any] | None = None,
) -> Event:
    """Check the move, lock the row, save the new state and write the event.

    The row is re-read under a lock so that two people acting on the same
    report at once cannot both succeed: the second sees the changed state.
    """
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.state != report.state:
            raise WorkflowError("该稿件已被他人处理，状态已变化，请刷新页面后再试。")
        move = check_transition(locked, action, user, note)
        before = locked.state
        now = clock.now()
        changes: dict[str, Any] = {
            "state": move.target,
            "state_note": note.strip(),
            "state_changed_at": now,
            **(extra_fields or {}),
        }
        if action in ("submit", "resubmit") and locked.submitted_at is None:
            changes["submitted_at"] = now
        for name, value in changes.items():
            setattr(locked, name, value)
            setattr(report, name, value)
        locked.save(update_fields=[*changes, "updated_at"])
        return record(
            action,
            locked,
            actor=user,
            report_id=locked.pk,
            ip=ip,
            payload={"from": before, "to": move.target, "note": note.strip(), **(payload or {})},
        )
