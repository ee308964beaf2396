"""Chinese error pages with DEBUG off, the favicon, and the admins' home."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.views.defaults import server_error

from minyi.people.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def test_a_page_that_does_not_exist_gets_the_chinese_404(cast, client_for):
    response = client_for(cast.member).get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.text and "Not Found" not in response.text


def test_a_refused_page_gets_the_chinese_403_with_the_reason(cast, client_for):
    response = client_for(cast.member).get("/office/triage/")
    assert response.status_code == 403
    assert "无权访问" in response.text and "此页面仅供信息编辑使用。" in response.text
    assert "Forbidden" not in response.text


def test_a_server_error_gets_the_chinese_500_without_the_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错" in body and "Server Error" not in body
    # No inline code: the CSP applies to the error page too.
    assert "<script" not in body and "style=" not in body


def test_every_page_links_a_favicon_that_exists(cast, client_for):
    html = client_for(cast.member).get("/reports/").text
    assert 'rel="icon" href="/static/minyi/favicon.svg"' in html
    assert finders.find("minyi/favicon.svg")


def test_an_admin_gets_a_home_with_the_admins_tools_not_no_role(client_for):
    admin = make_user("admin2", Role.ADMIN, display_name="管理员", is_staff=True)
    html = client_for(admin).get("/").text
    assert "尚未分配角色" not in html
    for link in (
        "/admin/",
        "/notifications/background/",
        "/admin/deadlines/calendaroverride/",
        "/account/security/",
        "/insights/audit/",
    ):
        assert f'href="{link}"' in html, link


def test_someone_without_a_role_still_learns_they_have_none(client_for):
    nobody = make_user("nobody")
    html = client_for(nobody).get("/").text
    assert "尚未分配角色" in html


def test_a_form_refused_by_the_csrf_check_gets_the_chinese_403_and_changes_nothing(cast):
    from django.test import Client

    from minyi.notify.models import Notification

    Notification.objects.create(user=cast.member, verb="accept", message="一条")
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.member)
    response = client.post("/notifications/read-all/")
    assert response.status_code == 403
    assert "页面已过期" in response.text and "verification failed" not in response.text
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
