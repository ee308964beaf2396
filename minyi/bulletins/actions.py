"""Compose, sign off and issue bulletin issues (``check_*`` then ``do_*``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from minyi.audit.models import Event, record
from minyi.audit.statemachine import ActionRefused, require_role
from minyi.bulletins.chain import current_step
from minyi.bulletins.models import (
    Bulletin,
    CopyKind,
    Decision,
    Issue,
    IssueItem,
    IssueOpinion,
    IssueRecipient,
    IssueState,
)
from minyi.bulletins.workflow import ISSUES, repeat_signer, step_token
from minyi.core import clock
from minyi.core.models import next_number
from minyi.core.wording import too_long
from minyi.outcomes.actions import forward_to
from minyi.outcomes.models import ForwardingState, Recipient
from minyi.outcomes.workflow import FORWARDINGS
from minyi.people.models import Role
from minyi.reports.models import Report, State
from minyi.reports.opinions import OPINION_MAX, clean_opinion
from minyi.reports.workflow import transition

if TYPE_CHECKING:
    from minyi.people.models import User


def do_create_issue(bulletin: Bulletin, user: User, *, year: int | None = None) -> Issue:
    """Open a new issue, 待编号: its number is taken when it is signed off.

    ``year`` files the draft under a year until then (the list groups by it);
    signing off files it under the year of sign-off.
    """
    require_role(user, Role.EDITOR, "新建刊物期次")
    if not bulletin.active:
        raise ActionRefused("该刊物已停用。")
    with transaction.atomic():
        issue = Issue.objects.create(
            bulletin=bulletin, year=year or clock.localdate().year, number=None, editor=user
        )
        record("create_issue", issue, actor=user, payload={"title": str(issue)})
    return issue


def check_delete_issue(issue: Issue, user: User) -> None:
    require_role(user, Role.EDITOR, "删除刊物期次")
    if issue.state != IssueState.DRAFT or issue.number is not None:
        raise ActionRefused("只有编辑中、尚未编号的期次可以删除；已编号的期次只能作废。")


def do_delete_issue(issue: Issue, user: User) -> None:
    """Delete a 待编号 draft: it holds no number, so deleting it leaves no gap."""
    check_delete_issue(issue, user)
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        check_delete_issue(locked, user)
        record(
            "delete_issue",
            locked,
            actor=user,
            payload={
                "title": str(locked),
                "bulletin": locked.bulletin_id,
                "reports": list(locked.items.values_list("report_id", flat=True)),
            },
        )
        locked.delete()


def check_compose(issue: Issue, user: User, reports: Sequence[Report]) -> None:
    require_role(user, Role.EDITOR, "编排刊物")
    if issue.state != IssueState.DRAFT:
        raise ActionRefused("只有编辑中的期次可以调整稿件。")
    for report in reports:
        if report.state != State.SIGNED_OFF:
            raise ActionRefused(f"《{report.title}》尚未签发，不能编入刊物。")
        # An item of a voided issue is free again: 作废 sent it back to be republished.
        others = report.issue_items.exclude(issue=issue).exclude(issue__state=IssueState.VOIDED)
        other = others.select_related("issue").first()
        if other:
            raise ActionRefused(f"《{report.title}》已编入{other.issue}。")


def do_compose(
    issue: Issue,
    user: User,
    *,
    reports: Sequence[Report],
    main: Sequence[Recipient] = (),
    copy: Sequence[Recipient] = (),
) -> None:
    """Set the ordered items and the 主送/抄送 recipients of a draft issue."""
    check_compose(issue, user, reports)
    if set(r.pk for r in main) & set(r.pk for r in copy):
        raise ActionRefused("同一报送对象不能既主送又抄送。")
    with transaction.atomic():
        issue.items.all().delete()
        IssueItem.objects.bulk_create(
            IssueItem(issue=issue, report=r, position=i) for i, r in enumerate(reports)
        )
        issue.issue_recipients.all().delete()
        IssueRecipient.objects.bulk_create(
            [IssueRecipient(issue=issue, recipient=r, kind=CopyKind.MAIN) for r in main]
            + [IssueRecipient(issue=issue, recipient=r, kind=CopyKind.COPY) for r in copy]
        )
        record(
            "compose_issue",
            issue,
            actor=user,
            payload={
                "reports": [r.pk for r in reports],
                "main": [r.pk for r in main],
                "copy": [r.pk for r in copy],
            },
        )


def do_send_issue_for_sign_off(issue: Issue, user: User) -> None:
    ISSUES.transition(issue, "send_for_sign_off", user)


def _opinion(issue: Issue, event: Event, action: str, text: str, step: str = "") -> IssueOpinion:
    return IssueOpinion.objects.create(
        issue=issue,
        round=issue.current_round(),
        step_label=step,
        action=action,
        text=text,
        signer_id=event.actor_id,
        ip=event.ip,
        created_at=event.created_at,
        event=event,
    )


#: Longest 退回/更正/作废 reason: a line or two, like a 签发意见; it is printed on the issue.
NOTE_MAX = OPINION_MAX


def check_note(note: str, name: str = "理由") -> None:
    if len(note.strip()) > NOTE_MAX:
        raise ActionRefused(too_long(name, NOTE_MAX, len(note.strip())))


def check_still_at(issue: Issue, at: str | None) -> None:
    """Refuse a post made from a page shown for a step that is no longer current.

    ``at`` is the step token the form was rendered with (``step_token``); a second
    click on 审核同意 would otherwise be taken as the next step's decision. None
    (a caller that is not a form) skips the check.
    """
    if at is None or at == step_token(issue):
        return
    last = issue.opinions.select_related("signer").order_by("-id").first()
    who = str(last.signer) if last else "他人"
    raise ActionRefused(f"该步骤已由{who}处理，请刷新页面。")


def _lock_at(issue: Issue, user: User, at: str | None) -> Issue:
    """The issue locked for the decision, still at the step the form was shown for."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    check_still_at(locked, at)
    if problem := repeat_signer(locked, user):
        raise ActionRefused(problem)
    return locked


def check_decision(
    issue: Issue,
    user: User,
    action: str,
    opinion: str,
    acknowledged: bool,
    at: str | None = None,
) -> str:
    """Refuse a step or sign-off without the full text read and an opinion; return the opinion."""
    check_still_at(issue, at)
    if problem := repeat_signer(issue, user):
        raise ActionRefused(problem)
    ISSUES.check(issue, action, user)
    if not acknowledged:
        raise ActionRefused("请先阅读全文并勾选“已阅读全文”。")
    try:
        return clean_opinion(opinion)
    except ValueError as exc:
        raise ActionRefused(str(exc)) from None


def do_reject_issue(issue: Issue, user: User, *, note: str, at: str | None = None) -> None:
    """退回 at any step: back to the editor with the reason; the chain starts again."""
    check_still_at(issue, at)
    check_note(note)
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        check_still_at(locked, at)
        step = current_step(locked).label
        event = ISSUES.transition(issue, "reject", user, note=note, payload={"step": step})
        _opinion(issue, event, Decision.REJECT, note.strip(), step)


def do_approve_step(
    issue: Issue, user: User, *, opinion: str, acknowledged: bool, at: str | None = None
) -> None:
    """审核同意 at a step before the last: the issue moves on to the next step."""
    text = check_decision(issue, user, "approve_step", opinion, acknowledged, at)
    with transaction.atomic():
        step = current_step(_lock_at(issue, user, at)).label
        event = ISSUES.transition(
            issue, "approve_step", user, payload={"opinion": text, "step": step}
        )
        _opinion(issue, event, Decision.APPROVE, text, step)


def check_sign_off_issue(issue: Issue, user: User) -> None:
    ISSUES.check(issue, "sign_off", user)


def _numbers(issue: Issue) -> dict[str, object]:
    """The issue's 期号 and 总第N期, taken from locked counters in the caller's transaction.

    A sign-off that fails afterwards rolls the counters back with it, so no number burns.
    An issue opened before numbering moved to sign-off already holds its number: kept.
    """
    if issue.number is not None:
        return {}
    year = clock.localdate().year
    return {
        "year": year,
        "number": next_number(f"issue:{issue.bulletin_id}", year),
        "cumulative_number": next_number(f"issue-total:{issue.bulletin_id}", 0),
    }


def do_sign_off_issue(
    issue: Issue, user: User, *, opinion: str, acknowledged: bool, at: str | None = None
) -> None:
    """签发: number and issue the issue, publish its items and forward them to its recipients."""
    text = check_decision(issue, user, "sign_off", opinion, acknowledged, at)
    with transaction.atomic():
        step = current_step(_lock_at(issue, user, at)).label
        event = ISSUES.transition(
            issue,
            "sign_off",
            user,
            payload={"opinion": text, "step": step},
            extra_fields={"approver": user, "signed_off_at": clock.now(), **_numbers(issue)},
        )
        _opinion(issue, event, Decision.SIGN_OFF, text, step)
        recipients = [ir.recipient for ir in issue.issue_recipients.select_related("recipient")]
        for item in issue.items.select_related("report"):
            transition(
                item.report,
                "publish",
                user,
                payload={"issue": str(issue), "issue_id": issue.pk},
            )
            for recipient in recipients:
                forward_to(item.report, recipient, user, issue=issue)


def do_correct_issue(issue: Issue, user: User, *, note: str) -> None:
    """更正: re-issue under the same number; the note is shown on the issue and its documents."""
    check_note(note, "更正说明")
    with transaction.atomic():
        event = ISSUES.transition(issue, "correct", user, note=note)
        _opinion(issue, event, Decision.CORRECT, note.strip())


def do_void_issue(issue: Issue, user: User, *, reason: str) -> None:
    """作废: withdraw an issued number; it stays listed with its reason, never reused.

    The issue is withdrawn, so its items are too: each report goes back to 已签发 (its
    own ``unpublish`` event, which the points ledger and the authors' feedback consume)
    and its forwardings still awaiting an answer are recalled, leaving the feedback queue.
    """
    check_note(reason, "作废理由")
    with transaction.atomic():
        event = ISSUES.transition(issue, "void", user, note=reason)
        _opinion(issue, event, Decision.VOID, reason.strip())
        _withdraw_items(issue, user, reason.strip())


def _withdraw_items(issue: Issue, user: User, reason: str) -> None:
    about = {"issue": str(issue), "issue_id": issue.pk}
    for item in issue.items.select_related("report"):
        if item.report.state == State.PUBLISHED:
            transition(item.report, "unpublish", user, note=reason, payload=about)
    recallable = (ForwardingState.PENDING, ForwardingState.NOT_ADOPTED)
    for forwarding in issue.forwardings.filter(state__in=recallable).select_related("recipient"):
        FORWARDINGS.transition(forwarding, "recall", user, payload={"issue": str(issue)})
