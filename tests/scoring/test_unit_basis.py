"""Units ranked by points per member: a basis chosen on the rankings page, ranked in SQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from minyi.scoring.models import ScoreRuleSet
from minyi.scoring.ranked import unit_table_by
from tests.factories import make_member, make_report
from tests.scoring.helpers import make_rules, this_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_units(cast):
    """民盟 has two more members than the other unit, so its larger total is less per head."""
    make_rules(min_volume_for_rate=1, member_min_reports=0, officer_min_monthly=0)
    make_member("赵一", cast.unit)
    make_member("钱二", cast.unit)
    for _ in range(2):
        make_report(cast, state="published")
    make_report(cast, by=cast.outsider, state="published", unit=cast.other_unit)
    return cast


def test_per_member_points_rank_the_smaller_unit_first(two_units):
    cast = two_units
    ruleset = ScoreRuleSet.objects.current(this_year())
    by_rate = unit_table_by(this_year(), ruleset, "rate")
    by_head = unit_table_by(this_year(), ruleset, "per_member")
    head = {line.key: line for line in by_head.ranked}
    assert head[cast.unit.pk].points > head[cast.other_unit.pk].points
    assert head[cast.unit.pk].per_member < head[cast.other_unit.pk].per_member
    assert [line.key for line in by_head.ranked][:2] == [cast.other_unit.pk, cast.unit.pk]
    assert [line.rank for line in by_head.ranked][:2] == [1, 2]
    # The same lines on either basis; only the order and ranks change.
    assert {line.key for line in by_rate.ranked + by_rate.unranked} == {
        line.key for line in by_head.ranked + by_head.unranked
    }
    assert all(
        line.per_member is not None and line.per_member >= Decimal(0) for line in head.values()
    )


def test_the_rankings_page_offers_the_basis_and_ignores_an_unknown_one(two_units, client_for):
    cast = two_units
    client = client_for(cast.editor)
    page = client.get(reverse("scoring:rankings"), {"basis": "per_member"}).content.decode()
    assert "按人均积分（积分 ÷ 在册委员数）排名" in page
    table = page[page.index("unit-ranking") :]
    assert table.index(cast.other_unit.label) < table.index(cast.unit.label)
    unknown = client.get(reverse("scoring:rankings"), {"basis": "'; drop table"})
    assert unknown.status_code == 200 and "按采用率" in unknown.content.decode()
    # The basis opens nothing: a member may not see the rankings on either basis.
    refused = client_for(cast.member).get(reverse("scoring:rankings"), {"basis": "per_member"})
    assert refused.status_code == 403
