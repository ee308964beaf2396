"""The office marks a report 内部/秘密 (or clears the marking): one POST, one event."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports.access import get_report_for
from minyi.reports.confidentiality import MARKING_ROLES, do_mark_confidentiality, marking_label
from minyi.reports.forms_confidentiality import ConfidentialityForm


@role_required(*MARKING_ROLES)
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    form = ConfidentialityForm(request.POST)
    if not form.is_valid():
        errors = "；".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"未能标注密级：{errors}")
        return redirect(_back(request, report.pk))
    level, until = form.marking()
    try:
        changed = do_mark_confidentiality(
            report, request.user, level=level, until=until, note=form.cleaned_data["note"]
        )
    except ActionRefused as exc:
        messages.error(request, f"未能标注密级：{exc}")
    else:
        label = marking_label(level, until) or "普通（未标注密级）"
        messages.success(request, f"密级已设为{label}。" if changed else "密级没有变化。")
    return redirect(_back(request, report.pk))


def _back(request: HttpRequest, pk: int) -> str:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    if request.user.has_role(Role.EDITOR):
        return reverse("office:workbench", args=[pk])
    return reverse("office:review", args=[pk])
