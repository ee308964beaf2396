"""Password rules: Django's full set, 10 characters for staff, Chinese messages; the change page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import (
    get_default_password_validators as password_validators,
)
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from minyi.audit.models import Event
from minyi.audit.verbs import Verb
from tests.factories import PASSWORD


def problems(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@pytest.mark.parametrize("role", ["editor", "approver", "leader"])
def test_staff_need_ten_characters(cast, role):
    user = getattr(cast, role)
    assert "工作人员账号的密码至少需要 10 个字符。" in problems("Qx7#mRt2z", user)
    assert problems("Qx7#mRt2zK", user) == []


def test_members_keep_the_ordinary_minimum_of_eight(cast):
    assert problems("Qx7#mRt2", cast.member) == []
    assert problems("Qx7#mRt", cast.member) == ["密码太短，至少需要 8 个字符。"]


def test_common_numeric_and_similar_passwords_are_refused_in_chinese(cast):
    assert "这个密码太常见了。" in problems("password123", cast.member)
    assert "密码只包含数字。" in problems("8251937460", cast.member)
    cast.member.email = "zhangming@example.cn"
    assert any("太相似" in p for p in problems("zhangming@exa", cast.member))


def test_every_rule_explains_itself_in_chinese(cast):
    cast.editor.email = "zhao.bianji@example.cn"
    found = problems("123", cast.editor) + problems("zhao.bianji", cast.editor)
    found += [p.get_help_text() for p in password_validators()]
    assert found and all(re.search("[\u4e00-\u9fff]", p) for p in found), found


def test_changing_the_password_is_an_event_and_ends_the_other_sessions(cast):
    here, there = Client(), Client()
    for client in (here, there):
        assert client.login(username="editor", password=PASSWORD)
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Lan9#shan-he",
            "new_password2": "Lan9#shan-he",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("accounts:home")).status_code == 200
    assert there.get(reverse("accounts:home")).status_code == 302
    event = Event.objects.get(verb=Verb.PASSWORD_CHANGE)
    assert event.actor == cast.editor and event.payload["sessions_ended"] == 1


def test_a_short_new_password_for_staff_is_refused_on_the_page(cast, client_for):
    response = client_for(cast.editor).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Qx7#mRt2z", "new_password2": "Qx7#mRt2z"},
    )
    assert response.status_code == 200
    assert "工作人员账号的密码至少需要 10 个字符" in response.content.decode()
    assert not Event.objects.filter(verb=Verb.PASSWORD_CHANGE).exists()


def test_account_pages_need_a_login():
    for name in ("accounts:home", "accounts:password_change", "accounts:otp_enrol"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
