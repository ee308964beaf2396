"""The maintained totals equal a fresh grouping of the ledger, whatever wrote the ledger.

``MemberScoreTotal`` and ``UnitScoreTotal`` are what the rankings read; the ledger's own writes
(the ``points_ledger`` consumer's ``refresh``, ``recompute_year``) rebuild them. Each test
changes the ledger one way (points earned, taken back, recomputed, back-filled) and compares
every total with ``rankings.ledger_counts`` over the ledger rows, the aggregate the tables ran.
"""

from __future__ import annotations

import importlib
import io
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from minyi.bulletins.actions import do_void_issue
from minyi.demo.loader import SMALL, load_demo
from minyi.people.models import Member, OrgKind, Role
from minyi.reports.workflow import transition
from minyi.scoring import totals
from minyi.scoring.models import MemberScoreTotal, Score, ScoreRuleSet, UnitScoreTotal
from minyi.scoring.projection import REVERSED
from minyi.scoring.ranked import unit_table_by
from minyi.scoring.rankings import ledger_counts
from minyi.scoring.rules import default_input, do_save_ruleset
from minyi.scoring.vocabulary import ADOPTION_LEVELS
from tests.bulletins.helpers import awaiting_issue, sign_off, signed_off
from tests.factories import make_member, make_org, make_report, make_user, settle
from tests.scoring.helpers import make_rules, this_year

pytestmark = pytest.mark.django_db

TARGETS = ((MemberScoreTotal, "member_id"), (UnitScoreTotal, "unit_id"))


def _fresh(year: int, column: str) -> dict[int, tuple]:
    """The year's ledger grouped by ``column`` now, as the ranking tables grouped it."""
    rows = (
        Score.objects.for_year(year)
        .filter(**{f"{column}__isnull": False})
        .order_by()
        .values(column)
        .annotate(**ledger_counts())
    )
    return {r[column]: _key(r) for r in rows}


def _kept(year: int, model: Any, column: str) -> dict[int, tuple]:
    return {r[column]: _key(r) for r in model.objects.filter(year=year).values()}


def _key(row: dict[str, Any]) -> tuple:
    points = Decimal(row["points"] or 0).quantize(Decimal("0.01"))
    return (points, *(row[name] or 0 for name in totals.COLUMNS[1:]))


def assert_totals_match(year: int | None = None) -> None:
    year = year or this_year()
    for model, column in TARGETS:
        assert _kept(year, model, column) == _fresh(year, column), model.__name__


def test_the_totals_hold_every_count_the_ranking_tables_show():
    for model, column in TARGETS:
        names = {f.attname for f in model._meta.concrete_fields} - {"id", "year", column}
        assert set(totals.COLUMNS) == names == set(ledger_counts())
    assert {f"adopted_{lv}" for lv in ADOPTION_LEVELS} <= names


def test_earned_points_are_in_the_totals_in_the_same_write(cast):
    make_rules()
    make_report(cast, state="published")
    make_report(cast, by=cast.officer, state="submitted")
    make_report(cast, by=cast.outsider, state="published", unit=cast.other_unit)
    settle()
    assert MemberScoreTotal.objects.filter(year=this_year()).count() == 3
    assert UnitScoreTotal.objects.filter(year=this_year()).count() == 2
    assert_totals_match()
    mine = MemberScoreTotal.objects.get(year=this_year(), member=cast.member.member)
    assert (mine.submitted, mine.published) == (1, 1) and mine.points > 0


def test_voiding_an_issue_takes_the_points_out_of_the_totals(cast):
    make_rules()
    report = signed_off(cast, "甲建议")
    issue = awaiting_issue(cast, [report])
    sign_off(issue, cast.approver)
    settle()
    before = MemberScoreTotal.objects.get(year=this_year(), member=cast.member.member)
    do_void_issue(issue, cast.approver, reason="期号编错")
    settle()
    assert Score.objects.filter(level=REVERSED, kind="published").exists()
    after = MemberScoreTotal.objects.get(year=this_year(), member=cast.member.member)
    assert after.points < before.points
    assert_totals_match()


def test_a_withdrawn_report_leaves_the_submitted_count(cast):
    make_rules(item_cap=None, year_cap=None)
    report = make_report(cast, state="submitted")
    settle()
    transition(report, "withdraw", cast.member)
    settle()
    mine = MemberScoreTotal.objects.get(year=this_year(), member=cast.member.member)
    assert (mine.submitted, mine.points) == (0, Decimal("0.00"))
    assert_totals_match()


def test_recompute_rebuilds_stale_or_missing_totals_and_is_idempotent(cast):
    make_rules()
    make_report(cast, state="published")
    make_report(cast, by=cast.outsider, state="published", unit=cast.other_unit)
    settle()
    expected = {m.__name__: _kept(this_year(), m, c) for m, c in TARGETS}
    MemberScoreTotal.objects.filter(member=cast.member.member).update(points=99)
    UnitScoreTotal.objects.filter(unit=cast.other_unit).delete()
    for _ in range(2):
        call_command("recompute_scores", str(this_year()), stdout=io.StringIO())
        assert {m.__name__: _kept(this_year(), m, c) for m, c in TARGETS} == expected
    assert_totals_match()


def test_a_year_without_rules_recomputes_to_no_totals(cast):
    make_rules()
    make_report(cast, state="published")
    settle()
    totals.rebuild(this_year() - 1)  # no ledger rows that year: nothing written
    assert not MemberScoreTotal.objects.filter(year=this_year() - 1).exists()
    assert MemberScoreTotal.objects.filter(year=this_year()).exists()


def test_the_migration_back_fills_the_totals_from_the_ledger(cast):
    make_rules()
    make_report(cast, state="published")
    make_report(cast, by=cast.outsider, state="published", unit=cast.other_unit)
    settle()
    expected = {m.__name__: _kept(this_year(), m, c) for m, c in TARGETS}
    MemberScoreTotal.objects.all().delete()
    UnitScoreTotal.objects.all().delete()
    migration = importlib.import_module("minyi.scoring.migrations.0006_score_totals")
    migration.fill_totals(apps, None)
    assert {m.__name__: _kept(this_year(), m, c) for m, c in TARGETS} == expected


@pytest.mark.django_db(transaction=True)
def test_a_year_of_demo_work_keeps_the_totals_exact_after_every_commit():
    # Merges, adoptions at every level, instructions, withdrawals: the real actions, each
    # committed, the consumer following; then the admin's recompute gives the same totals.
    admin = make_user("rules-admin", Role.ADMIN)
    make_org(settings.HOST_NAME, OrgKind.HOST)
    for year in (this_year() - 1, this_year()):
        do_save_ruleset(admin, year, default_input())
    load_demo(SMALL)
    for year in (this_year() - 1, this_year()):
        assert_totals_match(year)
    assert UnitScoreTotal.objects.filter(adopted__gt=0).exists()
    year = this_year()
    before = {m.__name__: _kept(year, m, c) for m, c in TARGETS}
    call_command("recompute_scores", str(year), stdout=io.StringIO())
    assert {m.__name__: _kept(year, m, c) for m, c in TARGETS} == before


def _members(unit, wanted: int) -> None:
    have = Member.objects.filter(organizations=unit, active=True).count()
    for n in range(wanted - have):
        make_member(f"委员{unit.pk}-{n}", unit)


def test_points_per_member_divide_as_decimals_not_integers(cast):
    # 4 points ÷ 3 members (1.33) beats 5 ÷ 4 (1.25); read as integers (SQLite stores 4.00
    # as 4) both are 1, and the larger total would wrongly come first.
    make_rules(min_volume_for_rate=1, item_cap=None, year_cap=None)
    make_report(cast, state="published")
    make_report(cast, by=cast.outsider, state="published", unit=cast.other_unit)
    make_report(cast, by=cast.outsider, state="submitted", unit=cast.other_unit)
    settle()
    _members(cast.unit, 3)
    _members(cast.other_unit, 4)
    table = unit_table_by(this_year(), ScoreRuleSet.objects.current(this_year()), "per_member")
    lines = {line.key: line for line in table.ranked}
    mine, other = lines[cast.unit.pk], lines[cast.other_unit.pk]
    assert (mine.points, other.points) == (Decimal("4.00"), Decimal("5.00"))
    assert mine.per_member > other.per_member
    assert (mine.rank, other.rank) == (1, 2)
