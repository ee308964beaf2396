"""Every move in the report workflow table: allowed for the right people, refused for
everyone else, refused from every other state. Generated from TRANSITIONS, so a
new row in the table is tested without writing a new test."""

from __future__ import annotations

import pytest

from minyi.audit.statemachine import ActionRefused
from minyi.reports.models import Report, State, Urgency
from minyi.reports.workflow import AUTHOR, MACHINE, transition
from tests.factories import Cast, make_report
from tests.transition_matrix import (
    matrix_tests,
    put_in,
)

pytestmark = pytest.mark.django_db
#: The report is the member's, for the cast's unit, whose liaison counts as an author.
AUTHORS = {AUTHOR: ("member", "liaison")}


def urgent_report(cast: Cast) -> Report:
    # Urgent, so that ``send_directly`` is open to it.
    return make_report(cast, urgency=Urgency.URGENT)


(
    test_each_move_is_allowed_for_its_roles,
    test_each_move_is_refused_to_every_other_role,
    test_each_action_is_refused_from_every_wrong_state,
) = matrix_tests(MACHINE, urgent_report, holders=AUTHORS)


def test_it_requires_a_reason_to_return_a_report(cast):
    report = put_in(make_report(cast), State.SUBMITTED)
    with pytest.raises(ActionRefused, match="须填写理由"):
        transition(report, "return", cast.editor, note="  ")
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_it_sends_only_urgent_and_special_reports_directly(cast):
    report = put_in(make_report(cast, urgency=Urgency.ROUTINE), State.SIGNED_OFF)
    with pytest.raises(ActionRefused, match="急报、特报"):
        transition(report, "send_directly", cast.editor)
    report.refresh_from_db()
    assert report.state == State.SIGNED_OFF


def test_it_refuses_a_move_when_someone_else_moved_the_report_first(cast):
    report = put_in(make_report(cast), State.SUBMITTED)
    stale = Report.objects.get(pk=report.pk)
    transition(report, "accept", cast.editor)
    # The second editor's page still shows "submitted".
    with pytest.raises(ActionRefused, match="已被他人处理"):
        transition(stale, "decline", cast.editor, note="x")
    report.refresh_from_db()
    assert report.state == State.ACCEPTED


def test_it_stamps_the_move_on_the_report(cast):
    report = make_report(cast)
    transition(report, "submit", cast.member)
    transition(report, "return", cast.editor, note=" 请补充数据来源。 ")
    report.refresh_from_db()
    assert (report.state, report.state_note) == (State.RETURNED, "请补充数据来源。")
    assert report.submitted_at is not None and report.state_changed_at >= report.submitted_at
