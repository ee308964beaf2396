"""The ledger explains every point; rankings are fair; duties, bands and the XLSX export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minyi.core import clock
from minyi.outcomes.actions import do_record_adoption
from minyi.scoring.models import Objection, Score, ScoreRuleSet
from minyi.scoring.rankings import Line, assign_ranks, member_table, points_key, unit_table
from minyi.scoring.render import SCORE_HEADERS
from tests.factories import make_report
from tests.scoring.helpers import make_admin, make_rules, points_of, this_year

pytestmark = pytest.mark.django_db(transaction=True)


def _adopt_first(report, cast):
    forwarding = report.forwardings.get(recipient__name="全国政协")
    do_record_adoption(forwarding, cast.editor, kind="single", adopted_on=clock.localdate())


def test_it_explains_every_point_on_my_ledger(cast, client_for):
    make_rules()
    report = make_report(cast, state="published")
    _adopt_first(report, cast)
    page = client_for(cast.member).get(reverse("scoring:mine")).content.decode()
    rows = Score.objects.filter(member_id=cast.member.member_id)
    assert rows.count() == 3
    for row in rows:
        # Each row names its event, its rule and its points.
        assert f"#{row.event_id} {row.get_kind_display()}" in page
        assert f"（{row.rule.points} 分）" in page
    assert report.title in page
    assert f'<strong class="score-total">{points_of(cast.member.member_id)}</strong>' in page


def test_it_lets_an_admin_correct_points_with_a_reason(cast, client_for):
    make_rules()
    make_report(cast, state="submitted")
    url = reverse("scoring:correct", args=[cast.member.member_id])
    client = client_for(make_admin())
    assert client.post(url, {"points": "", "reason": ""}).status_code == 400
    response = client.post(url, {"points": "2.5", "reason": "补记线下报送", "year": this_year()})
    assert response.status_code == 302
    row = Score.objects.get(kind="correction")
    assert (row.points, row.note) == (Decimal("2.50"), "补记线下报送")
    assert row.event.verb == "score_correct"
    assert points_of(cast.member.member_id) == Decimal("3.50")


def test_it_lets_a_member_object_and_an_admin_uphold_with_a_correction(cast, client_for):
    make_rules()
    client = client_for(cast.member)
    assert client.post(reverse("scoring:object"), {"text": ""}).status_code == 400
    client.post(reverse("scoring:object"), {"text": "三月的一篇漏计", "year": this_year()})
    objection = Objection.objects.get()
    admin = client_for(make_admin())
    admin.post(
        reverse("scoring:resolve", args=[objection.pk]),
        {"decision": "upheld", "reply": "核实属实", "points": "1"},
    )
    objection.refresh_from_db()
    assert objection.state == "upheld" and objection.correction.points == 1
    assert points_of(cast.member.member_id) == Decimal(1)
    assert "核实属实" in client_for(cast.member).get(reverse("scoring:mine")).content.decode()


def test_it_does_not_rank_a_unit_by_rate_below_the_minimum_volume(cast):
    make_rules(min_volume_for_rate=3)
    lone = make_report(cast, by=cast.outsider, state="published", unit=cast.other_unit)
    _adopt_first(lone, cast)  # one submitted, one adopted: 100 %
    for _ in range(3):
        make_report(cast, state="submitted")
    table = unit_table(this_year(), ScoreRuleSet.objects.current(this_year()))
    assert [line.name for line in table.ranked] == [cast.unit.label]
    assert cast.other_unit.label in [line.name for line in table.unranked]


def test_it_breaks_ties_by_the_stated_rule_and_shares_full_ties():
    lines = [
        Line(1, "甲", points=Decimal(10), adopted=1),
        Line(2, "乙", points=Decimal(10), adopted=2),
        Line(3, "丙", points=Decimal(10), adopted=2),
        Line(4, "丁", points=Decimal(5)),
    ]
    ranked = assign_ranks(lines, points_key)
    assert [(line.name, line.rank) for line in ranked] == [
        ("乙", 1),
        ("丙", 1),
        ("甲", 3),
        ("丁", 4),
    ]


def test_it_lists_members_below_minimum_duties_and_grades_them_lowest(cast):
    make_rules(member_min_reports=2, officer_min_monthly=1)
    make_report(cast, state="submitted")
    lines = {
        line.key: line
        for line in member_table(this_year(), ScoreRuleSet.objects.current(this_year()))
    }
    assert "少于 2 篇" in lines[cast.member.member_id].extra["shortfall"]
    officer = lines[cast.officer.member_id]
    assert "特约信息员每月应报送 1 篇" in officer.extra["shortfall"]
    assert officer.extra["band"] == "不称职"


def test_it_grades_by_bands(cast):
    make_rules(member_min_reports=0, officer_min_monthly=0)
    report = make_report(cast, state="published")
    _adopt_first(report, cast)  # 1 + 3 + 20 (全国政协) = 24 points
    lines = {
        line.key: line
        for line in member_table(this_year(), ScoreRuleSet.objects.current(this_year()))
    }
    assert lines[cast.member.member_id].points == Decimal(24)
    assert lines[cast.member.member_id].extra["band"] == "优秀"
    assert lines[cast.officer.member_id].extra["band"] == "不称职"


def test_it_exports_scores_to_excel_with_chinese_headers(cast, client_for):
    make_rules()
    make_report(cast, state="published")
    response = client_for(cast.editor).get(reverse("scoring:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == SCORE_HEADERS
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["张明"][0] == 1 and by_name["张明"][7] == 4.0  # 报送 1 + 编发 3
    assert by_name["张明"][3] == 1  # 报送篇数
