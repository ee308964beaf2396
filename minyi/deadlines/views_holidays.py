"""The admin's 节假日通知 page: paste the State Council's notice, preview the days, store them.

Nothing is kept between the two steps: "保存" parses the same text again, so what is
stored is exactly what the preview showed, and a text with any error stores nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from minyi.core import clock
from minyi.deadlines.holiday_notice import parse_notice
from minyi.deadlines.holidays import (
    missing_holiday_years,
    missing_years_message,
    plan_notice,
    store_notice,
)
from minyi.people.decorators import role_required
from minyi.people.models import Role

EXAMPLE = (
    "一、元旦：1月1日（周五）放假，与周末连休。\n"
    "二、春节：2月6日至13日放假调休，共8天。2月20日（周六）上班。\n"
    "或逐行填写：2027-10-01 至 2027-10-07 放假 国庆节"
)


class HolidayNoticeForm(forms.Form):
    year = forms.IntegerField(
        label="通知年份",
        min_value=2000,
        max_value=2099,
        error_messages={
            "required": "请填写通知所属年份。",
            "invalid": "年份须为四位数字。",
            "min_value": "年份须在 2000–2099 之间。",
            "max_value": "年份须在 2000–2099 之间。",
        },
    )
    text = forms.CharField(
        label="通知内容",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12, "placeholder": EXAMPLE}),
        error_messages={"required": "请粘贴通知原文，或逐行填写放假、上班的日期。"},
        help_text="可粘贴通知原文（“一、元旦：……”），或每行写一个日期或日期范围加“放假”或“上班”。",
    )


@role_required(Role.ADMIN)
def holidays(request: HttpRequest) -> HttpResponse:
    missing = missing_holiday_years()
    initial = {"year": missing[-1] if missing else clock.localdate().year + 1}
    form = HolidayNoticeForm(request.POST or None, initial=initial)
    context = {"form": form, "parsed": None, "missing": missing, "status": 200}
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        parsed = parse_notice(form.cleaned_data["text"], year)
        context["parsed"] = parsed
        if parsed.errors:
            context["status"] = 400
        elif "save" in request.POST:
            changes = store_notice(parsed, year)
            messages.success(
                request,
                f"已存入{year}年节假日安排：共{len(parsed.days)}天（{changes.message}），"
                "相关稿件的办理期限已按新日历重新计算。",
            )
            return redirect("deadlines:holidays")
        else:
            context["changes"] = plan_notice(parsed, year)
    # An invalid form (no year, overlong text) is re-rendered with its errors, status 200.
    if missing:
        context["missing_message"] = missing_years_message(missing)
    return render(request, "deadlines/holidays.html", context, status=context.pop("status"))
