"""Member-side report pages: my reports, write, edit, the report page, attachments.

Views stay thin: the work is done by ``do_*`` functions, a refused move comes
back as ``ActionRefused`` whose message is shown as it is, and reports are
only ever fetched through ``get_report_for`` / ``visible_reports``.
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from minyi.audit.models import Event
from minyi.audit.statemachine import ActionRefused
from minyi.audit.trail import record_download
from minyi.audit.verbs import ACCESS_VERBS
from minyi.bulletins.models import IssueItem, IssueState
from minyi.core import mime
from minyi.deadlines.sla import clock_for
from minyi.desk.mine_list import MyReports
from minyi.desk.topic_start import start_from
from minyi.desk.views_topics import member_side
from minyi.outcomes.summary import latest_outcomes
from minyi.reports.access import get_report_for, visible_reports
from minyi.reports.actions import (
    ConflictError,
    do_create_report,
    do_save_text,
    do_submit,
    units_for,
)
from minyi.reports.attachments import (
    check_attachment,
    do_add_attachment,
    do_remove_attachment,
    get_attachment_for,
    may_change_attachments,
)
from minyi.reports.diff import revision_diff
from minyi.reports.forms import MineFilterForm, ReportForm
from minyi.reports.models import AUTHOR_EDITABLE_STATES, Attachment, Report, Revision
from minyi.reports.workflow import available_actions, check_transition, transition

PAGE_SIZE = 25
#: Content types a browser shows inline safely: the preview serves only these.
PREVIEWABLE = frozenset({mime.PDF, mime.PNG, mime.JPEG})
#: The moves authors make here; the office's moves live on the office pages.
AUTHOR_ACTIONS = ("submit", "resubmit", "withdraw")
TEXT_LABELS = {
    name: str(Revision._meta.get_field(name).verbose_name) for name in Revision.TEXT_FIELDS
}


def attachments_context(user: Any, report: Report) -> dict[str, Any]:
    """The attachment list (name, type, size, uploader, time; previews) for any report page."""
    return {
        "attachments": report.attachments.select_related("uploaded_by").order_by("uploaded_at"),
        "previewable": PREVIEWABLE,
        "may_attach": may_change_attachments(user, report),
        "attach_max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "attach_kinds": ",".join(f".{ext}" for ext in settings.ATTACHMENT_EXTENSIONS),
    }


# --- My reports ---------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    form = MineFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page = Paginator(MyReports(request.user, state), PAGE_SIZE).get_page(request.GET.get("page"))
    outcomes = latest_outcomes([r.pk for r in page])
    for report in page:
        report.outcome = outcomes.get(report.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/mine.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_write": _may_write(request),
            **member_side(request.user),
        },
    )


# --- Write and edit -----------------------------------------------------------


def _may_write(request: HttpRequest) -> bool:
    return bool(units_for(request.user))


def _after_save(request: HttpRequest, report: Report, saved: str) -> HttpResponse:
    """Submit when asked to; a refused submission keeps the saved draft and says why."""
    if "submit" not in request.POST:
        messages.success(request, saved)
        return redirect("reports:edit", pk=report.pk)
    try:
        do_submit(report, request.user)
    except ActionRefused as error:
        messages.error(request, f"{saved[:-1]}，但还不能报送：{error}")
        return redirect("reports:edit", pk=report.pk)
    messages.success(request, f"已报送研究室，流水号 {report.serial}。")
    return redirect("reports:detail", pk=report.pk)


def _form_page(request: HttpRequest, form: ReportForm, **extra: Any) -> HttpResponse:
    limits = {
        "attach_max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "attach_kinds": ",".join(f".{ext}" for ext in settings.ATTACHMENT_EXTENSIONS),
    }
    return render(request, "reports/form.html", {"form": form, **limits, **extra})


@login_required
def new(request: HttpRequest) -> HttpResponse:
    units = units_for(request.user)
    if not units:
        raise PermissionDenied("您还没有可以报送信息的单位，请联系研究室开通。")
    try:
        # A report started from a topic or an accepted commission (选题指南、约稿).
        start = start_from(request.POST if request.method == "POST" else request.GET, request.user)
    except ActionRefused as error:
        messages.error(request, str(error))
        return redirect("reports:mine")
    if request.method != "POST":
        member = request.user.member
        initial = {"lead": member.pk if member else None, "submitting_unit": units[0].pk}
        form = ReportForm(user=request.user, initial={**initial, **start.initial()})
        return _form_page(request, form, start=start)
    form = ReportForm(request.POST, user=request.user)
    files = request.FILES.getlist("files")
    if form.is_valid():
        try:
            check_new_files(files)
            with transaction.atomic():
                # The draft and its first files together: a refused file saves neither.
                report = do_create_report(
                    request.user,
                    fields=form.text(),
                    authors=form.authors(),
                    topic=start.topic,
                    **form.details(),
                )
                start.link(report, request.user)
                for upload in files:
                    do_add_attachment(report, request.user, upload)
        except ActionRefused as error:
            form.add_error(None, str(error))
        else:
            saved = f"草稿已保存（附件 {len(files)} 个）。" if files else "草稿已保存。"
            return _after_save(request, report, saved)
    return _form_page(request, form, start=start)


#: Files a new report may carry on its first save; more can be added afterwards.
MAX_NEW_FILES = 10


def check_new_files(files: list[Any]) -> None:
    """Check every file chosen on the new-report form before anything is stored."""
    if len(files) > MAX_NEW_FILES:
        raise ActionRefused(f"一次最多上传 {MAX_NEW_FILES} 个附件，请保存后再继续添加。")
    for upload in files:
        try:
            check_attachment(upload)
        except ActionRefused as exc:
            raise ActionRefused(f"附件“{upload.name}”：{exc} 请重新选择附件。") from exc


def _save_edit(request: HttpRequest, report: Report, form: ReportForm) -> None:
    # One transaction: a conflict on the text must not let the authors or unit change either.
    with transaction.atomic():
        do_save_text(
            report,
            request.user,
            fields=form.text(),
            base_revision=form.cleaned_data["base_revision"],
            note="作者修改",
        )
        form.save_details(report)


def _conflict_page(request: HttpRequest, report: Report, error: ConflictError) -> HttpResponse:
    """Show the user's own text again, next to what changed in the newer version."""
    report.refresh_from_db()
    data = request.POST.copy()
    # Rebase on the newest version: saving again now is a deliberate choice.
    data["base_revision"] = str(report.revision_number)
    form = ReportForm(data, user=request.user, report=report)
    form.is_valid()
    form.add_error(None, str(error))
    latest = report.current_revision()
    changes = revision_diff(latest.text_fields(), form.text()) if latest else {}
    rows = [(TEXT_LABELS[name], html) for name, html in changes.items()]
    return _form_page(
        request,
        form,
        report=report,
        **attachments_context(request.user, report),
        latest=latest,
        conflict_rows=rows,
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk, write=True)
    if report.state not in AUTHOR_EDITABLE_STATES:
        # Editors may change submitted text, but on their own workbench.
        messages.info(request, "研究室编辑请在稿件处理页面修改。")
        return redirect("office:workbench", pk=report.pk)
    extra = {"report": report, **attachments_context(request.user, report)}
    if request.method != "POST":
        form = ReportForm(user=request.user, report=report, initial=ReportForm.initial_for(report))
        return _form_page(request, form, **extra)
    form = ReportForm(request.POST, user=request.user, report=report)
    if form.is_valid():
        try:
            _save_edit(request, report, form)
        except ConflictError as error:
            return _conflict_page(request, report, error)
        except ActionRefused as error:
            form.add_error(None, str(error))
        else:
            return _after_save(request, report, "修改已保存。")
    return _form_page(request, form, **extra)


# --- The report page ----------------------------------------------------------


def _text_changes(report: Report) -> list[tuple[str, Any]]:
    """The office's changes to what the authors sent in, field by field."""
    original, current = report.original_revision(), report.current_revision()
    if not original or not current or original.text_fields() == current.text_fields():
        return []
    diff = revision_diff(original.text_fields(), current.text_fields())
    return [(TEXT_LABELS[name], html) for name, html in diff.items()]


def _merged_into(report: Report, user: Any) -> Report | None:
    if not report.merged_into_id:
        return None
    return visible_reports(user).filter(pk=report.merged_into_id).first()


def _forwardings_for(report: Report, user: Any) -> list[Any]:
    """The report's forwardings with each 批示's words as this reader may see them."""
    forwardings = list(
        report.forwardings.select_related("recipient", "issue", "adoption").prefetch_related(
            "instructions"
        )
    )
    for forwarding in forwardings:
        for instruction in forwarding.instructions.all():
            instruction.shown_text = instruction.text_shown_to(user)
    return forwardings


def _source_units(report: Report) -> list[str]:
    """A composite's other units: those of its merged sources (its units are their union)."""
    if not report.is_composite:
        return []
    sources = report.merged_sources.filter(duplicate_of__isnull=True).exclude(
        submitting_unit_id=report.submitting_unit_id
    )
    units = sources.exclude(submitting_unit=None).select_related("submitting_unit")
    return sorted({str(source.submitting_unit) for source in units})


def detail_context(report: Report, user: Any) -> dict[str, Any]:
    # Downloads and exports of the report are for the audit page, not its history.
    events = list(
        Event.objects.for_report(report.pk)
        .exclude(verb__in=ACCESS_VERBS)
        .select_related("actor")
        .order_by("id")
    )
    return {
        "report": report,
        "authors": list(report.report_authors.all()),
        "events": events,
        "clocks": clock_for(report, events),
        "forwardings": _forwardings_for(report, user),
        "actions": [(a, m) for a, m in available_actions(report, user) if a in AUTHOR_ACTIONS],
        "revisions": report.revisions.select_related("author"),
        "changes": _text_changes(report),
        **attachments_context(user, report),
        "may_edit": report.state in AUTHOR_EDITABLE_STATES and may_change_attachments(user, report),
        "merged_into": _merged_into(report, user),
        "source_units": _source_units(report),
        # The issued bulletins that carried it: the author may open that item.
        "published_items": IssueItem.objects.filter(
            report=report, issue__state=IssueState.ISSUED
        ).select_related("issue__bulletin"),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    return render(request, "reports/detail.html", detail_context(report, request.user))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_report_for(request.user, pk)
    if action not in AUTHOR_ACTIONS:
        messages.error(request, "此操作须由研究室在稿件处理页面办理。")
        return redirect("reports:detail", pk=report.pk)
    try:
        check_transition(report, action, request.user)
        if action == "withdraw":
            transition(report, "withdraw", request.user)
        else:
            do_submit(report, request.user)
    except ActionRefused as error:
        messages.error(request, str(error))
        return redirect("reports:detail", pk=report.pk)
    done = "已撤回，可修改后重新报送。" if action == "withdraw" else "已报送研究室。"
    messages.success(request, done)
    return redirect("reports:detail", pk=report.pk)


# --- Attachments ----------------------------------------------------------------


def _back(request: HttpRequest, report: Report) -> HttpResponse:
    """Return to the page the form was on (if it is ours), else the report page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reports:detail", pk=report.pk)


def _attachments_block(request: HttpRequest, report: Report, error: str = "") -> HttpResponse:
    context = {
        "report": report,
        **attachments_context(request.user, report),
        "attach_error": error,
        "next": request.POST.get("next", ""),
    }
    return render(request, "reports/_attachments.html", context)


def _attachments_answer(
    request: HttpRequest, report: Report, error: str, done: str
) -> HttpResponse:
    """After adding or removing a file: the list alone for htmx, else a message and back."""
    # htmx swaps just the list, so text typed in the edit form above is kept.
    if request.htmx:
        return _attachments_block(request, report, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return _back(request, report)


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk, write=True)
    error = ""
    try:
        added = do_add_attachment(report, request.user, request.FILES.get("file"))
    except ActionRefused as exc:
        error = str(exc)
    done = "" if error else f"已上传附件“{added.original_name}”。"
    return _attachments_answer(request, report, error, done)


@login_required
@require_POST
def remove_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for(request.user, pk, write=True)
    report = attachment.report
    error = ""
    try:
        do_remove_attachment(attachment, request.user)
    except ActionRefused as exc:
        error = str(exc)
    return _attachments_answer(request, report, error, f"已删除附件“{attachment.original_name}”。")


def _send_attachment(request: HttpRequest, found: Attachment, *, inline: bool) -> FileResponse:
    """The file itself, and its ``download`` event (a preview is a download too)."""
    try:
        handle = found.file.storage.open(found.file.name, "rb")
    except FileNotFoundError:
        raise Http404("附件文件已丢失，请联系研究室。") from None
    record_download(
        request.user,
        found,
        what="attachment_preview" if inline else "attachment",
        name=found.original_name,
        report_id=found.report_id,
        size=found.size,
    )
    return FileResponse(
        handle,
        as_attachment=not inline,
        filename=found.original_name,
        content_type=found.content_type,
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Stream a file only after its report passed the access check."""
    return _send_attachment(request, get_attachment_for(request.user, pk), inline=False)


@login_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def attachment_preview(request: HttpRequest, pk: int) -> FileResponse:
    """Show a PDF or an image inline (framed by our own pages only), after the access check."""
    found = get_attachment_for(request.user, pk)
    if found.content_type not in PREVIEWABLE:
        raise Http404("该类型的附件不能预览，请下载后查看。")
    return _send_attachment(request, found, inline=True)
