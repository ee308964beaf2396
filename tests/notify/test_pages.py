"""The notification settings page and the admins' background-work page, over HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from minyi.notify.kinds import Delivery
from minyi.notify.models import KindPolicy, Preference
from minyi.notify.tasks import send_digests
from minyi.people.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notify:preferences")
BACKGROUND = reverse("notify:background")
EVERYONE = ("member", "officer", "liaison", "editor", "approver", "leader", "outsider")
ALL_IMMEDIATE = {
    "report_status": "immediate",
    "outcome": "immediate",
    "action_needed": "immediate",
    "deadline": "immediate",
    "commission": "immediate",
}


def test_it_shows_each_kind_with_the_users_current_choice(cast, client_for):
    Preference.objects.create(user=cast.member, kind="report_status", delivery=Delivery.DIGEST)
    html = client_for(cast.member).get(SETTINGS).content.decode()
    for label in ("我的信息进展", "采用和批示", "待我处理", "时限提醒"):
        assert label in html
    assert 'name="report_status" value="digest" checked' in html
    # Outcomes are mandatory by default: their "off" cannot be picked.
    assert 'name="outcome" value="off" disabled' in html
    assert "您的账号尚未填写电子邮箱" in html


def test_it_saves_the_users_choices(cast, client_for):
    data = {**ALL_IMMEDIATE, "report_status": "off", "action_needed": "digest"}
    response = client_for(cast.member).post(SETTINGS, data)
    assert response.status_code == 302
    assert Preference.objects.choices_for(cast.member) == {
        **data,
        "hot_topics": "digest",
        "urgent_report": "immediate",
    }
    # Members are not offered the weekly hot topics, so no row is stored for them.
    assert not Preference.objects.filter(user=cast.member, kind="hot_topics").exists()
    # Someone else's settings are untouched.
    assert not Preference.objects.filter(user=cast.outsider).exists()


def test_it_refuses_to_switch_off_a_mandatory_kind_and_saves_nothing(cast, client_for):
    KindPolicy.objects.update_or_create(kind="deadline", defaults={"mandatory": True})
    data = {**ALL_IMMEDIATE, "report_status": "digest", "deadline": "off", "hot_topics": "digest"}
    response = client_for(cast.editor).post(SETTINGS, data)
    assert response.status_code == 400
    assert "研究室已将“时限提醒”设为必须接收，不能关闭" in response.content.decode()
    assert not Preference.objects.filter(user=cast.editor).exists()


def test_it_lets_a_kind_be_switched_off_once_the_office_no_longer_requires_it(cast, client_for):
    KindPolicy.objects.update_or_create(kind="deadline", defaults={"mandatory": False})
    data = {**ALL_IMMEDIATE, "deadline": "off", "hot_topics": "off", "urgent_report": "immediate"}
    response = client_for(cast.editor).post(SETTINGS, data)
    assert response.status_code == 302
    assert Preference.objects.choices_for(cast.editor)["deadline"] == "off"
    assert Preference.objects.choices_for(cast.editor)["hot_topics"] == "off"


def test_it_offers_the_weekly_hot_topics_to_editors_and_leaders_only(cast, client_for):
    for who in ("editor", "leader"):
        html = client_for(getattr(cast, who)).get(SETTINGS).content.decode()
        assert "每周热点" in html, who
        # A weekly summary can only ride in the digest, or be switched off.
        assert 'name="hot_topics" value="digest"' in html
        assert 'name="hot_topics" value="immediate"' not in html
    for who in ("member", "liaison", "approver"):
        assert "每周热点" not in client_for(getattr(cast, who)).get(SETTINGS).content.decode()


def test_it_refuses_immediate_delivery_of_the_weekly_hot_topics(cast, client_for):
    data = {**ALL_IMMEDIATE, "hot_topics": "immediate"}
    response = client_for(cast.leader).post(SETTINGS, data)
    assert response.status_code == 400
    assert "“每周热点”的发送方式无效" in response.content.decode()
    assert not Preference.objects.filter(user=cast.leader).exists()


def test_it_refuses_an_unknown_choice_in_chinese(cast, client_for):
    response = client_for(cast.member).post(SETTINGS, {**ALL_IMMEDIATE, "outcome": "sms"})
    assert response.status_code == 400
    assert "“采用和批示”的发送方式无效，请重新选择。" in response.content.decode()
    assert not Preference.objects.exists()


def test_it_sends_strangers_to_log_in(client):
    for url in (SETTINGS, BACKGROUND):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_shows_admins_the_queue_failures_and_periodic_jobs(cast, client_for):
    admin = make_user("admin", Role.ADMIN, display_name="系统管理员")
    send_digests.enqueue()
    DBTaskResult.objects.create(
        task_path="minyi.notify.tasks.send_notification",
        args_kwargs={"args": [1, "webhook"], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status="FAILED",
        exception_class_path="urllib.error.HTTPError",
        traceback="Traceback ...\nurllib.error.HTTPError: HTTP Error 500: Internal Server Error\n",
    )
    page = client_for(admin).get(BACKGROUND)
    assert page.status_code == 200
    html = page.content.decode()
    assert "send_digests" in html and "待运行" in html
    assert "urllib.error.HTTPError：urllib.error.HTTPError: HTTP Error 500" in html
    assert "每日汇总邮件" in html and "尚未运行" in html


@pytest.mark.parametrize("who", EVERYONE)
def test_it_refuses_the_background_page_to_everyone_but_admins(cast, client_for, who):
    assert client_for(getattr(cast, who)).get(BACKGROUND).status_code == 403
