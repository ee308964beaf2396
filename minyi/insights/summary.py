"""The dashboard's summary figures on top: read from the figures already built, plus one count.

Submissions, adoption rate, 批示 and median days to publication come from the
funnel and the time-to-publication figures (no further query); "overdue now" is
one indexed count over the stored clocks (``deadlines.ReportClock``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from minyi.core import clock
from minyi.deadlines.models import ClockStatus, ReportClock
from minyi.insights.stats import Figure, Filters
from minyi.reports.models import Report


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    help: str = ""


def _rows(figures: list[Figure], slug: str) -> dict[str, list]:
    figure = next((f for f in figures if f.slug == slug), None)
    return {str(row[0]): row for row in figure.rows} if figure else {}


def overdue_now(base: QuerySet[Report], *, every: bool) -> int:
    """Reports the viewer may see with a running clock past its deadline, now."""
    late = ReportClock.objects.filter(status=ClockStatus.RUNNING, due_at__lt=clock.now())
    if not every:
        # From the few late clocks to their reports by key: the visible set as a subquery
        # of the clocks read every report of the archive (0.1 s for a leader at 100,000).
        return base.filter(pk__in=late.values("report_id")).count()
    # COUNT(DISTINCT) reads the (status, due_at) range; ``.distinct().count()`` made SQLite
    # walk the report_id index over every clock.
    return late.aggregate(n=Count("report_id", distinct=True))["n"]


def summary_tiles(filters: Filters, figures: list[Figure], overdue: int) -> list[Tile]:
    funnel = _rows(figures, "funnel")
    count = {label: row[1] for label, row in funnel.items()}
    submitted = count.get("报送", 0)
    published = count.get("编发（含直报）", 0)
    adopted = count.get("采用", 0)
    rate = f"{adopted / published:.1%}" if published else "—"
    median = _rows(figures, "time-to-publication").get("全部", [None, 0, None])[2]
    scope = f"{filters.year}年" if filters.year else "所选范围"
    if filters.year and filters.quarter:
        scope += f"第{filters.quarter}季度"
    return [
        Tile(f"{scope}报送", str(submitted), "不含研究室的综合稿"),
        Tile("采用率", rate, f"采用 {adopted} 篇 / 编发（含直报）{published} 篇"),
        Tile("领导批示", str(count.get("获领导批示", 0)), "获批示的信息篇数"),
        Tile("报送到编发用时中位数", f"{median} 天" if median is not None else "—"),
        Tile("当前超期", str(overdue), "办理环节已超过时限的稿件（不受筛选影响）"),
    ]
