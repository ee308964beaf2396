"""约稿 to named members: the office commissions, the member answers, the report delivers,
the ledger gives the commissioned bonus; refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from minyi.audit.models import Event
from minyi.duties.models import Commission
from minyi.notify.models import Notification
from minyi.reports.models import Report
from minyi.scoring.models import Score
from tests.duties.helpers import make_commission, make_topic
from tests.factories import settle
from tests.reports.test_member_pages import form_data
from tests.scoring.helpers import make_rules

pytestmark = pytest.mark.django_db


def _due(days: int = 10) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_an_editor_commissions_two_named_members_who_are_told(cast, client_for):
    topic = make_topic(cast)
    response = client_for(cast.editor).post(
        reverse("topics:commission_new", args=[topic.pk]),
        {
            "members": [cast.member.member_id, cast.officer.member_id],
            "due_on": _due(),
            "request": "请于月底前交稿。",
        },
    )
    assert response.status_code == 302
    assert Commission.objects.filter(topic=topic, state="offered").count() == 2
    assert Event.objects.filter(verb="commission_offer").count() == 2
    settle()
    note = Notification.objects.get(user=cast.member, verb="commission_offer")
    assert "研究室向您约稿" in note.message and note.kind == "commission"


def test_a_commission_to_a_unit_is_answered_by_its_liaison(cast, client_for):
    topic = make_topic(cast)
    client_for(cast.editor).post(
        reverse("topics:commission_new", args=[topic.pk]),
        {"unit": cast.unit.pk, "due_on": _due()},
    )
    commission = Commission.objects.get(unit=cast.unit)
    response = client_for(cast.liaison).post(
        reverse("topics:commission_answer", args=[commission.pk, "accept"])
    )
    assert response.status_code == 302
    commission.refresh_from_db()
    assert commission.state == "accepted" and commission.answered_by == cast.liaison


@pytest.mark.parametrize("role", ["member", "liaison", "approver", "leader"])
def test_only_the_office_commissions(cast, client_for, role):
    topic = make_topic(cast)
    before = Event.objects.count()
    response = client_for(getattr(cast, role)).post(
        reverse("topics:commission_new", args=[topic.pk]),
        {"members": [cast.member.member_id], "due_on": _due()},
    )
    assert response.status_code == 403
    assert not Commission.objects.exists() and Event.objects.count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"due_on": "2099-01-01"}, "请选择约稿的委员或单位"),
        ({"members": ["MEMBER"], "due_on": "2000-01-01"}, "交稿期限不能早于今天"),
        ({"members": ["MEMBER"], "due_on": "明天"}, "日期格式不正确"),
        ({"members": ["999999"], "due_on": "2099-01-01"}, "所选委员不存在"),
    ],
)
def test_bad_commissions_are_refused_in_chinese(cast, client_for, data, message):
    topic = make_topic(cast)
    if data.get("members") == ["MEMBER"]:
        data = {**data, "members": [cast.member.member_id]}
    response = client_for(cast.editor).post(reverse("topics:commission_new", args=[topic.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Commission.objects.exists()


def test_an_unpublished_topic_or_a_repeat_is_refused(cast, client_for):
    hidden = make_topic(cast, published=False)
    client = client_for(cast.editor)
    data = {"members": [cast.member.member_id], "due_on": _due()}
    refused = client.post(reverse("topics:commission_new", args=[hidden.pk]), data)
    assert "选题尚未发布" in refused.content.decode()
    commission = make_commission(cast)
    again = client.post(reverse("topics:commission_new", args=[commission.topic_id]), data)
    assert "已就此选题向张明约稿" in again.content.decode()
    assert Commission.objects.count() == 1


def test_the_member_accepts_and_the_office_is_told(cast, client_for):
    commission = make_commission(cast)
    page = client_for(cast.member).get(reverse("topics:commission", args=[commission.pk]))
    assert "接受约稿" in page.content.decode()
    client_for(cast.member).post(
        reverse("topics:commission_answer", args=[commission.pk, "accept"])
    )
    commission.refresh_from_db()
    assert commission.state == "accepted" and commission.answered_at is not None
    settle()
    assert Notification.objects.filter(user=cast.editor, verb="commission_accept").exists()


def test_declining_needs_a_reason_and_a_refusal_changes_nothing(cast, client_for):
    commission = make_commission(cast)
    client = client_for(cast.member)
    before = Event.objects.count()
    url = reverse("topics:commission_answer", args=[commission.pk, "decline"])
    page = client.post(url, {"reason": "  "}, follow=True)
    assert "“婉拒约稿”须填写理由" in page.content.decode()
    commission.refresh_from_db()
    assert commission.state == "offered" and Event.objects.count() == before
    client.post(url, {"reason": "近期在外地调研，无法按期完成。"})
    commission.refresh_from_db()
    assert commission.state == "declined" and "外地调研" in commission.reply
    again = client.post(
        reverse("topics:commission_answer", args=[commission.pk, "accept"]), follow=True
    )
    assert "该约稿已答复或已撤销" in again.content.decode()


def test_others_cannot_answer(cast, client_for):
    commission = make_commission(cast)
    url = reverse("topics:commission_answer", args=[commission.pk, "accept"])
    before = Event.objects.count()
    assert client_for(cast.outsider).post(url).status_code == 404
    assert client_for(cast.officer).post(url).status_code == 404
    assert client_for(cast.editor).post(url).status_code == 403
    commission.refresh_from_db()
    assert commission.state == "offered" and Event.objects.count() == before


def test_the_member_writes_from_the_commission_which_delivers_with_the_bonus(cast, client_for):
    make_rules()
    commission = make_commission(cast, state="accepted")
    client = client_for(cast.member)
    form = client.get(reverse("reports:new") + f"?commission={commission.pk}")
    assert "应约撰写：社区嵌入式养老服务" in form.content.decode()
    response = client.post(
        reverse("reports:new"),
        form_data(cast, commission=commission.pk, title="应约的一篇", submit="1"),
    )
    assert response.status_code == 302
    report = Report.objects.get(title="应约的一篇")
    commission.refresh_from_db()
    assert report.topic_id == commission.topic_id and commission.report == report
    settle()
    commission.refresh_from_db()
    assert commission.state == "delivered"
    bonus = Score.objects.get(report=report, kind="commissioned")
    assert bonus.member_id == cast.member.member_id and bonus.note == "应约稿件"
    # A second report from the same commission is refused.
    page = client.get(reverse("reports:new") + f"?commission={commission.pk}", follow=True)
    assert "请先接受约稿" in page.content.decode()


def test_writing_from_an_unanswered_or_anothers_commission_is_refused(cast, client_for):
    offered = make_commission(cast)
    page = client_for(cast.member).get(
        reverse("reports:new") + f"?commission={offered.pk}", follow=True
    )
    assert "请先接受约稿" in page.content.decode()
    response = client_for(cast.outsider).post(
        reverse("reports:new"), form_data(cast, commission=offered.pk, title="冒名的一篇")
    )
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_the_editor_cancels_an_open_commission_with_a_reason_not_a_delivered_one(cast, client_for):
    make_rules()
    commission = make_commission(cast, state="accepted")
    client = client_for(cast.member)
    client.post(
        reverse("reports:new"),
        form_data(cast, commission=commission.pk, title="应约的一篇", submit="1"),
    )
    settle()
    editor = client_for(cast.editor)
    url = reverse("topics:commission_cancel", args=[commission.pk])
    editor.post(url, {"reason": ""})
    commission.refresh_from_db()
    assert commission.state == "delivered"  # delivered is final: nothing to cancel
    other = make_commission(cast, user=cast.officer, topic=commission.topic)
    editor.post(reverse("topics:commission_cancel", args=[other.pk]), {"reason": ""})
    other.refresh_from_db()
    assert other.state == "offered"
    editor.post(reverse("topics:commission_cancel", args=[other.pk]), {"reason": "选题调整"})
    other.refresh_from_db()
    assert other.state == "cancelled"
    assert client_for(cast.member).post(url, {"reason": "x"}).status_code == 403


def test_both_sides_see_the_state(cast, client_for):
    commission = make_commission(cast, state="declined")
    member_page = client_for(cast.member).get(reverse("reports:mine")).content.decode()
    assert "社区嵌入式养老服务" in member_page  # the open topic is still offered
    detail = client_for(cast.member).get(reverse("topics:commission", args=[commission.pk]))
    assert "已婉拒" in detail.content.decode()
    office = client_for(cast.editor).get(reverse("topics:commissions") + "?state=declined")
    html = office.content.decode()
    assert "张明" in html and "已婉拒" in html and "近期出差" in html
