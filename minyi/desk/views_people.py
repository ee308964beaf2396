"""Terms (换届) and information-officer appointments: the office's pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.duties.forms import AppointForm, ChangeTermForm, RemoveOfficerForm
from minyi.duties.terms import do_appoint, do_change_term, do_remove, term_members
from minyi.people.decorators import role_required
from minyi.people.models import Role, Term
from minyi.people.terms import OfficerAppointment

#: Who keeps the officer appointments: the research office.
OFFICER_ROLES = (Role.EDITOR, Role.ADMIN)
#: Appointments a page of 特约信息员聘任 shows, as the other long lists do.
PAGE_SIZE = 100


def _terms_page(
    request: HttpRequest, form: ChangeTermForm, current: Term | None, status: int = 200
) -> HttpResponse:
    # Serving and left counted per term in one grouped query, not two counts per term.
    terms = Term.objects.annotate(
        serving=Count("memberships", filter=Q(memberships__left_on__isnull=True)),
        left=Count("memberships", filter=Q(memberships__left_on__isnull=False)),
    ).order_by("-start_year")
    context = {"terms": terms, "form": form, "current": current}
    return render(request, "duties/terms.html", context, status=status)


@role_required(Role.ADMIN)
def terms(request: HttpRequest) -> HttpResponse:
    current = Term.objects.filter(current=True).first()
    serving = term_members(current) if current else []
    form = ChangeTermForm(request.POST or None, serving=serving)
    if request.method != "POST":
        return _terms_page(request, form, current)
    if form.is_valid():
        data = form.cleaned_data
        try:
            term = do_change_term(
                request.user,
                name=data["name"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                starts_on=data["starts_on"],
                continuing={m.pk for m in data["continuing"]},
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            kept = len(data["continuing"])
            messages.success(
                request, f"已换届为{term.name}：留任 {kept} 人，离任 {len(serving) - kept} 人。"
            )
            return redirect("members:terms")
    return _terms_page(request, form, current, status=400)


def _officers_page(request: HttpRequest, form: AppointForm, status: int = 200) -> HttpResponse:
    rows = OfficerAppointment.objects.select_related("member", "member__sector").order_by(
        "removed_on", "-appointed_on", "id"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "appointments": page.object_list,
        "page": page,
        "form": form,
        "remove_form": RemoveOfficerForm(),
    }
    return render(request, "duties/officers.html", context, status=status)


@role_required(*OFFICER_ROLES)
def officers(request: HttpRequest) -> HttpResponse:
    form = AppointForm(request.POST or None)
    if request.method != "POST":
        return _officers_page(request, form)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_appoint(
                request.user,
                data["member"],
                appointed_on=data["appointed_on"],
                letter=data["letter"],
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已聘任{data['member'].name}为特约信息员。")
            return redirect("members:officers")
    return _officers_page(request, form, status=400)


@role_required(*OFFICER_ROLES)
@require_POST
def remove_officer(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = OfficerAppointment.objects.select_related("member").filter(pk=pk).first()
    if appointment is None:
        raise Http404("没有找到该聘任记录。")
    form = RemoveOfficerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("members:officers")
    data = form.cleaned_data
    try:
        do_remove(
            request.user,
            appointment,
            removed_on=data["removed_on"],
            letter=data["letter"],
            reason=data["reason"],
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已解聘{appointment.member.name}，其聘任期内的任务照常统计。")
    return redirect("members:officers")
