"""TOTP two-step verification: required for staff, optional for members, recovery codes, reset."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from minyi.accounts.checks import second_factor_in_production
from minyi.audit.models import Event
from minyi.audit.verbs import Verb
from tests.accounts.helpers import post_login, totp_code
from tests.factories import make_user


@pytest.fixture(autouse=True)
def required(settings):
    settings.MINYI_REQUIRE_2FA = True


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="手机", confirmed=True)


def logged_in_with_password(user) -> Client:
    client = Client()
    assert post_login(client, user.username).status_code == 302
    return client


@pytest.mark.parametrize("role", ["editor", "approver", "leader"])
def test_each_staff_role_is_sent_to_enrol_and_reaches_nothing_else(cast, role):
    client = logged_in_with_password(getattr(cast, role))
    for url in (reverse("home"), reverse("accounts:home"), reverse("search:results"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:otp_enrol")), url
    assert client.get(reverse("accounts:otp_enrol")).status_code == 200


def test_the_admin_role_is_required_to_enrol_too(cast):
    admin = make_user("root", is_superuser=True, is_staff=True)
    response = logged_in_with_password(admin).get("/admin/")
    assert response["Location"].startswith(reverse("accounts:otp_enrol"))


@pytest.mark.parametrize("role", ["member", "officer", "liaison"])
def test_members_and_liaisons_need_no_second_factor(cast, role):
    client = logged_in_with_password(getattr(cast, role))
    assert client.get(reverse("accounts:home")).status_code == 200


def test_enrolment_with_a_real_code_verifies_the_session_and_shows_recovery_codes_once(cast):
    client = logged_in_with_password(cast.editor)
    page = client.get(reverse("accounts:otp_enrol")).content.decode()
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    qr = client.get(reverse("accounts:otp_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=cast.editor, confirmed=False)
    assert secret.replace(" ", "") in device.config_url

    response = client.post(reverse("accounts:otp_enrol"), {"code": totp_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("office:triage")).status_code == 200
    verbs = list(Event.objects.filter(actor=cast.editor).values_list("verb", flat=True))
    assert verbs == [Verb.LOGIN, Verb.OTP_ENROL, Verb.RECOVERY_CODES]
    # The codes are not shown again: the account page gives only their number.
    account = client.get(reverse("accounts:home")).content.decode()
    assert "剩余恢复码 10 个" in account and codes[0] not in account


def test_a_wrong_code_does_not_enrol(cast):
    client = logged_in_with_password(cast.editor)
    client.get(reverse("accounts:otp_enrol"))
    response = client.post(reverse("accounts:otp_enrol"), {"code": "000000"})
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.editor, confirmed=True).exists()
    assert client.get(reverse("office:triage")).status_code == 302


def test_an_enrolled_user_must_give_a_code_and_a_wrong_one_is_refused(cast):
    device = enrolled(cast.approver)
    client = logged_in_with_password(cast.approver)
    response = client.get(reverse("office:sign_off_queue"))
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    wrong = f"{(int(totp_code(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("accounts:otp_verify"), {"code": wrong})
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    assert client.get(reverse("office:sign_off_queue")).status_code == 302
    failed = Event.objects.get(verb=Verb.LOGIN_FAILED)
    assert failed.payload["stage"] == "second_factor"


def test_the_right_code_opens_the_pages(cast):
    device = enrolled(cast.approver)
    client = logged_in_with_password(cast.approver)
    response = client.post(reverse("accounts:otp_verify"), {"code": totp_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("office:sign_off_queue")).status_code == 200


def test_a_recovery_code_works_once(cast):
    enrolled(cast.leader)
    client = logged_in_with_password(cast.leader)
    device = cast.leader.staticdevice_set.create(name="恢复码")
    device.token_set.create(token="abcd2345")
    response = client.post(reverse("accounts:otp_verify"), {"code": "ABCD 2345"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200
    used = Event.objects.get(verb=Verb.RECOVERY_CODE_USED)
    assert used.payload == {"codes_left": 0}

    again = logged_in_with_password(cast.leader)
    response = again.post(reverse("accounts:otp_verify"), {"code": "abcd2345"})
    assert response.status_code == 400
    assert again.get(reverse("accounts:home")).status_code == 302


def test_regenerating_recovery_codes_is_an_event_and_voids_the_old_ones(cast):
    device = enrolled(cast.editor)
    client = logged_in_with_password(cast.editor)
    client.post(reverse("accounts:otp_verify"), {"code": totp_code(device)})
    first = client.post(reverse("accounts:recovery_codes")).content.decode()
    second = client.post(reverse("accounts:recovery_codes")).content.decode()
    old = set(re.findall(r"<code>([a-z2-7]{8})</code>", first))
    new = set(re.findall(r"<code>([a-z2-7]{8})</code>", second))
    assert len(new) == 10 and not old & new
    assert set(StaticToken.objects.values_list("token", flat=True)) == new
    assert Event.objects.filter(verb=Verb.RECOVERY_CODES).count() == 2


def test_a_member_may_enable_it_and_then_needs_a_code(cast):
    client = logged_in_with_password(cast.member)
    assert "启用两步验证" in client.get(reverse("accounts:home")).content.decode()
    client.get(reverse("accounts:otp_enrol"))
    device = TOTPDevice.objects.get(user=cast.member)
    client.post(reverse("accounts:otp_enrol"), {"code": totp_code(device)})
    assert client.get(reverse("accounts:home")).status_code == 200

    later = logged_in_with_password(cast.member)
    assert later.get(reverse("home"))["Location"].startswith(reverse("accounts:otp_verify"))
    later.post(reverse("accounts:otp_verify"), {"code": totp_code(device, steps_ahead=1)})
    assert later.get(reverse("accounts:home")).status_code == 200


def test_the_admin_resets_a_lost_phone_and_that_is_an_event(cast):
    enrolled(cast.editor)
    editor = logged_in_with_password(cast.editor)
    admin = make_user("root", is_superuser=True, is_staff=True)
    admin_client = Client()
    admin_client.force_login(admin)
    enrolled(admin)
    session = admin_client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=admin).persistent_id
    session.save()

    page = admin_client.get(reverse("accounts:security")).content.decode()
    assert "editor" in page
    response = admin_client.post(reverse("accounts:otp_reset", args=[cast.editor.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.editor).exists()
    event = Event.objects.get(verb=Verb.OTP_RESET)
    assert (event.actor, event.object_id) == (admin, str(cast.editor.pk))
    # The editor's session ended with the reset; the next login enrols again.
    assert editor.get(reverse("home"))["Location"].startswith(reverse("login"))
    fresh = logged_in_with_password(cast.editor)
    assert fresh.get(reverse("home"))["Location"].startswith(reverse("accounts:otp_enrol"))


def test_only_the_admin_may_reset(cast, client_for, settings):
    settings.MINYI_REQUIRE_2FA = False
    enrolled(cast.member)
    for user in (cast.editor, cast.leader, cast.approver):
        response = client_for(user).post(reverse("accounts:otp_reset", args=[cast.member.pk]))
        assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=cast.member).exists()
    assert not Event.objects.filter(verb=Verb.OTP_RESET).exists()


def test_the_server_command_resets_too_and_names_the_admin(cast):
    admin = make_user("root", is_superuser=True, is_staff=True)
    enrolled(admin)
    call_command("reset_two_factor", "root", "--by", "root", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=admin).exists()
    event = Event.objects.get(verb=Verb.OTP_RESET)
    assert (event.actor, event.object_id) == (admin, str(admin.pk))
    with pytest.raises(CommandError, match="不是系统管理员"):
        call_command("reset_two_factor", "root", "--by", "editor")


def test_production_refuses_to_run_with_the_second_factor_off(settings):
    settings.MODE = "production"
    settings.MINYI_REQUIRE_2FA = False
    assert [e.id for e in second_factor_in_production()] == ["minyi.accounts.E001"]
    settings.MINYI_REQUIRE_2FA = True
    assert second_factor_in_production() == []


def test_the_stylesheet_is_served_before_the_code_is_given(cast, settings):
    settings.ROOT_URLCONF = "tests.accounts.static_urls"
    client = logged_in_with_password(cast.editor)
    assert client.get("/static/minyi/minyi.css").status_code == 200
    assert client.get(reverse("office:triage")).status_code == 302


def test_the_account_page_dates_the_authenticator_from_its_confirmation(cast):
    client = logged_in_with_password(cast.editor)
    client.get(reverse("accounts:otp_enrol"))
    device = TOTPDevice.objects.get(user=cast.editor, confirmed=False)
    # The enrolment page was opened long before the code was given.
    opened = device.created_at - dt.timedelta(days=3)
    TOTPDevice.objects.filter(pk=device.pk).update(created_at=opened)
    device.refresh_from_db()
    client.post(reverse("accounts:otp_enrol"), {"code": totp_code(device)})
    device.refresh_from_db()
    enrolled_at = Event.objects.get(verb=Verb.OTP_ENROL).created_at
    assert abs(device.created_at - enrolled_at) < dt.timedelta(minutes=1)
