"""insert_plain_rows: many rows in one go, on either database, values stored as given."""

from __future__ import annotations

import pytest

from minyi.core.rows import insert_plain_rows
from minyi.search.models import ReportBand
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_it_inserts_every_row_with_its_values_and_counts_them(cast):
    first, second = make_report(cast), make_report(cast, title="关于规范校外培训的建议")
    ReportBand.objects.filter(report_id__in=[first.pk, second.pk]).delete()
    rows = [(r.pk, band, -(2**62) + band) for r in (first, second) for band in range(25)]
    assert insert_plain_rows(ReportBand._meta.db_table, ["report_id", "band", "key"], rows) == 50
    stored = set(
        ReportBand.objects.filter(report_id__in=[first.pk, second.pk]).values_list(
            "report_id", "band", "key"
        )
    )
    assert stored == set(rows)


def test_it_accepts_a_generator_and_an_empty_one(cast):
    report = make_report(cast)
    ReportBand.objects.filter(report_id=report.pk).delete()
    table, columns = ReportBand._meta.db_table, ["report_id", "band", "key"]
    assert insert_plain_rows(table, columns, iter(())) == 0
    assert insert_plain_rows(table, columns, ((report.pk, b, b) for b in range(3))) == 3
    assert ReportBand.objects.filter(report_id=report.pk).count() == 3
