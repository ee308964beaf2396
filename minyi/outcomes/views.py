"""Outcome pages: forwardings waiting for feedback, recording 采用/批示, forwarding reports.

Forwardings are reached only through ``get_forwarding_for`` or
``visible_forwardings``; every change goes through an ``outcomes.actions`` function
and a refusal (``ActionRefused``) is shown beside the form, with nothing stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.outcomes import forms
from minyi.outcomes.access import get_forwarding_for, visible_forwardings
from minyi.outcomes.actions import (
    do_forward,
    do_record_adoption,
    do_record_instruction,
    do_record_not_adopted,
)
from minyi.outcomes.models import Forwarding, ForwardingState, Recipient
from minyi.outcomes.workflow import FORWARDINGS
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports.access import get_report_for
from minyi.reports.models import OUT_STATES

PAGE_SIZE = 50


editor_required = role_required(Role.EDITOR)


def _days_since(forwarding: Forwarding) -> int:
    return (clock.localdate() - timezone.localtime(forwarding.forwarded_at).date()).days


# --- Pending list -------------------------------------------------------------


@editor_required
def pending(request: HttpRequest) -> HttpResponse:
    form = forms.PendingFilterForm(request.GET or None)
    state, recipient = form.chosen()
    rows = (
        visible_forwardings(request.user)
        .select_related("report", "recipient", "issue", "issue__bulletin", "adoption")
        .annotate(instruction_count=Count("instructions"))
    )
    if state != forms.ALL:
        rows = rows.filter(state=state)
    if recipient:
        rows = rows.filter(recipient=recipient)
    # Waiting longest first is what the editor chases; finished ones newest first.
    order = ("forwarded_at", "id") if state == ForwardingState.PENDING else ("-forwarded_at", "-id")
    page = Paginator(rows.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    for forwarding in page.object_list:
        forwarding.days_waiting = _days_since(forwarding)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "state_label": dict(form.fields["state"].choices)[state],
    }
    return render(request, "outcomes/pending.html", context)


# --- One forwarding: adoption, not adopted, instructions ---------------------


def _forwarding_page(
    request: HttpRequest,
    forwarding: Forwarding,
    *,
    adoption_form: Form | None = None,
    instruction_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "forwarding": forwarding,
        "adoption": getattr(forwarding, "adoption", None),
        "instructions": list(forwarding.instructions.select_related("recorded_by")),
        "adoption_form": adoption_form or forms.AdoptionForm(),
        "instruction_form": instruction_form or forms.InstructionForm(),
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
            return redirect("outcomes:forwarding", forwarding.pk)
    return _forwarding_page(request, forwarding, adoption_form=form, status=400)


@editor_required
@require_POST
def not_adopted(request: HttpRequest, pk: int) -> HttpResponse:
    forwarding = get_forwarding_for(request.user, pk, write=True)
    try:
        do_record_not_adopted(forwarding, request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已登记为未采用，作者将收到通知。")
    return redirect("outcomes:forwarding", forwarding.pk)


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
            return redirect("outcomes:forwarding", forwarding.pk)
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
