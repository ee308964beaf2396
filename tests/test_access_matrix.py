"""Every role × view pair that must be refused, in one table.

Each row names a view, how to call it, and who must NOT get through. A refusal
is 403 (wrong role for the page) or 404 (an object the user may not see), and a
refused POST changes nothing: the event log does not grow.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from minyi.audit.models import Event
from minyi.bulletins.actions import do_compose, do_create_issue, do_send_issue_for_sign_off
from minyi.notify.models import Notification
from minyi.reports.models import Attachment
from tests.factories import make_report

EVERYONE = ("member", "officer", "liaison", "editor", "approver", "leader", "outsider")


def everyone_but(*allowed: str) -> tuple[str, ...]:
    return tuple(name for name in EVERYONE if name not in allowed)


@dataclass(frozen=True)
class Row:
    url: str
    obj: str | None  # key into the world fixture, or None for list pages
    method: str
    refused: tuple[str, ...]
    extra: tuple[str, ...] = ()  # further URL arguments after the object's pk
    data: tuple[tuple[str, str], ...] = ()


ROWS = [
    # Member-side report pages.
    Row("reports:detail", "draft", "get", ("officer", "editor", "approver", "leader", "outsider")),
    Row("reports:detail", "submitted", "get", ("officer", "leader", "outsider")),
    Row("reports:detail", "published", "get", ("officer", "outsider")),
    Row("reports:edit", "draft", "get", ("officer", "editor", "approver", "leader", "outsider")),
    Row(
        "reports:act",
        "draft",
        "post",
        ("officer", "editor", "approver", "leader", "outsider"),
        extra=("submit",),
    ),
    Row("reports:attachment", "attachment", "get", ("officer", "leader", "outsider")),
    Row("notify:open", "notification", "get", everyone_but("member")),
    # Research office.
    Row("office:triage", None, "get", everyone_but("editor")),
    Row("office:workbench", "submitted", "get", everyone_but("editor")),
    Row("office:act", "submitted", "post", everyone_but("editor"), extra=("accept",)),
    Row("office:claim", "submitted", "post", everyone_but("editor")),
    Row("office:merge", None, "post", everyone_but("editor"), data=(("reports", "1"),)),
    Row("office:sign_off_queue", None, "get", everyone_but("approver")),
    Row("office:review", "awaiting", "get", everyone_but("approver")),
    Row("office:act", "awaiting", "post", everyone_but("approver"), extra=("sign_off",)),
    # Bulletins.
    Row("bulletins:list", None, "get", everyone_but("editor")),
    Row("bulletins:create", None, "post", everyone_but("editor"), data=(("bulletin", "1"),)),
    Row("bulletins:compose", "draft_issue", "get", everyone_but("editor")),
    Row("bulletins:send", "draft_issue", "post", everyone_but("editor")),
    Row(
        "bulletins:detail",
        "draft_issue",
        "get",
        ("member", "officer", "liaison", "leader", "outsider"),
    ),
    Row("bulletins:detail", "issued_issue", "get", ("member", "officer", "liaison", "outsider")),
    # Editors work from bulletins:list; the reader is for those who read issued issues.
    Row("bulletins:reader", None, "get", ("member", "officer", "liaison", "editor", "outsider")),
    Row("bulletins:sign_off", "awaiting_issue", "post", everyone_but("approver")),
    Row(
        "bulletins:reject",
        "awaiting_issue",
        "post",
        everyone_but("approver"),
        data=(("note", "理由"),),
    ),
    # Documents (DOCX/PDF downloads follow the same access helpers as the pages).
    Row(
        "documents:report_docx",
        "draft",
        "get",
        ("officer", "editor", "approver", "leader", "outsider"),
    ),
    Row("documents:report_docx", "submitted", "get", ("officer", "leader", "outsider")),
    Row("documents:report_pdf", "submitted", "get", ("officer", "leader", "outsider")),
    Row(
        "documents:issue_docx",
        "draft_issue",
        "get",
        ("member", "officer", "liaison", "leader", "outsider"),
    ),
    Row(
        "documents:issue_docx", "issued_issue", "get", ("member", "officer", "liaison", "outsider")
    ),
    # Deadlines.
    Row("deadlines:overdue", None, "get", ("member", "officer", "liaison", "leader", "outsider")),
    Row("deadlines:unit", None, "get", everyone_but("liaison")),
    # Dashboard.
    Row("insights:dashboard", None, "get", ("member", "officer", "liaison", "outsider")),
    Row(
        "insights:figure_xlsx",
        None,
        "get",
        ("member", "officer", "liaison", "outsider"),
        extra=("funnel",),
    ),
    # Outcomes.
    Row("outcomes:pending", None, "get", everyone_but("editor")),
    Row("outcomes:forwarding", "forwarding", "get", everyone_but("editor")),
    Row(
        "outcomes:adopt",
        "forwarding",
        "post",
        everyone_but("editor"),
        data=(("kind", "single"), ("adopted_on", "2020-01-01")),
    ),
    Row("outcomes:not_adopted", "forwarding", "post", everyone_but("editor")),
    Row("outcomes:instruct", "forwarding", "post", everyone_but("editor")),
    Row("outcomes:forward", "published", "get", everyone_but("editor")),
]


@pytest.fixture
def world(cast, django_capture_on_commit_callbacks):
    # Notifications go out on commit; run those callbacks inside the test transaction.
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world(cast)
    world["notification"] = Notification.objects.filter(user=cast.member).first()
    return world


def build_world(cast):
    submitted = make_report(cast, state="submitted")
    attachment = Attachment.objects.create(
        report=submitted,
        file=ContentFile(b"%PDF-1.4 test", name="a.pdf"),
        original_name="情况说明.pdf",
        size=13,
        content_type="application/pdf",
        uploaded_by=cast.member,
    )
    published = make_report(cast, state="published", title="关于已编发事项的建议")
    awaiting_issue = do_create_issue(cast.bulletin, cast.editor)
    signed = make_report(cast, state="signed_off", title="关于待签发期次的建议")
    do_compose(awaiting_issue, cast.editor, reports=[signed], main=cast.recipients[:1])
    do_send_issue_for_sign_off(awaiting_issue, cast.editor)
    return {
        "draft": make_report(cast),
        "submitted": submitted,
        "awaiting": make_report(cast, state="awaiting_sign_off", title="关于待签发稿件的建议"),
        "published": published,
        "attachment": attachment,
        "draft_issue": do_create_issue(cast.bulletin, cast.editor),
        "awaiting_issue": awaiting_issue,
        "issued_issue": published.issue_items.get().issue,
        "forwarding": published.forwardings.first(),
    }


def call(client, row: Row, world, pk: int | None = None):
    args = [] if row.obj is None else [pk if pk is not None else world[row.obj].pk]
    url = reverse(row.url, args=[*args, *row.extra])
    return getattr(client, row.method)(url, dict(row.data))


def row_id(row: Row) -> str:
    return f"{row.url}:{row.obj or '-'}:{row.method}{':' + row.extra[0] if row.extra else ''}"


@pytest.mark.parametrize("row", ROWS, ids=[row_id(r) for r in ROWS])
def test_it_refuses_each_role_that_must_not_pass(cast, world, client_for, row):
    for name in row.refused:
        before = Event.objects.count()
        response = call(client_for(getattr(cast, name)), row, world)
        assert response.status_code in (403, 404), (name, response.status_code)
        # A refused request leaves no trace in the event log.
        assert Event.objects.count() == before, name


@pytest.mark.parametrize("row", ROWS, ids=[row_id(r) for r in ROWS])
def test_it_lets_the_right_roles_reach_each_page(cast, world, client_for, row):
    if row.method != "get":
        return
    for name in sorted(set(EVERYONE) - set(row.refused)):
        response = call(client_for(getattr(cast, name)), row, world)
        # Opening a notification redirects to what it is about.
        assert response.status_code in (200, 302), (name, response.status_code)
        assert not response.get("Location", "").startswith(reverse("login")), name


OBJECT_ROWS = [r for r in ROWS if r.obj is not None]


@pytest.mark.parametrize("row", OBJECT_ROWS, ids=[row_id(r) for r in OBJECT_ROWS])
def test_it_answers_404_to_guessed_ids_for_everyone(cast, world, client_for, row):
    for name in EVERYONE:
        response = call(client_for(getattr(cast, name)), row, world, pk=987654)
        assert response.status_code in (403, 404), name
        if name not in row.refused:
            assert response.status_code == 404, name


def test_it_sends_anonymous_visitors_to_the_login_page(world, client):
    for row in ROWS:
        if row.method == "get":
            response = call(client, row, world)
            assert response.status_code == 302, row.url
            assert response["Location"].startswith(reverse("login")), row.url
