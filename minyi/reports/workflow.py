"""The report workflow as data: one table of moves, run by the shared state machine.

Each entry says: from this state, this action, done by these roles, leads to
that state. ``AUTHOR`` is not a role but a relation: the report's writer, one
of its authors, or the liaison of its submitting unit. Side effects that some
actions need (a decline reason, a composite report) live in ``actions.py`` and
call ``transition()``; nothing else changes ``Report.state``.

Claim means ownership (认领即负责): an office move (``OWNED_ACTIONS``) on a report
another editor has claimed is refused until this editor takes it over (接手,
``actions.do_take_over``); an office move on an unclaimed report claims it for
whoever made it. ``check_owner`` and ``claim_fields`` are the one rule, used by
``transition()`` here and by the office's edits that are not moves (text,
category, attachments).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from minyi.audit.statemachine import ActionRefused, Machine, Move, move
from minyi.core import clock
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
    "OWNED_ACTIONS",
    "available_actions",
    "check_owner",
    "check_transition",
    "claim_fields",
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
    # Its issue was voided (作废): the report goes back to the pool to be published again.
    (State.PUBLISHED, "unpublish"): move(
        State.SIGNED_OFF, {Role.APPROVER}, "撤回编发", internal=True, note_required=True
    ),
    (State.SIGNED_OFF, "send_directly"): move(
        State.SENT_DIRECTLY, {Role.EDITOR}, "直报", guard=_fast_track_only
    ),
}

ACTION_VERBS = {action for (_, action) in TRANSITIONS}

#: The office's own moves: only the claimer may make them on a claimed report.
#: Authors' moves, the approver's sign-off and publishing (an issue's sign-off)
#: are not the claimer's to block.
OWNED_ACTIONS = frozenset(
    {"accept", "return", "decline", "merge", "send_for_sign_off", "send_directly"}
)


def check_owner(report: Report, user: User) -> None:
    """Refuse an office action on a report another editor has claimed."""
    if report.claimed_by_id and report.claimed_by_id != user.pk:
        raise ActionRefused(
            f"该稿件已由{report.claimed_by}认领处理，只有认领人可以办理；如需办理，请先“接手”。"
        )


def claim_fields(report: Report, user: User) -> dict[str, Any]:
    """The fields that make ``user`` the claimer of an unclaimed report (none if already theirs)."""
    check_owner(report, user)
    if report.claimed_by_id == user.pk:
        return {}
    return {"claimed_by": user, "claimed_at": clock.now()}


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
    row = MACHINE.check(report, action, user, note)
    if action in OWNED_ACTIONS:
        check_owner(report, user)
    return row


def available_actions(report: Report, user: User) -> list[tuple[str, Move]]:
    """The buttons to show this user on this report (none of the office's if another claimed it)."""
    mine = not report.claimed_by_id or report.claimed_by_id == user.pk
    return [(a, m) for a, m in MACHINE.available(report, user) if mine or a not in OWNED_ACTIONS]


def transition(
    report: Report,
    action: str,
    user: User,
    *,
    note: str = "",
    payload: dict[str, Any] | None = None,
    extra_fields: dict[str, Any] | None = None,
) -> Event:
    """Lock the report, re-check and make the move, and write its event (see ``Machine``).

    An office move also checks the claim under the lock and claims an unclaimed report.
    """
    if action not in OWNED_ACTIONS:
        return MACHINE.transition(
            report, action, user, note=note, payload=payload, extra_fields=extra_fields
        )
    with transaction.atomic():
        # Locked here first so that the claim read is the one the move commits with.
        locked = Report.objects.select_for_update().get(pk=report.pk)
        claim = claim_fields(locked, user)
        payload = {**(payload or {}), **({"claimed": True} if claim else {})}
        return MACHINE.transition(
            report,
            action,
            user,
            note=note,
            payload=payload,
            extra_fields={**claim, **(extra_fields or {})},
        )
