"""The triage queue (稿件处理): filters, claiming, merging, and who may use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.people.models import Role
from minyi.reports.models import Category, Report, State, Urgency
from tests.factories import make_report, make_user, settle

TRIAGE = reverse("office:triage", urlconf="minyi.urls")


def claim_url(report: Report) -> str:
    return reverse("office:claim", args=[report.pk])


def titles(response) -> list[str]:
    return [r.title for r in response.context["page"].object_list]


# --- Access ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["member", "officer", "liaison", "approver", "leader", "outsider"])
def test_it_refuses_the_queue_to_everyone_but_editors(cast, client_for, name):
    make_report(cast, state="submitted")
    response = client_for(getattr(cast, name)).get(TRIAGE)
    assert response.status_code == 403


def test_it_shows_the_office_states_by_default_and_hides_drafts_and_declined(cast, client_for):
    make_report(cast, state="submitted", title="已报送的一篇")
    make_report(cast, state="awaiting_sign_off", title="待签发的一篇")
    make_report(cast, state="draft", title="还在起草")
    gone = make_report(cast, state="submitted", title="已不予采用")
    Report.objects.filter(pk=gone.pk).update(state=State.DECLINED)
    response = client_for(cast.editor).get(TRIAGE)
    assert response.status_code == 200
    assert set(titles(response)) == {"已报送的一篇", "待签发的一篇"}
    page = response.content.decode()
    assert "张明" in page and "民盟市委" in page and "养老服务" in page


def test_it_puts_urgent_reports_first_with_an_urgent_badge(cast, client_for):
    make_report(cast, state="submitted", title="常规稿")
    make_report(cast, state="submitted", title="特报稿", urgency=Urgency.SPECIAL)
    response = client_for(cast.editor).get(TRIAGE)
    assert titles(response) == ["特报稿", "常规稿"]
    assert '<span class="urgent">特报</span>' in response.content.decode()


# --- Filters -----------------------------------------------------------------


def test_it_filters_by_state_and_urgency(cast, client_for):
    make_report(cast, state="submitted", title="甲")
    make_report(cast, state="accepted", title="乙", urgency=Urgency.URGENT)
    make_report(cast, state="accepted", title="丙")
    client = client_for(cast.editor)
    assert set(titles(client.get(TRIAGE, {"state": "accepted"}))) == {"乙", "丙"}
    assert titles(client.get(TRIAGE, {"state": "accepted", "urgency": "urgent"})) == ["乙"]
    # A state outside the office's queue is not a valid choice: the defaults apply.
    assert set(titles(client.get(TRIAGE, {"state": "draft"}))) == {"甲", "乙", "丙"}


def test_it_filters_by_unit_and_title(cast, client_for):
    make_report(cast, state="submitted", title="关于老旧小区加装电梯的建议")
    make_report(cast, by=cast.outsider, unit=cast.other_unit, state="submitted", title="关于菜价")
    client = client_for(cast.editor)
    assert titles(client.get(TRIAGE, {"unit": cast.other_unit.pk})) == ["关于菜价"]
    assert titles(client.get(TRIAGE, {"q": "电梯"})) == ["关于老旧小区加装电梯的建议"]


def test_it_filters_a_first_level_category_with_its_children(cast, client_for):
    other = Category.objects.create(name="生态环境")
    make_report(cast, state="submitted", title="养老")  # cast.category is 民生保障 / 养老服务
    moved = make_report(cast, state="submitted", title="环境")
    Report.objects.filter(pk=moved.pk).update(category=other)
    client = client_for(cast.editor)
    assert titles(client.get(TRIAGE, {"category": cast.category.parent_id})) == ["养老"]
    assert titles(client.get(TRIAGE, {"category": cast.category.pk})) == ["养老"]
    assert titles(client.get(TRIAGE, {"category": other.pk})) == ["环境"]


def test_it_filters_by_who_claimed(cast, client_for):
    mine = make_report(cast, state="submitted", title="我的")
    theirs = make_report(cast, state="submitted", title="别人的")
    make_report(cast, state="submitted", title="没人的")
    other_editor = make_user("editor2", Role.EDITOR, display_name="孙编辑")
    Report.objects.filter(pk=mine.pk).update(claimed_by=cast.editor)
    Report.objects.filter(pk=theirs.pk).update(claimed_by=other_editor)
    client = client_for(cast.editor)
    assert titles(client.get(TRIAGE, {"claimed": "me"})) == ["我的"]
    assert titles(client.get(TRIAGE, {"claimed": "nobody"})) == ["没人的"]
    assert len(titles(client.get(TRIAGE, {"claimed": ""}))) == 3


def test_it_keeps_its_queries_flat_as_rows_grow(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.editor)
    make_report(cast, state="submitted")
    # The stored clocks are current, as the nudge after each action leaves them.
    settle()
    # 20 for the page, 3 for the menu's to-do counts (待受理, 待登记反馈, 超期).
    with django_assert_max_num_queries(23) as few:
        client.get(TRIAGE)
    for n in range(6):
        make_report(cast, state="accepted" if n % 2 else "submitted", urgency=Urgency.URGENT)
    Report.objects.update(claimed_by=cast.editor)
    settle()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(TRIAGE)
    assert len(titles(response)) == 7


def test_it_paginates_and_keeps_the_filters(cast, client_for, monkeypatch):
    monkeypatch.setattr("minyi.desk.views_office.PAGE_SIZE", 2)
    for n in range(3):
        make_report(cast, state="submitted", title=f"稿{n}")
    response = client_for(cast.editor).get(TRIAGE, {"urgency": "routine", "page": 2})
    assert response.context["page"].number == 2 and len(titles(response)) == 1
    assert "urgency=routine&amp;page=1" in response.content.decode()


# --- Claiming ----------------------------------------------------------------


def test_it_claims_and_releases_without_htmx(cast, client_for):
    report = make_report(cast, state="submitted")
    client = client_for(cast.editor)
    response = client.post(claim_url(report), {"next": TRIAGE}, follow=True)
    report.refresh_from_db()
    assert report.claimed_by == cast.editor
    assert "已认领" in response.content.decode()
    client.post(claim_url(report), {"release": "1"})
    report.refresh_from_db()
    assert report.claimed_by is None


def test_it_swaps_only_the_claim_cell_with_htmx(cast, client_for):
    report = make_report(cast, state="submitted")
    response = client_for(cast.editor).post(claim_url(report), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.strip().startswith(f'<span class="claim" id="claim-{report.pk}">')
    assert "赵编辑" in body and "取消认领" in body and "<html" not in body


def test_it_refuses_a_second_editors_claim(cast, client_for):
    report = make_report(cast, state="submitted")
    second = make_user("editor2", Role.EDITOR, display_name="孙编辑")
    client_for(cast.editor).post(claim_url(report))
    response = client_for(second).post(claim_url(report), HTTP_HX_REQUEST="true")
    assert "该稿件已由赵编辑认领处理" in response.content.decode()
    response = client_for(second).post(claim_url(report), {"release": "1"}, follow=True)
    assert "只能取消自己认领的稿件" in response.content.decode()
    report.refresh_from_db()
    assert report.claimed_by == cast.editor


@pytest.mark.parametrize("name", ["member", "liaison", "approver", "leader", "outsider"])
def test_it_refuses_claims_by_non_editors(cast, client_for, name):
    report = make_report(cast, state="submitted")
    response = client_for(getattr(cast, name)).post(claim_url(report))
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.claimed_by is None


# --- Merging (综合编报) --------------------------------------------------------


def test_it_merges_ticked_reports_into_a_composite_crediting_every_author(cast, client_for):
    first = make_report(cast, state="submitted", title="养老一")
    second = make_report(cast, by=cast.outsider, unit=cast.other_unit, state="accepted")
    client = client_for(cast.editor)
    preview = client.get(reverse("office:merge"), {"ids": [first.pk, second.pk]})
    assert preview.status_code == 200
    assert "养老一" in preview.content.decode() and "周外" in preview.content.decode()
    response = client.post(
        reverse("office:merge"),
        {"ids": [first.pk, second.pk], "title": "关于养老服务的综合建议", "situation": "综合情况"},
    )
    composite = Report.objects.get(is_composite=True)
    assert response.status_code == 302
    assert response.url == reverse("office:workbench", args=[composite.pk])
    assert composite.title == "关于养老服务的综合建议"
    assert set(composite.author_names()) == {"张明", "周外"}
    for source in (first, second):
        source.refresh_from_db()
        assert source.state == State.MERGED and source.merged_into == composite


def test_it_refuses_to_merge_fewer_than_two(cast, client_for):
    only = make_report(cast, state="submitted")
    response = client_for(cast.editor).post(
        reverse("office:merge"), {"ids": [only.pk], "title": "x"}, follow=True
    )
    assert "综合编报至少需要选择两篇稿件" in response.content.decode()
    assert not Report.objects.filter(is_composite=True).exists()
    only.refresh_from_db()
    assert only.state == State.SUBMITTED


def test_it_refuses_to_merge_a_report_in_the_wrong_state(cast, client_for):
    fine = make_report(cast, state="submitted")
    late = make_report(cast, state="awaiting_sign_off", title="已送审的稿件")
    response = client_for(cast.editor).post(
        reverse("office:merge"), {"ids": [fine.pk, late.pk], "title": "x"}, follow=True
    )
    assert "《已送审的稿件》：稿件当前状态为“待签发”" in response.content.decode()
    assert not Report.objects.filter(is_composite=True).exists()
    fine.refresh_from_db()
    assert fine.state == State.SUBMITTED


@pytest.mark.parametrize("name", ["member", "liaison", "approver", "leader", "outsider"])
def test_it_refuses_merging_to_non_editors(cast, client_for, name):
    reports = [make_report(cast, state="submitted") for _ in range(2)]
    response = client_for(getattr(cast, name)).post(
        reverse("office:merge"), {"ids": [r.pk for r in reports], "title": "x"}
    )
    assert response.status_code == 403
    assert not Report.objects.filter(is_composite=True).exists()
