"""The member ranking ranked in SQL, read a page at a time.

``rankings.member_table`` builds a Python line (counts, duty check, band) for every member:
with 3,000 members that is most of the ranking page's time. Here one query over the members
joined to their maintained totals for the year (``MemberScoreTotal``, one row a member, kept
by the ledger's own writes: ``minyi.scoring.totals``) ranks what the order compares with
``RANK()`` in SQL, and the page reads 100 rows; full lines are built for those only. The order,
the ties and the ranks are ``member_table``'s: ``points_key`` descending, then the member's id
(the stable sort over members in id order), equal keys sharing a rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
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
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Rank, Round

from minyi.people.models import Member, Organization
from minyi.scoring.models import ScoreRuleSet, UnitScoreTotal
from minyi.scoring.rankings import (
    Line,
    OfficerDuties,
    UnitTable,
    member_table,
    short_months,
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
    # What ``points_key`` compares, from the member's totals (``totals`` holds the same
    # numbers as ``rankings.ledger_counts`` over the year's ledger); no row: all zero.
    found: dict[str, Any] = {
        f"k_{name}": Coalesce(F(f"yt__{name}"), Value(0))
        for name in ("adopted", "published", "submitted")
    }
    found["k_points"] = Coalesce(
        F("yt__points"),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    return found


def ranked_members(year: int, base: QuerySet[Member] | None = None) -> QuerySet[Any]:
    """``{"pk", "rank", "k_submitted"}`` rows of ``base`` (the active members) in ranking order."""
    members = (
        Member.objects.filter(active=True)
        if base is None
        # One row a member whatever joins ``base`` filters through (the aggregate grouped them).
        else Member.objects.filter(pk__in=base.values("pk"))
    )
    keys = _key_counts()
    # Only what Python reads is selected: converting 3,000 decimals cost as much as the query.
    return (
        members.annotate(yt=FilteredRelation("score_totals", condition=Q(score_totals__year=year)))
        .alias(**{name: keys.pop(name) for name in ("k_points", "k_adopted", "k_published")})
        .values("pk")
        .annotate(**keys, rank=Window(Rank(), order_by=RANK_ORDER))
        .order_by(*RANK_ORDER, "pk")
    )


def _lines(
    year: int,
    ruleset: ScoreRuleSet | None,
    rows: list[dict[str, Any]],
    duties: OfficerDuties | None = None,
) -> list[Line]:
    """Full lines (counts, duty, band) of these rows' members, in the rows' order and rank."""
    members = Member.objects.filter(pk__in=[r["pk"] for r in rows]).select_related("sector")
    by_pk = {line.key: line for line in member_table(year, ruleset, list(members), duties)}
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

    @cached_property
    def duties(self) -> OfficerDuties:
        """The officers' months and monthly submissions: one read for the lines and duty list."""
        return OfficerDuties.of(self.year, self.base)

    def page(self, number: Any, size: int) -> tuple[Page, list[Line]]:
        """One page of rows, and full lines for its members only."""
        page = Paginator(self.rows, size).get_page(number)
        return page, _lines(self.year, self.ruleset, list(page.object_list), self.duties)

    def duty_list(self, shown: int) -> tuple[list[Line], int]:
        """The first ``shown`` members short of their duties, in ranking order, and how many are.

        Short: fewer reports in the year than the minimum, or an information officer with a
        month under the monthly minimum (``rankings.duty_shortfall``'s two rules, decided from
        the key counts and one grouped query over the officers, without a line per member).
        """
        ruleset = self.ruleset
        if ruleset is None:
            return [], 0
        short_officers: set[int] = set()
        if ruleset.officer_min_monthly:
            # Officers in the months they were appointed (people.terms.appointed_months).
            duties = self.duties
            short_officers = {
                pk
                for pk, months in duties.months.items()
                if short_months(duties.monthly.get(pk, {}), ruleset, self.year, months)
            }
        minimum = ruleset.member_min_reports
        short = [r for r in self.rows if r["k_submitted"] < minimum or r["pk"] in short_officers]
        return _lines(self.year, ruleset, short[:shown], self.duties), len(short)


def units_per_member(year: int, min_volume: int) -> dict[int, int]:
    """Unit id → rank by points per active member, ranked in SQL (``RANK()``).

    Eligible as for the adoption rate: at least ``min_volume`` reports submitted in the year,
    and at least one active member to divide by. Ties: per-member points, then total points;
    still equal, the same rank. Correlated subqueries per unit: its year's totals
    (``UnitScoreTotal``, one row) and its active members from the membership table.
    """
    totals = UnitScoreTotal.objects.filter(year=year, unit=OuterRef("pk"))
    points = totals.values("points")
    submitted = totals.values("submitted")
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
            # Cast: SQLite stores 37.00 as the integer 37, and 37 / 4 would divide as integers.
            u_points=Coalesce(Cast(Subquery(points), FloatField()), Value(0.0)),
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
