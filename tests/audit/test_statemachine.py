"""The shared state machine itself, on a toy table over the ``Issue`` model.

The apps' own tables are tested row by row in their folders (``test_*_transitions.py``);
this file tests what every table relies on: relations, messages, buttons, the
event, the lock and re-check, and the checks made when a table is built.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from minyi.audit.models import Event
from minyi.audit.statemachine import ActionRefused, Machine, move, require_role
from minyi.audit.verbs import Verb
from minyi.bulletins.actions import do_create_issue
from minyi.bulletins.models import Issue, IssueState
from minyi.people.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

DRAFT, AWAITING, ISSUED = IssueState.DRAFT, IssueState.AWAITING_SIGN_OFF, IssueState.ISSUED
OWNER = "owner"


def _old_year(issue: Issue) -> str | None:
    return "往年的样刊不能送审。" if issue.year < 2000 else None


TOY: Machine[Issue] = Machine(
    model=Issue,
    noun="样刊",
    table={
        (DRAFT, "send"): move(
            AWAITING, {OWNER}, "送审", guard=_old_year, verb=Verb.SEND_ISSUE_FOR_SIGN_OFF
        ),
        (AWAITING, "reject"): move(
            DRAFT, {Role.APPROVER}, "退回", note_required=True, verb=Verb.REJECT_ISSUE
        ),
        (AWAITING, "sign_off"): move(
            ISSUED, {Role.APPROVER}, "签发", internal=True, verb=Verb.SIGN_OFF_ISSUE
        ),
    },
    relations={OWNER: lambda issue, user: issue.editor_id == user.pk},
    note_name="意见",
    refusals={"sign_off": "只有待签发的样刊可以签发。"},
    describe=lambda issue: {"title": "样刊"},
    report_of=lambda issue: 4242,
    stamp=lambda issue, action, row, note, now: {"state_note": note},
)


@pytest.fixture
def issue(cast) -> Issue:
    return do_create_issue(cast.bulletin, cast.editor)


def in_state(issue: Issue, state: str) -> Issue:
    Issue.objects.filter(pk=issue.pk).update(state=state)
    issue.refresh_from_db()
    return issue


def test_a_relation_is_checked_by_its_hook_not_by_a_role(cast, issue):
    other_editor = make_user("editor2", Role.EDITOR)
    with pytest.raises(ActionRefused, match="您没有权限对此样刊执行“送审”。"):
        TOY.transition(issue, "send", other_editor)
    TOY.transition(issue, "send", cast.editor)
    assert Issue.objects.get(pk=issue.pk).state == AWAITING


@pytest.mark.parametrize(
    ("state", "action", "note", "message"),
    [
        (DRAFT, "publish", "", "未知的操作。"),
        (ISSUED, "reject", "x", "样刊当前状态为“已印发”，不能执行此操作。"),
        (DRAFT, "sign_off", "", "只有待签发的样刊可以签发。"),
        (AWAITING, "reject", "  ", "“退回”须填写意见。"),
    ],
)
def test_it_says_why_it_refuses(cast, issue, state, action, note, message):
    issue = in_state(issue, state)
    with pytest.raises(ActionRefused) as refused:
        TOY.check(issue, action, cast.approver, note)
    assert str(refused.value) == message


def test_a_guard_refuses_with_its_own_words_and_hides_the_button(cast, issue):
    assert [action for action, _ in TOY.available(issue, cast.editor)] == ["send"]
    Issue.objects.filter(pk=issue.pk).update(year=1999)
    issue.refresh_from_db()
    assert TOY.available(issue, cast.editor) == []
    with pytest.raises(ActionRefused, match="往年的样刊不能送审"):
        TOY.transition(issue, "send", cast.editor)
    assert Issue.objects.get(pk=issue.pk).state == DRAFT


def test_it_offers_no_button_for_an_internal_move_or_to_the_wrong_people(cast, issue):
    issue = in_state(issue, AWAITING)
    assert [action for action, _ in TOY.available(issue, cast.approver)] == ["reject"]
    assert TOY.available(issue, cast.editor) == []
    assert TOY.allows(issue, "sign_off", cast.approver)
    assert not TOY.allows(issue, "sign_off", cast.editor)


def test_it_saves_the_move_and_writes_one_event_with_everything_said(cast, issue):
    issue = in_state(issue, AWAITING)
    event = TOY.transition(
        issue,
        "reject",
        cast.approver,
        note=" 重排 ",
        payload={"extra": 1},
        ip="10.0.0.1",
        extra_fields={"approver": cast.approver},
    )
    # The caller's copy shows the move as well as the stored row.
    assert (issue.state, issue.state_note, issue.approver) == (DRAFT, "重排", cast.approver)
    stored = Issue.objects.get(pk=issue.pk)
    assert (stored.state, stored.state_note, stored.approver) == (DRAFT, "重排", cast.approver)
    assert Event.objects.filter(object_type="bulletins.issue", object_id=str(issue.pk)).count() == 2
    assert (event.verb, event.actor, event.report_id, event.ip) == (
        Verb.REJECT_ISSUE,
        cast.approver,
        4242,
        "10.0.0.1",
    )
    assert event.payload == {
        "from": AWAITING,
        "to": DRAFT,
        "note": "重排",
        "title": "样刊",
        "extra": 1,
    }


def test_it_refuses_a_stale_copy_and_changes_nothing(cast, issue):
    stale = Issue.objects.get(pk=issue.pk)
    TOY.transition(issue, "send", cast.editor)
    events = Event.objects.count()
    with pytest.raises(ActionRefused, match="^该样刊已被他人处理，状态已变化，请刷新页面后再试。$"):
        TOY.transition(stale, "send", cast.editor)
    assert Issue.objects.get(pk=issue.pk).state == AWAITING
    assert Event.objects.count() == events


def test_extra_fields_cannot_set_the_state(cast, issue):
    with pytest.raises(ValueError, match="cannot set the state"):
        TOY.transition(issue, "send", cast.editor, extra_fields={"state": ISSUED})
    assert Issue.objects.get(pk=issue.pk).state == DRAFT


def _rebuilt(**changes: Any) -> Machine[Issue]:
    return dataclasses.replace(TOY, **changes)


def test_a_table_naming_an_unknown_state_fails_when_it_is_built():
    with pytest.raises(ValueError, match="unknown state"):
        _rebuilt(
            table={(DRAFT, "send"): move("printed", {OWNER}, "送审", verb=Verb.SIGN_OFF_ISSUE)}
        )


def test_a_table_whose_event_is_no_verb_fails_when_it_is_built():
    with pytest.raises(ValueError):
        _rebuilt(table={(DRAFT, "typo"): move(AWAITING, {OWNER}, "送审")})


def test_require_role_refuses_an_action_in_chinese_to_whoever_lacks_the_role(cast):
    with pytest.raises(ActionRefused, match="您没有权限新建刊物期次。"):
        require_role(cast.member, "editor", "新建刊物期次")
    require_role(cast.editor, "editor", "新建刊物期次")  # No refusal: returns nothing.
