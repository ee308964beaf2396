"""Service levels (办理时限) and the clocks they put on each report.

A clock runs for one stage of one report:

- ``triage`` (受理): from being sent in (已报送) until accepted, returned,
  declined or merged;
- ``decision`` (办结): from being sent in until signed off, declined or merged
  (a composite report starts it when it is composed);
- ``sign_off`` (签发): from being sent for sign-off until signed off.

Moving to any other state (withdrawn, returned before a decision, sign-off
rejected) stops the clock without a verdict: the report has gone back to
someone else, and a fresh clock starts when it comes back. Clocks are derived
from the event log, so changing a service level re-times history; the latest
clock of each stage is also stored (``clocks``) for the boards and lists.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from minyi.audit.models import Event
from minyi.core import clock as domain_clock
from minyi.deadlines.calendar import WORKING_DAY, WorkCalendar, format_working_time
from minyi.deadlines.models import ServiceLevel, Stage, TimeUnit
from minyi.reports.models import Report, State
from minyi.reports.workflow import ACTION_VERBS

#: A running clock with at most this share of its allowance left is "due soon".
DUE_SOON_FRACTION = 0.25
#: Verbs that mean "the report entered a state" (payload ``to``), plus composing.
STATE_VERBS = frozenset(ACTION_VERBS | {"compose"})

STATUS_LABELS = {
    "on_time": "正常",
    "due_soon": "即将到期",
    "overdue": "已超期",
    "met": "按时办结",
    "missed": "超期办结",
}


@dataclass(frozen=True)
class StageRule:
    starts_on: frozenset[str]
    runs_in: frozenset[str]
    finishes_on: frozenset[str]
    start_verbs: frozenset[str] = frozenset()


STAGE_RULES: dict[str, StageRule] = {
    Stage.TRIAGE: StageRule(
        starts_on=frozenset({State.SUBMITTED}),
        runs_in=frozenset({State.SUBMITTED}),
        finishes_on=frozenset({State.ACCEPTED, State.RETURNED, State.DECLINED, State.MERGED}),
    ),
    Stage.DECISION: StageRule(
        starts_on=frozenset({State.SUBMITTED}),
        runs_in=frozenset({State.SUBMITTED, State.ACCEPTED, State.AWAITING_SIGN_OFF}),
        finishes_on=frozenset({State.SIGNED_OFF, State.DECLINED, State.MERGED}),
        start_verbs=frozenset({"compose"}),
    ),
    Stage.SIGN_OFF: StageRule(
        starts_on=frozenset({State.AWAITING_SIGN_OFF}),
        runs_in=frozenset({State.AWAITING_SIGN_OFF}),
        finishes_on=frozenset({State.SIGNED_OFF}),
    ),
}
#: States in which at least one clock can be running.
RUNNING_STATES = frozenset().union(*(rule.runs_in for rule in STAGE_RULES.values()))


@dataclass(frozen=True)
class Clock:
    stage: str
    started_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    #: Working time from now (or the finish) to the due time; negative when late.
    working_left: dt.timedelta
    allowance: str

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_running(self) -> bool:
        return self.finished_at is None

    @property
    def is_late(self) -> bool:
        return self.status in ("overdue", "missed")

    @property
    def summary(self) -> str:
        """“超期 1 个工作日 3 小时” or “剩余 2 小时”, in working time."""
        if self.is_late:
            if self.working_left >= dt.timedelta():
                # Past the deadline only by nights or holidays: no working time lost.
                return "已超期" if self.is_running else "超期办结"
            return f"超期 {format_working_time(self.working_left)}"
        if self.is_running:
            return f"剩余 {format_working_time(self.working_left)}"
        return f"提前 {format_working_time(self.working_left)}"


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    state: str
    verb: str


def load_levels() -> dict[tuple[str, str], ServiceLevel]:
    return {(level.urgency, level.stage): level for level in ServiceLevel.objects.all()}


def report_events(report_ids: Iterable[int] | QuerySet) -> QuerySet[Event]:
    """The state-changing events of these reports, oldest first, in one query."""
    return Event.objects.filter(
        report_id__in=report_ids, object_type="reports.report", verb__in=STATE_VERBS
    ).order_by("id")


def state_steps(report: Report, events: Sequence[Event]) -> list[Step]:
    """The report's states over time: where it started, then each move."""
    # Callers may pass a report's whole timeline; only its own state moves count.
    own = [
        e
        for e in events
        if e.object_type == "reports.report"
        and e.object_id == str(report.pk)
        and e.verb in STATE_VERBS
    ]
    moves = [e for e in own if "to" in e.payload or e.verb == "compose"]
    first = next((e.payload["from"] for e in moves if "from" in e.payload), report.state)
    steps = [Step(report.created_at, first, "create")]
    for event in moves:
        state = event.payload.get("to", steps[-1].state)
        steps.append(Step(event.created_at, state, event.verb))
    return steps


def time_in_states(
    report: Report, events: Sequence[Event] | None = None, *, now: dt.datetime | None = None
) -> dict[str, dt.timedelta]:
    """Wall-clock time the report has spent in each state, up to now."""
    if events is None:
        events = list(report_events([report.pk]))
    now = now or domain_clock.now()
    steps = state_steps(report, events)
    spent: dict[str, dt.timedelta] = defaultdict(dt.timedelta)
    for step, following in zip(steps, [*steps[1:], None], strict=True):
        until = following.at if following else now
        spent[step.state] += max(until - step.at, dt.timedelta())
    return dict(spent)


def due_at(level: ServiceLevel, start: dt.datetime, cal: WorkCalendar) -> dt.datetime:
    if level.unit == TimeUnit.WORKING_HOURS:
        return cal.add_working_hours(start, level.amount)
    return cal.add_working_days(start, level.amount)


def allowance(level: ServiceLevel) -> dt.timedelta:
    if level.unit == TimeUnit.WORKING_HOURS:
        return dt.timedelta(hours=level.amount)
    return WORKING_DAY * level.amount


def make_clock(
    stage: str,
    level: ServiceLevel,
    started: dt.datetime,
    finished: dt.datetime | None,
    *,
    cal: WorkCalendar,
    now: dt.datetime,
) -> Clock:
    due = due_at(level, started, cal)
    left = cal.working_hours_between(finished or now, due)
    if finished is not None:
        status = "met" if finished <= due else "missed"
    elif now > due:
        status = "overdue"
    elif left <= allowance(level) * DUE_SOON_FRACTION:
        status = "due_soon"
    else:
        status = "on_time"
    return Clock(stage, started, due, finished, status, left, level.describe())


def clock_for(
    report: Report,
    events: Sequence[Event] | None = None,
    *,
    levels: dict[tuple[str, str], ServiceLevel] | None = None,
    cal: WorkCalendar | None = None,
    now: dt.datetime | None = None,
) -> list[Clock]:
    """Every finished and running clock of the report, oldest first.

    1. Read the report's states over time from its events.
    2. Walk the steps; for each stage with a service level for the report's
       (current) urgency: a running clock finishes on a finishing state, is
       dropped on a state it does not run in, and a stopped clock starts on
       a starting state (or verb).
    3. Clocks still running are measured against ``now``.
    """
    if events is None:
        events = list(report_events([report.pk]))
    levels = load_levels() if levels is None else levels
    cal = cal or WorkCalendar.load()
    now = now or domain_clock.now()
    found: list[Clock] = []
    running: dict[str, dt.datetime] = {}
    for step in state_steps(report, events):
        for stage, rule in STAGE_RULES.items():
            level = levels.get((report.urgency, stage))
            if level is None:
                continue
            if stage in running and step.state in rule.finishes_on:
                found.append(
                    make_clock(stage, level, running.pop(stage), step.at, cal=cal, now=now)
                )
            elif stage in running and step.state not in rule.runs_in:
                del running[stage]
            if stage not in running and (
                step.state in rule.starts_on or step.verb in rule.start_verbs
            ):
                running[stage] = step.at
    for stage, started in running.items():
        level = levels[(report.urgency, stage)]
        found.append(make_clock(stage, level, started, None, cal=cal, now=now))
    return sorted(found, key=lambda c: (c.started_at, list(STAGE_RULES).index(c.stage)))


@dataclass(frozen=True)
class BoardRow:
    report: Report
    clock: Clock
    others: list[Clock]
