"""The triage queue puts what is most at risk first, by working time left on its clock."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.deadlines.helpers import at, when
from tests.factories import make_report

pytestmark = pytest.mark.django_db

TRIAGE = reverse("office:triage")


@pytest.fixture
def queue(cast):
    """One report accepted a week ago, two sent in on Monday 17 November 2025."""
    with when(at(2025, 11, 10, 9, 0)):
        accepted = make_report(cast, state="accepted", title="关于社区食堂的建议")
    with when(at(2025, 11, 17, 9, 0)):
        routine = make_report(cast, state="submitted", title="关于规范校外培训的建议")
    with when(at(2025, 11, 17, 9, 30)):
        urgent = make_report(cast, state="submitted", urgency="urgent", title="关于汛期排涝的急报")
    return routine, urgent, accepted


def positions(html: str, *titles: str) -> list[int]:
    return [html.index(title) for title in titles]


def test_it_lists_the_least_time_left_first_by_default(cast, client_for, queue):
    routine, urgent, accepted = queue
    with when(at(2025, 11, 18, 9, 0)):
        html = client_for(cast.editor).get(TRIAGE).content.decode()
    # The urgent report (2 working hours to accept) is overdue; the routine one must be
    # accepted by Thursday; the older, accepted one has until 24 November to be decided.
    assert positions(html, urgent.title, routine.title, accepted.title) == sorted(
        positions(html, urgent.title, routine.title, accepted.title)
    )
    assert "超期" in html


def test_it_orders_by_urgency_then_arrival_when_asked(cast, client_for, queue):
    routine, urgent, accepted = queue
    with when(at(2025, 11, 18, 9, 0)):
        html = client_for(cast.editor).get(TRIAGE, {"order": "arrival"}).content.decode()
    # Urgent first, then by arrival: last week's report before Monday's.
    found = positions(html, urgent.title, accepted.title, routine.title)
    assert found == sorted(found)


def test_it_keeps_the_order_while_paging_and_filtering(cast, client_for, queue):
    routine, urgent, _ = queue
    with when(at(2025, 11, 18, 9, 0)):
        html = client_for(cast.editor).get(TRIAGE, {"state": "submitted"}).content.decode()
    assert html.index(urgent.title) < html.index(routine.title)
    assert "关于社区食堂的建议" not in html


def test_it_refuses_an_unknown_order_quietly_with_the_default(cast, client_for, queue):
    routine, urgent, _ = queue
    with when(at(2025, 11, 18, 9, 0)):
        response = client_for(cast.editor).get(TRIAGE, {"order": "'; drop table"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(urgent.title) < html.index(routine.title)
