"""The topic guide: the office publishes, members see open topics and write from one,
the office sees per topic who wrote what and its fate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.reports.models import Report, Topic
from tests.duties.helpers import make_topic
from tests.factories import make_report
from tests.reports.test_member_pages import form_data

pytestmark = pytest.mark.django_db

TOPIC_DATA = {
    "title": "优化营商环境",
    "background": "民营企业反映审批环节多。",
    "departments": "市发改委、市市场监管局",
    "opens_on": "2026-01-01",
    "closes_on": "2026-12-31",
    "published": "on",
}


def test_an_editor_publishes_a_topic(cast, client_for):
    response = client_for(cast.editor).post(reverse("topics:new"), TOPIC_DATA)
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert topic.published and topic.department_list() == ["市发改委", "市市场监管局"]
    assert Event.objects.filter(verb="topic_save").count() == 1


@pytest.mark.parametrize("role", ["member", "liaison", "approver", "leader"])
def test_others_may_not_publish_a_topic_and_nothing_changes(cast, client_for, role):
    before = Event.objects.count()
    response = client_for(getattr(cast, role)).post(reverse("topics:new"), TOPIC_DATA)
    assert response.status_code == 403
    assert not Topic.objects.exists()
    assert Event.objects.count() == before


def test_bad_dates_are_refused_in_chinese(cast, client_for):
    data = {**TOPIC_DATA, "opens_on": "2026-12-31", "closes_on": "2026-01-01"}
    response = client_for(cast.editor).post(reverse("topics:new"), data)
    assert response.status_code == 400
    assert "截止日期不能早于开始日期" in response.content.decode()
    bad = client_for(cast.editor).post(reverse("topics:new"), {**TOPIC_DATA, "title": ""})
    assert "请填写选题" in bad.content.decode()
    assert not Topic.objects.exists()


def test_members_see_open_topics_on_their_home_page_not_unpublished_ones(cast, client_for):
    make_topic(cast, title="社区嵌入式养老服务")
    make_topic(cast, title="尚未发布的选题", published=False)
    page = client_for(cast.member).get(reverse("reports:mine")).content.decode()
    assert "社区嵌入式养老服务" in page and "尚未发布的选题" not in page
    assert "据此撰写" in page


def test_a_report_started_from_a_topic_records_it(cast, client_for):
    topic = make_topic(cast)
    client = client_for(cast.member)
    form = client.get(reverse("reports:new") + f"?topic={topic.pk}").content.decode()
    assert "据选题撰写：社区嵌入式养老服务" in form
    response = client.post(
        reverse("reports:new"),
        form_data(cast, topic=topic.pk, title="关于社区养老驿站运营的建议"),
    )
    assert response.status_code == 302
    assert Report.objects.get(title="关于社区养老驿站运营的建议").topic == topic


def test_a_closed_or_unknown_topic_is_refused_and_nothing_is_saved(cast, client_for):
    topic = make_topic(cast, published=False)
    client = client_for(cast.member)
    for value in (str(topic.pk), "999999", "abc"):
        response = client.post(reverse("reports:new"), {"topic": value, "title": "标题"})
        assert response.status_code == 302
    assert not Report.objects.exists()
    page = client.get(reverse("reports:new") + f"?topic={topic.pk}", follow=True)
    assert "该选题不存在或已截止" in page.content.decode()


def test_the_office_sees_per_topic_who_wrote_what_and_its_fate(cast, client_for):
    topic = make_topic(cast)
    for state, title in (("accepted", "受理的一篇"), ("declined", "不予采用的一篇")):
        report = make_report(cast, state=state, title=title)
        Report.objects.filter(pk=report.pk).update(topic=topic)
    make_report(cast, state="draft", title="仍是草稿的一篇").__class__.objects.filter(
        title="仍是草稿的一篇"
    ).update(topic=topic)
    page = client_for(cast.editor).get(reverse("topics:detail", args=[topic.pk])).content.decode()
    assert "受理的一篇" in page and "已受理" in page
    assert "不予采用的一篇" in page and "不予采用" in page
    assert "张明" in page
    assert "仍是草稿的一篇" not in page  # drafts stay private to their authors
    assert client_for(cast.member).get(reverse("topics:detail", args=[topic.pk])).status_code == 403


def test_the_topic_page_lists_its_reports_newest_first_and_reads_them_by_the_topic(
    cast, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic = make_topic(cast)
    titles = ["最早的一篇", "中间的一篇", "最新的一篇"]
    for title in titles:
        report = make_report(cast, state="submitted", title=title)
        Report.objects.filter(pk=report.pk).update(topic=topic)
    make_report(cast, state="submitted", title="别的选题外的一篇")
    with CaptureQueriesContext(connection) as captured:
        page = client_for(cast.editor).get(reverse("topics:detail", args=[topic.pk]))
    html = page.content.decode()
    assert [html.index(t) for t in reversed(titles)] == sorted(html.index(t) for t in titles)
    assert "别的选题外的一篇" not in html
    # The ids by the topic alone, then the rows by id: no join decides the plan of the search.
    by_topic = [q["sql"] for q in captured.captured_queries if '"topic_id" =' in q["sql"]]
    assert by_topic and all("people_user" not in sql for sql in by_topic)
