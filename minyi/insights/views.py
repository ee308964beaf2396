"""The dashboard for leaders and the office, and each figure as an Excel download."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from minyi.audit.trail import filters_of, record_export
from minyi.core import clock, mime
from minyi.core.fields import BoundedDateField
from minyi.insights.stats import FIGURES, Filters, all_figures
from minyi.insights.summary import overdue_now, summary_tiles
from minyi.insights.xlsx import figure_workbook
from minyi.people.decorators import role_required
from minyi.people.models import Organization, Role, Sector
from minyi.reports.access import visible_reports
from minyi.reports.categories import CategoryChoiceField

#: Who may read the dashboard; members and liaisons see their own lists instead.
DASHBOARD_ROLES = (Role.LEADER, Role.EDITOR, Role.APPROVER, Role.ADMIN)
#: How many past years the year filter offers.
YEARS_BACK = 10


QUARTERS = [("", "全年"), *((str(q), f"第{q}季度") for q in range(1, 5))]


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    quarter = forms.TypedChoiceField(
        label="季度", required=False, coerce=int, empty_value=None, choices=QUARTERS
    )
    since = BoundedDateField(
        label="报送日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = BoundedDateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ModelChoiceField(
        label="报送单位",
        required=False,
        empty_label="全部单位",
        queryset=Organization.objects.filter(active=True),
    )
    sector = forms.ModelChoiceField(
        label="界别（第一反映人）",
        required=False,
        empty_label="全部界别",
        queryset=Sector.objects.all(),
    )
    category = CategoryChoiceField(
        label="类别", required=False, empty_label="全部类别", parents_selectable=True
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        this_year = clock.localdate().year
        years = [(str(y), f"{y}年") for y in range(this_year, this_year - YEARS_BACK, -1)]
        self.fields["year"].choices = [("", "全部年度"), *years]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = f"{field.label}的选项无效，请重新选择。"
        for name in ("since", "until"):
            self.fields[name].error_messages["invalid"] = "日期格式不对，请按 年-月-日 填写。"

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("quarter") and not data.get("year"):
            self.add_error("quarter", "按季度查看时请同时选择年度。")
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "起始日期不能晚于截止日期。")
        return data


def _filters(request: HttpRequest) -> tuple[FilterForm, Filters]:
    """Read the filters; with none given, the current year (the usual question)."""
    data = request.GET if request.GET else {"year": str(clock.localdate().year)}
    form = FilterForm(data)
    if not form.is_valid():
        # A stale or mistyped link: the errors show beside the fields, the figures
        # cover everything rather than a guess.
        return form, Filters(every_submitted=request.user.is_office)
    clean = form.cleaned_data
    return form, Filters(
        year=clean["year"],
        quarter=clean["quarter"],
        since=clean["since"],
        until=clean["until"],
        unit_id=clean["unit"].pk if clean["unit"] else None,
        sector_id=clean["sector"].pk if clean["sector"] else None,
        category_id=clean["category"].pk if clean["category"] else None,
        every_submitted=request.user.is_office,
    )


@role_required(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    base = visible_reports(request.user)
    figures = all_figures(filters, base)
    overdue = overdue_now(base, every=request.user.is_office)
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "tiles": summary_tiles(filters, figures, overdue),
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
