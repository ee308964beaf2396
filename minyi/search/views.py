"""The search page: every logged-in user searches the reports they may read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minyi.core.fields import BoundedDateField
from minyi.people.models import Organization
from minyi.reports.categories import CategoryChoiceField
from minyi.reports.models import State, Urgency
from minyi.search.backends import (
    LISTED_AT_MOST,
    Count,
    Filters,
    Hit,
    count_for_page,
    search_reports,
)
from minyi.search.terms import parse_query

PER_PAGE = 20


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=200)
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *State.choices]
    )
    unit = forms.ModelChoiceField(
        label="报送单位",
        required=False,
        queryset=Organization.objects.filter(active=True),
        empty_label="全部单位",
    )
    category = CategoryChoiceField(
        label="类别", required=False, empty_label="全部类别", parents_selectable=True
    )
    urgency = forms.ChoiceField(
        label="紧急程度", required=False, choices=[("", "全部"), *Urgency.choices]
    )
    date_from = BoundedDateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期，请重新选择。")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        keys = ("state", "unit", "category", "urgency", "date_from", "date_to")
        return Filters(**{k: data[k] for k in keys if data.get(k)})  # type: ignore[typeddict-item]


class _LazyHits:
    """Lets Paginator count and slice the results without loading them all."""

    def __init__(self, request: HttpRequest, query: str, filters: Filters) -> None:
        self.user, self.query, self.filters = request.user, query, filters
        self.total: int | None = None
        self.counted = Count(0)

    def count(self) -> int:
        self.counted = count_for_page(self.user, self.query, filters=self.filters)
        if self.counted.approximate:
            # Only the best are listed: ranking deeper than that reads most of the matches.
            return min(self.counted.n, LISTED_AT_MOST)
        # Kept for the page: up to RANK_WINDOW matches are ranked at once, no window sought.
        self.total = self.counted.n
        return self.total

    def __getitem__(self, page: slice) -> list[Hit]:
        start, stop = page.start or 0, page.stop or 0
        return search_reports(
            self.user,
            self.query,
            filters=self.filters,
            limit=stop - start,
            offset=start,
            total=self.total,
        )


def about(n: int) -> str:
    """A large estimate as people say it: 316,333 → "31.6 万", 25,400 → "2.5 万"."""
    if n >= 100_000_000:
        return f"{n / 100_000_000:.1f} 亿".replace(".0 ", " ")
    if n >= 10_000:
        return f"{n / 10_000:.1f} 万".replace(".0 ", " ")
    return f"{n:,}"


@login_required
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "page": None, "searched": False}
    if form.is_valid() and parse_query(form.cleaned_data["q"]):
        hits = _LazyHits(request, form.cleaned_data["q"], form.filters())
        context["page"] = Paginator(hits, PER_PAGE).get_page(request.GET.get("page"))
        context["estimate"] = about(hits.counted.n) if hits.counted.approximate else ""
        context["searched"] = True
        params = request.GET.copy()
        params.pop("page", None)
        context["query"] = params.urlencode()
    return render(request, "search/results.html", context)
