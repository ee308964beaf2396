"""Reports with chosen text, indexed as the report actions will index them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from minyi.reports.models import Report
from minyi.search import index_report
from tests.factories import Cast, make_report

BODY = {
    "situation": "近年来群众反映较多。",
    "analysis": "原因有多方面。",
    "suggestions": "建议有关部门研究解决。",
}


def indexed(cast: Cast, title: str, *, state: str = "submitted", **kw: Any) -> Report:
    fields = {**BODY, **{k: kw.pop(k) for k in list(kw) if k in BODY}}
    report = make_report(cast, state=state, title=title, **fields, **kw)
    index_report(report)
    return report


def found(client: Any, q: str, **params: Any) -> list[int]:
    """Ids of the reports the search page lists, in order."""
    response = client.get(reverse("search:results"), {"q": q, **params})
    assert response.status_code == 200
    page = response.context["page"]
    return [hit.report.pk for hit in page] if page else []
