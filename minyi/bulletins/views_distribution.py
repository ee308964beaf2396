"""Office pages around an issue's documents: 编者按, 分发登记 (numbered copies) and the yearbook.

Issues come only through ``get_issue_for``; the register and the yearbook are the
office's (editors, approvers, admins): a leader who may read an issue still gets
the same 404 for its register as for an issue that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from minyi.audit.statemachine import ActionRefused
from minyi.audit.trail import record_download
from minyi.bulletins.access import get_issue_for
from minyi.bulletins.distribution import (
    default_holders,
    do_print_copies,
    get_copy_for,
    may_distribute,
)
from minyi.bulletins.forms_documents import EditorNoteForm, PrintRunForm, YearbookForm
from minyi.bulletins.models import Issue, IssueState
from minyi.bulletins.render import render_issue_docx
from minyi.bulletins.views_documents import (
    _download,
    _filename,
    _issue_stem,
    _pdf_or_explain,
)
from minyi.bulletins.yearbook import render_yearbook_docx, yearbook_issues
from minyi.core import clock, mime
from minyi.people.decorators import role_required
from minyi.people.models import OFFICE_ROLES, Role


def _office_issue(request: HttpRequest, pk: int) -> Issue:
    issue = get_issue_for(request.user, pk)
    if not may_distribute(request.user):
        raise Http404("没有找到该期刊物，或您无权查看。")
    return issue


@login_required
def copies(request: HttpRequest, pk: int) -> HttpResponse:
    """分发登记: the copies printed so far and a form for the next print run."""
    issue = _office_issue(request, pk)
    form = PrintRunForm(
        request.POST or None, initial={"holders": "\n".join(default_holders(issue))}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = do_print_copies(issue, request.user, data["copies"], data["holders"])
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, f"已登记{data['copies']}份（{run.label}），可逐份下载带份号的文件。"
            )
            return redirect("documents:issue_copies", issue.pk)
    context = {
        "issue": issue,
        "form": form,
        "copies": issue.copies.select_related("printed_by"),
        "can_print": issue.state == IssueState.ISSUED,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "bulletins/copies.html", context, status=status)


@login_required
def copy_docx(request: HttpRequest, pk: int, number: int) -> FileResponse:
    issue = _office_issue(request, pk)
    copy = get_copy_for(request.user, issue, number)
    filename = _filename(f"{_issue_stem(issue)}第{copy.copy_label}号", "docx")
    data = render_issue_docx(issue, copy_number=copy.number)
    record_download(request.user, issue, what="issue_copy_docx", name=filename, copy=copy.number)
    return _download(data, filename, mime.DOCX)


@login_required
def copy_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    issue = _office_issue(request, pk)
    copy = get_copy_for(request.user, issue, number)
    links = {
        "docx_url": reverse("documents:issue_copy_docx", args=[issue.pk, copy.number]),
        "back_url": reverse("documents:issue_copies", args=[issue.pk]),
        "back_label": "返回分发登记",
    }
    docx = render_issue_docx(issue, copy_number=copy.number)
    stem = f"{_issue_stem(issue)}第{copy.copy_label}号"
    return _pdf_or_explain(request, issue, docx, stem, links, what="issue_copy_pdf")


@login_required
def editor_note(request: HttpRequest, pk: int) -> HttpResponse:
    """编者按: the editor writes it while the issue is being edited (not once sent for sign-off)."""
    issue = get_issue_for(request.user, pk, write=True)
    if not request.user.has_role(Role.EDITOR):
        raise Http404("没有找到该期刊物，或您无权修改。")
    editable = issue.state == IssueState.DRAFT
    form = EditorNoteForm(request.POST or None, instance=issue)
    if request.method == "POST":
        if not editable:
            form.add_error(None, "本期已送签或印发，编者按不能再修改；如需修改请先退回。")
        elif form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, "编者按已保存。" if issue.editor_note else "已删除编者按。")
            return redirect("bulletins:detail", issue.pk)
        issue.refresh_from_db()  # the page shows what is stored, not the rejected input
    status = 400 if request.method == "POST" else 200
    context = {"issue": issue, "form": form, "editable": editable}
    return render(request, "bulletins/editor_note.html", context, status=status)


@role_required(*OFFICE_ROLES)
def yearbook(request: HttpRequest) -> HttpResponse:
    """汇编: pick a series and a year; ``format=docx|pdf`` in the query downloads it."""
    asked = "bulletin" in request.GET or "year" in request.GET
    form = YearbookForm(request.GET if asked else None, initial={"year": clock.localdate().year})
    fmt = request.GET.get("format", "docx")
    if asked and fmt not in ("docx", "pdf"):
        form.add_error(None, "只能生成 Word（docx）或 PDF 格式。")
    if asked and form.is_valid():
        return _yearbook_download(
            request, form.cleaned_data["bulletin"], form.cleaned_data["year"], fmt
        )
    status = 400 if asked else 200
    return render(request, "bulletins/yearbook.html", {"form": form}, status=status)


def _yearbook_download(request: HttpRequest, bulletin, year: int, fmt: str) -> HttpResponse:  # noqa: ANN001
    stem = f"{bulletin.name}{year}年汇编"
    data = render_yearbook_docx(bulletin, year)
    if fmt == "pdf":
        query = f"?bulletin={bulletin.pk}&year={year}&format=docx"
        links = {
            "docx_url": reverse("documents:yearbook") + query,
            "back_url": reverse("documents:yearbook"),
            "back_label": "返回汇编",
        }
        return _pdf_or_explain(request, bulletin, data, stem, links, what="yearbook_pdf")
    filename = _filename(stem, "docx")
    issues = len(yearbook_issues(bulletin, year))
    record_download(request.user, bulletin, what="yearbook_docx", name=filename, issues=issues)
    return _download(data, filename, mime.DOCX)
