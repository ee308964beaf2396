"""Every move in the workflow table: allowed for the right people, refused for
everyone else, refused from every other state. Generated from TRANSITIONS, so a
new row in the table is tested without writing a new test."""

from __future__ import annotations

import pytest

from minyi.audit.models import Event
from minyi.reports.models import Report, State, Urgency
from minyi.reports.workflow import AUTHOR, TRANSITIONS, WorkflowError, transition
from tests.factories import Cast, make_report

CAST_NAMES = ("member", "officer", "liaison", "editor", "approver", "leader", "outsider")
ROLE_ACTORS = {AUTHOR: ("member", "liaison"), "editor": ("editor",), "approver": ("approver",)}
MOVES = sorted(TRANSITIONS.items(), key=lambda kv: (kv[0][0], kv[0][1]))


def allowed_names(roles: frozenset[str]) -> set[str]:
    return {name for role in roles for name in ROLE_ACTORS[role]}


def report_in(cast: Cast, state: str) -> Report:
    report = make_report(cast, urgency=Urgency.URGENT)
    # Put the report straight into the state under test; the moves that lead
    # there are covered by their own rows of this matrix.
    Report.objects.filter(pk=report.pk).update(state=state)
    report.refresh_from_db()
    return report


def move_id(item: tuple[tuple[str, str], object]) -> str:
    (state, action), _ = item
    return f"{state}-{action}"


@pytest.mark.parametrize(("key", "move"), MOVES, ids=[move_id(m) for m in MOVES])
def test_it_allows_each_move_for_its_roles(cast, key, move):
    state, action = key
    for name in sorted(allowed_names(move.roles)):
        report = report_in(cast, state)
        transition(report, action, getattr(cast, name), note="理由")
        report.refresh_from_db()
        assert report.state == move.target, name
        assert Event.objects.for_report(report.pk).filter(verb=action).exists()


@pytest.mark.parametrize(("key", "move"), MOVES, ids=[move_id(m) for m in MOVES])
def test_it_refuses_each_move_for_every_other_role(cast, key, move):
    state, action = key
    report = report_in(cast, state)
    for name in sorted(set(CAST_NAMES) - allowed_names(move.roles)):
        with pytest.raises(WorkflowError, match="没有权限"):
            transition(report, action, getattr(cast, name), note="理由")
        report.refresh_from_db()
        assert report.state == state, name
    assert not Event.objects.for_report(report.pk).filter(verb=action).exists()


ACTIONS = sorted({action for (_, action) in TRANSITIONS})


@pytest.mark.parametrize("action", ACTIONS)
def test_it_refuses_each_action_from_every_wrong_state(cast, action):
    right_states = {s for (s, a) in TRANSITIONS if a == action}
    actor = {"editor": cast.editor, "approver": cast.approver}
    for state in sorted(set(State.values) - right_states):
        report = report_in(cast, state)
        for user in (cast.member, actor.get("editor"), actor.get("approver")):
            with pytest.raises(WorkflowError, match="不能执行此操作"):
                transition(report, action, user, note="理由")
        report.refresh_from_db()
        assert report.state == state


def test_it_requires_a_reason_to_return_a_report(cast):
    report = report_in(cast, State.SUBMITTED)
    with pytest.raises(WorkflowError, match="须填写理由"):
        transition(report, "return", cast.editor, note="  ")
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_it_sends_only_urgent_and_special_reports_directly(cast):
    report = report_in(cast, State.SIGNED_OFF)
    Report.objects.filter(pk=report.pk).update(urgency=Urgency.ROUTINE)
    report.refresh_from_db()
    with pytest.raises(WorkflowError, match="急报、特报"):
        transition(report, "send_directly", cast.editor)
    report.refresh_from_db()
    assert report.state == State.SIGNED_OFF


def test_it_refuses_a_move_when_someone_else_moved_the_report_first(cast):
    report = report_in(cast, State.SUBMITTED)
    stale = Report.objects.get(pk=report.pk)
    transition(report, "accept", cast.editor)
    # The second editor's page still shows "submitted".
    with pytest.raises(WorkflowError, match="已被他人处理"):
        transition(stale, "decline", cast.editor, note="x")
    report.refresh_from_db()
    assert report.state == State.ACCEPTED
