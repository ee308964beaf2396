"""Downloads of official-format documents: an issue or a report as DOCX or PDF.

Objects come only through ``get_issue_for`` / ``get_report_for``, so whoever
may not see an issue or report gets the same 404 as for one that does not exist.
"""

from __future__ import annotations

import re
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template import engines
from django.urls import reverse

from minyi.audit.trail import record_download
from minyi.bulletins.access import get_issue_for
from minyi.bulletins.models import Issue
from minyi.bulletins.render import (
    docx_to_pdf,
    pdf_available,
    render_issue_docx,
    render_report_docx,
)
from minyi.core import mime
from minyi.people.models import Role
from minyi.reports.access import get_report_for
from minyi.reports.models import Confidentiality, Report

# Characters Windows and macOS refuse in file names.
UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\r\n\t]+')

# A one-off message page; kept inline because it is the only page this module renders.
UNAVAILABLE_PAGE = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}暂时无法生成 PDF{% endblock %}
{% block content %}
<section class="card">
  <h1>暂时无法生成 PDF</h1>
  <p>{{ reason }}</p>
  <p>您可以先下载 Word 版本（DOCX），用办公软件打开后打印或另存为 PDF。</p>
  <div class="actions">
    <a class="button primary" href="{{ docx_url }}">下载 Word 版本</a>
    <a class="button" href="{{ back_url }}">{{ back_label }}</a>
  </div>
</section>
{% endblock %}"""
)


# The plain download of a 秘密 issue is refused: GB/T 9704 wants every copy of a 涉密
# document numbered (份号), and numbered copies come only from 分发登记.
SECRET_PAGE = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}涉密期次须按份下载{% endblock %}
{% block content %}
<section class="card">
  <h1>涉密期次须按份下载</h1>
  <p>{{ issue }}载有秘密级稿件。按 GB/T 9704，涉密公文的每一份都须标注份号，
  因此不提供不带份号的下载。</p>
  {% if copies_url %}<p>请在“分发登记”中按份登记，再下载印有份号的 Word 或 PDF 文件。</p>
  <div class="actions"><a class="button primary" href="{{ copies_url }}">去分发登记</a>
  <a class="button" href="{{ back_url }}">返回本期</a></div>
  {% else %}<p>如需纸质或电子文本，请联系信息编辑按份登记后分发。</p>
  <div class="actions"><a class="button" href="{{ back_url }}">返回本期</a></div>{% endif %}
</section>
{% endblock %}"""
)


def _secret_refusal(request: HttpRequest, issue: Issue) -> HttpResponse | None:
    """A page pointing to 分发登记 when the issue carries a 秘密 item, else None."""
    if not issue.items.filter(report__confidentiality=Confidentiality.SECRET).exists():
        return None
    context = {
        "issue": issue,
        "back_url": reverse("bulletins:detail", args=[issue.pk]),
        "copies_url": reverse("documents:issue_copies", args=[issue.pk])
        if request.user.has_role(Role.EDITOR)
        else "",
    }
    return HttpResponse(SECRET_PAGE.render(context, request), status=403)


def _filename(stem: str, suffix: str) -> str:
    return f"{UNSAFE_FILENAME.sub('_', stem).strip()[:80] or '文档'}.{suffix}"


def _issue_stem(issue: Issue) -> str:
    return f"{issue.bulletin.name}{issue.number_label}"  # 待编号 drafts have no 期号 yet


def _download(data: bytes, filename: str, content_type: str) -> FileResponse:
    # FileResponse writes filename*=utf-8''... (RFC 5987) for non-ASCII names.
    return FileResponse(
        BytesIO(data), as_attachment=True, filename=filename, content_type=content_type
    )


@login_required
def issue_docx(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request.user, pk)
    if refusal := _secret_refusal(request, issue):
        return refusal
    filename = _filename(_issue_stem(issue), "docx")
    data = render_issue_docx(issue)
    record_download(request.user, issue, what="issue_docx", name=filename)
    return _download(data, filename, mime.DOCX)


@login_required
def issue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request.user, pk)
    if refusal := _secret_refusal(request, issue):
        return refusal
    links = {
        "docx_url": reverse("documents:issue_docx", args=[issue.pk]),
        "back_url": reverse("bulletins:detail", args=[issue.pk]),
        "back_label": "返回本期",
    }
    return _pdf_or_explain(request, issue, render_issue_docx(issue), _issue_stem(issue), links)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    links = {
        "docx_url": reverse("documents:report_docx", args=[report.pk]),
        "back_url": reverse("reports:detail", args=[report.pk]),
        "back_label": "返回稿件",
    }
    return _pdf_or_explain(request, report, render_report_docx(report), report.title, links)


def _pdf_or_explain(
    request: HttpRequest,
    obj: Model,
    docx: bytes,
    stem: str,
    links: dict[str, str],
    *,
    what: str | None = None,
) -> HttpResponse:
    """The PDF, or a page that says in Chinese why not and offers the DOCX instead.

    Only a PDF actually served is a download on record (``what`` names it, by default
    ``report_pdf`` or ``issue_pdf``).
    """
    if not pdf_available():
        reason = "生成 PDF 需要服务器安装 LibreOffice，本系统目前未安装，请联系系统管理员。"
        return _unavailable(request, reason, links)
    pdf = docx_to_pdf(docx)
    if pdf is None:
        reason = "PDF 转换没有成功（可能是服务器繁忙），请稍后再试。"
        return _unavailable(request, reason, links)
    filename = _filename(stem, "pdf")
    kind, report_id = ("report_pdf", obj.pk) if isinstance(obj, Report) else ("issue_pdf", None)
    record_download(request.user, obj, what=what or kind, name=filename, report_id=report_id)
    return _download(pdf, filename, mime.PDF)


def _unavailable(request: HttpRequest, reason: str, links: dict[str, str]) -> HttpResponse:
    page = UNAVAILABLE_PAGE.render({"reason": reason, **links}, request)
    return HttpResponse(page, status=503)


@login_required
def report_docx(request: HttpRequest, pk: int) -> FileResponse:
    # Whoever may read the report may take it away as a document: the access
    # helper is the one rule, the file holds nothing the page does not show.
    report = get_report_for(request.user, pk)
    filename = _filename(report.title, "docx")
    data = render_report_docx(report)
    record_download(request.user, report, what="report_docx", name=filename, report_id=report.pk)
    return _download(data, filename, mime.DOCX)
