"""Deadline reminders: the people who must act are told once, however the worker runs."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from minyi.deadlines.reminders import send_deadline_reminders
from minyi.notify.models import Notification
from minyi.notify.schedule import enqueue_due
from minyi.notify.worker import claim_next, requeue_stale
from minyi.outcomes.actions import do_record_not_adopted
from minyi.people.models import Role
from tests.deadlines.helpers import at, when
from tests.factories import make_report, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def urgent(mailed_cast):
    """An urgent report in on Monday 09:00: to be accepted by 11:00 (2 working hours)."""
    with when(at(2025, 11, 17, 9, 0)):
        return make_report(mailed_cast, state="submitted", urgency="urgent")


def reminders(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind="deadline")
        .order_by("id")
        .values_list("message", flat=True)
    )


def test_it_tells_editors_when_a_deadline_is_near_and_again_when_it_has_passed(mailed_cast, urgent):
    with when(at(2025, 11, 17, 9, 30)):
        assert send_deadline_reminders() == 0
    with when(at(2025, 11, 17, 10, 45)):
        send_deadline_reminders()
    with when(at(2025, 11, 17, 14, 0)):
        send_deadline_reminders()
    assert reminders(mailed_cast.editor) == [
        f"《{urgent.title}》（急报）受理即将到期：期限 2025-11-17 11:00，剩余 15 分钟。",
        f"《{urgent.title}》（急报）受理已超期：期限 2025-11-17 11:00，超期 1 小时 30 分钟。",
    ]
    # Approvers, authors and liaisons have nothing to do at this stage.
    for user in (mailed_cast.approver, mailed_cast.member, mailed_cast.liaison):
        assert reminders(user) == []


def test_it_reminds_each_editor_once_however_often_it_runs(mailed_cast, urgent):
    second = make_user("editor2", Role.EDITOR, display_name="吴编辑")
    for hour in (14, 15, 16):
        with when(at(2025, 11, 17, hour, 0)):
            send_deadline_reminders()
    assert len(reminders(mailed_cast.editor)) == 1
    assert len(reminders(second)) == 1


def test_it_reminds_approvers_of_a_sign_off_that_is_late(mailed_cast):
    with when(at(2025, 11, 17, 9, 0)):
        report = make_report(mailed_cast, state="awaiting_sign_off")
    # Routine sign-off: 2 working days, to Wednesday 17:30.
    with when(at(2025, 11, 20, 9, 0)):
        send_deadline_reminders()
    [message] = reminders(mailed_cast.approver)
    assert message.startswith(f"《{report.title}》（常规）签发已超期：期限 2025-11-19 17:30")


def test_it_sends_a_reminder_once_when_the_worker_dies_and_a_new_one_starts(
    mailed_cast, urgent, worker_pass, outbox
):
    """A worker claims the reminder job and dies; the next slot and the stale job both rerun it."""
    with when(at(2025, 11, 17, 14, 0)):
        assert "deadline_reminders" in enqueue_due()
        dead = claim_next("worker-that-dies")
        assert dead is not None and dead.status == "RUNNING"
    with when(at(2025, 11, 17, 14, 15)):
        assert "deadline_reminders" in enqueue_due()
        worker_pass("worker-2")
    with when(at(2025, 11, 17, 15, 30)):
        # An hour on, the dead worker's task is put back and run again: nothing new is sent.
        assert requeue_stale() == 1
        worker_pass("worker-3")
    assert len(reminders(mailed_cast.editor)) == 1
    assert [m.to for m in outbox if "时限提醒" in m.subject] == [["editor@example.org"]]


def test_it_runs_the_scheduler_and_the_tasks_from_the_worker_command(mailed_cast, urgent, outbox):
    with when(at(2025, 11, 17, 14, 0)):
        call_command("run_worker", "--once", "--worker-id", "cmd-1", stdout=io.StringIO())
        call_command("run_worker", "--once", "--worker-id", "cmd-2", stdout=io.StringIO())
    assert len(reminders(mailed_cast.editor)) == 1


def test_it_tells_editors_to_chase_a_recipient_that_has_not_answered(mailed_cast):
    with when(at(2025, 11, 3, 10, 0)):
        # Publishing sends it to 全国政协 (主送) and 市委 (抄送); 市委 answers at once.
        report = make_report(mailed_cast, state="published")
        forwarding = report.forwardings.get(recipient=mailed_cast.recipients[0])
        answered = report.forwardings.get(recipient=mailed_cast.recipients[1])
        do_record_not_adopted(answered, mailed_cast.editor)
    # 20 working days from Monday Nov 3 end on Monday Dec 1 at 17:30.
    with when(at(2025, 12, 1, 17, 0)):
        send_deadline_reminders()
        assert reminders(mailed_cast.editor) == []
    with when(at(2025, 12, 2, 9, 30)):
        send_deadline_reminders()
        send_deadline_reminders()
    [message] = reminders(mailed_cast.editor)
    assert (
        message == f"报送全国政协的 1 篇信息逾期未反馈采用情况，请催办：《{report.title[:30]}》。"
    )
    # The reminder opens the recipient's chase list (催办), where the overdue forwardings are.
    assert Notification.objects.get(user=mailed_cast.editor, kind="deadline").url.endswith(
        f"/outcomes/chase/{forwarding.recipient_id}/"
    )


def test_it_groups_overdue_forwardings_into_one_reminder_per_recipient_per_day(mailed_cast):
    with when(at(2025, 11, 3, 10, 0)):
        reports = [make_report(mailed_cast, state="published") for _ in range(5)]
    with when(at(2025, 12, 2, 9, 30)):
        send_deadline_reminders()
        send_deadline_reminders()
    # Five reports went to two recipients each: two reminders, not ten.
    messages = reminders(mailed_cast.editor)
    assert len(messages) == 2
    assert all("5 篇信息逾期未反馈" in m and "等 5 篇" in m for m in messages)
    assert f"《{reports[0].title[:30]}》" in messages[0] + messages[1]
    # The next day each recipient still overdue is chased once more.
    with when(at(2025, 12, 3, 9, 30)):
        send_deadline_reminders()
    assert len(reminders(mailed_cast.editor)) == 4
