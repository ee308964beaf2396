"""The notifications page filters by kind, read or unread, and period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minyi.notify.models import Notification

pytestmark = pytest.mark.django_db


def note(user, message: str, *, kind: str = "report_status", days_ago: int = 0, read: bool = False):
    created = timezone.now() - dt.timedelta(days=days_ago)
    return Notification.objects.create(
        user=user,
        verb="accept",
        kind=kind,
        message=message,
        created_at=created,
        read_at=created if read else None,
    )


@pytest.fixture
def notes(cast):
    note(cast.editor, "逾期催办甲", kind="deadline")
    note(cast.editor, "急报乙", kind="urgent_report", read=True)
    note(cast.editor, "旧进展丙", days_ago=40)
    note(cast.outsider, "别人的丁", kind="deadline")


def shown(client, query: str) -> set[str]:
    text = client.get(f"/notifications/?{query}").text
    return {m for m in ("逾期催办甲", "急报乙", "旧进展丙", "别人的丁") if m in text}


def test_it_filters_by_kind_read_state_and_period(cast, client_for, notes):
    client = client_for(cast.editor)
    assert shown(client, "") == {"逾期催办甲", "急报乙", "旧进展丙"}
    assert shown(client, "kind=deadline") == {"逾期催办甲"}
    assert shown(client, "read=unread") == {"逾期催办甲", "旧进展丙"}
    assert shown(client, "read=read") == {"急报乙"}
    assert shown(client, "period=30") == {"逾期催办甲", "急报乙"}
    assert shown(client, "period=30&read=unread&kind=deadline") == {"逾期催办甲"}


def test_it_refuses_a_bad_filter_in_chinese_and_shows_no_one_elses(cast, client_for, notes):
    response = client_for(cast.editor).get("/notifications/?kind=nonsense&period=999")
    assert response.status_code == 400
    assert "通知类别无效" in response.text and "时间范围无效" in response.text
    assert "别人的丁" not in response.text


def test_it_marks_all_read_from_the_filtered_page_and_changes_nothing_on_get(
    cast, client_for, notes
):
    client = client_for(cast.editor)
    assert client.get("/notifications/read-all/").status_code == 405
    assert Notification.objects.for_user(cast.editor).unread().count() == 2
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 2 条通知标为已读。" in response.text
    assert Notification.objects.filter(user=cast.outsider, read_at__isnull=True).count() == 1
