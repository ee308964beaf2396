"""The issue list shows this year; older issues are a year's link away."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.bulletins.actions import do_create_issue
from minyi.core import clock

pytestmark = pytest.mark.django_db


def test_it_lists_recent_years_and_offers_the_older_ones_by_year(cast, client_for):
    this_year = clock.localdate().year
    do_create_issue(cast.bulletin, cast.editor)
    do_create_issue(cast.bulletin, cast.editor, year=this_year - 5)
    client = client_for(cast.editor)
    page = client.get(reverse("bulletins:list")).content.decode()
    assert f"<h3>{this_year}年</h3>" in page
    assert f"<h3>{this_year - 5}年</h3>" not in page
    assert f'href="?year={this_year - 5}"' in page
    old = client.get(reverse("bulletins:list"), {"year": this_year - 5}).content.decode()
    assert f"<h3>{this_year - 5}年</h3>" in old and f"<h3>{this_year}年</h3>" not in old
    # A year without issues (or no year at all) falls back to this year.
    odd = client.get(reverse("bulletins:list"), {"year": "1999"}).content.decode()
    assert f"<h3>{this_year}年</h3>" in odd
