"""Small helpers shared by the bulletin page tests."""

from __future__ import annotations

from minyi.bulletins.actions import (
    do_compose,
    do_create_issue,
    do_send_issue_for_sign_off,
    do_sign_off_issue,
)
from minyi.bulletins.models import ApprovalStep, Bulletin, Issue
from tests.factories import Cast, make_report


def signed_off(cast: Cast, title: str, **kw):
    return make_report(cast, state="signed_off", title=title, **kw)


def awaiting_issue(cast: Cast, reports: list) -> Issue:
    """An issue with ``reports``, 主送 the first recipient, 抄送 the rest, sent for sign-off."""
    issue = do_create_issue(cast.bulletin, cast.editor)
    do_compose(
        issue, cast.editor, reports=reports, main=cast.recipients[:1], copy=cast.recipients[1:]
    )
    do_send_issue_for_sign_off(issue, cast.editor)
    return issue


def two_step_chain(bulletin: Bulletin) -> None:
    """Give ``bulletin`` the chain 分管副秘书长审签 → 秘书长签发, both by approvers."""
    for position, label in ((1, "分管副秘书长审签"), (2, "秘书长签发")):
        ApprovalStep.objects.get_or_create(
            bulletin=bulletin, position=position, defaults={"label": label}
        )


def sign_off(issue: Issue, user, opinion: str = "同意。") -> None:
    do_sign_off_issue(issue, user, opinion=opinion, acknowledged=True)
