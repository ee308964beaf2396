"""约稿 reminders: in working days before the due date, once a day, to the people asked."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from minyi.deadlines.commission_reminders import send_commission_reminders, working_days_left
from minyi.duties.models import Commission
from minyi.notify.models import Notification
from tests.duties.helpers import make_commission

pytestmark = pytest.mark.django_db

# Monday 2026-03-09; the due date Friday 2026-03-13 is 4 working days ahead.
MONDAY = dt.datetime(2026, 3, 9, 10, 0)


def test_working_days_skip_the_weekend():
    friday, monday = dt.date(2026, 3, 13), dt.date(2026, 3, 16)
    assert working_days_left(friday, monday) == 1
    assert working_days_left(monday, monday) == 0
    assert working_days_left(dt.date(2026, 3, 17), monday) == -1


def _at(day: dt.datetime):
    return time_machine.travel(timezone.make_aware(day), tick=False)


def test_it_reminds_from_three_working_days_before_once_a_day(cast):
    with _at(MONDAY - dt.timedelta(days=3)):
        commission = make_commission(cast, state="accepted")
        Commission.objects.filter(pk=commission.pk).update(due_on=dt.date(2026, 3, 13))
    with _at(MONDAY):
        assert send_commission_reminders() == 0  # four working days ahead: not yet
    with _at(MONDAY + dt.timedelta(days=1)):
        assert send_commission_reminders() == 1
        assert send_commission_reminders() == 0  # once a day
    note = Notification.objects.get(user=cast.member, verb="commission_due")
    assert "还有 3 个工作日" in note.message and "请按期交稿" in note.message
    with _at(MONDAY + dt.timedelta(days=5)):  # Saturday: no reminders on days off
        assert send_commission_reminders() == 0
    with _at(MONDAY + dt.timedelta(days=7)):  # the Monday after: overdue
        assert send_commission_reminders() == 1
    assert (
        "已超过交稿期限"
        in Notification.objects.filter(verb="commission_due").order_by("id").last().message
    )


def test_answered_or_delivered_commissions_are_not_reminded(cast):
    with _at(MONDAY - dt.timedelta(days=3)):
        declined = make_commission(cast, state="declined")
        Commission.objects.filter(pk=declined.pk).update(due_on=dt.date(2026, 3, 10))
    with _at(MONDAY):
        assert send_commission_reminders() == 0
    assert not Notification.objects.filter(verb="commission_due").exists()
