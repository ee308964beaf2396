"""The editor's list of forwardings (采用登记): oldest waiting first, with filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from minyi.outcomes.actions import do_record_adoption, do_record_not_adopted
from minyi.outcomes.models import AdoptionKind, Forwarding
from tests.factories import make_report

pytestmark = pytest.mark.django_db
PENDING = "outcomes:pending"


@pytest.fixture
def forwardings(cast):
    """Three reports published in one issue, each forwarded to both recipients."""
    reports = [
        make_report(cast, state="published", title=title)
        for title in ("甲建议", "乙建议", "丙建议")
    ]
    national, city = cast.recipients
    f = {
        (r.title, rcpt.name): r.forwardings.get(recipient=rcpt)
        for r in reports
        for rcpt in (national, city)
    }
    # 甲 went out nine days ago and is still waiting.
    Forwarding.objects.filter(pk=f[("甲建议", "全国政协")].pk).update(
        forwarded_at=timezone.now() - dt.timedelta(days=9)
    )
    do_record_adoption(
        f[("乙建议", "全国政协")],
        cast.editor,
        kind=AdoptionKind.COMBINED,
        adopted_on=timezone.localdate(),
    )
    do_record_not_adopted(f[("丙建议", "市委")], cast.editor)
    return f


def rows(response) -> list[tuple[str, str]]:
    return [(f.report.title, f.recipient.name) for f in response.context["page"].object_list]


def test_it_lists_waiting_forwardings_longest_first(cast, client_for, forwardings):
    response = client_for(cast.editor).get(reverse(PENDING))
    listed = rows(response)
    assert listed[0] == ("甲建议", "全国政协")
    assert ("乙建议", "全国政协") not in listed and ("丙建议", "市委") not in listed
    assert len(listed) == 4
    page = response.content.decode()
    assert "9 天" in page and "待反馈（4）" in page
    assert reverse("outcomes:forwarding", args=[forwardings[("甲建议", "全国政协")].pk]) in page


def test_it_filters_by_state_and_recipient(cast, client_for, forwardings):
    client = client_for(cast.editor)
    assert rows(client.get(reverse(PENDING), {"state": "adopted"})) == [("乙建议", "全国政协")]
    assert "综合采用" in client.get(reverse(PENDING), {"state": "adopted"}).content.decode()
    assert rows(client.get(reverse(PENDING), {"state": "not_adopted"})) == [("丙建议", "市委")]
    assert len(rows(client.get(reverse(PENDING), {"state": "all"}))) == 6
    city = cast.recipients[1]
    response = client.get(reverse(PENDING), {"state": "pending", "recipient": city.pk})
    assert sorted(rows(response)) == [("乙建议", "市委"), ("甲建议", "市委")]


def test_it_keeps_the_list_from_everyone_but_editors(cast, client_for, forwardings):
    for name in ("member", "liaison", "outsider", "approver", "leader"):
        assert client_for(getattr(cast, name)).get(reverse(PENDING)).status_code == 403
    assert client_for(cast.editor).get(reverse(PENDING)).status_code == 200
