"""Bad rule input is refused with a clear Chinese message, and nothing is stored."""

from __future__ import annotations

import pytest

from minyi.audit.statemachine import ActionRefused
from minyi.scoring.models import ScoreRuleSet
from minyi.scoring.rules import RuleKind, default_input, do_save_ruleset
from tests.scoring.helpers import make_admin, make_rules, this_year

pytestmark = pytest.mark.django_db


def _refused(data, user=None) -> str:
    make_rules()  # version 1 exists; a refusal must not add version 2
    with pytest.raises(ActionRefused) as caught:
        do_save_ruleset(user or make_admin(), this_year(), data)
    assert ScoreRuleSet.objects.count() == 1
    return str(caught.value)


def test_it_refuses_a_negative_cap(db):
    data = default_input()
    data.params["year_cap"] = "-5"
    assert "个人年度上限”不能为负数" in _refused(data)


def test_it_refuses_overlapping_bands(db):
    data = default_input()
    data.bands = [("优秀", "15", None), ("称职", "0", "20")]
    assert "分数区间重叠" in _refused(data)


def test_it_refuses_a_gap_between_bands(db):
    data = default_input()
    data.bands = [("优秀", "20", None), ("称职", "0", "10")]
    assert "空档" in _refused(data)


def test_it_refuses_a_missing_level(db):
    data = default_input()
    del data.points[(RuleKind.ADOPTED, "provincial")]
    assert "缺少“单篇采用（省级）”的分值" in _refused(data)


def test_it_refuses_nonsense_numbers_and_shares_above_one(db):
    data = default_input()
    data.points[(RuleKind.SUBMITTED, "")] = "一分"
    data.params["lead_share"] = "1.5"
    message = _refused(data)
    assert "不是有效数字" in message and "应在 0 到 1 之间" in message


def test_it_refuses_rule_changes_by_anyone_but_an_admin(cast):
    assert "只有系统管理员" in _refused(default_input(), user=cast.editor)


def test_it_versions_rule_sets_and_records_each_change_as_an_event(db):
    from minyi.audit.models import Event

    make_rules()
    second = make_rules(year_cap="50")
    assert second.version == 2
    event = Event.objects.filter(verb="score_rules_change").last()
    assert any("个人年度上限" in change for change in event.payload["changes"])
