"""Lockout after repeated failures, per account and per client address, through the login form."""

from __future__ import annotations

import pytest
from axes.models import AccessFailureLog
from django.test import Client
from django.urls import reverse

from minyi.audit.models import Event
from minyi.audit.verbs import Verb
from tests.accounts.helpers import post_login
from tests.factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.MINYI_LOGIN_FAILURE_LIMIT = 5
    settings.MINYI_LOGIN_IP_FAILURE_LIMIT = 8
    settings.MINYI_LOGIN_COOLOFF_MINUTES = 30


def client_from(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT="Mozilla/5.0 测试浏览器")


def fail(client: Client, username: str, times: int) -> None:
    """Wrong passwords; the one that reaches a limit is answered with the lockout page."""
    for _ in range(times):
        assert post_login(client, username, "wrong-password").status_code in (200, 429)


def test_the_right_password_is_refused_once_the_account_is_locked(cast):
    client = client_from("10.0.0.1")
    fail(client, "member", 4)
    response = post_login(client, "member", "still-wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多，账号已锁定" in page
    assert "30 分钟后再试或联系管理员" in page
    # Locked means locked: the right password does not get in, from anywhere.
    for ip in ("10.0.0.1", "10.0.0.2"):
        other = client_from(ip)
        assert post_login(other, "member").status_code == 429, ip
        assert "_auth_user_id" not in other.session


def test_four_failures_then_the_right_password_logs_in(cast):
    client = client_from("10.0.0.1")
    fail(client, "member", 4)
    response = post_login(client, "member")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.member.pk)


def test_an_address_is_locked_after_failures_spread_over_many_names(cast):
    client = client_from("10.0.0.9")
    for name in ("a1", "a2", "a3", "a4"):
        fail(client, name, 2)  # 8 failures from one address, at most 2 per name
    response = post_login(client, "editor")
    assert response.status_code == 429
    assert "该网络地址已锁定" in response.content.decode()
    # The same account from another address is not locked.
    assert post_login(client_from("10.0.0.10"), "editor").status_code == 302


def test_failures_lockout_and_success_are_events_with_the_address(cast):
    client = client_from("10.0.0.3")
    fail(client, "member", 5)
    failed = Event.objects.filter(verb=Verb.LOGIN_FAILED)
    assert failed.count() == 5
    assert set(failed.values_list("ip", flat=True)) == {"10.0.0.3"}
    assert set(failed.values_list("user_agent", flat=True)) == {"Mozilla/5.0 测试浏览器"}
    assert set(failed.values_list("object_type", "object_id")) == {
        ("people.user", str(cast.member.pk))
    }
    lockout = Event.objects.get(verb=Verb.LOCKOUT)
    assert lockout.ip == "10.0.0.3" and lockout.payload["account"] is True
    # Failures while locked are failures, not new lockouts.
    post_login(client, "member")
    assert Event.objects.filter(verb=Verb.LOCKOUT).count() == 1
    assert failed.count() == 6

    assert post_login(client_from("10.0.0.4"), "editor").status_code == 302
    login = Event.objects.get(verb=Verb.LOGIN)
    assert (login.actor, login.ip) == (cast.editor, "10.0.0.4")


def test_a_failure_for_a_name_nobody_has_points_at_the_failure_on_record(cast):
    post_login(client_from("10.0.0.5"), "nobody-here", "x")
    event = Event.objects.get(verb=Verb.LOGIN_FAILED)
    assert event.object_type == "axes.accessfailurelog"
    failure = AccessFailureLog.objects.get(pk=event.object_id)
    assert (failure.username, failure.ip_address) == ("nobody-here", "10.0.0.5")
    assert event.payload["username"] == "nobody-here"


def logged_in(user) -> Client:
    # client.login() calls authenticate() without a request, which axes refuses.
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_sees_the_lock_and_lifts_it(cast):
    admin = make_user("root", is_superuser=True, is_staff=True)
    fail(client_from("10.0.0.6"), "member", 5)
    client = logged_in(admin)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "member" in page and "解锁" in page
    response = client.post(reverse("accounts:unlock"), {"kind": "account", "value": "member"})
    assert response.status_code == 302
    event = Event.objects.get(verb=Verb.UNLOCK)
    assert (event.actor, event.object_id) == (admin, str(cast.member.pk))
    assert post_login(client_from("10.0.0.6"), "member").status_code == 302


def test_only_the_admin_may_unlock(cast):
    fail(client_from("10.0.0.7"), "member", 5)
    for user in (cast.editor, cast.member, cast.leader):
        client = logged_in(user)
        assert client.get(reverse("accounts:security")).status_code == 403
        response = client.post(reverse("accounts:unlock"), {"kind": "account", "value": "member"})
        assert response.status_code == 403
    assert not Event.objects.filter(verb=Verb.UNLOCK).exists()
    assert post_login(client_from("10.0.0.7"), "member").status_code == 429


def test_the_admin_site_login_goes_through_the_login_page(cast):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["member", "liaison", "editor", "approver", "leader"])
def test_a_signed_in_user_without_admin_rights_is_refused_the_admin_not_sent_round(cast, name):
    client = logged_in(getattr(cast, name))
    response = client.get("/admin/", follow=True)
    # One hop to the admin's login view, which refuses in Chinese instead of
    # sending the user to our login page and back to /admin/ for ever.
    assert len(response.redirect_chain) <= 1
    assert response.status_code == 403
    assert "权限" in response.content.decode()


def test_the_login_page_never_sends_anyone_to_another_site(cast):
    client = client_from("10.0.0.8")
    response = client.post(
        reverse("login") + "?next=https://evil.example.com/",
        {"username": "member", "password": PASSWORD, "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("home")


def test_the_admin_lifts_an_address_lock_too(cast):
    admin = make_user("root", is_superuser=True, is_staff=True)
    for name in ("a1", "a2", "a3", "a4"):
        fail(client_from("10.0.0.11"), name, 2)
    client = logged_in(admin)
    assert "10.0.0.11" in client.get(reverse("accounts:security")).content.decode()
    client.post(reverse("accounts:unlock"), {"kind": "address", "value": "10.0.0.11"})
    event = Event.objects.get(verb=Verb.UNLOCK)
    assert event.object_type == "axes.accessfailurelog"
    assert event.payload == {"kind": "address", "value": "10.0.0.11", "cleared": 4}
    assert post_login(client_from("10.0.0.11"), "editor").status_code == 302
