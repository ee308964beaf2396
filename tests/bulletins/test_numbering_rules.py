"""Numbers that never burn: 待编号 drafts, numbers at 签发, 作废 and 更正 on record (#15 §1)."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from minyi.audit.models import Event
from minyi.audit.statemachine import ActionRefused
from minyi.bulletins.actions import do_correct_issue, do_create_issue, do_void_issue
from minyi.bulletins.models import Bulletin, Issue, IssueState
from minyi.core import clock
from minyi.core.models import Counter
from tests.bulletins.helpers import awaiting_issue, sign_off, signed_off
from tests.transition_matrix import snapshot

pytestmark = pytest.mark.django_db


def issued(cast, title: str = "甲建议", bulletin: Bulletin | None = None) -> Issue:
    issue = awaiting_issue(cast, [signed_off(cast, title)])
    if bulletin:
        Issue.objects.filter(pk=issue.pk).update(bulletin=bulletin)
        issue.refresh_from_db()
    sign_off(issue, cast.approver)
    issue.refresh_from_db()
    return issue


def post(client, name: str, issue: Issue, **data):
    return client.post(reverse(f"bulletins:{name}", args=[issue.pk]), data, follow=True)


def test_numbers_follow_sign_off_order_and_an_abandoned_draft_leaves_no_gap(cast, client_for):
    first = awaiting_issue(cast, [signed_off(cast, "甲")])
    abandoned = do_create_issue(cast.bulletin, cast.editor)
    second = awaiting_issue(cast, [signed_off(cast, "乙")])
    response = post(client_for(cast.editor), "delete", abandoned)
    assert "已删除" in response.content.decode() and "不占用期号" in response.content.decode()
    assert not Issue.objects.filter(pk=abandoned.pk).exists()
    assert Event.objects.filter(verb="delete_issue", object_id=str(abandoned.pk)).exists()
    # Signed off in the other order: numbers follow sign-off, not creation.
    for issue in (second, first):
        sign_off(issue, cast.approver)
    numbers = dict(Issue.objects.values_list("pk", "number"))
    assert (numbers[second.pk], numbers[first.pk]) == (1, 2)


def test_each_series_numbers_on_its_own_and_counts_its_total_across_years(cast):
    other = Bulletin.objects.create(name="政协信息专报", code="zxxxzb")
    year = clock.localdate().year
    with clock.frozen_at(dt.datetime(year - 1, 12, 30, 10)):
        old = [issued(cast, "去年一"), issued(cast, "去年二")]
    new = issued(cast, "今年一")
    elsewhere = issued(cast, "专报一", bulletin=other)
    assert [(i.year, i.number, i.cumulative_number) for i in old] == [
        (year - 1, 1, 1),
        (year - 1, 2, 2),
    ]
    assert (new.year, new.number, new.cumulative_number) == (year, 1, 3)
    assert (elsewhere.number, elsewhere.cumulative_number) == (1, 1)
    assert new.cumulative_label == "总第3期"


def test_a_refused_sign_off_takes_no_number(cast, client_for):
    issue = awaiting_issue(cast, [signed_off(cast, "甲")])
    before = snapshot(issue)
    response = post(client_for(cast.approver), "sign_off", issue, opinion="", acknowledged="1")
    assert "请填写签发意见" in response.content.decode()
    assert snapshot(issue) == before
    assert not Counter.objects.filter(key=f"issue:{cast.bulletin.pk}", last__gt=0).exists()


def test_only_an_editor_deletes_and_only_a_draft_without_a_number(cast, client_for):
    draft = do_create_issue(cast.bulletin, cast.editor)
    assert post(client_for(cast.approver), "delete", draft).status_code == 403
    assert post(client_for(cast.leader), "delete", draft).status_code == 403
    assert Issue.objects.filter(pk=draft.pk).exists()
    done = issued(cast)
    before = snapshot(done)
    response = post(client_for(cast.editor), "delete", done)
    assert "已编号的期次只能作废" in response.content.decode()
    assert snapshot(done) == before


def test_a_voided_number_stays_listed_with_its_reason_and_is_never_reused(cast, client_for):
    issue = issued(cast)
    client = client_for(cast.approver)
    response = post(client, "void", issue, note="  ")
    assert "“作废”须填写理由" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).state == IssueState.ISSUED
    response = post(client, "void", issue, note="误将内部材料编入，收回")
    assert "已作废，期号保留不再使用" in response.content.decode()
    issue.refresh_from_db()
    assert (issue.state, issue.void_reason) == (IssueState.VOIDED, "误将内部材料编入，收回")
    listing = client_for(cast.editor).get(reverse("bulletins:list")).content.decode()
    assert "第1期" in listing and "已作废" in listing and "误将内部材料编入，收回" in listing
    assert issued(cast, "乙建议").number == 2
    event = Event.objects.get(verb="void_issue")
    assert event.payload["note"] == "误将内部材料编入，收回" and event.actor == cast.approver


def test_only_the_approver_voids_or_corrects(cast, client_for):
    issue = issued(cast)
    before = snapshot(issue)
    for user in (cast.editor, cast.leader):
        assert post(client_for(user), "void", issue, note="理由").status_code == 403
        assert post(client_for(user), "correct", issue, note="理由").status_code == 403
    assert snapshot(issue) == before


def test_a_correction_keeps_the_number_and_shows_its_note(cast, client_for):
    issue = issued(cast)
    client = client_for(cast.approver)
    assert "“更正”须填写理由" in post(client, "correct", issue, note="").content.decode()
    response = post(client, "correct", issue, note="第二段数据更正为“约4000张”")
    page = response.content.decode()
    assert "已更正，原期号不变" in page
    assert "更正说明" in page and "第二段数据更正为“约4000张”" in page
    issue.refresh_from_db()
    assert (issue.state, issue.number, issue.cumulative_number) == (IssueState.ISSUED, 1, 1)
    assert issue.correction_note == "第二段数据更正为“约4000张”"


def test_a_voided_issue_cannot_be_corrected_or_voided_again(cast):
    issue = issued(cast)
    do_void_issue(issue, cast.approver, reason="收回")
    client_issue = Issue.objects.get(pk=issue.pk)
    with pytest.raises(ActionRefused, match="只有已印发的期次可以更正"):
        do_correct_issue(client_issue, cast.approver, note="改")
    with pytest.raises(ActionRefused, match="只有已印发的期次可以作废"):
        do_void_issue(client_issue, cast.approver, reason="再废")


def test_the_migration_keeps_numbers_and_counts_totals_in_order(cast):
    backfill = import_module("minyi.bulletins.migrations.0004_backfill_cumulative_numbers").backfill
    year = clock.localdate().year
    for y, n in ((year - 1, 2), (year, 1), (year - 1, 1)):
        Issue.objects.create(bulletin=cast.bulletin, year=y, number=n, editor=cast.editor)
    do_create_issue(cast.bulletin, cast.editor)  # 待编号: no total
    backfill(apps, None)
    rows = Issue.objects.values_list("year", "number", "cumulative_number")
    assert sorted(rows, key=lambda r: (r[0], r[1] or 99)) == [
        (year - 1, 1, 1),
        (year - 1, 2, 2),
        (year, 1, 3),
        (year, None, None),
    ]
    assert Counter.objects.get(key=f"issue-total:{cast.bulletin.pk}", year=0).last == 3
    # The next sign-off continues the total where the old issues left it (and the year's
    # number where the old code's counter left it).
    Counter.objects.create(key=f"issue:{cast.bulletin.pk}", year=year, last=1)
    new = issued(cast)
    assert (new.number, new.cumulative_number) == (2, 4)
