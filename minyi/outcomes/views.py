"""Outcome pages: one forwarding's outcomes (采用、未采用、批示) and forwarding reports.

The register of all forwardings, batch registration and 催办 are in
``desk.views_register`` and ``desk.views_chase``. The forms here may also be
posted from the workbench's outcomes panel, which passes ``next`` to come back.

Forwardings are reached only through ``get_forwarding_for`` or
``visible_forwardings``; every change goes through an ``outcomes.actions`` function
and a refusal (``ActionRefused``) is shown beside the form, with nothing stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.outcomes import forms
from minyi.outcomes.access import get_forwarding_for
from minyi.outcomes.actions import (
    do_forward,
    do_record_adoption,
    do_record_instruction,
    do_record_not_adopted,
)
from minyi.outcomes.models import Forwarding, Recipient
from minyi.outcomes.workflow import FORWARDINGS
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports.access import get_report_for
from minyi.reports.models import OUT_STATES

editor_required = role_required(Role.EDITOR)


def _days_since(forwarding: Forwarding) -> int:
    return (clock.localdate() - timezone.localtime(forwarding.forwarded_at).date()).days


def _done(request: HttpRequest, forwarding: Forwarding) -> str:
    """After a recorded outcome: the page it came from (if ours), else the forwarding's."""
    candidate = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if candidate and allowed:
        return candidate
    return reverse("outcomes:forwarding", args=[forwarding.pk])


# --- One forwarding: adoption, not adopted, instructions ---------------------


def _forwarding_page(
    request: HttpRequest,
    forwarding: Forwarding,
    *,
    adoption_form: Form | None = None,
    instruction_form: Form | None = None,
    not_adopted_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "forwarding": forwarding,
        "adoption": getattr(forwarding, "adoption", None),
        "instructions": list(forwarding.instructions.select_related("recorded_by")),
        "adoption_form": adoption_form or forms.AdoptionForm(),
        "instruction_form": instruction_form or forms.InstructionForm(),
        "not_adopted_form": not_adopted_form or forms.NotAdoptedForm(auto_id="na_%s"),
        "days_waiting": _days_since(forwarding),
        "can_mark_not_adopted": FORWARDINGS.allows(forwarding, "not_adopted", request.user),
    }
    return render(request, "outcomes/forwarding.html", context, status=status)


@editor_required
def forwarding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forwarding = get_forwarding_for(request.user, pk, write=True)
    return _forwarding_page(request, forwarding)


@editor_required
@require_POST
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    forwarding = get_forwarding_for(request.user, pk, write=True)
    form = forms.AdoptionForm(request.POST)
    if form.is_valid():
        try:
            do_record_adoption(forwarding, request.user, **form.cleaned_data)
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已登记采用情况，作者将收到通知。")
            return redirect(_done(request, forwarding))
    return _forwarding_page(request, forwarding, adoption_form=form, status=400)


@editor_required
@require_POST
def not_adopted(request: HttpRequest, pk: int) -> HttpResponse:
    """登记为未采用: a coded reason, a note, and the confirmation box ticked."""
    forwarding = get_forwarding_for(request.user, pk, write=True)
    form = forms.NotAdoptedForm(request.POST, auto_id="na_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_record_not_adopted(
                forwarding, request.user, reason=data["reason"], note=data["note"]
            )
        except ActionRefused as exc:
            # Refused by the state (done meanwhile): the form is gone from the page, say it there.
            messages.error(request, str(exc))
        else:
            messages.success(request, "已登记为未采用，作者将收到通知。")
        return redirect(_done(request, forwarding))
    return _forwarding_page(request, forwarding, not_adopted_form=form, status=400)


@editor_required
@require_POST
def instruct(request: HttpRequest, pk: int) -> HttpResponse:
    forwarding = get_forwarding_for(request.user, pk, write=True)
    form = forms.InstructionForm(request.POST)
    if form.is_valid():
        try:
            do_record_instruction(forwarding, request.user, **form.cleaned_data)
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已登记领导批示，作者将收到通知。")
            return redirect(_done(request, forwarding))
    return _forwarding_page(request, forwarding, instruction_form=form, status=400)


# --- Forward a published or fast-tracked report --------------------------------


@editor_required
def forward(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = get_report_for(request.user, report_pk)
    done = list(report.forwardings.select_related("recipient", "issue").order_by("forwarded_at"))
    open_recipients = Recipient.objects.filter(active=True).exclude(
        pk__in=[f.recipient_id for f in done]
    )
    data = request.POST if request.method == "POST" else None
    form = forms.ForwardForm(data, open_recipients=open_recipients)
    if data is not None and form.is_valid():
        try:
            created = do_forward(
                report,
                list(form.cleaned_data["recipients"]),
                request.user,
                note=form.cleaned_data["note"],
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            names = "、".join(f.recipient.name for f in created)
            messages.success(request, f"已报送{names}，作者将收到通知。")
            return redirect("outcomes:forward", report.pk)
    context = {
        "report": report,
        "done": done,
        "form": form,
        "can_forward": report.state in OUT_STATES,
    }
    return render(request, "outcomes/forward.html", context, status=400 if form.errors else 200)
