"""Ledger, rankings, export, rules, corrections and objections.

Members are reached only through ``access.get_member_for`` / ``visible_members``;
every change goes through ``actions`` or ``rules`` and a refusal
(``ActionRefused``) is shown beside the form with nothing stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.audit.trail import filters_of, record_export
from minyi.core import mime
from minyi.people.decorators import role_required
from minyi.people.models import OFFICE_ROLES, Member, Role
from minyi.reports.access import readable_ids
from minyi.scoring import access, forms, ranked, rankings
from minyi.scoring.actions import do_correct, do_file_objection, do_resolve_objection
from minyi.scoring.models import ObjectionState, Score, ScoreRuleSet
from minyi.scoring.render import scores_workbook
from minyi.scoring.rules import default_input, do_save_ruleset, input_from, rule_label
from minyi.scoring.vocabulary import ADOPTION_LEVELS, level_label

admin_required = role_required(Role.ADMIN)
office_required = role_required(*OFFICE_ROLES)
#: Members per page of the ranking; the XLSX export has them all.
MEMBERS_PER_PAGE = 100
#: Members short of their duties listed on the page; the export has the rest.
DUTY_SHOWN = 100


# --- 我的履职积分 and a member's ledger -------------------------------------------


def _ledger_page(
    request: HttpRequest, member: Member, *, status: int = 200, **forms_: object
) -> HttpResponse:
    asked = request.GET.get("year") or request.POST.get("year")
    year = rankings.chosen_year(asked)
    ruleset = ScoreRuleSet.objects.current(year)
    rows = list(Score.objects.for_year(year).filter(member=member).explained())
    # Points stay visible to whoever may see the ledger; a report's serial and title
    # only to those who may read the report (a leader never sees unpublished ones).
    readable = readable_ids(request.user, (row.report_id for row in rows))
    for row in rows:
        row.rule_text = rule_label(row.kind, row.level) if row.rule_id else "管理员更正"
        row.report_readable = row.report_id in readable
    line, ranked_of = rankings.member_standing(year, ruleset, member)
    own = request.user.member_id == member.pk
    context = {
        "member": member,
        "year": year,
        "year_notice": rankings.year_notice(asked, year),
        "years": rankings.years_with_scores(),
        "ruleset": ruleset,
        "rows": rows,
        "line": line,
        "ranked_of": ranked_of,
        "own": own,
        "is_admin": request.user.has_role(Role.ADMIN),
        # Through the access helper like every list: the member's own, or all for an admin.
        "objections": access.visible_objections(request.user).filter(member=member, year=year),
        "correction_form": forms_.get("correction_form") or forms.CorrectionForm(),
        "objection_form": forms_.get("objection_form") or forms.ObjectionForm(),
    }
    return render(request, "scoring/ledger.html", context, status=status)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.member_id:
        raise Http404("您的账号没有对应的委员，没有个人履职积分。")
    return _ledger_page(request, access.get_member_for(request.user, request.user.member_id))


@login_required
def member_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    return _ledger_page(request, access.get_member_for(request.user, pk))


@admin_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk)
    form = forms.CorrectionForm(request.POST)
    year = rankings.chosen_year(request.POST.get("year"))
    if form.is_valid():
        try:
            do_correct(request.user, member, year=year, **form.cleaned_data)
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已更正积分，并记入事件日志。")
            return redirect(f"{reverse('scoring:member', args=[member.pk])}?year={year}")
    return _ledger_page(request, member, status=400, correction_form=form)


@login_required
@require_POST
def file_objection(request: HttpRequest) -> HttpResponse:
    if not request.user.member_id:
        raise Http404("您的账号没有对应的委员。")
    member = access.get_member_for(request.user, request.user.member_id)
    form = forms.ObjectionForm(request.POST)
    year = rankings.chosen_year(request.POST.get("year"))
    if form.is_valid():
        try:
            do_file_objection(request.user, year=year, text=form.cleaned_data["text"])
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "申诉已提交，管理员处理后会在此页显示结果。")
            return redirect(f"{reverse('scoring:mine')}?year={year}")
    return _ledger_page(request, member, status=400, objection_form=form)


@admin_required
def objections(request: HttpRequest) -> HttpResponse:
    rows = access.visible_objections(request.user).select_related("member", "resolved_by")
    context = {
        "open": [o for o in rows if o.state == ObjectionState.OPEN],
        "done": [o for o in rows if o.state != ObjectionState.OPEN][:100],
        "form": forms.ResolveForm(),
    }
    return render(request, "scoring/objections.html", context)


@admin_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = access.get_objection_for(request.user, pk, write=True)
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        try:
            do_resolve_objection(
                request.user,
                objection,
                upheld=form.cleaned_data["decision"] == "upheld",
                reply=form.cleaned_data["reply"],
                points=form.cleaned_data["points"],
            )
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "申诉已处理。")
    else:
        messages.error(request, "请选择处理结果并填写处理意见。")
    return redirect("scoring:objections")


# --- Rankings and export ------------------------------------------------------------


@role_required(*access.RANKING_ROLES)
def ranking(request: HttpRequest) -> HttpResponse:
    asked = request.GET.get("year")
    year = rankings.chosen_year(asked)
    ruleset = ScoreRuleSet.objects.current(year)
    user = request.user
    basis = request.GET.get("basis", "rate")
    basis = basis if basis in ranked.UNIT_BASES else "rate"
    # Ranked in SQL, a page at a time: a Python line per member cost most of the page.
    members = (
        None
        if access.sees_all_members(user)
        else Member.objects.filter(pk__in=access.visible_members(user).values("pk"))
    )
    table = ranked.MemberRanking.of(year, ruleset, members)
    page, lines = table.page(request.GET.get("page"), MEMBERS_PER_PAGE)
    duty, duty_total = table.duty_list(DUTY_SHOWN) if access.sees_duty_list(user) else (None, 0)
    context = {
        "year": year,
        "year_notice": rankings.year_notice(asked, year),
        "years": rankings.years_with_scores(),
        "ruleset": ruleset,
        "units": ranked.unit_table_by(year, ruleset, basis),
        "basis": basis,
        "bases": ranked.UNIT_BASES,
        "per_member_tie_break": ranked.PER_MEMBER_TIE_BREAK,
        "sectors": rankings.sector_table(year),
        "members": lines,
        "page": page,
        "query": f"year={year}&basis={basis}",
        "all_members": members is None,
        "duty_list": duty,
        "duty_total": duty_total,
        "duty_shown": DUTY_SHOWN,
        "unit_tie_break": rankings.UNIT_TIE_BREAK,
        "member_tie_break": rankings.MEMBER_TIE_BREAK,
        "levels": [level_label(lv) for lv in ADOPTION_LEVELS],
        "can_export": user.is_office,
    }
    return render(request, "scoring/rankings.html", context)


@office_required
def export(request: HttpRequest) -> HttpResponse:
    year = rankings.chosen_year(request.GET.get("year"))
    lines = rankings.member_table(year, ScoreRuleSet.objects.current(year))
    response = HttpResponse(scores_workbook(year, lines), content_type=mime.XLSX)
    response["Content-Disposition"] = f"attachment; filename=scores-{year}.xlsx"
    record_export(
        request.user,
        what="scores",
        filters={**filters_of(request.GET), "year": year},
        rows=len(lines),
    )
    return response


# --- Rule sets ----------------------------------------------------------------------


@office_required
def rules(request: HttpRequest) -> HttpResponse:
    asked = request.GET.get("year")
    year = rankings.chosen_year(asked)
    versions = list(
        ScoreRuleSet.objects.for_year(year)
        .prefetch_related("rules", "bands")
        .select_related("created_by")
    )
    current = versions[0] if versions else None
    points = (
        [(rule_label(r.kind, r.level), r.points) for r in current.rules.all()] if current else []
    )
    context = {
        "year": year,
        "year_notice": rankings.year_notice(asked, year),
        "years": rankings.years_with_scores(),
        "current": current,
        "versions": versions,
        "points": points,
        "is_admin": request.user.has_role(Role.ADMIN),
    }
    return render(request, "scoring/rules.html", context)


@admin_required
def rules_edit(request: HttpRequest) -> HttpResponse:
    year = rankings.chosen_year(request.GET.get("year"))
    current = ScoreRuleSet.objects.current(year)
    start = input_from(current) if current else default_input()
    form = forms.RuleSetForm(request.POST or None, initial_input=start)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ruleset = do_save_ruleset(
                request.user, year, form.to_input(), note=form.cleaned_data["note"]
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            messages.success(
                request, f"已保存为第 {ruleset.version} 版，{year}年度积分已按新规则重新计算。"
            )
            return redirect(f"{reverse('scoring:rules')}?year={year}")
    context = {"form": form, "year": year, "current": current}
    return render(request, "scoring/rules_edit.html", context, status=status)
