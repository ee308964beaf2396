"""The life of a bulletin issue (期次) as a table run by the shared state machine.

编辑中 → 送审签 → 待签发 → 签发 → 已印发; the approver may send it back to the
editor with a reason. What signing off does besides the state (publishing the
items, forwarding them) lives in ``actions.do_sign_off_issue``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from minyi.audit.statemachine import Machine, Move, move
from minyi.audit.verbs import Verb
from minyi.bulletins.models import CopyKind, Issue, IssueState
from minyi.people.models import Role


def _ready(issue: Issue) -> str | None:
    if not issue.items.exists():
        return "本期还没有稿件，不能送审签。"
    if not issue.issue_recipients.filter(kind=CopyKind.MAIN).exists():
        return "请至少选择一个主送对象。"
    return None


TRANSITIONS: dict[tuple[str, str], Move] = {
    (IssueState.DRAFT, "send_for_sign_off"): move(
        IssueState.AWAITING_SIGN_OFF,
        {Role.EDITOR},
        "送审签",
        guard=_ready,
        verb=Verb.SEND_ISSUE_FOR_SIGN_OFF,
    ),
    (IssueState.AWAITING_SIGN_OFF, "reject"): move(
        IssueState.DRAFT, {Role.APPROVER}, "退回", note_required=True, verb=Verb.REJECT_ISSUE
    ),
    (IssueState.AWAITING_SIGN_OFF, "sign_off"): move(
        IssueState.ISSUED, {Role.APPROVER}, "签发", verb=Verb.SIGN_OFF_ISSUE
    ),
}


def _stamp(issue: Issue, action: str, _move: Move, note: str, now: dt.datetime) -> dict[str, Any]:
    # The approver's reason for sending it back, shown to the editor; cleared on every move.
    return {"state_note": note}


ISSUES: Machine[Issue] = Machine(
    model=Issue,
    noun="期次",
    table=TRANSITIONS,
    refusals={
        "send_for_sign_off": "只有编辑中的期次可以送审签。",
        "reject": "只有待签发的期次可以退回。",
        "sign_off": "只有待签发的期次可以签发。",
    },
    describe=lambda issue: {"title": str(issue)},
    stamp=_stamp,
)
