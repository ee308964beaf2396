"""The admins' audit page (审计日志) and its XLSX export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from minyi.audit.trail import filters_of, record_export
from minyi.core import mime
from minyi.insights.audit_export import EXPORT_LIMIT, export_events
from minyi.insights.audit_log import PAGE_SIZE, AuditFilterForm, filter_events, rows_for
from minyi.people.decorators import role_required
from minyi.people.models import Role


def _form(request: HttpRequest) -> AuditFilterForm:
    query = request.GET.copy()
    query.pop("page", None)
    return AuditFilterForm(query if query else None)


@role_required(Role.ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    status = 200
    if form.is_bound and not form.is_valid():
        page, status = None, 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        events = filter_events(request.user, data)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows_for(request.user, list(page.object_list)) if page else [],
        "page_range": page.paginator.get_elided_page_range(page.number) if page else [],
        "query": query.urlencode(),
        "export_limit": EXPORT_LIMIT,
    }
    return render(request, "insights/audit.html", context, status=status)


@role_required(Role.ADMIN)
def audit_export(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        context = {
            "form": form,
            "page": None,
            "rows": [],
            "query": "",
            "export_limit": EXPORT_LIMIT,
        }
        return render(request, "insights/audit.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    exported = export_events(request.user, filter_events(request.user, data))
    filename = f"审计日志-{timezone.localdate():%Y%m%d}.xlsx"
    record_export(
        request.user,
        what="audit_events",
        filters=filters_of(request.GET),
        rows=exported.rows,
        truncated=exported.truncated,
        name=filename,
    )
    return FileResponse(
        exported.file, as_attachment=True, filename=filename, content_type=mime.XLSX
    )
