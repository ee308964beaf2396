"""Dashboard figures as plain data: a title, Chinese column headers and rows.

Every function takes the ``Filters`` and a base QuerySet the caller has
already restricted with ``visible_reports(user)``, so a figure never counts a
report its reader may not see. Each figure costs a fixed number of aggregate
queries, whatever the number of reports.

The figures group ``ReportFact`` (one narrow row per submitted report, kept by the
``report_facts`` consumer, ``insights.facts``), not the reports themselves:
``stats_direct`` keeps the same figures counted from the reports, the reference the
tests compare these with (``tests/insights/test_fact_figures.py``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from minyi.insights.facts import catch_up
from minyi.insights.models import ReportFact
from minyi.outcomes.models import Forwarding, Recipient
from minyi.people.models import Member, Organization
from minyi.reports.models import OUT_STATES, Category, Report, ReportAuthor, State, Urgency


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; ``None`` means no restriction."""

    year: int | None = None
    #: 1–4, within ``year``.
    quarter: int | None = None
    #: A date range (inclusive, local days); with a year, both apply.
    since: dt.date | None = None
    until: dt.date | None = None
    unit_id: int | None = None
    #: The lead author's sector (界别).
    sector_id: int | None = None
    # A first-level category includes its children.
    category_id: int | None = None
    # The reader sees every submitted report (the office): ``visible_reports`` hides only
    # other people's drafts, and a draft has never been submitted (no move leads back to
    # 草稿), so the figures need no subquery of the visible set over the whole archive.
    every_submitted: bool = False
    #: The reader is a leader (not the office): his own reports, which with every report that
    #: has gone out are all he sees (``visible_reports``). The fact rows carry the state, so
    #: they are narrowed by it and only the own few go through the reports: the visible set's
    #: subquery read every report of the archive in each figure's query.
    leader_own: QuerySet[Report] | None = None

    def apply(self, base: QuerySet[Report]) -> QuerySet[Report]:
        qs = Report.objects.filter(submitted_at__isnull=False)
        if not self.every_submitted:
            # Re-select through a subquery: the visible set is ``distinct()`` over
            # joins, which would otherwise multiply the counts below.
            qs = qs.filter(pk__in=base.values("pk"))
        start, end = self.period()
        if start:
            qs = qs.filter(submitted_at__gte=start)
        if end:
            qs = qs.filter(submitted_at__lt=end)
        if self.unit_id:
            # The composites' ids as a list (one indexed query, a handful of ids): an OR
            # with a subquery would make the database scan instead of using both indexes.
            unit = Q(submitting_unit_id=self.unit_id)
            composites = self.unit_composites
            qs = qs.filter(unit | Q(pk__in=composites) if composites else unit)
        if self.sector_id:
            lead = ReportAuthor.objects.filter(position=0, member__sector_id=self.sector_id)
            qs = qs.filter(pk__in=lead.values("report_id"))
        if self.category_id:
            qs = qs.filter(
                Q(category_id=self.category_id) | Q(category__parent_id=self.category_id)
            )
        return qs

    def facts(self, base: QuerySet[Report]) -> QuerySet[ReportFact]:
        """The fact rows of the reports ``apply`` selects: the same conditions, narrower rows."""
        self.caught_up  # noqa: B018 - once per Filters, before the first figure reads
        qs = ReportFact.objects.all()
        if self.leader_own is not None:
            # Caught up above, so a row's state is its report's.
            own = Q(report_id__in=self.leader_own.values("pk"))
            qs = qs.filter(Q(state__in=OUT_STATES) | own)
        elif not self.every_submitted:
            # The visible set from the reports themselves: access never reads a fact row.
            qs = qs.filter(report_id__in=base.values("pk"))
        start, end = self.period()
        if start:
            qs = qs.filter(submitted_at__gte=start)
        if end:
            qs = qs.filter(submitted_at__lt=end)
        if self.unit_id:
            unit = Q(submitting_unit_id=self.unit_id)
            composites = self.unit_composites
            qs = qs.filter(unit | Q(report_id__in=composites) if composites else unit)
        if self.sector_id:
            qs = qs.filter(lead_member__sector_id=self.sector_id)
        if self.category_id:
            # The category and its children as a list, read once: an OR through the join to
            # the categories read every fact row instead of the category index.
            qs = qs.filter(category_id__in=self.category_ids)
        return qs

    @property
    def narrowed(self) -> bool:
        """Narrowed by more than the period: to a unit, sector, category or the visible set.

        The per-group figures then group the few rows selected, joined to their names; over a
        whole period they group by key from the covering indexes instead (``by_label`` names
        them), which the planner would otherwise also walk for a narrowed set, reading a row
        per entry.
        """
        return bool(
            self.unit_id
            or self.sector_id
            or self.category_id
            or self.leader_own is not None
            or not self.every_submitted
        )

    @cached_property
    def caught_up(self) -> bool:
        """Apply the events the consumer has not handled yet (a probe when it is current)."""
        catch_up()
        return True

    @cached_property
    def category_ids(self) -> list[int]:
        """The chosen category and its children (a first-level category includes them)."""
        chosen = Q(pk=self.category_id) | Q(parent_id=self.category_id)
        return list(Category.objects.filter(chosen).values_list("pk", flat=True))

    @cached_property
    def unit_composites(self) -> list[int]:
        """Composites with a source from the unit: read once for all the page's figures."""
        return list(composites_of_unit(self.unit_id)) if self.unit_id else []

    def period(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """[start, end) in local time from the year, quarter and date range: index ranges."""
        starts, ends = [], []
        if self.year:
            first_month = 3 * (self.quarter - 1) + 1 if self.quarter else 1
            starts.append(dt.date(self.year, first_month, 1))
            last = dt.date(self.year + 1, 1, 1)
            if self.quarter and self.quarter < 4:
                last = dt.date(self.year, first_month + 3, 1)
            ends.append(last)
        if self.since:
            starts.append(self.since)
        if self.until:
            ends.append(self.until + dt.timedelta(days=1))
        return (
            _midnight(max(starts)) if starts else None,
            _midnight(min(ends)) if ends else None,
        )

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters, so links keep them."""
        return {
            "year": str(self.year or ""),
            "quarter": str(self.quarter or ""),
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "unit": str(self.unit_id or ""),
            "sector": str(self.sector_id or ""),
            "category": str(self.category_id or ""),
        }


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def composites_of_unit(unit_id: int) -> QuerySet[Report]:
    """Composites (综合稿) with a source from ``unit_id``: the unit's too (their ids)."""
    sources = Report.objects.filter(
        submitting_unit_id=unit_id, merged_into__isnull=False, duplicate_of__isnull=True
    )
    # No ordering: the reports' default order put ``id`` into the DISTINCT (a row per source,
    # not per composite) and made SQLite walk every report newest first instead of the
    # (submitting_unit, duplicate_of, merged_into) index: 80-180 ms at 100,000 reports.
    return sources.values_list("merged_into_id", flat=True).order_by().distinct()


@dataclass
class Figure:
    slug: str
    title: str
    chart: str  # "line", "bar", "hbar" (horizontal, every label) or "funnel": dashboard.js
    headers: list[str]
    rows: list[list[Any]]
    # Columns drawn as series; the first column is always the category axis.
    series: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def data_id(self) -> str:
        """The id of the page's ``json_script`` block that dashboard.js reads."""
        return f"figure-data-{self.slug}"

    def labelled_rows(self) -> list[list[tuple[str, Any]]]:
        """Rows as (header, value) pairs, for tables that stack on phones."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]

    def table_rows(self) -> SafeString:
        """The table's ``<tr>`` rows, each cell labelled for phones, as the template wrote them.

        Built here rather than by template loops: all years by month is some 120 rows of up
        to ten cells, and the template's nodes cost more than every figure's query together.
        Values are localised and escaped as ``{{ cell|default_if_none:"—" }}`` did.
        """
        # The first column names the row; the others are numbers.
        opens = [f'<td data-label="{conditional_escape(h)}"' for h in self.headers]
        opens = [opens[0] + ">", *(o + ' class="num">' for o in opens[1:])]
        lines = []
        for row in self.rows:
            cells = (
                f"{tag}{conditional_escape('—' if cell is None else localize(cell))}</td>"
                for tag, cell in zip(opens, row, strict=True)
            )
            lines.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(lines))  # noqa: S308 - every piece escaped above

    def chart_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "chart": self.chart,
            "headers": self.headers,
            "rows": self.rows,
            "series": self.series,
        }


def _days(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 86400


def _median_mean(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return round(statistics.median(values), 1), round(statistics.fmean(values), 1)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def month_figure(filters: Filters, found: Iterable[dict[str, Any]]) -> Figure:
    """(a) From rows of (month, state, n): reports per submitted month, one column per state."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in found:
        counts[row["month"].strftime("%Y-%m")][row["state"]] = row["n"]
    # With a year, the whole year on the axis, so empty months show as zero, not as gaps.
    months = [f"{filters.year}-{m:02d}" for m in range(1, 13)] if filters.year else sorted(counts)
    states = [s for s in State if any(s.value in c for c in counts.values())]
    rows = []
    for month in months:
        values = [counts.get(month, {}).get(s.value, 0) for s in states]
        rows.append([month, *values, sum(values)])
    headers = ["月份", *[s.label for s in states], "合计"]
    return Figure(
        "per-month", "各月报送量（按状态）", "line", headers, rows, list(range(1, len(headers)))
    )


def per_month(filters: Filters, base: QuerySet[Report]) -> Figure:
    """(a) Reports per submitted month, one column per state."""
    found = filters.facts(base).values("month", "state").annotate(n=rows()).order_by("month")
    return month_figure(filters, found)


def rows(condition: Q | None = None) -> Count:
    """The number of fact rows (meeting ``condition``), counted from the figures' indexes.

    Counted by ``state`` (never NULL, and in each of ``ReportFact``'s covering indexes), not by
    the key: ``report_id`` is a ``bigint`` primary key, not SQLite's rowid, so COUNT(report_id)
    read every row from the table although an index held everything else. (Django refuses
    ``Count("*")`` with a filter.)
    """
    return Count("state", filter=condition)


def _out_and_adopted() -> dict[str, Count]:
    # A composite (综合稿) is not a submission: its sources were, each counted once.
    return {
        "submitted": rows(Q(is_composite=False)),
        "published": rows(Q(state__in=OUT_STATES)),
        "adopted": rows(Q(adopted=True)),
    }


def grouped(
    qs: QuerySet[Any],
    key: str,
    label: Callable[[dict[str, Any]], str],
    extra: Iterable[str],
    counts: dict[str, Count],
) -> list[list[Any]]:
    found = qs.values(key, *extra).annotate(**counts).order_by("-submitted", key)
    return [[label(r), r["submitted"], r["published"], r["adopted"]] for r in found]


def by_label(
    found: Iterable[dict[str, Any]], label: Callable[[dict[str, Any]], str]
) -> list[list[Any]]:
    """Rows grouped by id summed per label: [label, submitted, published, adopted]."""
    totals: dict[str, list[Any]] = {}
    for r in found:
        name = label(r)
        row = totals.setdefault(name, [name, 0, 0, 0])
        for i, key in enumerate(("submitted", "published", "adopted"), start=1):
            row[i] += r[key]
    return list(totals.values())


GROUP_HEADERS = ["报送数", "编发数（含直报）", "采用数"]


def _group_figure(slug: str, title: str, key_header: str, rows: list[list[Any]]) -> Figure:
    return Figure(slug, title, "hbar", [key_header, *GROUP_HEADERS], rows, [1, 2, 3])


def unit_label(row: dict[str, Any], prefix: str = "submitting_unit__") -> str:
    return row[f"{prefix}short_name"] or row[f"{prefix}name"] or "未注明单位"


def unit_figure(rows: list[list[Any]], credited: Iterable[dict[str, Any]]) -> Figure:
    """(b) The units' own rows plus the composites' credit to their sources' units."""
    by_label = {row[0]: row for row in rows}
    for extra in credited:
        row = by_label.setdefault(unit_label(extra), [unit_label(extra), 0, 0, 0])
        if row not in rows:
            rows.append(row)
        row[2] += extra["published"]
        row[3] += extra["adopted"]
    rows.sort(key=lambda r: (-r[1], -r[2], r[0]))
    figure = _group_figure("by-unit", "各单位报送与采用", "报送单位", rows)
    figure.note = "综合稿的编发和采用计入其每篇原稿的报送单位。"
    return figure


UNIT_NAMES = ["submitting_unit__short_name"]


def _unit_rows_by_key(facts: QuerySet[ReportFact], counts: dict[str, Count]) -> list[list[Any]]:
    """Per unit id from the (unit, …) covering index, named from the units' small table."""
    found = list(facts.values("submitting_unit_id").annotate(**counts).order_by())
    units = Organization.objects.filter(pk__in=[r["submitting_unit_id"] for r in found])
    labels = {
        pk: unit_label({"submitting_unit__name": name, "submitting_unit__short_name": short})
        for pk, name, short in units.values_list("pk", "name", "short_name")
    }
    return by_label(found, lambda r: labels.get(r["submitting_unit_id"], "未注明单位"))


def by_unit(filters: Filters, base: QuerySet[Report]) -> Figure:
    """(b) Reports per submitting unit; a composite credits every unit of its sources.

    1. One GROUP BY over the fact rows by their report's own unit.
    2. One GROUP BY over merged sources whose unit is not their composite's: each
       such unit is credited the composite's publication and adoption (distinct
       composites), not a submission (the source itself was counted in step 1).
    """
    facts = filters.facts(base)
    counts = _out_and_adopted()
    if filters.narrowed:
        rows = grouped(facts, "submitting_unit__name", unit_label, UNIT_NAMES, counts)
    else:
        rows = _unit_rows_by_key(facts, counts)
    # The sources' rows name their composite (``credit_to``, indexed), so this reads the
    # few merged sources, not every report.
    composites = facts.filter(is_composite=True).values("report_id")
    credited = (
        ReportFact.objects.filter(credit_to__in=composites)
        .exclude(submitting_unit_id=F("credit_to__submitting_unit_id"))
        .values("submitting_unit__name", *UNIT_NAMES)
        .annotate(
            published=Count(
                "credit_to", distinct=True, filter=Q(credit_to__fact__state__in=OUT_STATES)
            ),
            adopted=Count("credit_to", distinct=True, filter=Q(credit_to__fact__adopted=True)),
        )
        .order_by()
    )
    return unit_figure(rows, credited)


SECTOR_TITLE = "各界别报送与采用（按第一反映人）"


def sector_figure(rows: list[list[Any]], unled: dict[str, int]) -> Figure:
    rows.sort(key=lambda r: (-r[1], r[0]))
    if unled["submitted"]:
        rows.append(["无委员署名", unled["submitted"], unled["published"], unled["adopted"]])
    return _group_figure("by-sector", SECTOR_TITLE, "界别", rows)


def by_sector(filters: Filters, base: QuerySet[Report]) -> Figure:
    """(b) Reports per sector (界别) of the lead author; reports without one count apart."""
    facts = filters.facts(base)
    counts = _out_and_adopted()
    led = facts.filter(lead_member__isnull=False)
    if filters.narrowed:
        key = "lead_member__sector__name"
        rows = grouped(led, key, lambda r: r[key] or "未注明界别", [], counts)
    else:
        # Per lead member from the (lead_member, …) covering index, then each member's
        # sector from the members' table: grouping by the sector's name joined every row.
        found = list(led.values("lead_member_id").annotate(**counts).order_by())
        sectors = dict(Member.objects.values_list("pk", "sector__name"))
        rows = by_label(found, lambda r: sectors.get(r["lead_member_id"]) or "未注明界别")
    return sector_figure(rows, facts.filter(lead_member__isnull=True).aggregate(**counts))


def category_figure(found: Iterable[dict[str, Any]]) -> Figure:
    """(b) From rows per category: reports per first-level category (a child for its parent)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in found:
        name = r["category__parent__name"] or r["category__name"] or "未分类"
        for i, key in enumerate(("submitted", "published", "adopted")):
            totals[name][i] += r[key]
    rows = [[name, *v] for name, v in sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    return _group_figure("by-category", "各类别报送与采用（一级类别）", "类别", rows)


CATEGORY_NAMES = ("category__name", "category__parent__name")


def by_category(filters: Filters, base: QuerySet[Report]) -> Figure:
    """(b) Reports per first-level category (a child counts for its parent).

    Over a whole period grouped by the category's id from the (category, …) covering index
    and named from the categories' small table after: grouping by the names joined every fact
    row to two category rows.
    """
    counts = _out_and_adopted()
    facts = filters.facts(base)
    if filters.narrowed:
        return category_figure(facts.values(*CATEGORY_NAMES).annotate(**counts).order_by())
    found = list(facts.values("category_id").annotate(**counts).order_by())
    names = {
        pk: {"category__name": name, "category__parent__name": parent}
        for pk, name, parent in Category.objects.values_list("pk", "name", "parent__name")
    }
    none = {"category__name": None, "category__parent__name": None}
    return category_figure({**names.get(r["category_id"], none), **r} for r in found)


#: States a report reaches only once the office has accepted it (受理).
ACCEPTED_STATES = (
    State.ACCEPTED,
    State.AWAITING_SIGN_OFF,
    State.SIGNED_OFF,
    State.PUBLISHED,
    State.SENT_DIRECTLY,
)


def funnel_totals(filters: Filters, base: QuerySet[Report]) -> dict[str, int]:
    """Every stage's count of distinct reports, in one aggregate query."""
    return filters.facts(base).aggregate(
        **_out_and_adopted(),
        accepted=rows(Q(state__in=ACCEPTED_STATES)),
        instructed=rows(Q(instructed=True)),
    )


def funnel_figure(totals: dict[str, int]) -> Figure:
    """(c) 报送 → 受理 → 编发/直报 → 采用 → 批示, distinct reports the viewer may see."""
    whole = totals["submitted"]
    stages = [
        ("报送", "submitted"),
        ("受理", "accepted"),
        ("编发（含直报）", "published"),
        ("采用", "adopted"),
        ("获领导批示", "instructed"),
    ]
    rows = [[label, totals[key], _share(totals[key], whole)] for label, key in stages]
    figure = Figure("funnel", "采用漏斗", "funnel", ["环节", "稿件数", "占报送比例"], rows, [1])
    if any(totals[key] > whole for _, key in stages[1:]):
        # A reader who sees only what went out (a leader) sees composites but not their sources.
        figure.note = (
            "报送数不含综合稿（其原稿各计一次），受理及以后各环节计入综合稿；"
            "综合稿的原稿不在您的查看范围内时，后续环节可能多于报送数，比例超过 100%。"
        )
    return figure


def funnel(filters: Filters, base: QuerySet[Report]) -> Figure:
    return funnel_figure(funnel_totals(filters, base))


def publication_figure(found: Iterable[tuple[str, float]]) -> Figure:
    """(d) From (urgency, days) pairs: days from submission to going out, by urgency."""
    by_urgency: dict[str, list[float]] = defaultdict(list)
    for urgency, days in found:
        by_urgency[urgency].append(days)
    everything = [d for days in by_urgency.values() for d in days]
    groups = [("全部", everything)] + [(u.label, by_urgency[u.value]) for u in Urgency]
    rows = [[label, len(days), *_median_mean(days)] for label, days in groups]
    return Figure(
        "time-to-publication",
        "从报送到编发的用时（天）",
        "bar",
        ["紧急程度", "篇数", "中位数（天）", "平均（天）"],
        rows,
        [2, 3],
        note="急报、特报走快速通道，用时应明显短于常规信息。",
    )


def time_to_publication(filters: Filters, base: QuerySet[Report]) -> Figure:
    """(d) Days from submission to the first 编发/直报, overall and by urgency."""
    found = filters.facts(base).filter(days_to_out__isnull=False)
    return publication_figure(found.values_list("urgency", "days_to_out"))


def adoption_figure(forwardings: QuerySet[Forwarding]) -> Figure:
    """(e) Days from forwarding to adoption, per recipient, of these forwardings."""
    # Grouped by the recipient's id alone and named from its small table after: joined to
    # the recipients, SQLite walked them and probed the forwardings once per recipient.
    totals = {
        t["recipient_id"]: t
        for t in forwardings.values("recipient_id")
        .annotate(total=Count("id"), adopted=Count("adoption"))
        .order_by()
    }
    recipients = Recipient.objects.filter(pk__in=list(totals)).order_by("sort_order", "pk")
    waits: dict[int, list[float]] = defaultdict(list)
    tz = timezone.get_current_timezone()  # Once: ``localdate`` per row looks it up each time.
    for recipient_id, forwarded_at, adopted_on in (
        forwardings.filter(adoption__isnull=False)
        .values_list("recipient_id", "forwarded_at", "adoption__adopted_on")
        .order_by()
    ):
        waits[recipient_id].append(float((adopted_on - forwarded_at.astimezone(tz).date()).days))
    rows = [
        [
            name,
            totals[pk]["total"],
            totals[pk]["adopted"],
            _share(totals[pk]["adopted"], totals[pk]["total"]),
            *_median_mean(waits[pk]),
        ]
        for pk, name in recipients.values_list("pk", "name")
    ]
    headers = ["报送对象", "报送数", "采用数", "采用率", "中位数（天）", "平均（天）"]
    title = "从报送到采用的用时（按报送对象）"
    return Figure("time-to-adoption", title, "bar", headers, rows, [4, 5])


def time_to_adoption(filters: Filters, base: QuerySet[Report]) -> Figure:
    """(e) Days from forwarding to adoption, per recipient."""
    facts = filters.facts(base).filter(forwarded=True)
    return adoption_figure(Forwarding.objects.filter(report_id__in=facts.values("report_id")))


#: Every figure, in the order the dashboard shows them; the slug names the XLSX.
FIGURES: dict[str, Callable[[Filters, QuerySet[Report]], Figure]] = {
    "per-month": per_month,
    "funnel": funnel,
    "by-unit": by_unit,
    "by-sector": by_sector,
    "by-category": by_category,
    "time-to-publication": time_to_publication,
    "time-to-adoption": time_to_adoption,
}


def all_figures(filters: Filters, base: QuerySet[Report]) -> list[Figure]:
    return [build(filters, base) for build in FIGURES.values()]
