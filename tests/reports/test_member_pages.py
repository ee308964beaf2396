"""我的信息, writing and editing a report, over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from minyi.reports.actions import do_save_text
from minyi.reports.models import Report, State
from minyi.reports.workflow import transition
from tests.factories import REPORT_TEXT, make_report


def form_data(cast: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        **REPORT_TEXT,
        "lead": cast.member.member_id,
        "informant": "",
        "submitting_unit": cast.unit.pk,
        "category": cast.category.pk,
        "urgency": "routine",
        "consent_to_publish": "yes",
        "no_consent_reason": "",
    }
    data.update(overrides)
    return data


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Writing ------------------------------------------------------------------


def test_it_shows_the_new_form_with_grouped_categories_and_own_units(cast, client_for):
    response = client_for(cast.member).get(reverse("reports:new"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="民生保障">' in html
    assert "养老服务" in html
    assert cast.unit.name in html
    # Only the member's own unit is offered, not another party's.
    assert cast.other_unit.name not in html
    assert f"/ {settings.REPORT_MAX_CHARS} 字" in html


def test_it_refuses_the_new_form_to_a_user_without_a_unit(cast, client_for):
    assert client_for(cast.leader).get(reverse("reports:new")).status_code == 403
    assert client_for(cast.member).get(reverse("reports:new")).status_code == 200


def test_it_saves_a_draft_then_submits_it(cast, client_for):
    client = client_for(cast.member)
    response = client.post(reverse("reports:new"), form_data(cast, save="1"))
    report = Report.objects.get(title=REPORT_TEXT["title"])
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:edit", args=[report.pk])
    assert report.state == State.DRAFT
    assert [a.member_id for a in report.report_authors.all()] == [cast.member.member_id]

    response = client.post(reverse("reports:act", args=[report.pk, "submit"]), follow=True)
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert report.serial
    assert "已报送研究室" in messages_of(response)[-1]


def test_it_saves_and_submits_in_one_step_with_co_signers(cast, client_for):
    data = form_data(cast, submit="1", cosigners=[cast.officer.member_id], informant="群众王某")
    response = client_for(cast.member).post(reverse("reports:new"), data, follow=True)
    report = Report.objects.get(title=REPORT_TEXT["title"])
    assert report.state == State.SUBMITTED
    # The lead author comes first, the co-signer after; the informant is kept too.
    assert report.author_names() == ["张明", "李华", "群众王某"]
    assert f"流水号 {report.serial}" in messages_of(response)[0]


def test_it_keeps_an_over_long_report_as_a_draft_and_says_why(cast, client_for):
    long_text = "字" * (settings.REPORT_MAX_CHARS + 1)
    data = form_data(cast, submit="1", situation=long_text)
    response = client_for(cast.member).post(reverse("reports:new"), data, follow=True)
    report = Report.objects.get(title=REPORT_TEXT["title"])
    assert report.state == State.DRAFT
    assert report.serial == ""
    assert f"超过 {settings.REPORT_MAX_CHARS} 字的上限" in messages_of(response)[0]
    assert "草稿已保存，但还不能报送" in messages_of(response)[0]


def test_it_keeps_a_report_without_suggestions_as_a_draft(cast, client_for):
    data = form_data(cast, submit="1", suggestions="  ")
    response = client_for(cast.member).post(reverse("reports:new"), data, follow=True)
    assert Report.objects.get(title=REPORT_TEXT["title"]).state == State.DRAFT
    assert "请填写“意见建议”部分。" in messages_of(response)[0]


def test_it_saves_nothing_and_keeps_the_text_when_the_form_is_invalid(cast, client_for):
    data = form_data(cast, title="", situation="我打的字不能丢")
    response = client_for(cast.member).post(reverse("reports:new"), data)
    assert response.status_code == 200
    assert "请填写标题。" in response.content.decode()
    assert "我打的字不能丢" in response.content.decode()
    assert not Report.objects.exists()


def test_it_refuses_a_unit_the_user_does_not_belong_to(cast, client_for):
    data = form_data(cast, submitting_unit=cast.other_unit.pk)
    response = client_for(cast.member).post(reverse("reports:new"), data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Report.objects.exists()


def test_it_asks_for_a_reason_when_publication_is_refused(cast, client_for):
    data = form_data(cast, consent_to_publish="no")
    response = client_for(cast.member).post(reverse("reports:new"), data)
    assert "选择不同意公开时，请说明理由。" in response.content.decode()
    assert not Report.objects.exists()
    data["no_consent_reason"] = "涉及个人隐私"
    client_for(cast.member).post(reverse("reports:new"), data)
    assert Report.objects.get().no_consent_reason == "涉及个人隐私"


# --- Editing ------------------------------------------------------------------


def test_it_saves_an_edit_as_a_new_revision_and_changes_details(cast, client_for):
    report = make_report(cast)
    data = form_data(cast, title="修改后的标题", base_revision=1, urgency="urgent", save="1")
    client_for(cast.member).post(reverse("reports:edit", args=[report.pk]), data)
    report.refresh_from_db()
    assert (report.title, report.revision_number, report.urgency) == ("修改后的标题", 2, "urgent")


def test_it_refuses_a_stale_save_and_keeps_both_texts(cast, client_for):
    report = make_report(cast)
    # A co-author saves first, while the member still has revision 1 open.
    newer = {**REPORT_TEXT, "situation": "联名人刚保存的较新内容"}
    do_save_text(report, cast.member, fields=newer, base_revision=1)
    data = form_data(cast, situation="我在旧版本上写的内容", base_revision=1, save="1")
    response = client_for(cast.member).post(reverse("reports:edit", args=[report.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "保存冲突" in html
    assert "我在旧版本上写的内容" in html  # the user's text is still in the form
    report.refresh_from_db()
    assert report.situation == "联名人刚保存的较新内容"
    assert report.revision_number == 2
    # The form is now based on the newest revision, so saving again is deliberate.
    assert 'name="base_revision" value="2"' in html


def test_it_shows_the_return_reason_on_the_edit_page(cast, client_for):
    report = make_report(cast, state="submitted")
    transition(report, "return", cast.editor, note="请补充具体数据来源。")
    response = client_for(cast.member).get(reverse("reports:edit", args=[report.pk]))
    assert "研究室退回修改意见" in response.content.decode()
    assert "请补充具体数据来源。" in response.content.decode()


def test_it_resubmits_a_returned_report_from_the_edit_page(cast, client_for):
    report = make_report(cast, state="submitted")
    transition(report, "return", cast.editor, note="请补充数据。")
    data = form_data(cast, situation="补充了数据的情况", base_revision=1, submit="1")
    client_for(cast.member).post(reverse("reports:edit", args=[report.pk]), data)
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert report.situation == "补充了数据的情况"


def test_it_hides_the_edit_page_from_anyone_who_may_not_edit(cast, client_for):
    report = make_report(cast)
    url = reverse("reports:edit", args=[report.pk])
    assert client_for(cast.member).get(url).status_code == 200
    for name in ("outsider", "officer", "leader", "editor"):
        assert client_for(getattr(cast, name)).get(url).status_code == 404, name


def test_it_refuses_an_edit_once_submitted(cast, client_for):
    report = make_report(cast, state="submitted")
    data = form_data(cast, title="偷偷改", base_revision=1)
    response = client_for(cast.member).post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.title == REPORT_TEXT["title"]


# --- 我的信息 ------------------------------------------------------------------


def test_it_lists_my_reports_with_state_and_latest_outcome(cast, client_for):
    mine = make_report(cast, state="published", title="关于编发事项的建议")
    theirs = make_report(cast, by=cast.outsider, unit=cast.other_unit, title="别人的信息")
    response = client_for(cast.member).get(reverse("reports:mine"))
    html = response.content.decode()
    assert mine.title in html
    assert theirs.title not in html
    assert '<span class="state state-published">已编发</span>' in html
    assert "已报送" in html and "全国政协" in html


def test_it_filters_my_reports_by_state(cast, client_for):
    make_report(cast, title="草稿一篇")
    make_report(cast, state="submitted", title="已报送一篇")
    response = client_for(cast.member).get(reverse("reports:mine"), {"state": "draft"})
    assert "草稿一篇" in response.content.decode()
    assert "已报送一篇" not in response.content.decode()


def test_it_shows_the_liaison_their_units_reports_but_not_the_leader(cast, client_for):
    make_report(cast, state="published", title="本单位的信息")
    liaison_page = client_for(cast.liaison).get(reverse("reports:mine")).content.decode()
    leader_page = client_for(cast.leader).get(reverse("reports:mine")).content.decode()
    assert "本单位的信息" in liaison_page
    # The leader may read published items, but they are not the leader's own.
    assert "本单位的信息" not in leader_page


def test_it_paginates_my_reports(cast, client_for):
    for i in range(26):
        make_report(cast, title=f"第{i:02d}篇信息")
    client = client_for(cast.member)
    first = client.get(reverse("reports:mine")).content.decode()
    second = client.get(reverse("reports:mine"), {"page": 2}).content.decode()
    assert "第25篇信息" in first and "第00篇信息" not in first
    assert "第00篇信息" in second


@pytest.mark.parametrize("name", ["outsider", "leader"])
def test_it_hides_drafts_from_others(cast, client_for, name):
    report = make_report(cast)
    url = reverse("reports:detail", args=[report.pk])
    assert client_for(cast.member).get(url).status_code == 200
    assert client_for(getattr(cast, name)).get(url).status_code == 404


def test_my_reports_say_when_the_state_filter_is_invalid(cast, client_for):
    make_report(cast, title="草稿一篇")
    response = client_for(cast.member).get(reverse("reports:mine"), {"state": "bogus"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "所选状态无效。已显示全部状态。" in page and "草稿一篇" in page
