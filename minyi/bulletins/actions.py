"""Compose, sign off and issue bulletin issues (``check_*`` then ``do_*``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused, require_role
from minyi.bulletins.models import Bulletin, CopyKind, Issue, IssueItem, IssueRecipient, IssueState
from minyi.bulletins.workflow import ISSUES
from minyi.core import clock
from minyi.core.models import next_number
from minyi.outcomes.actions import forward_to
from minyi.outcomes.models import Recipient
from minyi.people.models import Role
from minyi.reports.models import Report, State
from minyi.reports.workflow import transition

if TYPE_CHECKING:
    from minyi.people.models import User


def do_create_issue(bulletin: Bulletin, user: User, *, year: int | None = None) -> Issue:
    """Open the next numbered issue of a series; numbers never repeat or skip."""
    require_role(user, Role.EDITOR, "新建刊物期次")
    if not bulletin.active:
        raise ActionRefused("该刊物已停用。")
    year = year or clock.localdate().year
    with transaction.atomic():
        number = next_number(f"issue:{bulletin.pk}", year)
        issue = Issue.objects.create(bulletin=bulletin, year=year, number=number, editor=user)
        record("create_issue", issue, actor=user, payload={"title": str(issue)})
    return issue


def check_compose(issue: Issue, user: User, reports: Sequence[Report]) -> None:
    require_role(user, Role.EDITOR, "编排刊物")
    if issue.state != IssueState.DRAFT:
        raise ActionRefused("只有编辑中的期次可以调整稿件。")
    for report in reports:
        if report.state != State.SIGNED_OFF:
            raise ActionRefused(f"《{report.title}》尚未签发，不能编入刊物。")
        other = report.issue_items.exclude(issue=issue).select_related("issue").first()
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


def do_reject_issue(issue: Issue, user: User, *, note: str) -> None:
    ISSUES.transition(issue, "reject", user, note=note)


def check_sign_off_issue(issue: Issue, user: User) -> None:
    ISSUES.check(issue, "sign_off", user)


def do_sign_off_issue(issue: Issue, user: User) -> None:
    """签发: issue the issue, publish its items and forward them to its recipients."""
    check_sign_off_issue(issue, user)
    with transaction.atomic():
        ISSUES.transition(
            issue,
            "sign_off",
            user,
            extra_fields={"approver": user, "signed_off_at": clock.now()},
        )
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
