"""The overdue boards over HTTP: who sees which reports, and what they are told."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.deadlines.helpers import at, when
from tests.factories import make_report

pytestmark = pytest.mark.django_db

OVERDUE = reverse("deadlines:overdue")
UNIT = reverse("deadlines:unit")


@pytest.fixture
def late_reports(cast):
    """An urgent report of the cast's unit and one of the other unit, both late by Tuesday."""
    with when(at(2025, 11, 17, 9, 0)):
        own = make_report(
            cast, state="submitted", urgency="urgent", title="关于老旧小区加装电梯的建议"
        )
        other = make_report(
            cast,
            by=cast.outsider,
            unit=cast.other_unit,
            state="submitted",
            urgency="urgent",
            title="关于农村饮水安全的建议",
        )
    with when(at(2025, 11, 17, 10, 0)):
        # Routine and barely started: not on any board.
        calm = make_report(cast, state="submitted", title="关于规范校外培训的建议")
    return own, other, calm


def test_it_shows_the_office_every_overdue_report_with_working_time_late(
    cast, client_for, late_reports
):
    own, other, calm = late_reports
    with when(at(2025, 11, 18, 16, 0)):
        page = client_for(cast.editor).get(OVERDUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert own.title in html and other.title in html
    assert calm.title not in html
    # Mon 11:00 to Tue 16:00 is 10.5 working hours: 1 working day and 3 hours.
    assert "超期 1 个工作日 3 小时" in html
    assert reverse("office:workbench", args=[own.pk]) in html
    assert "民盟市委" in html and "急报" in html


def test_it_links_approvers_to_the_report_page(cast, client_for, late_reports):
    own, _, _ = late_reports
    with when(at(2025, 11, 18, 16, 0)):
        html = client_for(cast.approver).get(OVERDUE).content.decode()
    assert reverse("reports:detail", args=[own.pk]) in html
    assert reverse("office:workbench", args=[own.pk]) not in html


def test_it_orders_the_board_by_how_overdue(cast, client_for, late_reports):
    own, other, _ = late_reports
    with when(at(2025, 11, 17, 9, 30)):
        newer = make_report(cast, state="submitted", urgency="urgent", title="关于夜间经济的建议")
    with when(at(2025, 11, 18, 16, 0)):
        html = client_for(cast.editor).get(OVERDUE).content.decode()
    assert html.index(own.title) < html.index(newer.title)
    assert html.index(other.title) < html.index(newer.title)


def test_it_keeps_a_report_off_the_board_before_it_is_due_soon(cast, client_for):
    with when(at(2025, 11, 17, 9, 0)):
        report = make_report(cast, state="submitted", urgency="urgent")
    with when(at(2025, 11, 17, 9, 15)):
        early = client_for(cast.editor).get(OVERDUE).content.decode()
    with when(at(2025, 11, 17, 10, 45)):
        soon = client_for(cast.editor).get(OVERDUE).content.decode()
    assert report.title not in early and "目前没有超期或即将到期的稿件" in early
    assert report.title in soon and "剩余 15 分钟" in soon


def test_it_drops_a_report_from_the_board_once_its_stage_is_done(cast, client_for, late_reports):
    from minyi.reports.workflow import transition

    own, other, _ = late_reports
    with when(at(2025, 11, 18, 15, 0)):
        transition(own, "accept", cast.editor)
    with when(at(2025, 11, 18, 16, 0)):
        html = client_for(cast.editor).get(OVERDUE).content.decode()
    assert own.title not in html and other.title in html


def test_it_shows_a_liaison_only_their_units_reports(cast, client_for, late_reports):
    own, other, _ = late_reports
    with when(at(2025, 11, 18, 16, 0)):
        client = client_for(cast.liaison)
        page = client.get(UNIT)
        office_board = client.get(OVERDUE)
    html = page.content.decode()
    assert page.status_code == 200
    assert own.title in html and other.title not in html
    assert reverse("reports:detail", args=[own.pk]) in html
    assert office_board.status_code == 403


@pytest.mark.parametrize("who", ["member", "officer", "leader", "outsider"])
def test_it_refuses_everyone_else(cast, client_for, who):
    client = client_for(getattr(cast, who))
    assert client.get(OVERDUE).status_code == 403
    assert client.get(UNIT).status_code == 403


def test_it_refuses_the_office_the_liaison_board_and_sends_strangers_to_log_in(
    cast, client, client_for
):
    assert client.get(OVERDUE).status_code == 302
    assert client_for(cast.editor).get(UNIT).status_code == 403
