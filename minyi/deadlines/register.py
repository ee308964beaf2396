"""The outcomes register (采用登记) as queries: filters, counts per filter, one page, overdue.

Every figure is an indexed query whatever the archive's size: the filters are
``WHERE`` clauses on ``Forwarding`` (indexes on state, recipient and date), the
counts per state, per recipient and of overdue rows are one ``GROUP BY`` (state,
recipient), and a page is ``LIMIT/OFFSET``. The page count reuses the state counts, so
a page costs the same number of queries at 100 or 100,000 reports.

"Overdue" (逾期未反馈) follows the deadlines app: a pending forwarding is overdue
once the end of its recipient's feedback allowance (working days, the office's
calendar) has passed. Since that end depends only on the day it was sent, it
becomes one cut-off moment per recipient, and overdue is ``forwarded_at < cut-off``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from minyi.core import clock
from minyi.deadlines.answers import feedback_days
from minyi.deadlines.calendar import WorkCalendar
from minyi.deadlines.models import DEFAULT_FEEDBACK_WORKING_DAYS
from minyi.outcomes.access import visible_forwardings
from minyi.outcomes.forms import ALL, SORT_NEWEST, RegisterForm
from minyi.outcomes.models import Forwarding, ForwardingState, Instruction, Recipient
from minyi.reports.models import OUT_STATES, Report

if TYPE_CHECKING:
    from collections.abc import Collection

    from minyi.people.models import User

#: How far back the overdue cut-off is looked for (a year of days is plenty).
MAX_LOOKBACK_DAYS = 400


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def overdue_cutoff(cal: WorkCalendar, days: int, now: dt.datetime) -> dt.datetime:
    """The moment before which a forwarding with ``days`` to answer is overdue now.

    1. Start from today's date (local) and walk back one day at a time.
    2. Stop at the first day whose deadline (end of the ``days``-th working day
       after it, ``WorkCalendar.add_working_days``) is already past.
    3. Everything sent before the next midnight is overdue.
    """
    day = timezone.localtime(now).date()
    for _ in range(MAX_LOOKBACK_DAYS):
        try:
            if cal.add_working_days(_midnight(day), days) < now:
                return _midnight(day + dt.timedelta(days=1))
        except ValueError:  # Outside the calendar's table: nothing that old is judged.
            break
        day -= dt.timedelta(days=1)
    return _midnight(day)


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Pending forwardings past their recipient's feedback allowance, as one filter."""
    now = now or clock.now()
    cal, allowed = WorkCalendar.load(), feedback_days()
    by_days: dict[int, list[int]] = defaultdict(list)
    for pk in Recipient.objects.values_list("pk", flat=True):
        by_days[allowed.get(pk, DEFAULT_FEEDBACK_WORKING_DAYS)].append(pk)
    # One walk back through the calendar per allowance, not per recipient: most
    # recipients share the default, and each walk costs ~30 working-day sums.
    by_cutoff: dict[dt.datetime, list[int]] = defaultdict(list)
    for days, pks in by_days.items():
        by_cutoff[overdue_cutoff(cal, days, now)] += pks
    late = Q(pk__in=[])
    for cutoff, pks in by_cutoff.items():
        late |= Q(recipient_id__in=pks, forwarded_at__lt=cutoff)
    return Q(state=ForwardingState.PENDING) & late


#: The report's long texts, which no register row shows.
LONG_TEXTS = ("situation", "analysis", "suggestions", "state_note")
#: Title matches passed to the register's queries as a list of ids; more stay a subquery.
MAX_LISTED_MATCHES = 500
#: What a 流水号 looks like (2026-0012): searched by the indexed serial alone.
SERIAL = re.compile(r"^\d{4}-\d{1,8}$")


def _search(q: str) -> Q:
    """A 流水号 (exact, through its index), else every word of the title."""
    q = q.strip()
    if SERIAL.match(q):
        # Serials are written with a four-digit number (reports.actions): 2026-544 is 2026-0544.
        year, number = q.split("-")
        return Q(report__serial=f"{year}-{int(number):04d}")
    # Only reports that went out have forwardings: the state index narrows the
    # reports whose titles are scanned before the forwardings are looked up.
    titles = Report.objects.filter(state__in=OUT_STATES)
    for word in q.split():
        titles = titles.filter(title__icontains=word)
    # The list and its three counts all need the matches: scan the titles once
    # when the matches are few (the usual search), else leave it as a subquery
    # (a long list of ids costs more to build and send than the scan it saves).
    found = list(titles.values_list("pk", flat=True)[: MAX_LISTED_MATCHES + 1])
    if len(found) <= MAX_LISTED_MATCHES:
        return Q(report_id__in=found)
    return Q(report__in=titles.values("pk"))


@dataclass
class Register:
    """One view of the register: the rows to page and the counts beside the filters."""

    rows: QuerySet[Forwarding]
    #: The state shown (a state, or ``ALL``); a filter, never a write.
    shown: str
    by_state: dict[str, int] = field(default_factory=dict)
    by_recipient: dict[int, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        if self.shown == ALL:
            return sum(self.by_state.values())
        return self.by_state.get(self.shown, 0)


def _filtered(
    user: User, form: RegisterForm, *, skip: Collection[str] = (), found: Q | None = None
) -> QuerySet[Forwarding]:
    """Every filter of the form but those in ``skip`` (the ones whose counts are being taken).

    ``found`` is the search's filter when the caller already has it (``build`` needs it
    twice: the titles are scanned once, not once per query).
    """
    state, recipient = form.chosen()
    rows = visible_forwardings(user)
    if "state" not in skip and state != ALL:
        rows = rows.filter(state=state)
    if "recipient" not in skip and recipient:
        rows = rows.filter(recipient=recipient)
    if found is None and (q := (form.value("q") or "").strip()):
        found = _search(q)
    if found is not None:
        rows = rows.filter(found)
    if unit := form.value("unit"):
        rows = rows.filter(report__submitting_unit=unit)
    if since := form.value("since"):
        rows = rows.filter(forwarded_at__gte=_midnight(since))
    if until := form.value("until"):
        rows = rows.filter(forwarded_at__lt=_midnight(until + dt.timedelta(days=1)))
    if "overdue" not in skip and form.value("overdue"):
        rows = rows.filter(overdue_q())
    return rows


def _ordered(rows: QuerySet[Forwarding], sort: str) -> QuerySet[Forwarding]:
    """Newest or oldest first, each along the (state, date) or date index.

    "Longest waiting" is oldest first: shown with the default 待反馈 filter it is
    exactly the waiting ones; a ``CASE`` putting pending rows first among all
    states would make the database sort every row before taking one page.
    """
    if sort == SORT_NEWEST:
        return rows.order_by("-forwarded_at", "-id")
    return rows.order_by("forwarded_at", "id")


def filtered_rows(user: User, form: RegisterForm) -> QuerySet[Forwarding]:
    """Every row the register shows for these filters, in its order: what its export writes."""
    return _ordered(_filtered(user, form), form.sort_key())


def build(user: User, form: RegisterForm) -> Register:
    """The register for these filters: ordered rows (not yet fetched) and the counts."""
    state, _ = form.chosen()
    q = (form.value("q") or "").strip()
    found = _search(q) if q else None
    rows = (
        _filtered(user, form, found=found)
        .select_related(
            "report", "report__submitting_unit", "recipient", "issue", "issue__bulletin", "adoption"
        )
        # The page shows the report's 流水号 and title: its long texts would only be
        # carried through the sort and the fetch.
        .defer(*(f"report__{name}" for name in LONG_TEXTS))
    )
    register = Register(rows=_ordered(rows, form.sort_key()), shown=state)
    _count_into(register, _filtered(user, form, skip=COUNTED, found=found), form)
    return register


#: The filters whose counts the register shows beside them: taken in one grouped query.
COUNTED = ("state", "recipient", "overdue")


def _count_into(register: Register, rows: QuerySet[Forwarding], form: RegisterForm) -> None:
    """The counts per state, per recipient and of overdue rows, from one ``GROUP BY``.

    Each count is the list's filters but its own: grouped by (state, recipient) over the
    rows without those three filters, a state's count adds the groups of the chosen
    recipient, a recipient's those of the chosen state, and the overdue count those of
    both (one scan instead of three, each repeating a title search's subquery).
    """
    shown, recipient = form.chosen()
    late = overdue_q()
    listed = late if form.value("overdue") else None
    grouped = (
        rows.order_by()
        .values("state", "recipient_id")
        .annotate(n=Count("id", filter=listed), late=Count("id", filter=late))
    )
    for group in grouped:
        state_ok = shown == ALL or group["state"] == shown
        recipient_ok = recipient is None or group["recipient_id"] == recipient.pk
        if recipient_ok:
            key = group["state"]
            register.by_state[key] = register.by_state.get(key, 0) + group["n"]
        if state_ok:
            key = group["recipient_id"]
            register.by_recipient[key] = register.by_recipient.get(key, 0) + group["n"]
        if state_ok and recipient_ok:
            register.overdue += group["late"]


def mark_page(forwardings: list[Forwarding]) -> None:
    """Days waiting and 批示 count for the rows of one page (one query for all of them).

    Counted here, not annotated on the list: a ``GROUP BY`` over the list would make
    the database aggregate every matching row before it can take one page in order.
    """
    counts = dict(
        Instruction.objects.filter(forwarding__in=forwardings)
        .order_by()
        .values("forwarding")
        .annotate(n=Count("id"))
        .values_list("forwarding", "n")
    )
    for forwarding in forwardings:
        forwarding.days_waiting = days_waiting(forwarding)
        forwarding.instruction_count = counts.get(forwarding.pk, 0)


def days_waiting(forwarding: Forwarding) -> int:
    return (clock.localdate() - timezone.localtime(forwarding.forwarded_at).date()).days
