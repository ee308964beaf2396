"""Thin views over ``roster``, ``reports_import`` and ``exports``.

Import jobs are reached only through ``_job_for``: a job belongs to whoever
uploaded it, and anyone else gets a 404. Exports start from the access helpers
(``visible_reports``), so a file never holds a row its reader may not see.
"""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from minyi.audit.trail import filters_of, record_export
from minyi.core import mime
from minyi.core.wording import printable
from minyi.exchange import exports, forms, reports_import, roster
from minyi.exchange.models import ImportJob, ImportKind, ImportProgress, ImportStatus
from minyi.exchange.tables import ImportFileError, read_table, read_xlsx
from minyi.outcomes.forms import RegisterForm
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports.confidentiality import marked_rows

UNCHANGED_SHOWN = 50  # A re-import of a 10,000-row roster should not draw 10,000 "无变化" rows.


def _job_for(request: HttpRequest, pk: int, kind: str, *, light: bool = False) -> ImportJob:
    jobs = ImportJob.objects.filter(pk=pk, kind=kind, created_by=request.user)
    if light:  # The progress bar polls during an import; it needs none of the big JSON.
        jobs = jobs.defer("headers", "rows", "plan", "result")
    job = jobs.first()
    if job is None:
        raise Http404("没有找到该导入任务。")
    return job


def _xlsx(request: HttpRequest, exported: exports.Exported, name: str, what: str) -> HttpResponse:
    """The file as a download, and its ``export`` event (what, the filters asked for, rows)."""
    response = HttpResponse(exported.data, content_type=mime.XLSX)
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    filters = filters_of(request.GET)
    record_export(
        request.user,
        what=what,
        filters=filters,
        rows=exported.rows,
        name=filename,
        **marked_rows(exported.marked),
    )
    return response


def _refused_export(request: HttpRequest, form: django_forms.Form) -> HttpResponse:
    # Exporting more than was asked for is worse than exporting nothing.
    # Django's messages repeat the value sent: a "%00" in it would show as "�".
    errors = "；".join(printable(e) for errors in form.errors.values() for e in errors)
    context = {"message": f"筛选条件有误，未导出：{errors}"}
    return render(request, "exchange/export_refused.html", context, status=400)


# --- Roster -------------------------------------------------------------------


@role_required(Role.ADMIN)
def roster_upload(request: HttpRequest) -> HttpResponse:
    # Bound on any POST, so a POST without a file is told to choose one.
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = forms.RosterUploadForm(*data)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            headers, rows = read_xlsx(upload)
            job = roster.plan_job(request.user, upload.name, headers, rows)
        except ImportFileError as exc:
            form.add_error("file", f"{exc}未导入任何数据。")
        else:
            return redirect("exchange:roster_plan", job.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "columns": roster.COLUMNS}
    return render(request, "exchange/roster_upload.html", context, status=status)


@role_required(Role.ADMIN)
def roster_plan(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk, ImportKind.ROSTER)
    counts = roster.counts(job.plan)
    unchanged = [e for e in job.plan if e["action"] == roster.UNCHANGED]
    context = {
        "job": job,
        "summary": [(roster.ACTION_LABELS[a], a, n) for a, n in counts.items()],
        "labels": roster.ACTION_LABELS,
        "changes": counts[roster.CREATE] + counts[roster.UPDATE],
        # Rejected first: they are what the admin must fix.
        "rows": sorted(
            (e for e in job.plan if e["action"] != roster.UNCHANGED),
            key=lambda e: (e["action"] != roster.REJECTED, e["line"]),
        ),
        "unchanged_shown": unchanged[:UNCHANGED_SHOWN],
        "unchanged_hidden": max(0, len(unchanged) - UNCHANGED_SHOWN),
    }
    return render(request, "exchange/roster_plan.html", context)


@require_POST
@role_required(Role.ADMIN)
def roster_apply(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk, ImportKind.ROSTER)
    try:
        result = roster.apply_plan(job, request.user)
    except roster.StalePlanError as exc:
        messages.warning(request, str(exc))
        return redirect("exchange:roster_plan", job.pk)
    messages.success(
        request,
        f"导入完成：新增 {result['create']} 人，更新 {result['update']} 人，"
        f"无变化 {result['unchanged']} 人，拒绝 {result['rejected']} 行。",
    )
    return redirect("exchange:roster_plan", job.pk)


@role_required(Role.ADMIN)
def roster_export(request: HttpRequest) -> HttpResponse:
    return _xlsx(request, exports.export_roster(), "委员名册", "roster")


# --- Historical reports -----------------------------------------------------------


def _start_reports_job(request: HttpRequest, form: forms.ReportUploadForm) -> ImportJob:
    """A job from the uploaded files: DOCX straight to a plan, tables to the mapping step."""
    files = form.cleaned_data["files"]
    if files[0].name.lower().endswith(".docx"):
        job = reports_import.docx_job(request.user, files)
        reports_import.set_plan(job, job.mapping, form.options())
        return job
    headers, rows = read_table(files[0], files[0].name)
    job = reports_import.new_job(request.user, files[0].name, headers, rows)
    job.options = form.options()
    job.save(update_fields=["options"])
    return job


@role_required(Role.EDITOR)
def reports_upload(request: HttpRequest) -> HttpResponse:
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = forms.ReportUploadForm(*data)
    if request.method == "POST" and form.is_valid():
        try:
            job = _start_reports_job(request, form)
        except ImportFileError as exc:
            form.add_error("files", f"{exc}未导入任何数据。")
        else:
            step = "exchange:reports_plan" if job.plan else "exchange:reports_mapping"
            return redirect(step, job.pk)
    status = 400 if form.errors else 200
    return render(request, "exchange/reports_upload.html", {"form": form}, status=status)


@role_required(Role.EDITOR)
def reports_template(request: HttpRequest) -> HttpResponse:
    """The import template: every column the import reads, with one example row."""
    response = HttpResponse(reports_import.import_template(), content_type=mime.XLSX)
    disposition = content_disposition_header(True, "历史信息导入模板.xlsx")
    response["Content-Disposition"] = disposition
    return response


@role_required(Role.EDITOR)
def reports_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk, ImportKind.REPORTS)
    if job.status != ImportStatus.PLANNED:
        return redirect("exchange:reports_plan", job.pk)
    initial = {k: "" if v is None else str(v) for k, v in job.mapping.items()}
    form = forms.MappingForm(job.headers, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        reports_import.set_plan(job, form.mapping(), job.options)
        return redirect("exchange:reports_plan", job.pk)
    context = {"job": job, "form": form, "sample": job.rows[:3]}
    return render(
        request, "exchange/reports_mapping.html", context, status=400 if form.errors else 200
    )


@role_required(Role.EDITOR)
def reports_plan(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk, ImportKind.REPORTS)
    if not job.plan and job.status == ImportStatus.PLANNED:
        return redirect("exchange:reports_mapping", job.pk)
    failing = [e for e in job.plan if e["problems"]]
    context = {
        "job": job,
        "ready": len(job.plan) - len(failing),
        "failing": failing,
        "preview": [e for e in job.plan if not e["problems"]][:20],
        "labels": reports_import.FIELD_LABELS,
    }
    return render(request, "exchange/reports_plan.html", context)


@require_POST
@role_required(Role.EDITOR)
def reports_apply(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk, ImportKind.REPORTS)
    if not job.plan:
        messages.error(request, "请先选择对应列并预览。")
        return redirect("exchange:reports_mapping", job.pk)
    result = reports_import.apply_job(job, request.user)
    job.refresh_from_db()
    if request.htmx:
        return render(request, "exchange/_reports_result.html", {"job": job, "result": result})
    messages.success(
        request, f"导入完成：成功 {result['imported']} 篇，未导入 {len(result['failed'])} 篇。"
    )
    return redirect("exchange:reports_plan", job.pk)


@role_required(Role.EDITOR)
def reports_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk, ImportKind.REPORTS, light=True)
    if job.status == ImportStatus.RUNNING:
        # A running import counts its committed chunks in ImportProgress, not on the job.
        job.done = (
            ImportProgress.objects.filter(job=job).values_list("done", flat=True).first() or 0
        )
    if request.GET.get("format") == "json":
        data = {"status": job.status, "done": job.done, "total": job.total, "percent": job.percent}
        return JsonResponse(data)
    return render(request, "exchange/_progress.html", {"job": job, "polling": True})


# --- Exports ---------------------------------------------------------------------


@login_required
def export_reports(request: HttpRequest) -> HttpResponse:
    which = request.GET.get("list", "all")
    report_list = exports.REPORT_LISTS.get(which)
    if report_list is None:
        raise Http404("没有这个列表。")
    if report_list.roles and not request.user.has_role(*report_list.roles):
        raise PermissionDenied("您无权导出该列表。")
    # As on the list pages: only a submitted filter binds the form.
    bound = any(name in request.GET for name in report_list.form.base_fields)
    form = report_list.form(request.GET if bound else None)
    if bound and not form.is_valid():
        return _refused_export(request, form)
    exported = exports.export_reports(request.user, which, form)
    # Sent from the temporary file it was written to, a block at a time.
    filename = f"社情民意信息-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(
        exported.file, as_attachment=True, filename=filename, content_type=mime.XLSX
    )
    filters = filters_of(request.GET)
    record_export(
        request.user,
        what=f"reports:{which}",
        filters=filters,
        rows=exported.rows,
        name=filename,
        **marked_rows(exported.marked),
    )
    return response


@role_required(Role.EDITOR)
def export_forwardings(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _refused_export(request, form)
    exported = exports.export_forwardings(request.user, form)
    return _xlsx(request, exported, "报送与采用", "forwardings")
