"""Recording what came back for one forwarding: 采用, 未采用 and any number of 批示."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.notify.models import Notification
from minyi.outcomes.models import Adoption, ForwardingState, Instruction
from tests.factories import days_ago, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarding(cast):
    report = make_report(cast, state="published")
    return report.forwardings.get(recipient=cast.recipients[0])


def post(client, name, forwarding, data):
    return client.post(reverse(f"outcomes:{name}", args=[forwarding.pk]), data, follow=True)


def adoption_data(**overrides):
    return {
        "kind": "single",
        "carrier": "全国政协《社情民意信息》第12期",
        "adopted_on": days_ago(0).isoformat(),
        **overrides,
    }


def instruction_data(**overrides):
    return {
        "leader_name": "某某",
        "leader_title": "副省长",
        "level": "provincial",
        "text": "请省民政厅研究。",
        "instructed_on": days_ago(0).isoformat(),
        **overrides,
    }


def test_it_shows_the_forwarding_with_its_forms(cast, client_for, forwarding):
    page = client_for(cast.editor).get(reverse("outcomes:forwarding", args=[forwarding.pk]))
    text = page.content.decode()
    assert "关于加快社区养老服务设施建设的建议" in text and "全国政协" in text
    assert "单篇采用" in text and "综合采用" in text and "转送" in text
    assert "登记为未采用" in text and "登记批示" in text


def test_it_records_an_adoption_and_tells_the_author(
    cast, client_for, forwarding, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client_for(cast.editor), "adopt", forwarding, adoption_data())
    assert "已登记采用情况" in response.content.decode()
    forwarding.refresh_from_db()
    assert forwarding.state == ForwardingState.ADOPTED
    assert forwarding.adoption.carrier == "全国政协《社情民意信息》第12期"
    message = Notification.objects.filter(user=cast.member, verb="adopt").get().message
    assert (
        message
        == "好消息：您的信息《关于加快社区养老服务设施建设的建议》被全国政协采用（单篇采用）。"
    )
    # Once adopted, the form gives way to the record.
    assert "登记采用</button>" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            adoption_data(adopted_on=(days_ago(0) + dt.timedelta(days=1)).isoformat()),
            "采用日期不能晚于今天",
        ),
        (adoption_data(adopted_on="2025-13-45"), "采用日期格式不正确"),
        (adoption_data(adopted_on=""), "请填写采用日期"),
        (adoption_data(kind=""), "请选择采用类型"),
        (adoption_data(kind="published"), "请选择采用类型"),
    ],
)
def test_it_refuses_a_bad_adoption_and_stores_nothing(cast, client_for, forwarding, data, error):
    response = post(client_for(cast.editor), "adopt", forwarding, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    forwarding.refresh_from_db()
    assert forwarding.state == ForwardingState.PENDING
    assert not Adoption.objects.exists()
    assert not Notification.objects.filter(verb="adopt").exists()


def test_it_refuses_an_adoption_before_the_forwarding_date(cast, client_for, forwarding):
    response = post(
        client_for(cast.editor),
        "adopt",
        forwarding,
        adoption_data(adopted_on=days_ago(30).isoformat()),
    )
    assert "采用日期不能早于报送日期" in response.content.decode()
    assert not Adoption.objects.exists()


NOT_ADOPTED = {"reason": "refused", "note": "对方来函答复", "confirm": "on"}


def test_it_records_not_adopted_once(
    cast, client_for, forwarding, django_capture_on_commit_callbacks
):
    client = client_for(cast.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "not_adopted", forwarding, NOT_ADOPTED)
    assert "已登记为未采用" in response.content.decode()
    forwarding.refresh_from_db()
    assert forwarding.state == ForwardingState.NOT_ADOPTED
    assert forwarding.not_adopted_reason == "refused"
    assert forwarding.not_adopted_note == "对方来函答复"
    event = Event.objects.filter(verb="not_adopted").get()
    assert event.payload["code"] == "refused" and event.payload["note"] == "对方来函答复"
    assert Notification.objects.filter(user=cast.member, verb="not_adopted").exists()
    response = post(client, "not_adopted", forwarding, NOT_ADOPTED)
    assert "只有待反馈的报送记录可以登记为未采用" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**NOT_ADOPTED, "confirm": ""}, "请勾选确认后再登记为未采用"),
        ({**NOT_ADOPTED, "reason": ""}, "请选择未采用原因"),
        ({**NOT_ADOPTED, "reason": "bogus"}, "请选择未采用原因"),
        ({**NOT_ADOPTED, "reason": "other", "note": " "}, "选择“其他”时须填写说明"),
    ],
    ids=["unconfirmed", "no-reason", "unknown-reason", "other-without-note"],
)
def test_it_refuses_not_adopted_without_reason_or_confirmation(
    cast, client_for, forwarding, data, message
):
    before = Event.objects.count()
    response = post(client_for(cast.editor), "not_adopted", forwarding, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    forwarding.refresh_from_db()
    # Nothing changed: still waiting, no reason stored, no event.
    assert forwarding.state == ForwardingState.PENDING and not forwarding.not_adopted_reason
    assert Event.objects.count() == before


def test_it_records_several_instructions_and_tells_the_author(
    cast, client_for, forwarding, django_capture_on_commit_callbacks
):
    client = client_for(cast.editor)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "instruct", forwarding, instruction_data())
        response = post(
            client,
            "instruct",
            forwarding,
            instruction_data(
                leader_name="某甲", leader_title="市长", level="municipal", text="同意。"
            ),
        )
    page = response.content.decode()
    assert "副省长某某" in page and "市长某甲" in page and "请省民政厅研究。" in page
    assert Instruction.objects.filter(forwarding=forwarding).count() == 2
    messages = set(
        Notification.objects.filter(user=cast.member, verb="instruct").values_list(
            "message", flat=True
        )
    )
    assert (
        "好消息：您的信息《关于加快社区养老服务设施建设的建议》获副省长某某批示（省级）。"
        in messages
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (instruction_data(leader_name=""), "请填写批示领导姓名"),
        (instruction_data(level=""), "请选择批示级别"),
        (instruction_data(text=""), "请填写批示内容"),
        (instruction_data(instructed_on="昨天"), "批示日期格式不正确"),
        (
            instruction_data(instructed_on=(days_ago(0) + dt.timedelta(days=3)).isoformat()),
            "批示日期不能晚于今天",
        ),
    ],
)
def test_it_refuses_a_bad_instruction_and_stores_nothing(cast, client_for, forwarding, data, error):
    response = post(client_for(cast.editor), "instruct", forwarding, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Instruction.objects.exists()
    assert not Notification.objects.filter(verb="instruct").exists()


def test_every_not_adopted_reason_is_in_the_workflow_docs():
    from pathlib import Path

    from minyi.outcomes.models import NotAdoptedReason

    docs = (Path(__file__).resolve().parents[2] / "docs" / "workflow.md").read_text("utf-8")
    for code, label in NotAdoptedReason.choices:
        assert f"| `{code}` | {label} |" in docs, code
