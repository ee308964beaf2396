"""The office's figures skip the visible-set subquery and still count exactly what it sees."""

from __future__ import annotations

import dataclasses

import pytest

from minyi.insights.stats import FIGURES, Filters
from minyi.reports.access import visible_reports
from tests.factories import make_report, settle

pytestmark = pytest.mark.django_db


def test_office_figures_equal_those_counted_through_the_visible_set(cast):
    make_report(cast, title="未报送的草稿")
    make_report(cast, by=cast.editor, title="编辑自己的草稿")
    make_report(cast, state="submitted")
    make_report(cast, state="published")
    make_report(cast, by=cast.outsider, state="declined", unit=cast.other_unit)
    make_report(cast, state="withdrawn")
    settle()
    base = visible_reports(cast.editor)
    for filters in (Filters(), Filters(unit_id=cast.unit.pk), Filters(year=2000)):
        shortcut = dataclasses.replace(filters, every_submitted=True)
        for slug, build in FIGURES.items():
            assert build(shortcut, base).rows == build(filters, base).rows, slug
