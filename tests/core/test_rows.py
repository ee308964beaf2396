"""insert_plain_rows and insert_objects: many rows in one go, on either database."""

from __future__ import annotations

import pytest

from minyi.core import clock
from minyi.core.models import Counter
from minyi.core.rows import insert_objects, insert_plain_rows
from minyi.search.backends import document_for
from minyi.search.models import ReportDocument
from tests.factories import make_report

pytestmark = pytest.mark.django_db
TABLE, COLUMNS = Counter._meta.db_table, ["key", "year", "last"]


def test_it_inserts_every_row_with_its_values_and_counts_them():
    rows = [(f"bench-{i}", 2000 + i, i * 7) for i in range(50)]
    assert insert_plain_rows(TABLE, COLUMNS, rows) == 50
    stored = set(Counter.objects.filter(key__startswith="bench-").values_list(*COLUMNS))
    assert stored == set(rows)


def test_it_accepts_a_generator_and_an_empty_one():
    assert insert_plain_rows(TABLE, COLUMNS, iter(())) == 0
    assert insert_plain_rows(TABLE, COLUMNS, ((f"gen-{i}", 2024, i) for i in range(3))) == 3
    assert Counter.objects.filter(key__startswith="gen-").count() == 3


def test_insert_objects_stores_what_bulk_create_would_including_aware_times(cast):
    report = make_report(cast)
    ReportDocument.objects.filter(report=report).delete()
    doc = document_for(report)
    doc.indexed_at = clock.now().replace(microsecond=0)
    insert_objects(ReportDocument, [doc])
    stored = ReportDocument.objects.get(report=report)
    assert (stored.title_terms, stored.band_keys) == (doc.title_terms, doc.band_keys)
    assert stored.indexed_at == doc.indexed_at
