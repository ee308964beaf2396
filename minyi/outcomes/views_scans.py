"""收文登记 pages: attach a scan to an adoption or a 批示, the incoming register, the download.

Scans are reached only through ``scans.get_scan_for`` / ``scans.visible_scans`` (office
roles); attaching goes through ``scans.do_attach_scan`` and a refusal is shown in Chinese
with nothing stored.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.audit.trail import record_download
from minyi.core import clock
from minyi.outcomes import scans
from minyi.outcomes.access import get_forwarding_for
from minyi.outcomes.models import Adoption, Instruction, Recipient
from minyi.people.decorators import role_required
from minyi.people.models import OFFICE_ROLES, Role

PAGE_SIZE = 50


def _outcome(request: HttpRequest, pk: int) -> Adoption | Instruction:
    """The forwarding's adoption, or one of its 批示 (``instruction`` in the form)."""
    forwarding = get_forwarding_for(request.user, pk, write=True)
    instruction = request.POST.get("instruction", "")
    found: Adoption | Instruction | None = None
    if instruction.isdigit():
        found = forwarding.instructions.filter(pk=instruction).first()
    elif not instruction:
        found = Adoption.objects.filter(forwarding=forwarding).first()
    if found is None:
        raise Http404("没有找到要登记收文的采用或批示记录。")
    return found


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


@role_required(Role.EDITOR)
@require_POST
def attach_scan(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = _outcome(request, pk)
    received = request.POST.get("received_on", "")
    try:
        if received and _day(received) is None:
            raise ActionRefused("收文日期格式不对，请按 2024-05-06 的格式填写。")
        scans.do_attach_scan(
            request.user,
            outcome,
            request.FILES.get("scan"),
            received_on=_day(received),
            doc_number=request.POST.get("doc_number", ""),
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("outcomes:forwarding", outcome.forwarding_id)
    messages.success(request, "已登记收文扫描件。")
    return redirect("outcomes:forwarding", outcome.forwarding_id)


@role_required(*OFFICE_ROLES)
def incoming(request: HttpRequest) -> HttpResponse:
    """收文登记簿: every scan, newest received first, by year and recipient."""
    year = request.GET.get("year", "")
    recipient = request.GET.get("recipient", "")
    rows = scans.filtered(
        scans.visible_scans(request.user),
        year=int(year) if year.isdigit() and 2000 <= int(year) <= 9999 else None,
        recipient=int(recipient) if recipient.isdigit() else None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "year": year,
        "recipient": recipient,
        "years": range(clock.localdate().year, 2009, -1),
        "recipients": Recipient.objects.all(),
        "query": f"year={year}&recipient={recipient}",
    }
    return render(request, "outcomes/incoming.html", context)


@role_required(*OFFICE_ROLES)
def scan_file(request: HttpRequest, pk: int) -> FileResponse:
    scan = scans.get_scan_for(request.user, pk)
    try:
        handle = scan.file.storage.open(scan.file.name, "rb")
    except FileNotFoundError:
        raise Http404("扫描件文件已丢失，请联系管理员。") from None
    record_download(
        request.user,
        scan,
        what="incoming_scan",
        name=scan.original_name,
        report_id=scan.forwarding.report_id,
    )
    response = FileResponse(
        handle, as_attachment=True, filename=scan.original_name, content_type=scan.content_type
    )
    return response
