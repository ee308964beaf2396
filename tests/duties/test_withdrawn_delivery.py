"""Withdrawing a delivered 约稿 report takes the delivery back, and the 履职 record counts
only reports that still stand as submitted; resubmitting delivers again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.reports.models import Report
from minyi.reports.workflow import transition
from tests.duties.helpers import make_commission
from tests.factories import make_report, settle
from tests.scoring.helpers import make_rules, this_year

pytestmark = pytest.mark.django_db


def _record(cast, client_for) -> str:
    url = reverse("members:record", args=[cast.member.member_id]) + f"?year={this_year()}"
    return client_for(cast.member).get(url).content.decode()


def test_withdrawing_a_delivered_report_undelivers_and_leaves_the_record_count(cast, client_for):
    make_rules()
    make_report(cast, state="accepted", title="另一篇")
    commission = make_commission(cast, state="accepted")
    draft = make_report(cast, title="应约写的一篇")
    Report.objects.filter(pk=draft.pk).update(topic=commission.topic)
    draft.refresh_from_db()
    transition(draft, "submit", cast.member)
    settle()
    commission.refresh_from_db()
    assert commission.state == "delivered"
    assert "报送 2 篇" in _record(cast, client_for)

    draft.refresh_from_db()
    transition(draft, "withdraw", cast.member)
    settle()
    commission.refresh_from_db()
    assert commission.state == "accepted" and commission.report_id == draft.pk
    assert Event.objects.filter(verb="commission_undeliver", report_id=draft.pk).exists()
    html = _record(cast, client_for)
    assert "报送 1 篇" in html
    assert "已撤回的信息" in html and "应约写的一篇" in html
    detail = client_for(cast.member).get(reverse("topics:commission", args=[commission.pk]))
    page = detail.content.decode()
    assert '<span class="state state-accepted">已接受</span>' in page
    assert "state-delivered" not in page and "（已撤回）" in page

    draft.refresh_from_db()
    transition(draft, "submit", cast.member)
    settle()
    commission.refresh_from_db()
    assert commission.state == "delivered"
    assert "报送 2 篇" in _record(cast, client_for)
    assert Event.objects.filter(verb="commission_deliver", report_id=draft.pk).count() == 2
