"""Deadline reminders (时限提醒) for the people who must act, each sent once.

For every running clock that is due soon or overdue, the staff who can move
the report on are told: editors for 受理 and 办结, approvers for 签发. For every
forwarding past its feedback deadline, editors are told to chase the
recipient: one reminder per recipient per day listing its overdue forwardings
(催办), never one per forwarding. Each reminder has a ``Dispatch`` key (what, which clock, near or
passed, whom) inserted in the same transaction as the notification, so a
re-run, a retried job or a worker restarted half-way never repeats one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from minyi.core import clock
from minyi.deadlines.answers import ChaseRow, forwardings_to_chase
from minyi.deadlines.boards import overdue_reports
from minyi.deadlines.models import Stage
from minyi.deadlines.sla import BoardRow, Clock
from minyi.notify.deliver import notify
from minyi.notify.models import Dispatch
from minyi.outcomes.models import Forwarding
from minyi.people.models import Role, User
from minyi.reports.models import Report

#: Who must act on a running clock of each stage.
ACTORS: dict[str, str] = {
    Stage.TRIAGE: Role.EDITOR,
    Stage.DECISION: Role.EDITOR,
    Stage.SIGN_OFF: Role.APPROVER,
}


def staff_with(role: str) -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_assignments__role=role).distinct().order_by("pk")
    )


def notify_once(key: str, users: list[User], **fields: str) -> int:
    """Notify each user unless their key was used before; return how many were told."""
    told = 0
    for user in users:
        with transaction.atomic():
            if Dispatch.claim(f"{key}:u{user.pk}"):
                notify([user], **fields)
                told += 1
    return told


def clock_message(report: Report, clock_: Clock) -> tuple[str, str]:
    title = report.title[:60]
    due = timezone.localtime(clock_.due_at).strftime("%Y-%m-%d %H:%M")
    if clock_.status == "overdue":
        return (
            "deadline_passed",
            f"《{title}》（{report.get_urgency_display()}）{clock_.stage_label}已超期："
            f"期限 {due}，{clock_.summary}。",
        )
    return (
        "deadline_near",
        f"《{title}》（{report.get_urgency_display()}）{clock_.stage_label}即将到期："
        f"期限 {due}，{clock_.summary}。",
    )


def remind_report(row: BoardRow, staff: dict[str, list[User]]) -> int:
    told = 0
    for clock_ in [row.clock, *row.others]:
        verb, message = clock_message(row.report, clock_)
        role = ACTORS[clock_.stage]
        url_name = "office:workbench" if role == Role.EDITOR else "reports:detail"
        key = f"{verb}:r{row.report.pk}:{clock_.stage}:{clock_.started_at.timestamp():.0f}"
        told += notify_once(
            key,
            staff[role],
            verb=verb,
            message=message,
            url=reverse(url_name, args=[row.report.pk]),
        )
    return told


def remind_chases(rows: list[ChaseRow], editors: list[User], now: dt.datetime) -> int:
    """One reminder per recipient per day listing its overdue forwardings, not one per forwarding.

    The key names the recipient and the local day, so a recipient still overdue
    tomorrow is chased once more then, and a re-run the same day tells nobody twice.
    """
    by_recipient: dict[int, list[ChaseRow]] = defaultdict(list)
    for row in rows:
        if row.status == "overdue":
            by_recipient[row.forwarding.recipient_id].append(row)
    today = timezone.localtime(now).date().isoformat()
    told = 0
    for recipient_id, overdue in by_recipient.items():
        recipient = overdue[0].forwarding.recipient
        titles = "、".join(f"《{r.forwarding.report.title[:30]}》" for r in overdue[:3])
        more = f"等 {len(overdue)} 篇" if len(overdue) > 3 else ""
        message = (
            f"报送{recipient.name}的 {len(overdue)} 篇信息逾期未反馈采用情况，请催办："
            f"{titles}{more}。"
        )
        told += notify_once(
            f"feedback_overdue:rcp{recipient_id}:{today}",
            editors,
            verb="feedback_overdue",
            message=message,
            url=reverse("outcomes:chase_recipient", args=[recipient_id]),
        )
    return told


def send_deadline_reminders(now: dt.datetime | None = None) -> int:
    """Remind the people who must act about every near or passed deadline; return how many."""
    now = now or clock.now()
    staff = {role: staff_with(role) for role in set(ACTORS.values())}
    told = sum(remind_report(row, staff) for row in overdue_reports(Report.objects.all(), now=now))
    chase = forwardings_to_chase(Forwarding.objects.all(), now=now)
    told += remind_chases(chase, staff[Role.EDITOR], now)
    return told
