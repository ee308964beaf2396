"""The writing assistant and similar reports while a member drafts: advice, never a gate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from minyi.core import clock
from minyi.reports.models import Report, State
from tests.factories import REPORT_TEXT, make_report, settle
from tests.reports.test_member_pages import form_data

pytestmark = pytest.mark.django_db

VAGUE = {
    "title": "养老问题",
    "situation": "对此各方面高度重视，但是问题依然存在。",
    "analysis": "",
    "suggestions": "",
}
# The factory's report text with one figure changed: a near copy of it.
NEAR_COPY = {**REPORT_TEXT, "situation": REPORT_TEXT["situation"].replace("86万", "88万")}


def assist(client, data, report=None):
    url = reverse("reports:assist")
    if report is not None:
        url += f"?report={report}"
    return client.post(url, data, HTTP_HX_REQUEST="true")


def test_it_marks_the_offending_phrase_with_an_explanation_and_an_example(cast, client_for):
    response = assist(client_for(cast.member), VAGUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>高度重视</mark>" in html
    assert "比较笼统" in html and "示例：" in html
    # The title and the missing suggestions are pointed out too, kindly.
    assert "关于……的建议" in html and "还没有看到具体建议" in html


def test_it_says_nothing_is_wrong_with_a_good_draft(cast, client_for):
    text = {**REPORT_TEXT, "situation": REPORT_TEXT["situation"] + "据市民政局统计，居民反映强烈。"}
    html = assist(client_for(cast.member), text).content.decode()
    assert "没有发现需要注意的地方" in html


def test_it_never_blocks_submitting_a_draft_with_findings(cast, client_for):
    client = client_for(cast.member)
    text = {**VAGUE, "analysis": "审批部门多。", "suggestions": "建议加大力度。"}
    assert "比较笼统" in assist(client, text).content.decode()
    response = client.post(reverse("reports:new"), form_data(cast, **text, submit="1"))
    assert response.status_code == 302
    assert Report.objects.get(title="养老问题").state == State.SUBMITTED


def test_it_shows_similar_reports_the_member_may_read_with_their_outcome(cast, client_for):
    earlier = make_report(cast, state="published")
    settle()  # the search index follows the event log
    html = assist(client_for(cast.member), NEAR_COPY).content.decode()
    assert earlier.title in html
    assert "已编发" in html and "相似度" in html


def test_it_only_counts_similar_reports_the_member_may_not_read(cast, client_for):
    theirs = make_report(cast, by=cast.outsider, unit=cast.other_unit, state="submitted")
    settle()  # the search index follows the event log
    html = assist(client_for(cast.member), NEAR_COPY).content.decode()
    assert "已有 1 篇相似信息" in html
    # Neither the title nor a link to it leaks.
    assert reverse("reports:detail", args=[theirs.pk]) not in html
    assert theirs.serial not in html


def test_it_ignores_other_peoples_drafts(cast, client_for):
    make_report(cast, by=cast.outsider, unit=cast.other_unit)
    settle()  # indexed, so only the rule can leave it out
    html = assist(client_for(cast.member), NEAR_COPY).content.decode()
    assert "相似信息" not in html


def test_it_does_not_call_the_report_being_edited_similar_to_itself(cast, client_for):
    draft = make_report(cast, state="returned")
    assert draft.state == State.RETURNED  # the author may still edit it
    settle()  # indexed, so only the rule can leave it out
    client = client_for(cast.member)
    # Not said to be the one being edited, it is found: the rule below is what hides it.
    assert "相似信息" in assist(client, REPORT_TEXT).content.decode()
    response = assist(client, REPORT_TEXT, report=draft.pk)
    assert response.status_code == 200
    assert "相似信息" not in response.content.decode()


def test_it_refuses_a_report_the_user_may_not_edit(cast, client_for):
    draft = make_report(cast)
    assert assist(client_for(cast.outsider), REPORT_TEXT, report=draft.pk).status_code == 404
    assert assist(client_for(cast.member), REPORT_TEXT, report="x").status_code == 404


def test_it_refuses_exactly_those_who_may_not_write_reports(cast, client_for):
    for name, user in cast.everyone().items():
        client = client_for(user)
        # The panel follows the form: whoever may open 撰写信息 may use the assistant.
        may_write = client.get(reverse("reports:new")).status_code == 200
        assert assist(client, VAGUE).status_code == (200 if may_write else 403), name
    assert assist(client_for(cast.leader), VAGUE).status_code == 403


def test_it_sends_anonymous_users_to_log_in_and_refuses_get(cast, client, client_for):
    assert assist(client, VAGUE).status_code == 302
    assert client_for(cast.member).get(reverse("reports:assist")).status_code == 405


def test_the_form_loads_the_panel_while_typing(cast, client_for):
    client = client_for(cast.member)
    html = client.get(reverse("reports:new")).content.decode()
    assert f'hx-post="{reverse("reports:assist")}"' in html
    draft = make_report(cast)
    html = client.get(reverse("reports:edit", args=[draft.pk])).content.decode()
    assert f'hx-post="{reverse("reports:assist")}?report={draft.pk}"' in html


# The checks of issue #16 §1 run in the member's form as on the command line.
SUDDEN = {
    **REPORT_TEXT,
    "title": "关于南湖小区自来水浑浊的情况",
    "situation": "今天上午，南湖小区约600户居民家中自来水浑浊发黄，已有9名居民出现腹泻，"
    "被送往区人民医院。",
}


def test_it_suggests_sending_a_sudden_danger_as_urgent_with_the_reason(cast, client_for):
    client = client_for(cast.member)
    html = assist(client, {**SUDDEN, "urgency": "routine"}).content.decode()
    assert "急报或特报" in html and "有群众就医" in html
    # Once the author has chosen 急报, the panel does not ask again.
    html = assist(client, {**SUDDEN, "urgency": "urgent"}).content.decode()
    assert "急报或特报" not in html


def test_it_names_the_unrelated_matters_listed_in_one_draft(cast, client_for):
    listed = {
        **REPORT_TEXT,
        "situation": "一是东门菜市场活禽宰杀污水直排，周边商户反映臭味严重；"
        "二是实验小学门口没有斑马线，学生放学过马路危险。",
    }
    html = assist(client_for(cast.member), listed).content.decode()
    assert "一事一报" in html
    assert "东门菜市场活禽宰杀污水直排" in html and "实验小学门口没有斑马线" in html


def test_it_judges_timeliness_by_the_event_not_the_statistics(cast, client_for):
    client = client_for(cast.member)
    old = {**REPORT_TEXT, "situation": "2019年汛期，沙河村40户村民的房屋进水。"}
    assert "“2019年汛期”的事" in assist(client, old).content.decode()
    # Statistics as of four months back are current data, not an old event.
    month = clock.localdate() - timedelta(days=120)
    stats = {
        **REPORT_TEXT,
        "situation": f"截至{month.year}年{month.month}月底，" + REPORT_TEXT["situation"],
    }
    assert "及时性" not in assist(client, stats).content.decode()
