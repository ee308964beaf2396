"""十报十不报 at triage: the seeded checklist, ticks in the accept/decline events, the rules
(a 不报 tick refuses an acceptance; a decline needs a 不报 tick or a reason in words)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.people.models import Role
from minyi.reports.models import DeclineReason, State
from minyi.reports.screening import ScreeningItem, ScreeningKind
from tests.factories import make_report, make_user

pytestmark = pytest.mark.django_db


def item(text: str) -> ScreeningItem:
    return ScreeningItem.objects.get(text=text)


def act(client, report, action: str, **data):
    return client.post(reverse("office:act", args=[report.pk, action]), data, follow=True)


def test_the_seeded_checklist_has_ten_of_each_and_every_not_report_item_maps_to_a_reason(db):
    report_items = ScreeningItem.objects.of_kind(ScreeningKind.REPORT)
    not_report = ScreeningItem.objects.of_kind(ScreeningKind.NOT_REPORT)
    assert report_items.count() == 10 and not_report.count() == 10
    assert "反映群众真实关切" in {i.text for i in report_items}
    assert all(i.decline_reason in DeclineReason.values for i in not_report)
    assert item("个人诉求和私人恩怨").decline_reason == DeclineReason.PERSONAL_MATTER
    assert item("道听途说、未经核实的").decline_reason == DeclineReason.INSUFFICIENT_FACTS


def test_the_workbench_shows_both_lists_and_the_decline_mapping(cast, client_for):
    report = make_report(cast, state="submitted")
    page = client_for(cast.editor).get(reverse("office:workbench", args=[report.pk]))
    html = page.content.decode()
    assert "十报核对" in html and "重大决策部署落实中的问题" in html
    assert "十不报（须至少勾选一项，或在说明中写明理由）" in html
    assert '已进入司法程序的事项<span class="help"> → 不属于社情民意信息范畴' in html


def test_accepting_records_the_ticked_report_items_in_the_event(cast, client_for):
    report = make_report(cast, state="submitted")
    ticked = [item("反映群众真实关切"), item("苗头性、倾向性、警示性问题")]
    response = act(client_for(cast.editor), report, "accept", screening=[i.pk for i in ticked])
    assert "已受理" in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.ACCEPTED
    event = Event.objects.get(verb="accept", report_id=report.pk)
    assert [s["text"] for s in event.payload["screening"]] == [
        "报：反映群众真实关切",
        "报：苗头性、倾向性、警示性问题",
    ]
    # The report's history shows what was ticked.
    timeline = client_for(cast.editor).get(reverse("office:workbench", args=[report.pk]))
    assert "核对：报：反映群众真实关切；报：苗头性、倾向性、警示性问题" in timeline.content.decode()


def test_accepting_with_nothing_ticked_still_works(cast, client_for):
    report = make_report(cast, state="submitted")
    act(client_for(cast.editor), report, "accept")
    report.refresh_from_db()
    assert report.state == State.ACCEPTED
    assert "screening" not in Event.objects.get(verb="accept", report_id=report.pk).payload


def test_a_ticked_not_report_item_refuses_the_acceptance_and_nothing_changes(cast, client_for):
    report = make_report(cast, state="submitted")
    ticked = [item("反映群众真实关切").pk, item("商业推广、广告宣传").pk]
    response = act(client_for(cast.editor), report, "accept", screening=ticked)
    assert "已勾选“不报”情形（商业推广、广告宣传），不能受理" in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert not Event.objects.filter(verb="accept").exists()


def test_a_decline_takes_its_reason_from_the_first_ticked_not_report_item(cast, client_for):
    report = make_report(cast, state="submitted")
    ticked = [item("个人诉求和私人恩怨").pk, item("应通过信访渠道反映的事项").pk]
    response = act(client_for(cast.editor), report, "decline", screening=ticked)
    assert "已不予采用（属个人诉求或个案纠纷）" in response.content.decode()
    report.refresh_from_db()
    assert (report.state, report.decline_reason) == (State.DECLINED, "personal_matter")
    event = Event.objects.get(verb="decline", report_id=report.pk)
    assert event.payload["code"] == "personal_matter"
    assert [s["id"] for s in event.payload["screening"]] == ticked


def test_a_chosen_reason_wins_over_the_ticked_items(cast, client_for):
    report = make_report(cast, state="submitted")
    ticked = [item("道听途说、未经核实的").pk]
    act(client_for(cast.editor), report, "decline", screening=ticked, reason="poor_quality")
    report.refresh_from_db()
    assert report.decline_reason == DeclineReason.POOR_QUALITY


def test_a_decline_with_no_tick_needs_a_reason_in_words(cast, client_for):
    report = make_report(cast, state="submitted")
    client = client_for(cast.editor)
    response = act(client, report, "decline", reason="not_single_matter")
    assert "不予采用须至少勾选一项“不报”情形，或在说明中写明理由。" in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert not Event.objects.filter(verb="decline").exists()
    # With the reason written out it goes through, with no screening in the event.
    act(client, report, "decline", reason="not_single_matter", note="一稿反映了三件事")
    report.refresh_from_db()
    assert (report.state, report.decline_reason) == (State.DECLINED, "not_single_matter")
    assert "screening" not in Event.objects.get(verb="decline").payload


@pytest.mark.parametrize(
    ("ticked", "message"),
    [
        (["反映群众真实关切"], "不予采用时只能勾选“不报”情形，请取消勾选：反映群众真实关切。"),
        (["abc"], "核对清单中有无法识别的条目"),
        (["inactive"], "核对清单已被管理员修改，请刷新页面后重新勾选。"),
    ],
)
def test_bad_ticks_are_refused_in_chinese_and_nothing_changes(cast, client_for, ticked, message):
    report = make_report(cast, state="submitted")
    gone = item("时过境迁、已失去时效的")
    ScreeningItem.objects.filter(pk=gone.pk).update(active=False)
    values = {"反映群众真实关切": item("反映群众真实关切").pk, "inactive": gone.pk, "abc": "abc"}
    data = [values[t] for t in ticked]
    response = act(client_for(cast.editor), report, "decline", screening=data, reason="outdated")
    assert message in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert not Event.objects.filter(verb="decline").exists()


@pytest.mark.parametrize("who", ["member", "liaison", "approver", "leader"])
def test_only_editors_screen_at_triage_and_a_refusal_changes_nothing(cast, client_for, who):
    report = make_report(cast, state="submitted")
    ticked = [item("个人诉求和私人恩怨").pk]
    client = client_for(getattr(cast, who))
    response = client.post(
        reverse("office:act", args=[report.pk, "decline"]), {"screening": ticked}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert not Event.objects.filter(verb="decline").exists()


def test_admins_edit_the_checklist_in_django_admin_and_others_may_not(cast, client_for):
    admin = make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True)
    url = reverse("admin:reports_screeningitem_changelist")
    page = client_for(admin).get(url)
    assert page.status_code == 200
    assert "道听途说、未经核实的" in page.content.decode()
    change = reverse("admin:reports_screeningitem_change", args=[item("商业推广、广告宣传").pk])
    assert client_for(cast.editor).get(change).status_code in (302, 403)
