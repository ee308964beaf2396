"""Small helpers shared by the bulletin page tests."""

from __future__ import annotations

from minyi.bulletins.actions import do_compose, do_create_issue, do_send_issue_for_sign_off
from minyi.bulletins.models import Issue
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
