"""The research office pages: triage queue, workbench, merge and the approver's sign-off queue.

Views stay thin: every change goes through ``workflow.transition`` or a
``do_*`` function, and a refused move comes back as ``ActionRefused`` whose
message is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from minyi.audit.models import Event
from minyi.audit.statemachine import ActionRefused
from minyi.audit.verbs import ACCESS_VERBS
from minyi.bulletins.access import visible_issues
from minyi.bulletins.models import IssueItem, IssueState
from minyi.core.http import parse_ids
from minyi.deadlines.boards import attach_clocks, order_by_clock
from minyi.deadlines.clocks import catch_up
from minyi.deadlines.sla import clock_for
from minyi.desk.views import attachments_context
from minyi.desk.workbench_panels import outcomes_panel, ownership
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports import forms_office as forms
from minyi.reports.access import can_edit_text, get_report_for, visible_reports
from minyi.reports.actions import (
    ConflictError,
    check_merge,
    composite_starting_text,
    do_claim,
    do_mark_duplicate,
    do_merge,
    do_recategorize,
    do_save_text,
    do_take_over,
)
from minyi.reports.diff import revision_diff
from minyi.reports.models import (
    OFFICE_EDITABLE_STATES,
    Report,
    Revision,
    State,
    Urgency,
)
from minyi.reports.opinions import text_diff
from minyi.reports.sign_off import do_sign_off
from minyi.reports.triage import do_accept, do_screened_decline
from minyi.reports.workflow import (
    available_actions,
    check_transition,
    transition,
)

PAGE_SIZE = 50
FIELD_LABELS = {
    name: str(Revision._meta.get_field(name).verbose_name) for name in Revision.TEXT_FIELDS
}


def _next_url(request: HttpRequest, default: str) -> str:
    """Where to go after a POST: the page it came from, if it is ours."""
    candidate = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else default


def _cleaned(form: Any) -> dict[str, Any]:
    """Return a form's data, or raise its errors as one ActionRefused."""
    if form.is_valid():
        return form.cleaned_data
    raise ActionRefused("；".join(e for errors in form.errors.values() for e in errors))


# --- Triage queue -----------------------------------------------------------


@role_required(Role.EDITOR)
def triage(request: HttpRequest) -> HttpResponse:
    filters = forms.TriageFilterForm.base_fields
    # Only a submitted filter binds the form, so paging alone keeps the default ticks.
    bound = any(name in request.GET for name in filters)
    form = forms.TriageFilterForm(
        request.GET if bound else None, initial={"state": list(forms.TRIAGE_STATES)}
    )
    reports = form.apply(visible_reports(request.user).triage(), request.user).with_people()
    catch_up()
    if form.ordering() == forms.ORDER_BY_CLOCK:
        # The stored clocks' due times order the queue in the database; only the
        # shown page gets its clocks built.
        reports = order_by_clock(reports)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    attach_clocks(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "office/triage.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "mergeable": {State.SUBMITTED, State.ACCEPTED},
        },
    )


@role_required(Role.EDITOR)
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    release = request.POST.get("release") == "1"
    error = ""
    try:
        do_claim(report, request.user, release=release)
    except ActionRefused as exc:
        error = str(exc)
    if request.htmx:
        # Swap just the claim cell; the rest of the page stays as it is.
        context = {"report": report, "claim_error": error, "next_url": request.POST.get("next")}
        return render(request, "office/_claim.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "已取消认领。" if release else "已认领，其他编辑将看到由您处理。")
    return redirect(_next_url(request, reverse("office:triage")))


@role_required(Role.EDITOR)
@require_POST
def take_over(request: HttpRequest, pk: int) -> HttpResponse:
    """接手: make a report another editor claimed one's own; they are told by notification."""
    report = get_report_for(request.user, pk)
    error = ""
    try:
        do_take_over(report, request.user)
    except ActionRefused as exc:
        error = str(exc)
    if request.htmx and not error:
        # The whole page changes hands, not only the claim cell: the handling
        # buttons and the "held by" notice must be redrawn, so reload it.
        return HttpResponseClientRefresh()
    if request.htmx:
        context = {"report": report, "claim_error": error, "next_url": request.POST.get("next")}
        return render(request, "office/_claim.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "已接手，原认领人将收到通知。")
    return redirect(_next_url(request, reverse("office:workbench", args=[report.pk])))


@role_required(Role.EDITOR)
def merge(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    ids = set(parse_ids(source.getlist("ids")))
    reports = list(
        visible_reports(request.user)
        .filter(pk__in=ids)
        .with_people()
        .order_by("submitted_at", "id")
    )
    try:
        _check_mergeable(reports, ids, request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("office:triage")
    start = composite_starting_text(reports)
    form = forms.MergeForm(request.POST or None, initial=start)
    if request.method == "POST" and form.is_valid():
        try:
            composite = do_merge(
                reports, request.user, title=form.cleaned_data["title"], text=form.text()
            )
        except ActionRefused as exc:
            messages.error(request, str(exc))
            return redirect("office:triage")
        messages.success(
            request, f"已综合编报为《{composite.title}》，原稿件均已标记为“已综合”，署名全部保留。"
        )
        return redirect("office:workbench", composite.pk)
    status = 400 if form.errors else 200
    return render(request, "office/merge.html", {"reports": reports, "form": form}, status=status)


def _check_mergeable(reports: list[Report], ids: set[int], user: Any) -> None:
    if len(reports) != len(ids):
        raise ActionRefused("所选稿件中有的已不存在或您无权查看，请返回重新选择。")
    for report in reports:
        try:
            check_transition(report, "merge", user)
        except ActionRefused as exc:
            # Name the report: with several ticked, "which one" is the useful part.
            raise ActionRefused(f"《{report.title}》：{exc}") from exc
    check_merge(reports, user)


# --- Workbench --------------------------------------------------------------


@role_required(Role.EDITOR)
def workbench(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        return _save_text(request, get_report_for(request.user, pk, write=True))
    report = get_report_for(request.user, pk)
    form = forms.TextForm(initial={**report.text_fields(), "base_revision": report.revision_number})
    return _render_workbench(request, report, form)


def _save_text(request: HttpRequest, report: Report) -> HttpResponse:
    form = forms.TextForm(request.POST)
    if not form.is_valid():
        return _render_workbench(request, report, form, status=400)
    try:
        revision = do_save_text(
            report,
            request.user,
            fields=form.text_fields(),
            base_revision=form.cleaned_data["base_revision"],
            note=form.cleaned_data["note"],
        )
    except ConflictError as exc:
        latest = get_report_for(request.user, report.pk)
        form.add_error(None, str(exc))
        # Keep the editor's text but move the base on, so that saving again
        # after comparing with the latest version is a deliberate overwrite.
        form.data = form.data.copy()
        form.data["base_revision"] = str(latest.revision_number)
        conflict = revision_diff(latest.text_fields(), form.text_fields())
        return _render_workbench(request, latest, form, conflict=conflict, status=409)
    except ActionRefused as exc:
        form.add_error(None, str(exc))
        return _render_workbench(request, report, form, status=400)
    if revision is None:
        messages.info(request, "内容没有变化，未生成新版本。")
    else:
        messages.success(request, f"已保存为第 {revision.number} 版。")
    return redirect("office:workbench", report.pk)


def _render_workbench(
    request: HttpRequest,
    report: Report,
    form: forms.TextForm,
    *,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    held = ownership(report, user)
    context = {
        "report": report,
        "form": form,
        **held,
        "can_edit": can_edit_text(user, report) and not held["held_by_other"],
        "can_classify": report.state in OFFICE_EDITABLE_STATES and not held["held_by_other"],
        "classify_form": forms.ClassifyForm(
            initial={"category": report.category_id, "urgency": report.urgency}
        ),
        "decline_form": forms.DeclineForm(auto_id="decline_%s"),
        "offered": _offered_actions(report, user),
        "conflict": _rows(conflict) if conflict else None,
        "sources": report.merged_sources.all() if report.is_composite else (),
        **attachments_context(user, report),
        **outcomes_panel(report, user),
        "here": request.get_full_path(),
        **_text_context(report),
        **_timeline_context(report),
    }
    return render(request, "office/workbench.html", context, status=status)


def _offered_actions(report: Report, user: Any) -> set[str]:
    """The workflow's buttons plus the internal moves this page drives itself."""
    offered = {action for action, _ in available_actions(report, user)}
    for action in ("decline", "merge"):
        try:
            check_transition(report, action, user)
        except ActionRefused:
            continue
        offered.add(action)
    return offered


def _rows(diff: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(FIELD_LABELS[name], diff[name]) for name in Revision.TEXT_FIELDS]


def _text_context(report: Report) -> dict[str, Any]:
    """The submitted original beside the current text, and what changed between them."""
    original = report.original_revision()
    current = report.current_revision()
    rows = []
    if original and current:
        diff = revision_diff(original.text_fields(), current.text_fields())
        for name in Revision.TEXT_FIELDS:
            old, new = getattr(original, name), getattr(current, name)
            rows.append({"label": FIELD_LABELS[name], "old": old, "new": new, "diff": diff[name]})
    return {
        "original": original,
        "current": current,
        "text_rows": rows,
        "changed": original is not None and current is not None and original.pk != current.pk,
    }


def _timeline_context(report: Report) -> dict[str, Any]:
    # Downloads and exports of the report are for the audit page, not its history.
    events = list(
        Event.objects.for_report(report.pk)
        .exclude(verb__in=ACCESS_VERBS)
        .select_related("actor")
        .order_by("id")
    )
    return {"events": events, "clocks": clock_for(report, events)}


# --- Actions ----------------------------------------------------------------


@dataclass(frozen=True)
class OfficeAction:
    role: str
    run: Callable[[HttpRequest, Report], str]


def _move(action: str, done: str) -> Callable[[HttpRequest, Report], str]:
    """A plain workflow move; ``note`` is passed on, the workflow decides if it is required."""

    def run(request: HttpRequest, report: Report) -> str:
        note = _cleaned(forms.NoteForm(request.POST))["note"]
        transition(report, action, request.user, note=note)
        return done

    return run


def _accept(request: HttpRequest, report: Report) -> str:
    note = _cleaned(forms.NoteForm(request.POST))["note"]
    do_accept(report, request.user, note=note, ticked=request.POST.getlist("screening"))
    return "已受理，可以开始编辑。"


def _decline(request: HttpRequest, report: Report) -> str:
    data = _cleaned(forms.DeclineForm(request.POST))
    ticked = request.POST.getlist("screening")
    do_screened_decline(
        report, request.user, reason=data["reason"], note=data["note"], ticked=ticked
    )
    return f"已不予采用（{report.get_decline_reason_display()}），作者将收到通知。"


def _mark_duplicate(request: HttpRequest, report: Report) -> str:
    form = forms.DuplicateForm(request.POST)
    _cleaned(form)
    original = form.find_original(visible_reports(request.user))
    if original is None:
        raise ActionRefused("没有找到该流水号或编号对应的稿件，请核对后再试。")
    do_mark_duplicate(report, request.user, original=original)
    return f"已标记为重复，并入《{original.title}》（{original.serial}），作者署名保留。"


def _sign_off(request: HttpRequest, report: Report) -> str:
    read = request.POST.get("acknowledged") == "1"
    opinion = request.POST.get("opinion", "")
    do_sign_off(report, request.user, opinion=opinion, acknowledged=read)
    return f"已签发《{report.title}》，签发意见已记录。"


def _recategorize(request: HttpRequest, report: Report) -> str:
    data = _cleaned(forms.ClassifyForm(request.POST))
    changed = do_recategorize(
        report,
        request.user,
        category=data["category"],
        urgency=data["urgency"],
    )
    return "已更新类别和紧急程度。" if changed else "类别和紧急程度没有变化。"


#: action name in the URL → who may do it and what it does.
OFFICE_ACTIONS: dict[str, OfficeAction] = {
    "accept": OfficeAction(Role.EDITOR, _accept),
    "return": OfficeAction(Role.EDITOR, _move("return", "已退回作者修改，作者将收到理由。")),
    "decline": OfficeAction(Role.EDITOR, _decline),
    "mark_duplicate": OfficeAction(Role.EDITOR, _mark_duplicate),
    "send_for_sign_off": OfficeAction(Role.EDITOR, _move("send_for_sign_off", "已送审签。")),
    "send_directly": OfficeAction(Role.EDITOR, _move("send_directly", "已直报，请登记报送对象。")),
    "recategorize": OfficeAction(Role.EDITOR, _recategorize),
    "sign_off": OfficeAction(Role.APPROVER, _sign_off),
    "reject_sign_off": OfficeAction(
        Role.APPROVER, _move("reject_sign_off", "已退回编辑，编辑将看到您的意见。")
    ),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    handler = OFFICE_ACTIONS.get(action)
    if handler is None:
        raise Http404("没有这项操作。")
    if not request.user.has_role(handler.role):
        raise PermissionDenied(f"只有{Role(handler.role).label}可以执行此操作。")
    report = get_report_for(request.user, pk)
    try:
        done = handler.run(request, report)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    if handler.role == Role.APPROVER:
        default = reverse("office:sign_off_queue")
    else:
        default = reverse("office:workbench", args=[report.pk])
    return redirect(_next_url(request, default))


# --- Sign-off queue ---------------------------------------------------------


def _text_revisions() -> Prefetch:
    """Each report's current and original revision, for all reports in one query."""
    numbers = Q(number=F("report__revision_number")) | Q(
        number=F("report__original_revision_number")
    )
    return Prefetch(
        "revisions", queryset=Revision.objects.filter(numbers), to_attr="text_revisions"
    )


@role_required(Role.APPROVER)
def sign_off_queue(request: HttpRequest) -> HttpResponse:
    office_revisions = Prefetch(
        "revisions",
        queryset=Revision.objects.filter(by_office=True)
        .select_related("author")
        .order_by("-number"),
        to_attr="office_revisions",
    )
    reports = list(
        visible_reports(request.user)
        .triage()
        .filter(state=State.AWAITING_SIGN_OFF)
        .with_people()
        .prefetch_related(office_revisions, _text_revisions())
    )
    for report in reports:
        # Batch sign-off still shows each item's full text and what the office changed.
        by_number = {rev.number: rev for rev in report.text_revisions}
        current = by_number.get(report.revision_number)
        report.current_text = (current or report).text_fields()
        report.diff = text_diff(by_number.get(report.original_revision_number), current)
    urgent_items = IssueItem.objects.filter(
        issue=OuterRef("pk"), report__urgency__in=[Urgency.URGENT, Urgency.SPECIAL]
    )
    issues = (
        visible_issues(request.user)
        .filter(state=IssueState.AWAITING_SIGN_OFF)
        .select_related("bulletin", "editor")
        .annotate(has_urgent=Exists(urgent_items), item_count=Count("items"))
        .order_by("-has_urgent", "created_at", "id")
    )
    return render(request, "office/sign_off_queue.html", {"reports": reports, "issues": issues})


@role_required(Role.APPROVER)
@require_POST
def sign_off_selected(request: HttpRequest) -> HttpResponse:
    ids = set(parse_ids(request.POST.getlist("ids")))
    if not ids:
        messages.error(request, "请先勾选要签发的稿件。")
        return redirect("office:sign_off_queue")
    reports = list(visible_reports(request.user).filter(pk__in=ids).order_by("id"))
    read = set(parse_ids(request.POST.getlist("read")))
    done, failed = [], []
    for report in reports:
        # Each sign-off is its own transaction with its own opinion: one refusal keeps the others.
        try:
            do_sign_off(
                report,
                request.user,
                opinion=request.POST.get(f"opinion-{report.pk}", ""),
                acknowledged=report.pk in read,
            )
        except ActionRefused as exc:
            failed.append(f"《{report.title}》{exc}")
        else:
            done.append(f"《{report.title}》")
    if missing := len(ids) - len(reports):
        failed.append(f"另有 {missing} 篇稿件不存在或您无权查看")
    if done:
        messages.success(request, f"已签发 {len(done)} 篇：{'、'.join(done)}。")
    if failed:
        messages.error(request, f"以下 {len(failed)} 项未能签发：{'；'.join(failed)}")
    return redirect("office:sign_off_queue")


@role_required(Role.APPROVER)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    context = {
        "report": report,
        "offered": {action for action, _ in available_actions(report, request.user)},
        **attachments_context(request.user, report),
        **_text_context(report),
        **_timeline_context(report),
    }
    return render(request, "office/review.html", context)
