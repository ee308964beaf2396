"""The admins' audit page: who may open it, each filter, numbered pages, drafts kept private."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minyi.audit.models import Event, record
from minyi.audit.verbs import NOTIFICATION_ONLY, Verb
from minyi.insights.audit_log import GROUPS, PAGE_SIZE, VERB_GROUP
from minyi.people.models import Role
from tests.factories import make_report, make_user

AUDIT = reverse("insights:audit")
MARKER = "草稿密文标记XQ7"


@pytest.fixture
def admin(cast):
    return make_user("admin", Role.ADMIN, display_name="系统管理员")


@pytest.fixture
def history(cast, client_for):
    """A claim from one address, a draft, a published report."""
    submitted = make_report(cast, state="submitted", title="已报送的一篇")
    client_for(cast.editor).post(
        reverse("office:claim", args=[submitted.pk]),
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="编辑的浏览器",
    )
    draft = make_report(cast, title=f"草稿{MARKER}")
    return {"submitted": submitted, "draft": draft}


def shown(response) -> list[Event]:
    assert response.status_code == 200, response.content.decode()[:500]
    return [row.event for row in response.context["rows"]]


def test_only_admins_may_open_the_audit_page_and_its_export(cast, client_for, admin):
    for user in cast.everyone().values():
        assert client_for(user).get(AUDIT).status_code == 403
        assert client_for(user).get(reverse("insights:audit_export")).status_code == 403
    root = make_user("root", is_superuser=True)
    assert client_for(root).get(AUDIT).status_code == 200
    page = client_for(admin).get(reverse("home"), follow=True).content.decode()
    assert f'href="{AUDIT}"' in page and "审计日志" in page


def test_every_verb_on_record_is_in_a_group_of_the_filter():
    # That every verb is in the table at all is tests/audit/test_verbs.py's check.
    on_record = {verb: group for verb, group in VERB_GROUP.items() if group is not None}
    assert set(on_record) == set(Verb) - NOTIFICATION_ONLY
    assert set(on_record.values()) == set(GROUPS)


def test_it_lists_events_newest_first_with_their_address_and_client(client_for, admin, history):
    events = shown(client_for(admin).get(AUDIT))
    assert [e.pk for e in events] == sorted((e.pk for e in events), reverse=True)
    html = client_for(admin).get(AUDIT, {"verb": "claim"}).content.decode()
    assert "203.0.113.9" in html and "编辑的浏览器" in html and "认领" in html
    assert "赵编辑（editor）" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"who": "editor"}, {"claim"}),
        ({"who": "赵编辑"}, {"claim"}),
        ({"group": "reports", "who": "editor"}, {"claim"}),
        ({"group": "bulletins"}, set()),
        ({"verb": "create"}, {"create"}),
        ({"ip": "203.0.113.9"}, {"claim"}),
        ({"ip": "203.0."}, {"claim"}),
        ({"ip": "10."}, set()),
    ],
)
def test_each_filter_narrows_the_list(client_for, admin, history, params, expected):
    assert {e.verb for e in shown(client_for(admin).get(AUDIT, params))} == expected


def test_it_filters_by_object_and_by_report_id_or_serial(client_for, admin, history):
    submitted = history["submitted"]
    client = client_for(admin)
    by_object = shown(
        client.get(AUDIT, {"object_type": "reports.report", "object_id": submitted.pk})
    )
    assert by_object and {e.object_id for e in by_object} == {str(submitted.pk)}
    by_id = shown(client.get(AUDIT, {"report": submitted.pk}))
    by_serial = shown(client.get(AUDIT, {"report": submitted.serial}))
    assert by_id == by_serial and {e.report_id for e in by_id} == {submitted.pk}


def test_it_filters_by_date_range_in_local_days(cast, client_for, admin, history):
    old = Event.objects.order_by("id").first()
    Event.objects.filter(pk=old.pk).update(created_at=dt.datetime(2024, 3, 1, 1, 0, tzinfo=dt.UTC))
    client = client_for(admin)
    on_the_day = shown(client.get(AUDIT, {"start": "2024-03-01", "end": "2024-03-01"}))
    assert [e.pk for e in on_the_day] == [old.pk]
    assert old.pk not in [e.pk for e in shown(client.get(AUDIT, {"start": "2024-03-02"}))]


def test_bad_filters_are_refused_in_chinese(client_for, admin, history):
    client = client_for(admin)
    response = client.get(AUDIT, {"start": "2025-02-01", "end": "2025-01-01"})
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期" in response.content.decode()
    response = client.get(AUDIT, {"ip": "1.2.3.4'; --"})
    assert response.status_code == 400 and "IP 地址只能包含" in response.content.decode()
    assert client.get(AUDIT, {"verb": "nonsense"}).status_code == 400


@pytest.mark.parametrize("query", [{"end": "9999-12-31"}, {"start": "0001-01-01"}], ids=str)
def test_a_date_beyond_the_range_is_refused_in_chinese(client_for, admin, history, query):
    response = client_for(admin).get(AUDIT, query)
    assert response.status_code == 400
    assert "日期超出可选范围（2000年—2100年）" in response.content.decode()


def test_a_drafts_title_and_content_stay_hidden_from_the_admin(client_for, admin, history):
    draft = history["draft"]
    response = client_for(admin).get(AUDIT, {"report": draft.pk})
    events = shown(response)
    assert events and {e.verb for e in events} == {"create"}
    html = response.content.decode()
    assert MARKER not in html
    assert "所涉稿件您无权查看" in html and f"#{draft.pk}" in html


def test_pages_are_numbered_and_read_with_a_limit(cast, client_for, admin):
    for n in range(PAGE_SIZE * 2 + 5):
        record("campaign_save", cast.unit, actor=cast.editor, payload={"n": n})
    client = client_for(admin)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(AUDIT, {"verb": "campaign_save", "page": 2})
    events = shown(second)
    assert [e.payload["n"] for e in events] == list(range(PAGE_SIZE + 4, 4, -1))
    reads = [
        q["sql"] for q in queries if 'FROM "audit_event"' in q["sql"] and "COUNT" not in q["sql"]
    ]
    assert reads and all("LIMIT" in sql for sql in reads)
    html = second.content.decode()
    assert 'aria-current="page">2<' in html
    assert "verb=campaign_save&amp;page=3" in html and "verb=campaign_save&amp;page=1" in html


def test_downloads_and_exports_are_found_under_their_group(cast, client_for, admin, history):
    editor = client_for(cast.editor)
    editor.get(reverse("exchange:export_reports"), {"list": "triage"}, REMOTE_ADDR="192.0.2.8")
    submitted = history["submitted"]
    editor.get(reverse("documents:report_docx", args=[submitted.pk]), REMOTE_ADDR="192.0.2.8")
    client = client_for(admin)
    exported = client.get(AUDIT, {"group": "exchange", "who": "editor"})
    assert [e.verb for e in shown(exported)] == ["export"]
    html = exported.content.decode()
    assert "导出" in html and "192.0.2.8" in html
    assert "筛选条件：{&quot;list&quot;: &quot;triage&quot;}" in html
    downloaded = client.get(AUDIT, {"group": "access", "ip": "192.0.2.8"})
    assert [e.verb for e in shown(downloaded)] == ["download"]
    assert f"#{submitted.pk} {submitted.title}" in downloaded.content.decode()
