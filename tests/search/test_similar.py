"""Near-duplicates by SQL: band keys follow the text, lookups are exact and find planted pairs."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command

from minyi.reports.actions import do_save_text
from minyi.reports.models import Report, State
from minyi.search import similar_reports
from minyi.search.models import ReportDocument
from minyi.search.similar import report_text
from minyi.textlab.minhash import jaccard
from tests.factories import REPORT_TEXT, make_report, settle

pytestmark = pytest.mark.django_db

OTHER = {
    "title": "关于规范校外培训机构收费的建议",
    "situation": "部分培训机构预收学费周期长达两年，今年已有三家机构停业，家长退费无门。",
    "analysis": "预收费资金缺少第三方监管，退费规则不透明。",
    "suggestions": "建议教育局会同银行推行培训费资金托管，单次预收不超过三个月。",
}


def _edited(text: str, changes: int, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(changes):
        chars[rng.randrange(len(chars))] = rng.choice("的了是在有和")
    return "".join(chars)


def _band_keys(report: Report) -> list[str]:
    return ReportDocument.objects.get(report=report).band_keys.split()


def test_the_index_consumer_writes_band_keys_once_the_report_is_created(cast):
    report = make_report(cast)
    assert not ReportDocument.objects.filter(report=report).exists()
    settle()  # What the nudge after commit does.
    # 25 bands of 5 rows: one key per band, written by the search_index consumer.
    keys = _band_keys(report)
    assert len(keys) == len(set(keys)) == 25
    assert all(k.startswith("k") and len(k) == 17 for k in keys)


def test_it_finds_an_earlier_report_with_nearly_the_same_text(cast):
    first = make_report(cast, state="submitted")
    make_report(cast, state="submitted", **OTHER)
    settle()
    text = report_text(first).replace("86万", "87万")
    found = similar_reports(text)
    assert [s.report_id for s in found] == [first.pk]
    # The score is the exact 3-gram Jaccard, not the MinHash estimate.
    assert found[0].jaccard == round(jaccard(text, report_text(first)), 4)


def test_it_follows_an_edit_of_the_text(cast):
    report = make_report(cast)
    settle()
    do_save_text(report, cast.member, fields=OTHER, base_revision=report.revision_number)
    settle()
    assert similar_reports(report_text(Report(**REPORT_TEXT))) == []
    assert [s.report_id for s in similar_reports(similarity_of(OTHER))] == [report.pk]


def similarity_of(fields: dict[str, str]) -> str:
    return report_text(Report(**fields))


def test_it_leaves_out_excluded_ids_and_reports_outside_among(cast):
    draft = make_report(cast)
    sent = make_report(cast, state="submitted")
    settle()
    text = report_text(draft)
    assert {s.report_id for s in similar_reports(text)} == {draft.pk, sent.pk}
    assert [s.report_id for s in similar_reports(text, exclude=[draft.pk])] == [sent.pk]
    no_drafts = Report.objects.exclude(state=State.DRAFT)
    assert [s.report_id for s in similar_reports(text, among=no_drafts)] == [sent.pk]


def test_it_returns_nothing_for_empty_text(cast):
    make_report(cast)
    assert similar_reports("   ") == []


def test_it_finds_planted_pairs_above_the_threshold_and_nothing_below(cast):
    rng = random.Random(7)
    alphabet = "城市社区居民养老医疗教育交通环境住房就业收入安全食品农村道路公园学校医院"
    bases = ["".join(rng.choices(alphabet, k=400)) for _ in range(60)]
    reports = [
        Report(title=f"第{i}篇", situation=text, created_by=cast.member, state=State.SUBMITTED)
        for i, text in enumerate(bases)
    ]
    Report.objects.bulk_create(reports)
    call_command("rebuild_search_index", stdout=io.StringIO())
    hits = misses = 0
    for report, base in zip(reports, bases, strict=True):
        copy = f"第{report.title[1:]}" + _edited(base, rng.randrange(4, 14), rng)
        truth = jaccard(copy, report_text(report))
        found = {s.report_id: s.jaccard for s in similar_reports(copy, threshold=0.7)}
        # Precision 1.0: everything returned really is at or above the threshold.
        assert all(score >= 0.7 for score in found.values())
        if truth >= 0.7:
            hits += report.pk in found
            misses += report.pk not in found
    assert hits + misses >= 50
    assert hits / (hits + misses) >= 0.98


def test_it_rebuilds_band_keys_for_every_report_and_finds_them_again(cast):
    first = make_report(cast)
    make_report(cast, **OTHER)
    settle()
    keys = _band_keys(first)
    ReportDocument.objects.all().delete()
    assert similar_reports(report_text(first)) == []
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert _band_keys(first) == keys
    assert [s.report_id for s in similar_reports(report_text(first))] == [first.pk]


def test_edits_and_deletions_keep_the_full_text_indexes_consistent(cast):
    from django.db import connection

    kept, gone = make_report(cast), make_report(cast, **OTHER)
    settle()
    do_save_text(kept, cast.member, fields=OTHER, base_revision=kept.revision_number)
    gone.delete()
    settle()
    assert [s.report_id for s in similar_reports(similarity_of(OTHER))] == [kept.pk]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises when an index disagrees with its rows
            for table in ("search_fts", "search_band_fts"):
                cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
