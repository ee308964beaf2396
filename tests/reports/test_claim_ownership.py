"""Claim means ownership: only the claimer acts on a claimed report; others take it over (接手)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.audit.statemachine import ActionRefused
from minyi.notify.models import Notification
from minyi.people.models import Role
from minyi.reports.actions import do_claim, do_save_text
from minyi.reports.models import Report, State
from minyi.reports.workflow import available_actions, transition
from tests.factories import make_report, make_user, settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(cast):
    return make_user("editor2", Role.EDITOR, display_name="孙编辑")


@pytest.fixture
def claimed(cast):
    """A submitted report claimed by the cast's editor (赵编辑)."""
    report = make_report(cast, state="submitted")
    do_claim(report, cast.editor)
    return report


def snapshot(report: Report) -> tuple[dict, int]:
    row = Report.objects.filter(pk=report.pk).values().get()
    return row, Event.objects.count()


def act(report: Report, action: str) -> str:
    return reverse("office:act", args=[report.pk, action])


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("accept", {}),
        ("return", {"note": "请补充数据"}),
        ("decline", {"reason": "outdated", "note": ""}),
        ("recategorize", {"category": "<the cast's category>", "urgency": "urgent"}),
    ],
)
def test_it_refuses_another_editors_action_on_a_claimed_report(
    cast, client_for, second, claimed, action, data
):
    before = snapshot(claimed)
    if "category" in data:  # A category is required: the refusal must be the claim's.
        data = {**data, "category": cast.category.pk}
    response = client_for(second).post(act(claimed, action), data, follow=True)
    assert "该稿件已由赵编辑认领处理" in response.content.decode()
    assert "请先“接手”" in response.content.decode()
    # Nothing changed: the row and the event log are as they were.
    assert snapshot(claimed) == before


def test_it_refuses_another_editors_edit_of_the_text(cast, client_for, second, claimed):
    before = snapshot(claimed)
    data = {**claimed.text_fields(), "title": "改了标题", "base_revision": 1, "note": ""}
    response = client_for(second).post(reverse("office:workbench", args=[claimed.pk]), data)
    assert response.status_code == 400
    assert "该稿件已由赵编辑认领处理" in response.content.decode()
    assert snapshot(claimed) == before


def test_the_claimer_acts_as_before(cast, client_for, claimed):
    client_for(cast.editor).post(act(claimed, "accept"))
    claimed.refresh_from_db()
    assert claimed.state == State.ACCEPTED and claimed.claimed_by == cast.editor


def test_acting_on_an_unclaimed_report_claims_it(cast, client_for):
    report = make_report(cast, state="submitted")
    assert report.claimed_by is None
    client_for(cast.editor).post(act(report, "accept"))
    report.refresh_from_db()
    assert report.state == State.ACCEPTED and report.claimed_by == cast.editor
    event = Event.objects.filter(verb="accept", report_id=report.pk).get()
    assert event.payload["claimed"] is True


def test_editing_an_unclaimed_report_claims_it(cast, second):
    report = make_report(cast, state="submitted")
    fields = {**report.text_fields(), "title": "编辑后的标题"}
    do_save_text(report, second, fields=fields, base_revision=1)
    report.refresh_from_db()
    assert report.claimed_by == second


def test_an_author_moving_their_report_does_not_claim_it(cast):
    report = make_report(cast, state="submitted")
    transition(report, "withdraw", cast.member)
    report.refresh_from_db()
    assert report.claimed_by is None


def test_the_approvers_sign_off_is_not_blocked_by_a_claim(cast):
    report = make_report(cast, state="awaiting_sign_off")
    assert report.claimed_by == cast.editor  # accepting it claimed it
    transition(report, "sign_off", cast.approver)
    report.refresh_from_db()
    assert report.state == State.SIGNED_OFF


def test_it_offers_no_office_buttons_to_another_editor(cast, second, claimed):
    assert {a for a, _ in available_actions(claimed, cast.editor)} >= {"accept", "return"}
    assert not {a for a, _ in available_actions(claimed, second)}


def test_the_workbench_offers_take_over_instead_of_actions(cast, client_for, second, claimed):
    page = client_for(second).get(reverse("office:workbench", args=[claimed.pk])).content.decode()
    assert "接手" in page and "只有认领人可以办理" in page
    assert reverse("office:take_over", args=[claimed.pk]) in page
    assert act(claimed, "accept") not in page and 'id="edit-h"' not in page


def test_taking_over_moves_the_claim_writes_an_event_and_tells_the_previous_claimer(
    cast, client_for, second, claimed, django_capture_on_commit_callbacks
):
    client = client_for(second)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("office:take_over", args=[claimed.pk]), follow=True)
    assert "已接手，原认领人将收到通知" in response.content.decode()
    claimed.refresh_from_db()
    assert claimed.claimed_by == second
    event = Event.objects.filter(verb="take_over").get()
    assert event.actor == second and event.payload["previous_id"] == cast.editor.pk
    settle()
    note = Notification.objects.get(user=cast.editor, verb="take_over")
    assert "孙编辑接手了您认领的稿件" in note.message
    assert note.url == reverse("office:workbench", args=[claimed.pk])
    # Settling again tells nobody twice.
    settle()
    assert Notification.objects.filter(verb="take_over").count() == 1
    # Now the new claimer acts, and the previous one is refused.
    client.post(act(claimed, "accept"))
    claimed.refresh_from_db()
    assert claimed.state == State.ACCEPTED
    with pytest.raises(ActionRefused, match="孙编辑认领"):
        transition(claimed, "send_for_sign_off", cast.editor)


def test_take_over_with_htmx_reloads_the_page_so_the_actions_appear(
    cast, client_for, second, claimed
):
    response = client_for(second).post(
        reverse("office:take_over", args=[claimed.pk]), HTTP_HX_REQUEST="true"
    )
    # Not only the claim cell changes: the handling buttons and the notice do too.
    assert response.headers["HX-Refresh"] == "true"
    claimed.refresh_from_db()
    assert claimed.claimed_by == second
    page = client_for(second).get(reverse("office:workbench", args=[claimed.pk])).content.decode()
    assert "只有认领人可以办理" not in page


def test_a_refused_take_over_with_htmx_answers_in_the_claim_cell(cast, client_for, claimed):
    response = client_for(cast.editor).post(
        reverse("office:take_over", args=[claimed.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode().strip()
    assert body.startswith(f'<span class="claim" id="claim-{claimed.pk}">')
    assert "HX-Refresh" not in response.headers


@pytest.mark.parametrize("name", ["member", "liaison", "approver", "leader", "outsider"])
def test_it_refuses_take_over_to_non_editors(cast, client_for, claimed, name):
    before = snapshot(claimed)
    response = client_for(getattr(cast, name)).post(reverse("office:take_over", args=[claimed.pk]))
    assert response.status_code == 403
    assert snapshot(claimed) == before


def test_it_refuses_to_take_over_an_unclaimed_or_own_report(cast, client_for, claimed):
    unclaimed = make_report(cast, state="submitted", title="无人认领的稿件")
    client = client_for(cast.editor)
    before = Event.objects.count()
    response = client.post(reverse("office:take_over", args=[unclaimed.pk]), follow=True)
    assert "该稿件无人认领，直接认领即可" in response.content.decode()
    response = client.post(reverse("office:take_over", args=[claimed.pk]), follow=True)
    assert "该稿件已由您认领，无需接手" in response.content.decode()
    assert Event.objects.count() == before


def test_a_second_editor_cannot_claim_but_is_pointed_to_take_over(cast, client_for, second):
    report = make_report(cast, state="submitted")
    do_claim(report, cast.editor)
    response = client_for(second).post(reverse("office:claim", args=[report.pk]), follow=True)
    assert "请使用“接手”" in response.content.decode()
    report.refresh_from_db()
    assert report.claimed_by == cast.editor
