"""Suggestions for the report form's member search fields, fetched as one types."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minyi.reports.actions import units_for
from minyi.reports.forms import member_choices
from minyi.reports.member_fields import member_token, search_members

#: The fields' names: htmx sends the typing field's value under its own name.
QUERY_NAMES = ("q", "lead", "cosigners_find")


@login_required
def member_search(request: HttpRequest) -> HttpResponse:
    """Members the user may credit on a new report whose name contains what was typed."""
    if not units_for(request.user):
        raise PermissionDenied("您还没有可以报送信息的单位，请联系研究室开通。")
    text = next((request.GET[k] for k in QUERY_NAMES if request.GET.get(k)), "")[:50]
    found = search_members(member_choices(request.user, None), text) if text.strip() else []
    tokens = [member_token(m) for m in found]
    return render(request, "reports/_member_options.html", {"tokens": tokens})
