"""One published item (the report as it appeared in an issued bulletin), for its authors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minyi.bulletins.access import get_published_item_for
from minyi.reports.models import Revision


@login_required
def published_item(request: HttpRequest, pk: int) -> HttpResponse:
    """The item as the issue carried it: masthead, the office's final text, the byline."""
    item = get_published_item_for(request.user, pk)
    report = item.report
    current = Revision.objects.filter(report=report, number=report.revision_number).first()
    context = {
        "item": item,
        "issue": item.issue,
        "text": (current or report).text_fields(),
        "authors": [ra.member.name for ra in report.report_authors.select_related("member")],
    }
    return render(request, "bulletins/item.html", context)
