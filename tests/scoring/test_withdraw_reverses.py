"""A withdrawn report is not 报送: its points are taken back and no count or duty includes it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from minyi.audit.models import Event
from minyi.desk.duty_record import build_record
from minyi.reports.workflow import transition
from minyi.scoring.models import Score, ScoreRuleSet
from minyi.scoring.notice import totals
from minyi.scoring.projection import REVERSED
from minyi.scoring.rankings import member_table
from tests.factories import make_report, settle
from tests.scoring.helpers import make_rules, this_year

pytestmark = pytest.mark.django_db


def _net(member_id: int) -> Decimal:
    return sum(
        Score.objects.filter(member_id=member_id).values_list("points", flat=True), Decimal(0)
    )


def _submitted(cast) -> int:
    year = this_year()
    [line] = member_table(year, ScoreRuleSet.objects.current(year), [cast.member.member])
    return line.submitted


def test_withdrawing_the_only_report_takes_back_its_points_on_the_withdraw_event(cast):
    make_rules(item_cap=None, year_cap=None)
    report = make_report(cast, state="submitted")
    settle()
    assert _net(cast.member.member_id) == Decimal("1.00")
    transition(report, "withdraw", cast.member)
    settle()
    withdraw = Event.objects.get(verb="withdraw", report_id=report.pk)
    reversal = Score.objects.get(event=withdraw)
    assert (reversal.kind, reversal.level, reversal.points) == (
        "submitted",
        REVERSED,
        Decimal("-1.00"),
    )
    assert _net(cast.member.member_id) == 0
    assert _submitted(cast) == 0
    assert totals(this_year())["submitted"] == 0


def test_the_yearly_record_does_not_count_a_withdrawn_report_as_submitted(cast):
    make_rules(item_cap=None, year_cap=None)
    report = make_report(cast, state="submitted")
    transition(report, "withdraw", cast.member)
    settle()
    record = build_record(cast.member, cast.member.member, this_year())
    [duty] = [d for d in record.duties if d.rule.startswith("全年报送不少于")]
    assert not duty.met and duty.reason == "全年报送 0 篇"
    assert record.total == 0
    assert record.band != "基本称职"


def test_sending_a_withdrawn_report_in_again_scores_and_counts_it_again(cast):
    make_rules(item_cap=None, year_cap=None)
    report = make_report(cast, state="submitted")
    transition(report, "withdraw", cast.member)
    transition(report, "submit", cast.member)
    settle()
    assert _net(cast.member.member_id) == Decimal("1.00")
    assert _submitted(cast) == 1
    assert totals(this_year())["submitted"] == 1
    # Withdrawn a second time: only the standing submission is taken back, once.
    report.refresh_from_db()
    transition(report, "withdraw", cast.member)
    settle()
    assert _net(cast.member.member_id) == 0
    assert _submitted(cast) == 0
    assert Score.objects.filter(level=REVERSED).count() == 2


def test_a_reversal_row_is_labelled_in_chinese_and_a_commission_bonus_has_its_own_note(cast):
    from minyi.core import clock
    from minyi.scoring.actions import do_save_campaign
    from minyi.scoring.rules import rule_label
    from tests.scoring.helpers import make_admin

    make_rules(item_cap=None, year_cap=None)
    today = clock.localdate()
    fields = {"name": "约稿", "kind": "commission", "theme": "", "topics": ""}
    fields |= {"starts_on": today, "ends_on": today, "multiplier": Decimal("1")}
    do_save_campaign(make_admin(), None, fields=fields, quotas={cast.unit.pk: 2})
    report = make_report(cast, state="submitted")
    transition(report, "withdraw", cast.member)
    settle()
    notes = dict(Score.objects.filter(level=REVERSED).values_list("kind", "note"))
    assert notes == {"submitted": "撤回，撤销报送分", "commissioned": "撤回，撤销约稿加分"}
    label = rule_label("submitted", REVERSED)
    assert label.endswith("（撤销）") and "reversed" not in label
