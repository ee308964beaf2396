"""The dashboard for leaders and the office, and each figure as an Excel download."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from minyi.audit.trail import filters_of, record_export
from minyi.core import clock, mime
from minyi.core.fields import BoundedDateField
from minyi.core.wording import printable
from minyi.insights.stats import FIGURES, Filters, all_figures
from minyi.insights.summary import overdue_now, summary_tiles
from minyi.insights.xlsx import figure_workbook
from minyi.people.decorators import role_required
from minyi.people.models import Organization, Role, Sector
from minyi.reports.access import own_reports, visible_reports
from minyi.reports.categories import CategoryChoiceField
from minyi.reports.models import Report

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

    #: Fields dropped together when ``clean`` finds them inconsistent.
    ignored_together: tuple[str, ...] = ()

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("quarter") and not data.get("year"):
            self.add_error("quarter", "按季度查看时请同时选择年度。")
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            # Neither date is applied (which one is wrong is the reader's call).
            self.ignored_together = ("since", "until")
            self.add_error("until", "起始日期不能晚于截止日期。")
        return data

    def value(self, name: str) -> Any:
        """A field's cleaned value, or ``None`` when that field is invalid.

        Per field, not per form: one mistyped filter must not drop the others (the
        figures would then cover every year and unit while looking filtered).
        """
        self.is_valid()  # cleans once; a field with an error has no cleaned value
        if name in self.errors or name in self.ignored_together:
            return None
        return self.cleaned_data.get(name)

    def ignored(self) -> list[str]:
        """The labels of the filters sent but not applied (each has its message)."""
        self.is_valid()
        names = [n for n in self.fields if n in self.errors or n in self.ignored_together]
        return [str(self.fields[n].label) for n in names]

    def pk(self, name: str) -> int | None:
        chosen = self.value(name)
        return chosen.pk if chosen else None


def _filters(request: HttpRequest) -> tuple[FilterForm, Filters]:
    """Read the filters; with none given, the current year (the usual question)."""
    data = request.GET if request.GET else {"year": str(clock.localdate().year)}
    form = FilterForm(data)
    # A stale or mistyped link: only its invalid filters are dropped (the page names
    # them above the figures), the others still apply.
    return form, Filters(
        year=form.value("year"),
        quarter=form.value("quarter"),
        since=form.value("since"),
        until=form.value("until"),
        unit_id=form.pk("unit"),
        sector_id=form.pk("sector"),
        category_id=form.pk("category"),
        every_submitted=request.user.is_office,
        leader_own=_leader_own(request.user),
    )


def _leader_own(user: Any) -> QuerySet[Report] | None:
    """A leader outside the office sees what went out and his own: his own reports."""
    if user.is_office or not user.has_role(Role.LEADER):
        return None
    return own_reports(user)


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
            "ignored": form.ignored(),
            # Leaders see only what has gone out, so say so beside the numbers.
            "sees_everything": request.user.is_office,
        },
    )


@role_required(*DASHBOARD_ROLES)
def figure_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    build = FIGURES.get(slug)
    if build is None:
        raise Http404("没有这张统计图表。")
    form, filters = _filters(request)
    if form.errors:
        return _refused_download(request, form)
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


def _refused_download(request: HttpRequest, form: FilterForm) -> HttpResponse:
    # A file named "2025年" that covers other years is worse than no file.
    # Django's messages could repeat the value sent: a "%00" in it would show as "�".
    errors = "；".join(printable(str(e)) for errors in form.errors.values() for e in errors)
    context = {"message": f"筛选条件有误，未导出：{errors}", "query": request.GET.urlencode()}
    return render(request, "insights/figure_refused.html", context, status=400)
