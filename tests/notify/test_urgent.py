"""Staff hear of an urgent report (急报/特报) at once, in the app and by email, at any hour."""

from __future__ import annotations

import pytest

from minyi.notify.kinds import Delivery
from minyi.notify.models import Notification, Preference
from tests.deadlines.helpers import at, when
from tests.factories import make_report, settle

pytestmark = pytest.mark.django_db


def urgent_notes(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="urgent_report"))


def test_it_tells_editors_and_approvers_at_once_of_an_urgent_report_at_three_in_the_morning(
    mailed_cast, worker_pass, outbox
):
    with when(at(2025, 11, 16, 3, 0)):  # a Sunday night: no working hours, no digest time
        report = make_report(mailed_cast, state="submitted", urgency="special")
        settle()
        worker_pass()
    [note] = urgent_notes(mailed_cast.editor)
    assert note.message.startswith(f"特报：《{report.title}》")
    assert note.url == f"/office/reports/{report.pk}/"
    assert note.delivery == Delivery.IMMEDIATE and note.delivered_at is not None
    # The approver reads the report's page; the author, who sent it, is not told.
    [approver_note] = urgent_notes(mailed_cast.approver)
    assert approver_note.url == f"/reports/{report.pk}/"
    assert urgent_notes(mailed_cast.member) == []
    sent_to = {address for message in outbox for address in message.to}
    assert {"editor@example.org", "approver@example.org"} <= sent_to


def test_it_tells_nobody_of_a_routine_report(mailed_cast):
    make_report(mailed_cast, state="submitted")
    settle()
    assert Notification.objects.filter(kind="urgent_report").count() == 0


def test_it_tells_each_person_once_however_often_the_consumer_runs(mailed_cast):
    make_report(mailed_cast, state="submitted", urgency="urgent")
    settle()
    settle()
    assert len(urgent_notes(mailed_cast.editor)) == 1


def test_it_sends_at_once_even_for_an_editor_who_switched_it_off_because_it_is_mandatory(
    mailed_cast,
):
    Preference.objects.create(user=mailed_cast.editor, kind="urgent_report", delivery="off")
    make_report(mailed_cast, state="submitted", urgency="urgent")
    settle()
    [note] = urgent_notes(mailed_cast.editor)
    assert note.delivery == Delivery.IMMEDIATE


def test_it_offers_the_urgent_kind_in_staff_settings_only(cast, client_for):
    assert "急报、特报到达" in client_for(cast.editor).get("/notifications/settings/").text
    assert "急报、特报到达" not in client_for(cast.member).get("/notifications/settings/").text
