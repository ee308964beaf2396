"""Member-side report pages (placeholder until the member pages land)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from minyi.reports.access import get_report_for


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    return HttpResponse(report.title)
