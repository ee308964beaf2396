"""The life of a bulletin issue (期次) as a table run by the shared state machine.

编辑中 → 送审签 → 待签发 → (审核 …) → 签发 → 已印发 → 更正 / 作废. While 待签发 the
issue walks its approval chain (``chain.py``): every step but the last is 审核
(``approve_step``, the issue stays 待签发 and ``step`` moves on), the last is 签发.
Whoever holds the current step's role acts at it, never the issue's own editor
(the ``step_holder`` relation); any of them may send it back to the editor with a
reason, and the chain starts again. What signing off does besides the state
(numbering, publishing the items, forwarding them) lives in ``actions``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from minyi.audit.statemachine import Machine, Move, move
from minyi.audit.verbs import Verb
from minyi.bulletins.chain import current_step, is_last_step
from minyi.bulletins.models import CopyKind, Decision, Issue, IssueState
from minyi.people.models import Role, User

#: The relation "holds the role of the issue's current step and is not its editor".
STEP_HOLDER = "step_holder"


def _ready(issue: Issue) -> str | None:
    if not issue.items.exists():
        return "本期还没有稿件，不能送审签。"
    if not issue.issue_recipients.filter(kind=CopyKind.MAIN).exists():
        return "请至少选择一个主送对象。"
    return None


def _not_last(issue: Issue) -> str | None:
    return "本期已到最后一步，请签发。" if is_last_step(issue) else None


def _last(issue: Issue) -> str | None:
    return None if is_last_step(issue) else f"本期须先经“{current_step(issue).label}”。"


def holds_step(issue: Issue, user: Any) -> bool:
    """May ``user`` act at the issue's current step? Never on an issue they edit."""
    return (
        user.pk != issue.editor_id
        and user.has_role(current_step(issue).role)
        and repeat_signer(issue, user) is None
    )


def step_token(issue: Issue) -> str:
    """Which step of which round a decision form was shown for (its hidden ``at`` field)."""
    return f"{issue.current_round()}-{issue.step}"


def _others_hold(issue: Issue, user: Any) -> bool:
    """Does anyone but ``user`` and the issue's editor hold the current step's role?"""
    role = current_step(issue).role
    return (
        User.objects.filter(is_active=True, role_assignments__role=role)
        .exclude(pk__in=[user.pk, issue.editor_id])
        .exists()
    )


def repeat_signer(issue: Issue, user: Any) -> str | None:
    """Why ``user`` may not act at the current step: they acted at the step just before it.

    Two steps exist so two people look at the issue; one person at both is one look.
    Only when nobody else holds the step's role (a small office) may the same person go on.
    """
    if issue.state != IssueState.AWAITING_SIGN_OFF or issue.step == 0:
        return None
    last = (
        issue.opinions.filter(round=issue.current_round(), action=Decision.APPROVE)
        .order_by("-id")
        .first()
    )
    if last is None or last.signer_id != user.pk or not _others_hold(issue, user):
        return None
    return (
        f"您已办理上一步“{last.step_label}”，同一人不能连续办理两步审签，"
        f"请由其他{Role(current_step(issue).role).label}办理。"
    )


TRANSITIONS: dict[tuple[str, str], Move] = {
    (IssueState.DRAFT, "send_for_sign_off"): move(
        IssueState.AWAITING_SIGN_OFF,
        {Role.EDITOR},
        "送审签",
        guard=_ready,
        verb=Verb.SEND_ISSUE_FOR_SIGN_OFF,
    ),
    (IssueState.AWAITING_SIGN_OFF, "approve_step"): move(
        IssueState.AWAITING_SIGN_OFF,
        {STEP_HOLDER},
        "审核同意",
        guard=_not_last,
        verb=Verb.APPROVE_ISSUE_STEP,
    ),
    (IssueState.AWAITING_SIGN_OFF, "reject"): move(
        IssueState.DRAFT, {STEP_HOLDER}, "退回", note_required=True, verb=Verb.REJECT_ISSUE
    ),
    (IssueState.AWAITING_SIGN_OFF, "sign_off"): move(
        IssueState.ISSUED, {STEP_HOLDER}, "签发", guard=_last, verb=Verb.SIGN_OFF_ISSUE
    ),
    (IssueState.ISSUED, "correct"): move(
        IssueState.ISSUED, {Role.APPROVER}, "更正", note_required=True, verb=Verb.CORRECT_ISSUE
    ),
    (IssueState.ISSUED, "void"): move(
        IssueState.VOIDED, {Role.APPROVER}, "作废", note_required=True, verb=Verb.VOID_ISSUE
    ),
}


def _stamp(issue: Issue, action: str, _move: Move, note: str, now: dt.datetime) -> dict[str, Any]:
    if action == "approve_step":
        return {"step": issue.step + 1, "state_note": ""}
    if action in ("send_for_sign_off", "reject"):
        # The reason for sending it back is shown to the editor; the chain starts again.
        return {"step": 0, "state_note": note}
    if action == "correct":
        return {"correction_note": note, "corrected_at": now}
    if action == "void":
        return {"void_reason": note, "voided_at": now}
    return {"state_note": note}


ISSUES: Machine[Issue] = Machine(
    model=Issue,
    noun="期次",
    table=TRANSITIONS,
    relations={STEP_HOLDER: holds_step},
    note_name="理由",
    refusals={
        "send_for_sign_off": "只有编辑中的期次可以送审签。",
        "approve_step": "只有待签发的期次可以审核。",
        "reject": "只有待签发的期次可以退回。",
        "sign_off": "只有待签发的期次可以签发。",
        "correct": "只有已印发的期次可以更正。",
        "void": "只有已印发的期次可以作废。",
    },
    describe=lambda issue: {"title": str(issue)},
    stamp=_stamp,
)
