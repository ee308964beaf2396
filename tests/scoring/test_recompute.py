"""The ledger is a projection: after-commit updates give exactly what a full recompute gives."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from minyi.demo.loader import SMALL, load_demo
from minyi.people.models import OrgKind, Role
from minyi.scoring.models import Score
from minyi.scoring.rules import default_input, do_save_ruleset
from tests.factories import make_org, make_user
from tests.scoring.helpers import ledger, this_year

pytestmark = pytest.mark.django_db(transaction=True)


def _rules(**params) -> None:
    admin = make_user("rules-admin", Role.ADMIN)
    make_org(settings.HOST_NAME, OrgKind.HOST)
    for year in (this_year() - 1, this_year()):
        data = default_input()
        data.params.update(params)
        do_save_ruleset(admin, year, data)


@pytest.mark.parametrize(
    "params",
    [
        {},
        # Tight caps, a small lead share and cumulative levels make the result
        # depend on event order: the strictest check of the incremental path.
        {"item_cap": "4", "year_cap": "9", "lead_share": "0.5", "highest_level_only": False},
    ],
    ids=["default-scheme", "tight-caps"],
)
def test_it_gives_the_same_ledger_incrementally_as_by_recompute_over_the_demo(params):
    _rules(**params)
    load_demo(SMALL)  # a year of work through the real actions; the ledger follows each commit
    years = (this_year() - 1, this_year())
    incremental = {year: ledger(year) for year in years}
    assert sum(len(rows) for rows in incremental.values()) > 50
    for year in years:
        call_command("recompute_scores", str(year), stdout=io.StringIO())
    assert {year: ledger(year) for year in years} == incremental


def test_it_recomputes_to_the_same_ledger_twice(cast):
    _rules()
    from tests.factories import make_report

    make_report(cast, state="published")
    before = ledger()
    call_command("recompute_scores", str(this_year()), stdout=io.StringIO())
    assert ledger() == before
    assert Score.objects.filter(year=this_year()).count() == len(before)
