"""Recipients' answers (deadlines.answers): when the office should chase an adoption answer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.deadlines.answers import count_to_chase, forwardings_to_chase
from minyi.deadlines.calendar import WORKING_DAY, WorkCalendar
from minyi.deadlines.models import FeedbackDeadline
from minyi.deadlines.sla import DUE_SOON_FRACTION
from minyi.outcomes.actions import do_record_adoption
from minyi.outcomes.models import Forwarding
from minyi.people.models import Role
from tests.deadlines.helpers import at, when
from tests.factories import make_report, make_user

pytestmark = pytest.mark.django_db

OVERDUE = reverse("deadlines:overdue")


@pytest.fixture
def published(cast):
    """Published on Monday Nov 3, 2025: forwarded to 全国政协 and 市委."""
    with when(at(2025, 11, 3, 10, 0)):
        return make_report(cast, state="published")


def test_it_gives_recipients_twenty_working_days_unless_the_office_sets_their_own(cast, published):
    FeedbackDeadline.objects.create(recipient=cast.recipients[1], working_days=5)
    with when(at(2025, 11, 11, 9, 30)):
        rows = forwardings_to_chase(Forwarding.objects.all())
    # 市委 had until Monday Nov 10 17:30; 全国政协 until Dec 1.
    assert [(r.forwarding.recipient.name, r.status) for r in rows] == [("市委", "overdue")]
    assert rows[0].due_at == at(2025, 11, 10, 17, 30)
    assert rows[0].summary == "逾期 30 分钟"


def test_it_counts_feedback_deadlines_in_working_days_across_national_day(cast):
    with when(at(2025, 9, 30, 10, 0)):
        make_report(cast, state="published")
    FeedbackDeadline.objects.create(recipient=cast.recipients[0], working_days=3)
    FeedbackDeadline.objects.create(recipient=cast.recipients[1], working_days=3)
    # After Sep 30: Oct 9, Oct 10 and the worked Saturday Oct 11 (Oct 1–8 are off).
    with when(at(2025, 10, 11, 17, 0)):
        [first, _] = forwardings_to_chase(Forwarding.objects.all())
    assert first.due_at == at(2025, 10, 11, 17, 30) and first.status == "due_soon"


def test_it_stops_chasing_once_the_recipient_answers(cast, published):
    forwarding = published.forwardings.get(recipient=cast.recipients[0])
    with when(at(2025, 12, 5, 9, 0)):
        do_record_adoption(
            forwarding, cast.editor, kind="single", adopted_on=at(2025, 12, 4).date()
        )
        rows = forwardings_to_chase(Forwarding.objects.all())
    assert [r.forwarding.recipient.name for r in rows] == ["市委"]


def test_it_lists_forwardings_to_chase_on_the_office_board(cast, client_for, published):
    with when(at(2025, 12, 5, 9, 0)):
        html = client_for(cast.editor).get(OVERDUE).content.decode()
    assert "待催问采用情况" in html
    assert html.count(published.title) == 2  # one row per recipient
    assert reverse("outcomes:forwarding", args=[published.forwardings.first().pk]) in html
    assert "逾期 3 个工作日" in html


@pytest.mark.parametrize("role", ["approver", "admin"])
def test_it_lists_forwardings_without_links_for_those_who_cannot_open_them(
    cast, client_for, published, role
):
    forwarding = published.forwardings.first()
    link = reverse("outcomes:forwarding", args=[forwarding.pk])
    with when(at(2025, 12, 5, 9, 0)):
        user = make_user("admin", Role.ADMIN) if role == "admin" else cast.approver
        html = client_for(user).get(OVERDUE).content.decode()
        assert client_for(user).get(link).status_code == 403
    assert "待催问采用情况" in html and published.title in html
    assert "/outcomes/forwarding/" not in html


def test_it_keeps_the_chase_list_off_the_liaisons_board(cast, client_for, published):
    with when(at(2025, 12, 5, 9, 0)):
        html = client_for(cast.liaison).get(reverse("deadlines:unit")).content.decode()
    assert "待催问采用情况" not in html


def test_it_finds_the_same_forwardings_by_query_as_by_timing_each(cast):
    # Forwarded on many days around 国庆 2025 with two allowances: the day ranges the
    # query picks hold exactly the forwardings that timing each one would alarm on.
    FeedbackDeadline.objects.create(recipient=cast.recipients[1], working_days=3)
    for day in (8, 15, 22, 26, 29, 30):
        with when(at(2025, 9, day, 10, 0)):
            make_report(cast, state="published")
    cal = WorkCalendar.load()
    for moment in (at(2025, 10, 9, 9, 0), at(2025, 10, 11, 17, 0), at(2025, 11, 3, 12, 0)):
        with when(moment):
            found = {r.forwarding.pk for r in forwardings_to_chase(Forwarding.objects.all())}
        expected = set()
        for forwarding in Forwarding.objects.all():
            allowed = 3 if forwarding.recipient_id == cast.recipients[1].pk else 20
            due = cal.add_working_days(forwarding.forwarded_at, allowed)
            left = cal.working_hours_between(moment, due)
            if moment > due or left <= WORKING_DAY * allowed * DUE_SOON_FRACTION:
                expected.add(forwarding.pk)
        assert found == expected, moment
        with when(moment):
            assert count_to_chase(Forwarding.objects.all()) == len(expected)
            limited = forwardings_to_chase(Forwarding.objects.all(), limit=2)
        assert len(limited) == min(2, len(expected))
