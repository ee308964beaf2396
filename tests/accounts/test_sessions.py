"""Sessions: listed per user, ended one by one or everywhere, ended after idle time."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from minyi.accounts.models import UserSession
from minyi.accounts.sessions import clear_ended_sessions
from minyi.audit.models import Event
from minyi.audit.verbs import Verb
from minyi.core import clock
from tests.accounts.helpers import post_login


def browser(user_agent: str, ip: str) -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def test_the_account_page_lists_each_session_with_its_device_and_address(cast):
    office, phone = browser("Firefox 办公室", "10.1.0.1"), browser("iPhone Safari", "10.1.0.2")
    for client in (office, phone):
        assert post_login(client, "member").status_code == 302
    page = office.get(reverse("accounts:home")).content.decode()
    assert "Firefox 办公室" in page and "iPhone Safari" in page
    assert "10.1.0.1" in page and "10.1.0.2" in page and "当前会话" in page


def test_ending_one_session_logs_that_device_out(cast):
    office, phone = browser("Firefox", "10.1.0.1"), browser("iPhone", "10.1.0.2")
    for client in (office, phone):
        post_login(client, "member")
    row = UserSession.objects.get(user_agent="iPhone")
    assert office.post(reverse("accounts:end_session", args=[row.pk])).status_code == 302
    assert phone.get(reverse("accounts:home"))["Location"].startswith(reverse("login"))
    assert office.get(reverse("accounts:home")).status_code == 200


def test_nobody_ends_another_users_session(cast):
    member, outsider = browser("A", "10.1.0.1"), browser("B", "10.1.0.2")
    post_login(member, "member")
    post_login(outsider, "outsider")
    row = UserSession.objects.get(user=cast.member)
    outsider.post(reverse("accounts:end_session", args=[row.pk]))
    assert member.get(reverse("accounts:home")).status_code == 200


def test_log_out_everywhere_ends_every_session_and_is_an_event(cast):
    clients = [browser(f"设备{i}", f"10.1.0.{i}") for i in range(1, 4)]
    for client in clients:
        post_login(client, "editor")
    response = clients[0].post(reverse("accounts:logout_everywhere"))
    assert response["Location"] == reverse("login")
    for client in clients:
        assert client.get(reverse("accounts:home"))["Location"].startswith(reverse("login"))
    event = Event.objects.get(verb=Verb.LOGOUT_EVERYWHERE)
    assert (event.actor, event.payload, event.ip) == (cast.editor, {"sessions": 3}, "10.1.0.1")
    assert not UserSession.objects.filter(user=cast.editor).exists()


def test_logging_out_is_an_event(cast):
    client = browser("Firefox", "10.1.0.5")
    post_login(client, "member")
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    event = Event.objects.get(verb=Verb.LOGOUT)
    assert (event.actor, event.ip, event.payload) == (cast.member, "10.1.0.5", {"reason": "user"})


def idle_for(user, minutes: int) -> None:
    UserSession.objects.filter(user=user).update(
        last_seen=UserSession.objects.get(user=user).last_seen - dt.timedelta(minutes=minutes)
    )


def test_a_staff_session_ends_after_two_idle_hours(cast):
    client = browser("Firefox", "10.1.0.6")
    post_login(client, "editor")
    idle_for(cast.editor, 119)
    assert client.get(reverse("office:triage")).status_code == 200
    idle_for(cast.editor, 121)
    response = client.get(reverse("office:triage"))
    assert response["Location"].startswith(reverse("login"))
    assert Event.objects.get(verb=Verb.LOGOUT).payload == {"reason": "idle"}
    assert "长时间未操作" in client.get(response["Location"]).content.decode()


def test_a_member_session_lasts_two_weeks_idle(cast, settings):
    client = browser("Firefox", "10.1.0.7")
    post_login(client, "member")
    idle_for(cast.member, 13 * 24 * 60)
    assert client.get(reverse("reports:mine")).status_code == 200
    idle_for(cast.member, 15 * 24 * 60)
    assert client.get(reverse("reports:mine"))["Location"].startswith(reverse("login"))
    settings.MINYI_SESSION_IDLE_MEMBER_MINUTES = 30
    post_login(client, "member")
    idle_for(cast.member, 31)
    assert client.get(reverse("reports:mine"))["Location"].startswith(reverse("login"))


def test_sessions_that_ran_out_leave_the_list_and_are_cleared_daily(cast):
    current, stale = browser("Firefox", "10.1.0.8"), browser("旧手机", "10.1.0.9")
    for client in (current, stale):
        post_login(client, "member")
    Session.objects.filter(session_key=stale.session.session_key).update(
        expire_date=clock.now() - dt.timedelta(minutes=1)
    )
    assert "旧手机" not in current.get(reverse("accounts:home")).content.decode()
    assert clear_ended_sessions() == 1
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == ["Firefox"]
