"""Every move of a bulletin issue, generated from ``bulletins.workflow.TRANSITIONS``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from minyi.audit.statemachine import ActionRefused
from minyi.bulletins.actions import (
    do_compose,
    do_create_issue,
    do_send_issue_for_sign_off,
    do_sign_off_issue,
)
from minyi.bulletins.models import Issue, IssueState
from minyi.bulletins.workflow import ISSUES, STEP_HOLDER, TRANSITIONS
from minyi.outcomes.models import Forwarding
from minyi.reports.models import State
from tests.bulletins.helpers import two_step_chain
from tests.factories import Cast, make_report
from tests.transition_matrix import (
    matrix_tests,
    snapshot,
)

pytestmark = pytest.mark.django_db


def composed_issue(cast: Cast) -> Issue:
    """A draft issue with one signed-off report and a 主送 recipient: fit for every move."""
    issue = do_create_issue(cast.bulletin, cast.editor)
    report = make_report(cast, state="signed_off")
    do_compose(issue, cast.editor, reports=[report], main=cast.recipients[:1])
    return issue


def two_step_issue(cast: Cast) -> Issue:
    """A composed issue of a series whose chain is 审核 then 签发: fit for ``approve_step``."""
    two_step_chain(cast.bulletin)
    return composed_issue(cast)


#: The current step's role is the approver's (the default chain and the two-step one).
HOLDERS = {STEP_HOLDER: ("approver",)}
#: ``approve_step`` needs a step after the current one, every other move the default chain:
#: the real table, split by the issue each part needs.
ONE_STEP = replace(ISSUES, table={k: v for k, v in TRANSITIONS.items() if k[1] != "approve_step"})
TWO_STEP = replace(ISSUES, table={k: v for k, v in TRANSITIONS.items() if k[1] == "approve_step"})

(
    test_each_move_is_allowed_for_its_roles,
    test_each_move_is_refused_to_every_other_role,
    test_each_action_is_refused_from_every_wrong_state,
    test_a_move_on_a_stale_copy_is_refused,
) = matrix_tests(ONE_STEP, composed_issue, holders=HOLDERS, stale_by="approver")
(
    test_a_review_step_is_allowed_for_its_role,
    test_a_review_step_is_refused_to_every_other_role,
    test_a_review_step_is_refused_from_every_wrong_state,
    test_a_review_step_on_a_stale_copy_is_refused,
) = matrix_tests(TWO_STEP, two_step_issue, holders=HOLDERS, stale_by="approver")


def test_the_split_tables_are_the_whole_table():
    assert {**ONE_STEP.table, **TWO_STEP.table} == ISSUES.table


def test_it_refuses_to_send_an_empty_issue_for_sign_off(cast):
    issue = do_create_issue(cast.bulletin, cast.editor)
    before = snapshot(issue)
    with pytest.raises(ActionRefused, match="本期还没有稿件"):
        do_send_issue_for_sign_off(issue, cast.editor)
    assert snapshot(issue) == before


def test_it_keeps_the_approvers_reason_and_clears_it_on_the_next_move(cast):
    issue = composed_issue(cast)
    do_send_issue_for_sign_off(issue, cast.editor)
    ISSUES.transition(issue, "reject", cast.approver, note="第二篇数据需核实")
    issue.refresh_from_db()
    assert (issue.state, issue.state_note) == (IssueState.DRAFT, "第二篇数据需核实")
    do_send_issue_for_sign_off(issue, cast.editor)
    issue.refresh_from_db()
    assert issue.state_note == ""


def test_a_sign_off_from_a_stale_page_publishes_and_forwards_nothing(cast):
    issue = composed_issue(cast)
    do_send_issue_for_sign_off(issue, cast.editor)
    stale = Issue.objects.get(pk=issue.pk)
    # A second approver sends it back while the first still has the old page open.
    ISSUES.transition(issue, "reject", cast.approver, note="重排")
    with pytest.raises(ActionRefused, match="该期次已被他人处理"):
        do_sign_off_issue(stale, cast.approver, opinion="同意。", acknowledged=True)
    report = issue.items.get().report
    assert report.state == State.SIGNED_OFF
    assert not Forwarding.objects.filter(issue=issue).exists()
