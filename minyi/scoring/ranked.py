"""The member ranking ranked in SQL, read a page at a time.

``rankings.member_table`` builds a Python line (counts, duty check, band) for every member:
with 3,000 members that is most of the ranking page's time. Here one grouped query over the
year's ledger (a filtered join on the ``(year, member)`` index) computes only what the order
compares, ranks it with ``RANK()`` in SQL, and the page reads 100 rows; full lines are built for
those only. The order, the ties and the ranks are ``member_table``'s: ``points_key`` descending,
then the member's id (the stable sort over members in id order), equal keys sharing a rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DecimalField,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Rank, Round

from minyi.people.models import Member, Organization
from minyi.people.terms import appointed_months
from minyi.scoring.models import Score, ScoreRuleSet
from minyi.scoring.rankings import (
    Line,
    UnitTable,
    _monthly_submissions,
    member_table,
    short_months,
    submitted_count,
    unit_table,
)

#: ``points_key`` in SQL: points, adopted, published, submitted, all descending.
RANK_ORDER = [
    F("k_points").desc(),
    F("k_adopted").desc(),
    F("k_published").desc(),
    F("k_submitted").desc(),
]


def _key_counts() -> dict[str, Any]:
    # The same distinct-report counts as ``rankings._counts``, over the year's rows only.
    kinds = {
        "k_adopted": Q(ys__kind="adopted"),
        "k_published": Q(ys__kind__in=("published", "sent_directly")),
    }
    found: dict[str, Any] = {
        name: Count("ys__report", distinct=True, filter=q) for name, q in kinds.items()
    }
    found["k_submitted"] = submitted_count("ys__")
    # Rounded as ``Line.fill`` quantizes: SQLite sums decimals as floating point.
    found["k_points"] = Coalesce(
        Round(Sum("ys__points"), 2),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    return found


def ranked_members(year: int, base: QuerySet[Member] | None = None) -> QuerySet[Any]:
    """``{"pk", "rank", "k_…"}`` rows of ``base`` (the active members) in ranking order."""
    members = Member.objects.filter(active=True) if base is None else base
    return (
        members.annotate(ys=FilteredRelation("scores", condition=Q(scores__year=year)))
        .values("pk")
        .annotate(**_key_counts())
        .annotate(rank=Window(Rank(), order_by=RANK_ORDER))
        .order_by(*RANK_ORDER, "pk")
    )


def _lines(year: int, ruleset: ScoreRuleSet | None, rows: list[dict[str, Any]]) -> list[Line]:
    """Full lines (counts, duty, band) of these rows' members, in the rows' order and rank."""
    members = Member.objects.filter(pk__in=[r["pk"] for r in rows]).select_related("sector")
    by_pk = {line.key: line for line in member_table(year, ruleset, list(members))}
    lines = []
    for row in rows:
        line = by_pk[row["pk"]]
        line.rank = row["rank"]
        lines.append(line)
    return lines


@dataclass
class MemberRanking:
    """The ranking's ordered rows (``pk``, ``rank``, the key counts) of every member, read once."""

    year: int
    ruleset: ScoreRuleSet | None
    base: QuerySet[Member] | None
    rows: list[dict[str, Any]]

    @classmethod
    def of(
        cls, year: int, ruleset: ScoreRuleSet | None, base: QuerySet[Member] | None = None
    ) -> MemberRanking:
        return cls(year, ruleset, base, list(ranked_members(year, base)))

    def page(self, number: Any, size: int) -> tuple[Page, list[Line]]:
        """One page of rows, and full lines for its members only."""
        page = Paginator(self.rows, size).get_page(number)
        return page, _lines(self.year, self.ruleset, list(page.object_list))

    def duty_list(self, shown: int) -> tuple[list[Line], int]:
        """The first ``shown`` members short of their duties, in ranking order, and how many are.

        Short: fewer reports in the year than the minimum, or an information officer with a
        month under the monthly minimum (``rankings.duty_shortfall``'s two rules, decided from
        the key counts and one grouped query over the officers, without a line per member).
        """
        ruleset = self.ruleset
        if ruleset is None:
            return [], 0
        members = Member.objects.filter(active=True) if self.base is None else self.base
        short_officers: set[int] = set()
        if ruleset.officer_min_monthly:
            # Officers in the months they were appointed (people.terms.appointed_months).
            serving = appointed_months(self.year)
            officers = members.filter(pk__in=list(serving))
            scores = Score.objects.for_year(self.year).filter(member__in=officers)
            monthly = _monthly_submissions(scores)
            short_officers = {
                pk
                for pk in officers.values_list("pk", flat=True)
                if short_months(monthly.get(pk, {}), ruleset, self.year, serving[pk])
            }
        minimum = ruleset.member_min_reports
        short = [r for r in self.rows if r["k_submitted"] < minimum or r["pk"] in short_officers]
        return _lines(self.year, ruleset, short[:shown]), len(short)


def units_per_member(year: int, min_volume: int) -> dict[int, int]:
    """Unit id → rank by points per active member, ranked in SQL (``RANK()``).

    Eligible as for the adoption rate: at least ``min_volume`` reports submitted in the year,
    and at least one active member to divide by. Ties: per-member points, then total points;
    still equal, the same rank. Three correlated subqueries per unit (points, submitted,
    members), all answered by the ledger's ``(year, unit)`` index and the membership table.
    """
    scores = Score.objects.for_year(year).filter(unit=OuterRef("pk")).order_by().values("unit")
    points = scores.annotate(s=Sum("points")).values("s")
    submitted = scores.annotate(c=submitted_count()).values("c")
    members = (
        Member.objects.filter(active=True, organizations=OuterRef("pk"))
        .order_by()
        .values("organizations")
        .annotate(c=Count("pk"))
        .values("c")
    )
    zero = Value(0)
    rows = (
        Organization.objects.annotate(
            u_points=Coalesce(Subquery(points, output_field=FloatField()), Value(0.0)),
            u_submitted=Coalesce(Subquery(submitted, output_field=IntegerField()), zero),
            u_members=Coalesce(Subquery(members, output_field=IntegerField()), zero),
        )
        .filter(u_members__gt=0, u_submitted__gte=max(min_volume, 1))
        .annotate(per=Round(F("u_points") / F("u_members"), 2))
        .annotate(rank=Window(Rank(), order_by=[F("per").desc(), F("u_points").desc()]))
        .values_list("pk", "rank")
    )
    return dict(rows)


#: The unit ranking's bases: the name in the URL (``?basis=``), and the words on the page.
UNIT_BASES = {"rate": "采用率", "per_member": "人均积分"}
PER_MEMBER_TIE_BREAK = "人均积分相同时，比较积分总数；仍相同者并列。"


def unit_table_by(year: int, ruleset: ScoreRuleSet | None, basis: str) -> UnitTable:
    """The unit table ranked on ``basis``: adoption rate (the default) or points per member."""
    table = unit_table(year, ruleset)
    if basis != "per_member":
        return table
    ranks = units_per_member(year, table.min_volume)
    lines = table.ranked + table.unranked
    eligible = [line for line in lines if line.key in ranks]
    for line in lines:
        line.rank = ranks.get(line.key)  # type: ignore[arg-type]
    others = [line for line in lines if line.key not in ranks]
    eligible.sort(key=lambda line: (line.rank, str(line.key)))
    return UnitTable(eligible, others, table.min_volume)
