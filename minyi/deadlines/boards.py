"""The overdue boards and the clocks on list pages, read from the stored clocks.

Every function here is a fixed number of indexed queries over ``ReportClock``,
whatever the size of the archive: the boards page through the reports whose
worst running clock is due soon or overdue, ordered by its due time, and build
``Clock`` objects only for the rows shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, Min, QuerySet

from minyi.core import clock as domain_clock
from minyi.deadlines.calendar import WorkCalendar
from minyi.deadlines.clocks import alarming, catch_up, running_clocks, with_worst_due
from minyi.deadlines.models import ReportClock
from minyi.deadlines.sla import BoardRow
from minyi.reports.models import Report

BOARD_PAGE_SIZE = 25


def _alarming_by_report(reports: QuerySet[Report], now: dt.datetime) -> QuerySet:
    """(report, worst due) of every report with an alarming clock, most overdue first.

    The alarming clocks are few and indexed; ``reports`` (someone's visible reports)
    may be the whole archive, so it is asked only about those clocks' reports.
    """
    pressing = ReportClock.objects.filter(alarming(now)).values("report_id")
    shown = reports.filter(pk__in=pressing).values("pk")
    return (
        ReportClock.objects.filter(alarming(now), report_id__in=shown)
        .values("report_id")
        .annotate(worst_due=Min("due_at"))
        .order_by("worst_due", "report_id")
    )


def _rows(report_ids: Sequence[int], now: dt.datetime) -> list[BoardRow]:
    """Board rows for these reports, in this order: three queries."""
    reports = Report.objects.filter(pk__in=report_ids).select_related("submitting_unit")
    by_pk = {report.pk: report for report in reports}
    clocks = running_clocks(report_ids, now)
    rows = []
    for pk in report_ids:
        pressing = [c for c in clocks.get(pk, []) if c.status in ("overdue", "due_soon")]
        if pk in by_pk and pressing:
            rows.append(BoardRow(by_pk[pk], pressing[0], pressing[1:]))
    return rows


@dataclass(frozen=True)
class Board:
    page: Page
    rows: list[BoardRow]
    overdue_count: int


def board_page(
    reports: QuerySet[Report], number: str | int | None, *, now: dt.datetime | None = None
) -> Board:
    """One page of the overdue board over ``reports``, with the count of overdue reports."""
    catch_up()
    now = now or domain_clock.now()
    ranked = _alarming_by_report(reports, now)
    page = Paginator(ranked, BOARD_PAGE_SIZE).get_page(number)
    rows = _rows([item["report_id"] for item in page.object_list], now)
    overdue = ranked.filter(due_at__lt=now).values("report_id").distinct().count()
    return Board(page, rows, overdue)


def overdue_reports(reports: QuerySet[Report], *, now: dt.datetime | None = None) -> list[BoardRow]:
    """Every report with a clock due soon or overdue, most overdue first (for the reminders)."""
    catch_up()
    now = now or domain_clock.now()
    ids = [item["report_id"] for item in _alarming_by_report(reports, now)]
    return _rows(ids, now)


def attach_clocks(reports: Sequence[Report], *, now: dt.datetime | None = None) -> None:
    """Set ``report.worst_clock`` (running, least time left, or None) on each shown report.

    Two queries for the page (its clocks, the calendar overrides), whatever its length;
    the caller has caught the stored clocks up (``clocks.catch_up``).
    """
    now = now or domain_clock.now()
    clocks = running_clocks([report.pk for report in reports], now, cal=WorkCalendar.load())
    for report in reports:
        running = clocks.get(report.pk)
        report.worst_clock = running[0] if running else None  # type: ignore[attr-defined]


def order_by_clock(reports: QuerySet[Report]) -> QuerySet[Report]:
    """``reports`` with the least working time left first, in the database.

    Reports with no running clock come after the others, in the queryset's own order;
    the caller has caught the stored clocks up (``clocks.catch_up``).
    """
    given = list(reports.query.order_by) or list(Report._meta.ordering)
    return with_worst_due(reports).order_by(F("worst_due").asc(nulls_last=True), *given, "pk")
