"""The dashboard's figures counted from the reports themselves: the reference.

This is how the figures were computed before ``ReportFact``: each one groups the
(filtered, visible) reports, with an EXISTS per report for adoption and 批示 and a
subquery of the event log for the day a report went out. The dashboard reads the fact
table (``stats``); these stay so the tests can check that both count the same for
every role and filter (``tests/insights/test_fact_figures.py``), and so
``bench/dashboard_facts.py`` can time one against the other.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from minyi.audit.models import Event
from minyi.insights.facts import OUT_VERBS
from minyi.insights.stats import (
    ACCEPTED_STATES,
    CATEGORY_NAMES,
    UNIT_NAMES,
    Figure,
    Filters,
    _days,
    adoption_figure,
    category_figure,
    funnel_figure,
    grouped,
    month_figure,
    publication_figure,
    sector_figure,
    unit_figure,
    unit_label,
)
from minyi.outcomes.models import Adoption, Forwarding, Instruction
from minyi.reports.models import OUT_STATES, Report


def per_month(filters: Filters, base: QuerySet[Report]) -> Figure:
    found = (
        filters.apply(base)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month", "state")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return month_figure(filters, found)


def _adopted(report: str = "pk") -> Exists:
    return Exists(Adoption.objects.filter(forwarding__report=OuterRef(report)))


def _instructed() -> Exists:
    return Exists(Instruction.objects.filter(forwarding__report=OuterRef("pk")))


def _out_and_adopted() -> dict[str, Count]:
    return {
        "submitted": Count("id", filter=Q(is_composite=False)),
        "published": Count("id", filter=Q(state__in=OUT_STATES)),
        "adopted": Count("id", filter=Q(_adopted())),
    }


def by_unit(filters: Filters, base: QuerySet[Report]) -> Figure:
    counts = _out_and_adopted()
    rows = grouped(filters.apply(base), "submitting_unit__name", unit_label, UNIT_NAMES, counts)
    composites = filters.apply(base).filter(is_composite=True)
    credited = (
        Report.objects.filter(merged_into__in=composites.values("pk"), duplicate_of__isnull=True)
        .exclude(submitting_unit_id=F("merged_into__submitting_unit_id"))
        .values("submitting_unit__name", *UNIT_NAMES)
        .annotate(
            published=Count(
                "merged_into", distinct=True, filter=Q(merged_into__state__in=OUT_STATES)
            ),
            adopted=Count("merged_into", distinct=True, filter=Q(_adopted("merged_into"))),
        )
        .order_by()
    )
    return unit_figure(rows, credited)


def by_sector(filters: Filters, base: QuerySet[Report]) -> Figure:
    qs = filters.apply(base)
    counts = _out_and_adopted()
    key = "report_authors__member__sector__name"
    # The lead author is the one at position 0; a report has at most one.
    led = qs.filter(report_authors__position=0)
    rows = grouped(led, key, lambda r: r[key] or "未注明界别", [], counts)
    return sector_figure(rows, qs.exclude(report_authors__position=0).aggregate(**counts))


def by_category(filters: Filters, base: QuerySet[Report]) -> Figure:
    found = filters.apply(base).values(*CATEGORY_NAMES).annotate(**_out_and_adopted()).order_by()
    return category_figure(found)


def funnel(filters: Filters, base: QuerySet[Report]) -> Figure:
    totals = filters.apply(base).aggregate(
        **_out_and_adopted(),
        accepted=Count("id", filter=Q(state__in=ACCEPTED_STATES)),
        instructed=Count("id", filter=Q(_instructed())),
    )
    return funnel_figure(totals)


def time_to_publication(filters: Filters, base: QuerySet[Report]) -> Figure:
    went_out = (
        Event.objects.filter(report_id=OuterRef("pk"), verb__in=OUT_VERBS)
        .order_by("id")
        .values("created_at")[:1]
    )
    found = (
        filters.apply(base)
        .annotate(out_at=Subquery(went_out))
        .filter(out_at__isnull=False)
        .values_list("urgency", "submitted_at", "out_at")
    )
    return publication_figure((u, _days(out_at - at)) for u, at, out_at in found)


def time_to_adoption(filters: Filters, base: QuerySet[Report]) -> Figure:
    return adoption_figure(Forwarding.objects.filter(report__in=filters.apply(base).values("pk")))


#: The same figures as ``stats.FIGURES``, counted from the reports.
FIGURES: dict[str, Callable[[Filters, QuerySet[Report]], Figure]] = {
    "per-month": per_month,
    "funnel": funnel,
    "by-unit": by_unit,
    "by-sector": by_sector,
    "by-category": by_category,
    "time-to-publication": time_to_publication,
    "time-to-adoption": time_to_adoption,
}
