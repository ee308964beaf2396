"""Rankings stay cheap with thousands of members: one page drawn, one member ranked alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.people.models import Member
from minyi.scoring import views
from minyi.scoring.models import ScoreRuleSet
from minyi.scoring.rankings import member_standing, member_table
from tests.factories import make_member, make_report, settle
from tests.scoring.helpers import make_admin, make_rules, this_year

pytestmark = pytest.mark.django_db


def _scored(cast):
    make_rules()
    make_report(cast, state="published")
    make_report(cast, by=cast.officer, state="submitted")
    make_report(cast, by=cast.outsider, state="published", unit=cast.other_unit)
    for n in range(3):
        make_member(f"委员{n}", cast.unit)  # no points: they tie for the last rank
    settle()


def test_it_ranks_one_member_as_the_whole_table_does(cast):
    _scored(cast)
    year = this_year()
    ruleset = ScoreRuleSet.objects.current(year)
    table = member_table(year, ruleset)
    for expected in table:
        member = Member.objects.get(pk=expected.key)
        line, ranked_of = member_standing(year, ruleset, member)
        assert (line.rank, line.points, ranked_of) == (expected.rank, expected.points, len(table))


def test_it_gives_no_rank_to_an_inactive_member(cast):
    _scored(cast)
    member = cast.member.member
    member.active = False
    member.save(update_fields=["active"])
    year = this_year()
    line, _ = member_standing(year, ScoreRuleSet.objects.current(year), member)
    assert line is None


def test_it_shows_the_member_ranking_a_page_at_a_time(cast, client_for, monkeypatch):
    _scored(cast)
    monkeypatch.setattr(views, "MEMBERS_PER_PAGE", 2)
    client = client_for(make_admin())
    first = client.get(reverse("scoring:rankings")).content.decode()
    second = client.get(reverse("scoring:rankings"), {"page": 2}).content.decode()
    # Six active members (the cast's three and three more), two a page.
    assert "第 1 / 3 页" in first and "第 2 / 3 页" in second
    # The leaders of the table are on page 1 only.
    assert (
        "张明" in first
        and "张明" not in second.split('<table class="responsive member-ranking">')[1]
    )
