"""催办: chase recipients for the answers they owe, one recipient at a time.

The list per recipient is its pending forwardings past the feedback allowance
(``deadlines.register.overdue_q``, the deadlines app's rule). Chasing records one
``chase`` event per forwarding (``outcomes.actions.do_chase``); the chase list
goes out as a Word letter or an Excel sheet, and each download is on record.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook

from minyi.audit.statemachine import ActionRefused
from minyi.audit.trail import record_export
from minyi.core import clock
from minyi.core.xlsx import text_row
from minyi.deadlines import register
from minyi.outcomes.access import visible_forwardings
from minyi.outcomes.actions import do_chase
from minyi.outcomes.models import Forwarding, Recipient
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports.confidentiality import marked_rows, marking_label

editor_required = role_required(Role.EDITOR)
#: A chase list longer than this is cut: a letter of a thousand lines helps nobody.
MAX_ROWS = 500
COLUMNS = ["序号", "流水号", "标题", "所在期", "报送日期", "已等待（天）", "已催办（次）", "密级"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _overdue(user: Any) -> Any:
    return visible_forwardings(user).filter(register.overdue_q())


def _chase_list(user: Any, recipient: Recipient) -> list[Forwarding]:
    rows = (
        _overdue(user)
        .filter(recipient=recipient)
        .select_related("report", "recipient", "issue", "issue__bulletin")
        .order_by("forwarded_at", "id")[:MAX_ROWS]
    )
    listed = list(rows)
    for forwarding in listed:
        forwarding.days_waiting = register.days_waiting(forwarding)
    return listed


def _row(n: int, f: Forwarding) -> list[Any]:
    issue = str(f.issue) if f.issue else "直报"
    marking = marking_label(f.report.confidentiality, f.report.confidential_until)
    return [n, f.report.serial, f.report.title, issue, f"{f.forwarded_at:%Y-%m-%d}",
            f.days_waiting, f.chase_count, marking]  # fmt: skip


@editor_required
def chase_overview(request: HttpRequest) -> HttpResponse:
    """Every recipient with forwardings overdue for an answer: how many, since when."""
    grouped = (
        _overdue(request.user)
        .order_by()
        .values("recipient")
        .annotate(n=Count("id"), oldest=Min("forwarded_at"), chased=Max("last_chased_at"))
    )
    found = {row["recipient"]: row for row in grouped}
    recipients = Recipient.objects.filter(pk__in=found)
    rows = [(r, found[r.pk]) for r in recipients]
    return render(request, "office/chase_overview.html", {"rows": rows})


@editor_required
def chase_recipient(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = get_object_or_404(Recipient, pk=pk)
    if request.method == "POST":
        return _chase(request, recipient)
    rows = _chase_list(request.user, recipient)
    context = {"recipient": recipient, "rows": rows, "max_rows": MAX_ROWS}
    return render(request, "office/chase_recipient.html", context)


def _chase(request: HttpRequest, recipient: Recipient) -> HttpResponse:
    try:
        count = do_chase(recipient, _chase_list(request.user, recipient), request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已登记催办{recipient} {count} 条报送记录。")
    return redirect("outcomes:chase_recipient", recipient.pk)


def chase_docx(recipient: Recipient, rows: list[Forwarding]) -> bytes:
    """The chase letter: to the recipient, the list of items waiting for an answer."""
    document = Document()
    title = document.add_heading("关于商请反馈社情民意信息采用情况的函", level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{recipient.name}：")
    document.add_paragraph(
        f"我办报送贵单位的以下 {len(rows)} 篇社情民意信息已超过反馈期限，尚未收到采用情况反馈。"
        "请予查收办理，并将采用、批示情况反馈我办。感谢支持！"
    )
    # All rows at once: python-docx copies the table's XML on every add_row().
    table = document.add_table(rows=len(rows) + 1, cols=len(COLUMNS))
    table.style = "Table Grid"
    lines = [COLUMNS, *(_row(n, f) for n, f in enumerate(rows, start=1))]
    for row, values in zip(table.rows, lines, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = str(value)
    closing = document.add_paragraph(f"政协研究室\n{clock.localdate():%Y年%m月%d日}")
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def chase_xlsx(recipient: Recipient, rows: list[Forwarding]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("催办清单")
    sheet.append(text_row(sheet, [f"催办清单：{recipient.name}"]))
    sheet.append(text_row(sheet, COLUMNS))
    for n, forwarding in enumerate(rows, start=1):
        sheet.append(text_row(sheet, _row(n, forwarding)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


RENDERERS = {"docx": (chase_docx, DOCX), "xlsx": (chase_xlsx, XLSX)}


@editor_required
def chase_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    recipient = get_object_or_404(Recipient, pk=pk)
    render_file, content_type = RENDERERS[fmt]
    rows = _chase_list(request.user, recipient)
    body = render_file(recipient, rows)
    record_export(
        request.user,
        what=f"chase_{fmt}",
        filters={"recipient": recipient.name},
        rows=len(rows),
        **marked_rows(sum(f.report.is_confidential for f in rows)),
    )
    response = HttpResponse(body, content_type=content_type)
    name = f"催办清单-{recipient.name}-{clock.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
