"""Shared setup for scoring tests: an admin, the host, a rule set for this year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from minyi.core import clock
from minyi.people.models import OrgKind, Role, User
from minyi.scoring.ledger import recompute_year
from minyi.scoring.models import Score, ScoreRuleSet
from minyi.scoring.rules import default_input, do_save_ruleset
from tests.factories import make_org, make_user


def make_admin() -> User:
    existing = User.objects.filter(username="admin").first()
    return existing or make_user("admin", Role.ADMIN, display_name="管理员")


def this_year() -> int:
    return clock.localdate().year


def make_rules(year: int | None = None, **params: Any) -> ScoreRuleSet:
    """The default scheme with ``params`` changed, saved by the admin (version n+1)."""
    make_org("示范市政协", OrgKind.HOST)
    data = default_input()
    data.params.update(params.pop("params", {}))
    for (kind, level), value in params.pop("points", {}).items():
        data.points[(kind, level)] = Decimal(str(value))
    data.params.update(params)
    return do_save_ruleset(make_admin(), year or this_year(), data, note="测试")


def ledger(year: int | None = None) -> list[tuple]:
    """Every ledger row of the year without its id, sorted: for comparing two ledgers."""
    fields = (
        "event_id",
        "member_id",
        "unit_id",
        "report_id",
        "rule_id",
        "campaign_id",
        "kind",
        "level",
        "base",
        "share",
        "points",
        "note",
    )
    rows = Score.objects.filter(year=year or this_year()).values_list(*fields)
    return sorted(rows, key=repr)


def points_of(member_id: int, year: int | None = None) -> Decimal:
    total = sum(
        Score.objects.filter(year=year or this_year(), member_id=member_id).values_list(
            "points", flat=True
        ),
        Decimal(0),
    )
    return Decimal(total).quantize(Decimal("0.01"))


def recompute(year: int | None = None) -> int:
    return recompute_year(year or this_year())
