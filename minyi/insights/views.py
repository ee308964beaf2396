"""The dashboard for leaders and the office, and each figure as an Excel download."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from minyi.audit.trail import filters_of, record_export
from minyi.core import clock, mime
from minyi.insights.stats import FIGURES, Filters, all_figures
from minyi.insights.xlsx import figure_workbook
from minyi.people.decorators import role_required
from minyi.people.models import Organization, Role
from minyi.reports.access import visible_reports
from minyi.reports.models import Category

#: Who may read the dashboard; members and liaisons see their own lists instead.
DASHBOARD_ROLES = (Role.LEADER, Role.EDITOR, Role.APPROVER, Role.ADMIN)
#: How many past years the year filter offers.
YEARS_BACK = 10


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    unit = forms.ModelChoiceField(
        label="报送单位",
        required=False,
        empty_label="全部单位",
        queryset=Organization.objects.filter(active=True),
    )
    category = forms.ModelChoiceField(
        label="类别",
        required=False,
        empty_label="全部类别",
        queryset=Category.objects.filter(parent__isnull=True),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        this_year = clock.localdate().year
        years = [(str(y), f"{y}年") for y in range(this_year, this_year - YEARS_BACK, -1)]
        self.fields["year"].choices = [("", "全部年度"), *years]


def _filters(request: HttpRequest) -> tuple[FilterForm, Filters]:
    """Read the filters; with none given, the current year (the usual question)."""
    data = request.GET if request.GET else {"year": str(clock.localdate().year)}
    form = FilterForm(data)
    if not form.is_valid():
        # A stale or mistyped link: show everything rather than an error page.
        return form, Filters(every_submitted=request.user.is_office)
    clean = form.cleaned_data
    return form, Filters(
        year=clean["year"],
        unit_id=clean["unit"].pk if clean["unit"] else None,
        category_id=clean["category"].pk if clean["category"] else None,
        every_submitted=request.user.is_office,
    )


@role_required(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    figures = all_figures(filters, visible_reports(request.user))
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "query": urlencode(filters.as_query()),
            # Leaders see only what has gone out, so say so beside the numbers.
            "sees_everything": request.user.is_office,
        },
    )


@role_required(*DASHBOARD_ROLES)
def figure_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    build = FIGURES.get(slug)
    if build is None:
        raise Http404("没有这张统计图表。")
    _, filters = _filters(request)
    figure = build(filters, visible_reports(request.user))
    response = HttpResponse(figure_workbook(figure), content_type=mime.XLSX)
    filename = f"{figure.title}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{slug}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    record_export(
        request.user,
        what=f"figure:{slug}",
        filters=filters_of(request.GET),
        rows=len(figure.rows),
        title=figure.title,
    )
    return response
