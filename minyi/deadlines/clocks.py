"""Each report's clocks, stored: a consumer of the event log keeps ``ReportClock`` current.

``sla.clock_for`` derives a report's clocks from its events; doing that for every
report on every view of the overdue board or the triage queue cost seconds. Here
the latest clock of each stage of each report is a row, written when the report
moves (the ``report_clocks`` consumer) and rewritten when what times it changes —
a calendar override or a service level (``recompute_for_day``, ``retime_level``,
``recompute_for_urgency``, called from the models' signals, ``connect_signals``).

A row stores moments, not a verdict that goes stale: ``soon_at`` (from then on
the clock is due soon) and ``due_at`` (after it, overdue). Whether a running clock
is on time, due soon or overdue is a comparison with now, which an index answers.
The pages then build ``Clock`` objects only for the rows they show.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery, signals
from django.utils import timezone

from minyi.audit import consumers
from minyi.audit.consumers import register
from minyi.audit.models import Event
from minyi.audit.verbs import Verb
from minyi.core import clock as domain_clock
from minyi.core.rows import insert_objects
from minyi.deadlines.calendar import WorkCalendar
from minyi.deadlines.models import CalendarOverride, ClockStatus, ReportClock, ServiceLevel
from minyi.deadlines.sla import (
    DUE_SOON_FRACTION,
    STATE_VERBS,
    Clock,
    allowance,
    clock_for,
    due_at,
    load_levels,
    report_events,
)
from minyi.reports.models import Report

CONSUMER = "report_clocks"
#: Verbs after which a report's clocks may differ: state moves, and urgency changes
#: (the service levels are looked up by the report's urgency).
CLOCK_VERBS = frozenset(STATE_VERBS | {Verb.RECATEGORIZE, Verb.EDIT_DETAILS})
#: Reports recomputed per pass, so a recompute of the whole archive stays in memory.
CHUNK = 2000
#: The report columns a clock needs; nothing else is read.
REPORT_FIELDS = ("id", "urgency", "state", "created_at")
EVENT_FIELDS = ("id", "created_at", "verb", "object_type", "object_id", "report_id", "payload")


def rows_for(
    report: Report, events: Sequence[Event], levels: dict, cal: WorkCalendar
) -> list[ReportClock]:
    """The report's latest clock of each stage, as unsaved rows."""
    latest: dict[str, Clock] = {}
    for found in clock_for(report, events, levels=levels, cal=cal, now=domain_clock.now()):
        latest[found.stage] = found  # clock_for returns them oldest first.
    rows = []
    for stage, found in latest.items():
        level = levels[(report.urgency, stage)]
        status = ClockStatus.RUNNING if found.is_running else found.status
        rows.append(
            ReportClock(
                report_id=report.pk,
                stage=stage,
                started_at=found.started_at,
                due_at=found.due_at,
                soon_at=cal.subtract_working_time(
                    found.due_at, allowance(level) * DUE_SOON_FRACTION
                ),
                finished_at=found.finished_at,
                status=status,
                allowance=found.allowance,
            )
        )
    return rows


def recompute(report_ids: Iterable[int]) -> int:
    """Rewrite the stored clocks of these reports from their events; return the rows written."""
    ids = sorted(set(report_ids))
    levels, cal = load_levels(), WorkCalendar.load()
    written = 0
    for begin in range(0, len(ids), CHUNK):
        chunk = ids[begin : begin + CHUNK]
        # A historical report (an archive import) is never timed: it is not live work.
        reports = (
            Report.objects.filter(pk__in=chunk, is_historical=False).only(*REPORT_FIELDS).order_by()
        )
        grouped: dict[int, list[Event]] = defaultdict(list)
        for event in report_events(chunk).only(*EVENT_FIELDS):
            grouped[event.report_id].append(event)
        rows = [row for r in reports for row in rows_for(r, grouped[r.pk], levels, cal)]
        with transaction.atomic():
            ReportClock.objects.filter(report_id__in=chunk).delete()
            insert_objects(ReportClock, rows)
        written += len(rows)
    return written


@register(CONSUMER, label="办理时限", verbs=CLOCK_VERBS, batch_size=2000)
def clock_events(events: list[Event]) -> None:
    recompute({event.report_id for event in events if event.report_id})


def recompute_all() -> int:
    """Every report's clocks from scratch, and the consumer's cursor to the head of the log.

    The backfill for an installation with history (``manage.py recompute_clocks``,
    the migration that adds the table) and the last step of a bulk load: one pass
    over the reports instead of replaying the log batch by batch.
    """
    with transaction.atomic():
        head = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ids = list(Report.objects.order_by("pk").values_list("pk", flat=True))
        written = recompute(ids)
        consumers.ConsumerCursor.objects.update_or_create(
            name=CONSUMER, defaults={"last_event_id": head, "updated_at": domain_clock.now()}
        )
    return written


def recompute_for_day(day: dt.date) -> int:
    """Re-time the clocks whose span includes ``day`` (its working status changed)."""
    tz = timezone.get_current_timezone()
    # A day's margin on both sides: a clock's deadline depends on the days from its
    # start's date to its due date, counted in local time.
    after = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=tz)
    before = dt.datetime.combine(day + dt.timedelta(days=2), dt.time(), tzinfo=tz)
    spanning = ReportClock.objects.filter(started_at__lt=before, due_at__gte=after)
    return recompute(spanning.values_list("report_id", flat=True).distinct())


def recompute_for_urgency(urgency: str) -> int:
    """Every report of one urgency from its events (a service level was added)."""
    return recompute(Report.objects.filter(urgency=urgency).values_list("pk", flat=True))


def retime_level(level: ServiceLevel) -> int:
    """Re-time the stored clocks of a changed service level, from the rows alone.

    Which clock is a stage's latest, and when it started and finished, does not
    depend on the allowance; only the deadlines and verdicts do. So the rows are
    rewritten without reading any event: a delete and a bulk insert.
    """
    cal = WorkCalendar.load()
    mine = ReportClock.objects.filter(stage=level.stage, report__urgency=level.urgency)
    rows = list(mine.order_by("pk"))
    soon = allowance(level) * DUE_SOON_FRACTION
    for row in rows:
        row.pk = None
        row.due_at = due_at(level, row.started_at, cal)
        row.soon_at = cal.subtract_working_time(row.due_at, soon)
        row.allowance = level.describe()
        if row.finished_at is not None:
            row.status = ClockStatus.MET if row.finished_at <= row.due_at else ClockStatus.MISSED
    with transaction.atomic():
        ReportClock.objects.filter(pk__in=mine.values("pk")).delete()
        insert_objects(ReportClock, rows)
    return len(rows)


def catch_up() -> None:
    """Apply what the log says before a page reads the table (a cheap check when current).

    The nudge after each action normally did this already; this covers a worker that
    is behind, and tests, whose transactions never commit.
    """
    consumers.drain(consumers.get(CONSUMER))


# --- Reading ---------------------------------------------------------------------------------


def alarming(now: dt.datetime) -> Q:
    """Running clocks that are due soon or overdue at ``now``."""
    return Q(status=ClockStatus.RUNNING, soon_at__lte=now)


def with_worst_due(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Annotate ``worst_due``: the earliest due time of the report's running clocks.

    Working time left grows with the due time, so ordering by it is ordering by
    least working time left, as the clocks computed in Python were.
    """
    earliest = (
        ReportClock.objects.filter(status=ClockStatus.RUNNING, report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(due=Min("due_at"))
        .values("due")
    )
    return reports.annotate(worst_due=Subquery(earliest))


def as_clock(row: ReportClock, cal: WorkCalendar, now: dt.datetime) -> Clock:
    """The ``Clock`` a stored row stands for at ``now``."""
    if row.status != ClockStatus.RUNNING:
        status = row.status
    elif now > row.due_at:
        status = "overdue"
    elif now >= row.soon_at:
        status = "due_soon"
    else:
        status = "on_time"
    left = cal.working_hours_between(row.finished_at or now, row.due_at)
    return Clock(
        row.stage, row.started_at, row.due_at, row.finished_at, status, left, row.allowance
    )


def running_clocks(
    report_ids: Iterable[int], now: dt.datetime, *, cal: WorkCalendar | None = None
) -> dict[int, list[Clock]]:
    """Each report's running clocks, least working time left first (one query)."""
    cal = cal or WorkCalendar.load()
    found: dict[int, list[Clock]] = defaultdict(list)
    rows = ReportClock.objects.filter(
        report_id__in=list(report_ids), status=ClockStatus.RUNNING
    ).order_by("due_at", "stage")
    for row in rows:
        found[row.report_id].append(as_clock(row, cal, now))
    return found


# --- What times the clocks changed -----------------------------------------------------------


def override_saved(instance: CalendarOverride, **_: object) -> None:
    """A day's working status changed: re-time the clocks spanning it (and its old date)."""
    for day in {instance.date, getattr(instance, "previous_date", None)} - {None}:
        recompute_for_day(day)


def override_read(instance: CalendarOverride, **_: object) -> None:
    # Remembered so that moving an override to another date re-times the old date too.
    instance.previous_date = instance.date


def level_saved(instance: ServiceLevel, created: bool, **_: object) -> None:
    # A new level starts clocks that had none: those need the events.
    if created:
        recompute_for_urgency(instance.urgency)
    else:
        retime_level(instance)


def level_deleted(instance: ServiceLevel, **_: object) -> None:
    ReportClock.objects.filter(stage=instance.stage, report__urgency=instance.urgency).delete()


def connect_signals() -> None:
    """Re-time stored clocks whenever an override or a service level is saved or deleted."""
    signals.post_init.connect(override_read, sender=CalendarOverride)
    signals.post_save.connect(override_saved, sender=CalendarOverride)
    signals.post_delete.connect(override_saved, sender=CalendarOverride)
    signals.post_save.connect(level_saved, sender=ServiceLevel)
    signals.post_delete.connect(level_deleted, sender=ServiceLevel)
