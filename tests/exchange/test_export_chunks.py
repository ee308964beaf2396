"""Long exports are read a chunk at a time, each chunk with its own prefetch of the authors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.exchange import exports
from tests.exchange.conftest import read_sheet
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_it_exports_every_row_with_its_authors_across_chunks(cast, client_for, monkeypatch):
    # Two rows a chunk: five reports take three chunks, three prefetches of the authors.
    monkeypatch.setattr(exports, "CHUNK", 2)
    for n in range(5):
        by = cast.member if n % 2 else cast.officer
        make_report(cast, by=by, state="submitted", title=f"第{n}篇")
    response = client_for(cast.editor).get(reverse("exchange:export_reports"), {"list": "all"})
    rows = read_sheet(response.getvalue())[1:]
    assert sorted((r[0], r[4]) for r in rows) == [
        ("第0篇", "李华"),
        ("第1篇", "张明"),
        ("第2篇", "李华"),
        ("第3篇", "张明"),
        ("第4篇", "李华"),
    ]
