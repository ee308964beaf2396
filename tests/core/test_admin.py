"""The Django admin: reference data editable, workflow records read-only, staff only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from minyi.audit.models import Event
from minyi.people.models import Member
from minyi.reports.models import Report
from tests.factories import make_report, make_user

READ_ONLY = ["reports.report", "bulletins.issue", "outcomes.forwarding", "audit.event"]
EDITABLE = [
    "people.organization",
    "people.sector",
    "people.term",
    "people.member",
    "people.user",
    "reports.category",
    "outcomes.recipient",
    "bulletins.bulletin",
]


def url(label: str, view: str, *args: object) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


@pytest.fixture
def root(cast):
    return make_user("root", is_staff=True, is_superuser=True, display_name="管理员")


@pytest.fixture
def published(cast) -> Report:
    return make_report(cast, state="published")


@pytest.mark.django_db
def test_it_lists_every_registered_model_for_the_admin(client_for, root, published):
    client = client_for(root)
    labels = [m._meta.label_lower for m in admin.site._registry]
    assert set(READ_ONLY + EDITABLE) <= set(labels)
    for label in labels:
        response = client.get(url(label, "changelist"))
        assert response.status_code == 200, label
    page = client.get(url("reports.report", "changelist")).content.decode()
    assert published.title in page and "社情民意信息" in page


@pytest.mark.django_db
def test_it_sends_non_staff_users_to_the_admin_login(client_for, cast, root):
    for user in (cast.editor, cast.member):
        response = client_for(user).get(url("people.member", "changelist"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
    assert client_for(root).get(url("people.member", "changelist")).status_code == 200


@pytest.mark.django_db
def test_it_shows_workflow_records_but_refuses_to_change_them(client_for, root, published):
    client = client_for(root)
    detail = client.get(url("reports.report", "change", published.pk))
    assert detail.status_code == 200
    assert published.title in detail.content.decode()
    assert (
        client.post(url("reports.report", "change", published.pk), {"title": "x"}).status_code
        == 403
    )
    for label in READ_ONLY:
        assert client.get(url(label, "add")).status_code == 403, label
    event = Event.objects.filter(report_id=published.pk).first()
    assert client.post(url("audit.event", "delete", event.pk), {"post": "yes"}).status_code == 403
    published.refresh_from_db()
    assert published.title != "x" and Event.objects.filter(pk=event.pk).exists()
    # Reference data stays editable.
    assert client.get(url("people.organization", "add")).status_code == 200


@pytest.mark.django_db
def test_it_searches_members_by_name_and_filters_information_officers(client_for, root, cast):
    client = client_for(root)
    page = client.get(url("people.member", "changelist"), {"q": "张明"}).content.decode()
    assert "张明" in page and "周外" not in page
    officers = client.get(
        url("people.member", "changelist"), {"is_information_officer__exact": "1"}
    ).content.decode()
    assert "李华" in officers and "张明" not in officers
    assert Member.objects.count() == 3


@pytest.mark.django_db
def test_it_shows_user_roles_and_event_verbs_in_chinese(client_for, root, cast, published):
    client = client_for(root)
    users = client.get(url("people.user", "changelist")).content.decode()
    assert "信息编辑" in users and "签发人" in users
    change = client.get(url("people.user", "change", cast.liaison.pk)).content.decode()
    assert "显示名称" in change and "角色" in change and "民盟市委" in change
    events = client.get(url("audit.event", "changelist")).content.decode()
    assert "受理" in events and "签发刊物" in events
