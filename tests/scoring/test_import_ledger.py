"""Imported reports reach the points ledger through the event log, as single actions do."""

from __future__ import annotations

from minyi.exchange import bulk
from minyi.scoring import ledger as scoring_ledger
from minyi.scoring.models import Score
from tests.factories import settle
from tests.scoring.helpers import ledger, make_rules, recompute


def _entry(cast, title: str, *authors) -> dict:
    values = {"title": title, "situation": f"{title}的情况。", "analysis": ""}
    values["suggestions"] = "建议有关部门研究解决。"
    return {
        "values": values,
        "informant": "",
        "author_ids": [a.member.pk for a in authors],
        "unit_id": cast.unit.pk,
        "category_id": cast.category.pk,
        "date": "2024-05-06",
    }


def _import_then_compare_with_recompute(cast) -> None:
    make_rules()
    entries = [
        _entry(cast, "关于公交站台增设遮雨棚的建议", cast.member),
        _entry(cast, "关于规范校外培训机构收费的建议", cast.member, cast.officer),
        _entry(cast, "关于老旧小区加装电梯的建议", cast.officer),
    ]
    ids = bulk.create_submitted(entries, cast.editor, job_id=1)
    settle()
    incremental = ledger()
    assert Score.objects.filter(report_id__in=ids).values("report_id").distinct().count() == 3
    assert {row[1] for row in incremental} >= {cast.member.member.pk, cast.officer.member.pk}
    recompute()
    assert ledger() == incremental


def test_a_historical_import_gives_the_ledger_recompute_scores_gives(cast):
    _import_then_compare_with_recompute(cast)  # Member by member (a small import).


def test_a_large_import_recomputes_the_year_and_gets_the_same_ledger(cast, monkeypatch):
    monkeypatch.setattr(scoring_ledger, "RECOMPUTE_OVER", 1)  # Three reports count as large.
    _import_then_compare_with_recompute(cast)
