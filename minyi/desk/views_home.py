"""The home page: no page of its own, it sends each person to where their work is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from minyi.deadlines.holidays import holiday_warning
from minyi.people.models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the page where their work is."""
    user = request.user
    if user.has_role(Role.EDITOR):
        return redirect("office:triage")
    if user.has_role(Role.APPROVER):
        return redirect("office:sign_off_queue")
    if user.has_role(Role.MEMBER, Role.LIAISON, Role.INFORMATION_OFFICER):
        return redirect("reports:mine")
    if user.has_role(Role.LEADER):
        return redirect("bulletins:reader")
    if user.has_role(Role.ADMIN):
        # Admins keep the system running: their home is the list of those tools.
        return render(request, "desk/admin_home.html", {"holiday_warning": holiday_warning()})
    return render(request, "desk/no_role.html")
