"""The notifications page: list, open (marks read), mark all read."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from minyi.notify.models import Notification
from minyi.reports.workflow import transition
from tests.factories import make_report


def notify(
    user, message: str, *, minutes_ago: int = 0, url: str = "/reports/", read: bool = False
) -> Notification:
    created = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        user=user,
        verb="accept",
        message=message,
        url=url,
        created_at=created,
        read_at=created if read else None,
    )


def test_it_lists_my_notifications_newest_first_with_unread_marked(cast, client_for):
    notify(cast.member, "较早的通知", minutes_ago=10, read=True)
    notify(cast.member, "最新的通知")
    notify(cast.outsider, "别人的通知")
    html = client_for(cast.member).get(reverse("notify:list")).content.decode()
    assert html.index("最新的通知") < html.index("较早的通知")
    assert "别人的通知" not in html
    assert "1 条未读" in html
    assert '<li class="unread">' in html and '<li class="read">' in html


def test_it_notifies_authors_of_the_office_moves(
    cast, client_for, django_capture_on_commit_callbacks
):
    report = make_report(cast, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        transition(report, "return", cast.editor, note="请补充数据来源。")
    html = client_for(cast.member).get(reverse("notify:list")).content.decode()
    assert f"您的信息《{report.title}》被退回修改：请补充数据来源。" in html


def test_it_opens_a_notification_marks_it_read_and_follows_its_link(cast, client_for):
    report = make_report(cast)
    note = notify(cast.member, "请查看", url=reverse("reports:detail", args=[report.pk]))
    response = client_for(cast.member).get(reverse("notify:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    note.refresh_from_db()
    assert note.read_at is not None


def test_it_answers_404_for_someone_elses_notification(cast, client_for):
    note = notify(cast.member, "只给张明")
    response = client_for(cast.outsider).get(reverse("notify:open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_it_never_redirects_off_site(cast, client_for):
    note = notify(cast.member, "坏链接", url="https://evil.example/")
    response = client_for(cast.member).get(reverse("notify:open", args=[note.pk]))
    assert response["Location"] == reverse("notify:list")


def test_it_marks_all_my_notifications_read_and_only_mine(cast, client_for):
    notify(cast.member, "一")
    notify(cast.member, "二")
    others = notify(cast.outsider, "别人的")
    client = client_for(cast.member)
    assert client.get(reverse("notify:mark_all_read")).status_code == 405
    response = client.post(reverse("notify:mark_all_read"), follow=True)
    assert "已将 2 条通知标为已读。" in response.content.decode()
    assert not Notification.objects.for_user(cast.member).unread().exists()
    others.refresh_from_db()
    assert others.read_at is None
