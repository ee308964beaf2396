"""The editor's workbench: original beside edits, every office action, conflicts, recategorising."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.notify.models import Notification
from minyi.reports.models import DeclineReason, Report, Revision, State, Urgency
from minyi.reports.workflow import transition
from tests.factories import make_report

# The shared URLconf with stubs for pages other engineers are still building.

NON_EDITORS = ["member", "liaison", "approver", "leader", "outsider"]


def bench(report: Report) -> str:
    return reverse("office:workbench", args=[report.pk])


def act(report: Report, action: str) -> str:
    return reverse("office:act", args=[report.pk, action])


def edit_data(report: Report, **changes: str) -> dict[str, object]:
    data = {**report.text_fields(), "base_revision": report.revision_number, "note": ""}
    return {**data, **changes}


def state_of(report: Report) -> str:
    return Report.objects.values_list("state", flat=True).get(pk=report.pk)


# --- The page ----------------------------------------------------------------


def test_it_shows_the_original_beside_the_edited_text_with_a_diff(cast, client_for):
    report = make_report(cast, state="accepted")
    client = client_for(cast.editor)
    client.post(bench(report), edit_data(report, title="关于加快社区嵌入式养老设施建设的建议"))
    response = client.get(bench(report))
    page = response.content.decode()
    assert response.status_code == 200
    assert "原稿（第 1 版" in page and "当前编辑稿（第 2 版" in page
    assert "<ins>嵌入式</ins>" in page
    assert "办理记录" in page and "编辑修改" in page  # the timeline shows the edit
    # Accepting it claimed it for the editor (claim means ownership), who may give it back.
    assert "取消认领" in page and "赵编辑" in page


@pytest.mark.parametrize("name", NON_EDITORS)
def test_it_refuses_the_workbench_to_non_editors(cast, client_for, name):
    report = make_report(cast, state="submitted")
    assert client_for(getattr(cast, name)).get(bench(report)).status_code == 403


def test_it_hides_other_peoples_drafts_from_the_editor(cast, client_for):
    draft = make_report(cast, state="draft")
    assert client_for(cast.editor).get(bench(draft)).status_code == 404


def test_it_offers_only_the_actions_the_state_allows(cast, client_for):
    submitted = make_report(cast, state="submitted")
    page = client_for(cast.editor).get(bench(submitted)).content.decode()
    for label in ("受理", "退回修改", "不予采用", "标记重复并入"):
        assert label in page
    assert act(submitted, "send_for_sign_off") not in page
    awaiting = make_report(cast, state="awaiting_sign_off")
    page = client_for(cast.editor).get(bench(awaiting)).content.decode()
    assert act(awaiting, "accept") not in page and "编辑文稿" not in page


# --- Editing and conflicts -----------------------------------------------------


def test_it_saves_an_edit_as_a_new_office_revision(cast, client_for):
    report = make_report(cast, state="submitted")
    response = client_for(cast.editor).post(
        bench(report), edit_data(report, suggestions="建议增加床位。", note="精简建议")
    )
    assert response.status_code == 302
    latest = Revision.objects.get(report=report, number=2)
    assert latest.by_office and latest.note == "精简建议" and latest.suggestions == "建议增加床位。"
    # The original stays exactly as submitted.
    assert Revision.objects.get(report=report, number=1).suggestions != "建议增加床位。"


def test_it_refuses_a_stale_base_revision_and_keeps_the_editors_text(cast, client_for):
    report = make_report(cast, state="accepted")
    stale = edit_data(report, situation="我的改稿：床位缺口约4000张。")
    colleagues = edit_data(report, situation="同事先保存的版本。")
    client = client_for(cast.editor)
    client.post(bench(report), colleagues)
    response = client.post(bench(report), stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "保存冲突" in page and "我的改稿：床位缺口约4000张。" in page
    assert 'name="base_revision" value="2"' in page  # saving again is now a deliberate overwrite
    report.refresh_from_db()
    assert report.situation == "同事先保存的版本。" and report.revision_number == 2


def test_it_refuses_edits_once_sent_for_sign_off(cast, client_for):
    report = make_report(cast, state="awaiting_sign_off")
    response = client_for(cast.editor).post(bench(report), edit_data(report, title="改标题"))
    assert response.status_code == 404
    assert state_of(report) == State.AWAITING_SIGN_OFF
    assert Report.objects.get(pk=report.pk).title != "改标题"


def test_it_corrects_category_and_urgency_and_logs_before_and_after(cast, client_for):
    report = make_report(cast, state="submitted")
    parent = cast.category.parent
    response = client_for(cast.editor).post(
        act(report, "recategorize"), {"category": parent.pk, "urgency": Urgency.URGENT}, follow=True
    )
    assert "已更新类别和紧急程度" in response.content.decode()
    report.refresh_from_db()
    assert report.category == parent and report.urgency == Urgency.URGENT
    event = Event.objects.get(verb="recategorize", report_id=report.pk)
    assert event.payload["before"] == {"category": "民生保障 / 养老服务", "urgency": "routine"}
    assert event.payload["after"] == {"category": "民生保障", "urgency": "urgent"}


def test_it_refuses_recategorising_after_sign_off(cast, client_for):
    report = make_report(cast, state="signed_off")
    response = client_for(cast.editor).post(
        act(report, "recategorize"),
        {"category": cast.category.parent.pk, "urgency": Urgency.SPECIAL},
        follow=True,
    )
    assert "不能再调整类别和紧急程度" in response.content.decode()
    report.refresh_from_db()
    assert report.urgency == Urgency.ROUTINE
    assert not Event.objects.filter(verb="recategorize").exists()


def test_it_refuses_clearing_the_category_and_changes_nothing(cast, client_for):
    report = make_report(cast, state="accepted")
    editor = client_for(cast.editor)
    page = editor.get(bench(report)).content.decode()
    response = editor.post(
        act(report, "recategorize"), {"category": "", "urgency": Urgency.URGENT}, follow=True
    )
    text = response.content.decode()
    assert "请选择类别：受理后的稿件必须归入一个类别。" in text
    assert "已更新类别和紧急程度" not in text
    report.refresh_from_db()
    assert report.category == cast.category and report.urgency == Urgency.ROUTINE
    assert not Event.objects.filter(verb="recategorize").exists()
    assert "（未分类）" not in page  # The picker no longer offers clearing it.


# --- Actions: allowed for the editor ------------------------------------------

EDITOR_ACTIONS = [
    # (start state, action, form data, expected state)
    ("submitted", "accept", {}, State.ACCEPTED),
    ("accepted", "return", {"note": "请补充数据来源。"}, State.RETURNED),
    # A decline ticks a 不报 item or says why in words (reports.screening).
    (
        "submitted",
        "decline",
        {"reason": DeclineReason.OUTDATED, "note": "已过时效"},
        State.DECLINED,
    ),
    ("accepted", "send_for_sign_off", {}, State.AWAITING_SIGN_OFF),
]


@pytest.mark.parametrize(("start", "action", "data", "target"), EDITOR_ACTIONS)
def test_it_lets_the_editor_act(cast, client_for, start, action, data, target):
    report = make_report(cast, state=start)
    response = client_for(cast.editor).post(act(report, action), data)
    assert response.status_code == 302 and response.url == bench(report)
    assert state_of(report) == target


@pytest.mark.parametrize(("start", "action", "data", "target"), EDITOR_ACTIONS)
@pytest.mark.parametrize("name", NON_EDITORS)
def test_it_refuses_editor_actions_to_everyone_else(
    cast, client_for, start, action, data, target, name
):
    report = make_report(cast, state=start)
    response = client_for(getattr(cast, name)).post(act(report, action), data)
    assert response.status_code in (403, 404)
    assert state_of(report) == start


def test_it_sends_an_urgent_signed_off_report_directly_and_links_to_forwarding(cast, client_for):
    report = make_report(cast, state="signed_off", urgency=Urgency.URGENT)
    response = client_for(cast.editor).post(act(report, "send_directly"), follow=True)
    page = response.content.decode()
    assert state_of(report) == State.SENT_DIRECTLY
    assert "已直报" in page and "登记报送对象" in page


def test_it_refuses_to_send_a_routine_report_directly(cast, client_for):
    report = make_report(cast, state="signed_off")
    response = client_for(cast.editor).post(act(report, "send_directly"), follow=True)
    assert "只有急报、特报可以不经刊物直接报送" in response.content.decode()
    assert state_of(report) == State.SIGNED_OFF


@pytest.mark.parametrize("name", NON_EDITORS)
def test_it_refuses_direct_sending_and_duplicates_to_non_editors(cast, client_for, name):
    urgent = make_report(cast, state="signed_off", urgency=Urgency.URGENT)
    earlier = make_report(cast, state="accepted")
    later = make_report(cast, state="submitted")
    client = client_for(getattr(cast, name))
    assert client.post(act(urgent, "send_directly")).status_code in (403, 404)
    response = client.post(act(later, "mark_duplicate"), {"original": earlier.serial})
    assert response.status_code in (403, 404)
    assert state_of(urgent) == State.SIGNED_OFF and state_of(later) == State.SUBMITTED


def test_it_refuses_a_move_the_state_does_not_allow(cast, client_for):
    report = make_report(cast, state="accepted")
    response = client_for(cast.editor).post(act(report, "accept"), follow=True)
    assert "稿件当前状态为“已受理”，不能执行此操作" in response.content.decode()
    assert state_of(report) == State.ACCEPTED
    assert Event.objects.filter(report_id=report.pk, verb="accept").count() == 1


def test_it_refuses_a_return_without_a_reason(cast, client_for):
    report = make_report(cast, state="submitted")
    response = client_for(cast.editor).post(act(report, "return"), {"note": "  "}, follow=True)
    assert "“退回修改”须填写理由" in response.content.decode()
    assert state_of(report) == State.SUBMITTED


def test_it_answers_404_for_an_unknown_action(cast, client_for):
    report = make_report(cast, state="submitted")
    assert client_for(cast.editor).post(act(report, "publish")).status_code == 404
    assert state_of(report) == State.SUBMITTED


def test_it_stores_the_decline_reason_and_tells_the_member(
    cast, client_for, django_capture_on_commit_callbacks
):
    report = make_report(cast, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.editor).post(
            act(report, "decline"), {"reason": DeclineReason.PETITION, "note": "请走信访渠道。"}
        )
    report.refresh_from_db()
    assert report.state == State.DECLINED and report.decline_reason == DeclineReason.PETITION
    message = Notification.objects.get(user=cast.member, verb="decline").message
    assert "属信访事项，请通过信访渠道反映" in message and "请走信访渠道。" in message


def test_it_refuses_a_decline_without_a_reason(cast, client_for):
    report = make_report(cast, state="submitted")
    response = client_for(cast.editor).post(act(report, "decline"), {"reason": ""}, follow=True)
    assert "请选择不予采用的原因" in response.content.decode()
    assert state_of(report) == State.SUBMITTED


def test_it_marks_a_duplicate_by_serial_and_credits_its_authors(cast, client_for):
    earlier = make_report(cast, state="accepted")
    later = make_report(cast, by=cast.outsider, unit=cast.other_unit, state="submitted")
    response = client_for(cast.editor).post(
        act(later, "mark_duplicate"), {"original": earlier.serial}, follow=True
    )
    assert "已标记为重复" in response.content.decode()
    later.refresh_from_db()
    assert later.state == State.MERGED and later.duplicate_of == earlier
    assert "周外" in earlier.author_names()


def test_it_refuses_a_duplicate_of_an_unknown_report(cast, client_for):
    report = make_report(cast, state="submitted")
    response = client_for(cast.editor).post(
        act(report, "mark_duplicate"), {"original": "1999-9999"}, follow=True
    )
    assert "没有找到该流水号或编号对应的稿件" in response.content.decode()
    assert state_of(report) == State.SUBMITTED


def test_it_shows_where_a_merged_report_went(cast, client_for):
    earlier = make_report(cast, state="accepted", title="先报的一篇")
    later = make_report(cast, state="submitted")
    client = client_for(cast.editor)
    client.post(act(later, "mark_duplicate"), {"original": earlier.pk})  # by id this time
    page = client.get(bench(later)).content.decode()
    assert "作为重复稿件并入" in page and "《先报的一篇》" in page


def test_it_refuses_approver_moves_to_the_editor(cast, client_for):
    report = make_report(cast, state="awaiting_sign_off")
    client = client_for(cast.editor)
    assert client.post(act(report, "sign_off")).status_code == 403
    assert client.post(act(report, "reject_sign_off"), {"note": "x"}).status_code == 403
    assert state_of(report) == State.AWAITING_SIGN_OFF


def test_it_lets_the_workflow_refuse_a_move_raced_by_someone_else(cast, client_for):
    report = make_report(cast, state="submitted")
    client = client_for(cast.editor)
    page = client.get(bench(report)).content.decode()
    assert act(report, "accept") in page
    transition(report, "accept", cast.editor)  # a colleague got there first
    response = client.post(act(report, "accept"), follow=True)
    assert "不能执行此操作" in response.content.decode()
    assert Event.objects.filter(report_id=report.pk, verb="accept").count() == 1
