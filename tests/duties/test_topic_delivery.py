"""A report written on a topic delivers the member's accepted 约稿 on it, however it was started;
the home page shows one button per topic, the commission's; an unknown answer URL is a 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.reports.models import Report
from minyi.reports.workflow import transition
from minyi.scoring.models import Score
from tests.duties.helpers import make_commission
from tests.factories import make_report, settle
from tests.reports.test_member_pages import form_data
from tests.scoring.helpers import make_rules

pytestmark = pytest.mark.django_db


def test_writing_from_the_topic_guide_delivers_the_accepted_commission(cast, client_for):
    make_rules()
    commission = make_commission(cast, state="accepted")
    response = client_for(cast.member).post(
        reverse("reports:new") + f"?topic={commission.topic_id}",
        form_data(cast, topic=commission.topic_id, title="据选题写的一篇", submit="1"),
    )
    assert response.status_code == 302
    report = Report.objects.get(title="据选题写的一篇")
    settle()
    commission.refresh_from_db()
    assert commission.state == "delivered" and commission.report == report
    assert Score.objects.get(report=report, kind="commissioned").note == "应约稿件"


def test_a_topic_report_started_before_accepting_delivers_when_submitted(cast, client_for):
    make_rules()
    commission = make_commission(cast)
    draft = make_report(cast, title="接受前起草的一篇")
    Report.objects.filter(pk=draft.pk).update(topic=commission.topic)
    client_for(cast.member).post(
        reverse("topics:commission_answer", args=[commission.pk, "accept"])
    )
    draft.refresh_from_db()
    transition(draft, "submit", cast.member)
    settle()
    commission.refresh_from_db()
    assert commission.state == "delivered" and commission.report_id == draft.pk
    assert Event.objects.filter(verb="commission_deliver", report_id=draft.pk).exists()
    # The bonus follows the delivery, though the report was tied to it only then.
    assert Score.objects.filter(report=draft, kind="commissioned").exists()


def test_a_topic_report_by_someone_without_a_commission_delivers_nothing(cast, client_for):
    commission = make_commission(cast, state="accepted")
    other = make_report(cast, by=cast.officer, title="他人据选题写的一篇")
    Report.objects.filter(pk=other.pk).update(topic=commission.topic)
    other.refresh_from_db()
    transition(other, "submit", cast.officer)
    settle()
    commission.refresh_from_db()
    assert commission.state == "accepted" and commission.report_id is None


def test_the_home_page_shows_one_button_per_topic_the_commissions(cast, client_for):
    commission = make_commission(cast, state="accepted")
    page = client_for(cast.member).get(reverse("reports:mine")).content.decode()
    start = page.index('class="topic-list"')
    topic_list = page[start : page.index("</ul>", start)]
    buttons = re.findall(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', topic_list)
    assert buttons == [(reverse("reports:new") + f"?commission={commission.pk}", "按约稿撰写")]


def test_an_unknown_answer_is_a_chinese_404_and_changes_nothing(cast, client_for):
    commission = make_commission(cast)
    before = Event.objects.count()
    url = reverse("topics:commission_answer", args=[commission.pk, "bogus"])
    response = client_for(cast.member).post(url)
    assert response.status_code == 404
    assert "没有找到您要的内容" in response.content.decode()
    commission.refresh_from_db()
    assert commission.state == "offered" and Event.objects.count() == before
