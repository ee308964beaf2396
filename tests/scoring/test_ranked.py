"""The ranking ranked in SQL, a page at a time, gives exactly the lines of the whole table."""

from __future__ import annotations

import pytest

from minyi.people.models import Member
from minyi.scoring.models import ScoreRuleSet
from minyi.scoring.ranked import MemberRanking
from minyi.scoring.rankings import member_table
from tests.factories import make_member, make_report, settle
from tests.scoring.helpers import make_rules, this_year

pytestmark = pytest.mark.django_db


def _scored(cast):
    make_rules()
    make_report(cast, state="published")
    make_report(cast, by=cast.officer, state="submitted")
    make_report(cast, by=cast.outsider, state="published", unit=cast.other_unit)
    make_report(cast, by=cast.outsider, state="submitted", unit=cast.other_unit)
    for n in range(3):
        make_member(f"委员{n}", cast.unit)  # no points: they tie for the last rank
    settle()


def _facts(line):
    return (
        line.key,
        line.rank,
        line.points,
        line.submitted,
        line.published,
        line.adopted,
        line.instructions,
        line.by_level,
        line.extra["band"],
        line.extra["shortfall"],
        line.extra["sector"],
    )


def _paged(year, ruleset, base, size):
    lines, number = [], 1
    table = MemberRanking.of(year, ruleset, base)
    while True:
        page, shown = table.page(number, size)
        lines += shown
        if not page.has_next():
            return lines
        number += 1


@pytest.mark.parametrize("size", [1, 2, 100])
def test_the_pages_put_together_are_the_whole_table(cast, size):
    _scored(cast)
    year = this_year()
    ruleset = ScoreRuleSet.objects.current(year)
    expected = [_facts(line) for line in member_table(year, ruleset)]
    assert len({rank for _, rank, *_ in expected}) < len(expected)  # ties are tested
    assert [_facts(line) for line in _paged(year, ruleset, None, size)] == expected


def test_a_unit_is_ranked_among_its_own_members_as_before(cast):
    _scored(cast)
    year = this_year()
    ruleset = ScoreRuleSet.objects.current(year)
    mine = list(Member.objects.filter(organizations=cast.unit).select_related("sector"))
    expected = [_facts(line) for line in member_table(year, ruleset, mine)]
    base = Member.objects.filter(organizations=cast.unit)
    assert [_facts(line) for line in _paged(year, ruleset, base, 2)] == expected


def test_the_duty_list_is_the_members_short_of_duty_in_ranking_order(cast):
    _scored(cast)
    year = this_year()
    ruleset = ScoreRuleSet.objects.current(year)
    short = [_facts(line) for line in member_table(year, ruleset) if line.extra["shortfall"]]
    assert short  # the three members without reports at least
    shown, total = MemberRanking.of(year, ruleset).duty_list(2)
    assert total == len(short)
    assert [_facts(line) for line in shown] == short[:2]


def test_a_year_without_rules_has_no_duty_list(cast):
    _scored(cast)
    assert MemberRanking.of(this_year() - 5, None).duty_list(100) == ([], 0)


def test_the_ranking_page_reads_a_page_not_every_member(cast, django_assert_max_num_queries):
    _scored(cast)
    year = this_year()
    ruleset = ScoreRuleSet.objects.current(year)
    for n in range(20):
        make_member(f"新委员{n}", cast.unit)
    # The ranked rows; the officers' months and their monthly submissions, read once for the
    # page and the duty list; the page's members, their ledger aggregate, the bands; the same
    # three for the duty list's members.
    with django_assert_max_num_queries(10):
        table = MemberRanking.of(year, ruleset)
        _, lines = table.page(1, 5)
        table.duty_list(5)
    assert len(lines) == 5


def test_the_page_and_the_duty_list_read_the_officers_months_once(cast):
    _scored(cast)
    year = this_year()
    table = MemberRanking.of(year, ScoreRuleSet.objects.current(year))
    table.page(1, 100)
    first = table.duties
    table.duty_list(100)
    assert table.duties is first
    assert cast.officer.member.pk in first.months
