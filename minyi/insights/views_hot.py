"""The hot-topics page (热点难点) for editors and leaders."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minyi.insights.hot import topics_for
from minyi.people.decorators import role_required
from minyi.people.models import Role

HOT_ROLES = (Role.EDITOR, Role.LEADER)
PERIODS = [(30, "近 30 天"), (90, "近 90 天"), (180, "近半年"), (365, "近一年")]
WINDOWS = [(7, "7 天"), (14, "14 天"), (30, "30 天")]


class HotForm(forms.Form):
    days = forms.TypedChoiceField(
        label="时间范围", choices=PERIODS, coerce=int, initial=90, required=False
    )
    window = forms.TypedChoiceField(
        label="增长观察期",
        choices=WINDOWS,
        coerce=int,
        initial=14,
        required=False,
        help_text="与本话题此前每个同样长的时段相比，判断是否快速增长",
    )


@role_required(*HOT_ROLES)
def hot_topics(request: HttpRequest) -> HttpResponse:
    form = HotForm(request.GET or None)
    days, window = 90, 14
    if form.is_valid():
        days = form.cleaned_data["days"] or days
        window = form.cleaned_data["window"] or window
    topics = topics_for(request.user, days=days, window_days=window)
    context = {"form": form, "topics": topics, "days": days, "window": window}
    return render(request, "insights/hot_topics.html", context)
