"""The yearly 履职 record: a member's page and DOCX, and the office's print of a sector or unit."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from minyi.audit.trail import record_download
from minyi.bulletins.render import docx_to_pdf, pdf_available
from minyi.core import clock, mime
from minyi.desk.duty_record import build_record, year_choices
from minyi.desk.duty_record_docx import record_title, render_records_docx
from minyi.people.decorators import role_required
from minyi.people.models import OFFICE_ROLES, Member, Organization, Sector
from minyi.scoring.access import get_member_for
from minyi.scoring.rankings import chosen_year

#: More members than a print run holds; a bigger sector is printed unit by unit.
BATCH_LIMIT = 300


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.member_id:
        return redirect("home")
    return redirect("members:record", request.user.member_id)


@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for(request.user, pk)
    year = chosen_year(request.GET.get("year"))
    context = {
        "record": build_record(request.user, member, year),
        "years": year_choices(clock.localdate()),
        "title": f"{member.name}{year}年度履职档案",
    }
    return render(request, "duties/record.html", context)


@login_required
def record_docx(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for(request.user, pk)
    year = chosen_year(request.GET.get("year"))
    one = build_record(request.user, member, year)
    filename = f"{record_title(one)}.docx"
    data = render_records_docx([one], title=record_title(one))
    record_download(request.user, member, what="duty_record_docx", name=filename, year=year)
    return _download(data, filename, mime.DOCX)


def _chosen_members(request: HttpRequest) -> tuple[list[Member], str] | None:
    """The members of the chosen sector or unit (active in the year's terms), and their name."""
    sector = Sector.objects.filter(pk=_int(request.GET.get("sector"))).first()
    unit = Organization.objects.filter(pk=_int(request.GET.get("unit"))).first()
    if sector is None and unit is None:
        return None
    members = Member.objects.select_related("sector").order_by("name", "id")
    if sector is not None:
        members = members.filter(sector=sector)
    if unit is not None:
        members = members.filter(organizations=unit)
    label = "、".join(x for x in (sector and f"{sector.name}界别", unit and unit.label) if x)
    return list(members[: BATCH_LIMIT + 1]), label


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@role_required(*OFFICE_ROLES)
def records(request: HttpRequest) -> HttpResponse:
    """The office's print: every member of a sector or unit, one DOCX (or PDF), a page each."""
    year = chosen_year(request.GET.get("year"))
    chosen = _chosen_members(request)
    fmt = request.GET.get("format", "")
    if chosen is None or fmt not in ("docx", "pdf"):
        context = {
            "sectors": Sector.objects.all(),
            "units": Organization.objects.filter(active=True),
            "years": year_choices(clock.localdate()),
            "year": year,
            "pdf": pdf_available(),
            "asked": bool(request.GET.get("format")),
        }
        return render(request, "duties/records.html", context, status=400 if fmt else 200)
    members, label = chosen
    if not members or len(members) > BATCH_LIMIT:
        messages.error(
            request,
            "所选范围内没有委员。"
            if not members
            else f"一次最多打印 {BATCH_LIMIT} 人，请按单位分批打印。",
        )
        return redirect("members:records")
    title = f"{label}委员{year}年度社情民意信息履职情况"
    data = render_records_docx((build_record(request.user, m, year) for m in members), title=title)
    if fmt == "pdf":
        pdf = docx_to_pdf(data) if pdf_available() else None
        if pdf is None:
            messages.error(
                request, "PDF 转换不可用（服务器未安装 LibreOffice 或转换失败），已改为 DOCX。"
            )
        else:
            record_download(request.user, members[0], what="duty_records_pdf", name=f"{title}.pdf")
            return _download(pdf, f"{title}.pdf", mime.PDF)
    record_download(request.user, members[0], what="duty_records_docx", name=f"{title}.docx")
    return _download(data, f"{title}.docx", mime.DOCX)
