"""Author feedback for the copied years in bulk: the consumer's rows, dated when they happened.

The ``author_feedback`` consumer (``notify.authors``) tells a report's author
accounts about each event, one ``notify()`` per event with its preference lookups
and an email job per notification: right for one action, but about 1.5 ms an event
on ten years of copies, and it would queue hundreds of thousands of email jobs for
news years old. This writes the same notifications (same recipients: every author
account but whoever acted; same message, link and event) with the bulk writer,
dated when the event happened, not to be sent, and read when older than a month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse

from minyi.audit.models import Event
from minyi.core import clock
from minyi.core.rows import insert_objects
from minyi.notify.authors import TOLD_VERBS, render_message
from minyi.notify.kinds import Delivery, kind_for_verb
from minyi.notify.models import Notification
from minyi.people.models import OFFICE_ROLES, RoleAssignment, User
from minyi.reports.models import Report, ReportAuthor

CHUNK = 5000
#: Older news has been read by now.
READ_AFTER = dt.timedelta(days=30)


def _accounts(report_ids: set[int]) -> dict[int, set[int]]:
    """Each report's author accounts (its writer's and its authors'), as user ids.

    The same rule as ``reports.models.accounts_by_report``: a writer who holds an
    office role (a composite's editor) hears only as one of the authors.
    """
    reports = Report.objects.filter(pk__in=report_ids).values_list("pk", "created_by_id")
    found: dict[int, set[int]] = defaultdict(set)
    office = RoleAssignment.objects.filter(role__in=OFFICE_ROLES).values("user_id")
    active = set(
        User.objects.filter(is_active=True).exclude(pk__in=office).values_list("pk", flat=True)
    )
    for pk, creator in reports:
        if creator in active:
            found[pk].add(creator)
    by_member = dict(
        User.objects.filter(is_active=True, member__isnull=False).values_list("member_id", "pk")
    )
    authors = ReportAuthor.objects.filter(report_id__in=report_ids, member_id__in=list(by_member))
    for report_id, member_id in authors.values_list("report_id", "member_id"):
        found[report_id].add(by_member[member_id])
    return found


def _notifications(events: list[Event], now: dt.datetime) -> Iterator[Notification]:
    ids = {e.report_id for e in events if e.report_id}
    reports = Report.objects.only("pk", "title", "urgency").in_bulk(ids)
    accounts = _accounts(ids)
    for event in events:
        report = reports.get(event.report_id)
        message = report and render_message(event.verb, report, event.payload)
        if not message:
            continue
        url = reverse("reports:detail", args=[report.pk])
        read = (
            event.created_at + dt.timedelta(hours=8)
            if now - event.created_at > READ_AFTER
            else None
        )
        for user_id in sorted(accounts[report.pk] - {event.actor_id}):
            yield Notification(
                user_id=user_id,
                verb=event.verb,
                kind=kind_for_verb(event.verb),
                message=message,
                url=url,
                event_id=event.pk,
                created_at=event.created_at,
                read_at=read,
                delivery=Delivery.OFF,
            )


def tell_authors_in_bulk(after: int, upto: int) -> int:
    """Write the feedback of the events in ``(after, upto]``; return how many notifications."""
    now, written, last = clock.now(), 0, after
    told = Event.objects.filter(verb__in=TOLD_VERBS, id__lte=upto).order_by("id")
    while chunk := list(told.filter(Q(id__gt=last))[:CHUNK]):
        rows = list(_notifications(chunk, now))
        insert_objects(Notification, rows)
        written += len(rows)
        last = chunk[-1].pk
    return written
