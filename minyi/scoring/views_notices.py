"""Campaigns (信息月/信息周/约稿) with per-unit progress, and the annual notice (年度通报)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.audit.trail import record_download
from minyi.core import mime
from minyi.core.http import parse_ids
from minyi.people.decorators import role_required
from minyi.people.models import OFFICE_ROLES, Role
from minyi.scoring import access, actions, forms, rankings, ratings
from minyi.scoring.campaigns import progress
from minyi.scoring.models import AnnualNotice, NoticeState, ScoreRuleSet
from minyi.scoring.notice import figures
from minyi.scoring.render import render_notice_docx
from minyi.scoring.workflow import NOTICES

CAMPAIGN_ROLES = (*OFFICE_ROLES, Role.LEADER, Role.LIAISON)
NOTICE_ROLES = (*OFFICE_ROLES, Role.LEADER)
campaign_editor = role_required(Role.EDITOR, Role.ADMIN)


# --- Campaigns ------------------------------------------------------------------------


@role_required(*CAMPAIGN_ROLES)
def campaigns(request: HttpRequest) -> HttpResponse:
    rows = access.visible_campaigns(request.user).prefetch_related("quotas")
    can_edit = request.user.has_role(Role.EDITOR, Role.ADMIN)
    return render(request, "scoring/campaigns.html", {"campaigns": rows, "can_edit": can_edit})


@role_required(*CAMPAIGN_ROLES)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for(request.user, pk)
    # The office and leaders see every unit; a liaison only their own.
    units = (
        None
        if (request.user.is_office or request.user.has_role(Role.LEADER))
        else set(request.user.liaison_unit_ids)
    )
    context = {
        "campaign": campaign,
        "progress": progress(campaign, units),
        "can_edit": request.user.has_role(Role.EDITOR, Role.ADMIN),
    }
    return render(request, "scoring/campaign.html", context)


def _campaign_form(request: HttpRequest, campaign: object | None) -> HttpResponse:
    form = forms.CampaignForm(request.POST or None, campaign=campaign)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fields, quotas = form.split()
            try:
                saved = actions.do_save_campaign(
                    request.user, campaign, fields=fields, quotas=quotas
                )
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "活动已保存，相关年度积分已重新计算。")
                return redirect("scoring:campaign", saved.pk)
    context = {"form": form, "campaign": campaign}
    return render(request, "scoring/campaign_form.html", context, status=status)


@campaign_editor
def campaign_new(request: HttpRequest) -> HttpResponse:
    return _campaign_form(request, None)


@campaign_editor
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _campaign_form(request, access.get_campaign_for(request.user, pk))


# --- Annual notice --------------------------------------------------------------------


@role_required(*NOTICE_ROLES)
def notices(request: HttpRequest) -> HttpResponse:
    context = {
        "notices": access.visible_notices(request.user),
        "can_create": request.user.has_role(Role.EDITOR),
        "years": rankings.years_with_scores(),
    }
    return render(request, "scoring/notices.html", context)


@role_required(Role.EDITOR)
@require_POST
def notice_new(request: HttpRequest) -> HttpResponse:
    year = rankings.chosen_year(request.POST.get("year"))
    try:
        notice = actions.do_create_notice(request.user, year)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("scoring:notices")
    messages.success(request, "已生成通报草稿和拟表彰名单，请修改文字后送签发人审定。")
    return redirect("scoring:notice", notice.pk)


def _notice_page(
    request: HttpRequest, notice: AnnualNotice, *, form: object = None, status: int = 200
) -> HttpResponse:
    user = request.user
    draft = notice.state == NoticeState.DRAFT
    context = {
        "notice": notice,
        "data": figures(notice),
        "commendations": notice.commendations.all(),
        "text_form": form
        or forms.NoticeTextForm(
            initial={"title": notice.title, "opening": notice.opening, "closing": notice.closing}
        ),
        "can_edit": draft and user.has_role(Role.EDITOR),
        "can_confirm": NOTICES.allows(notice, "confirm", user),
        "can_publish": NOTICES.allows(notice, "publish", user),
        "can_set_public": notice.state == NoticeState.PUBLISHED and user.has_role(Role.ADMIN),
        "adverse": [r for r in ratings.ratings(notice) if r.adverse] if draft else [],
        "can_review": draft and user.has_role(Role.EDITOR),
        "bands": _band_labels(notice.year),
        "confirm_blocked": draft and ratings.confirm_guard(notice),
    }
    return render(request, "scoring/notice.html", context, status=status)


def _band_labels(year: int) -> list[str]:
    ruleset = ScoreRuleSet.objects.current(year)
    return [b.label for b in ruleset.bands.all()] if ruleset else []


@role_required(Role.EDITOR)
@require_POST
def notice_review(request: HttpRequest, pk: int) -> HttpResponse:
    """维持 or 改定 one adverse rating with a note; if refused, a Chinese message, nothing saved."""
    notice = access.get_notice_for(request.user, pk)
    member = request.POST.get("member", "")
    try:
        ratings.do_review(
            request.user,
            notice,
            int(member) if member.isdigit() else 0,
            decision=request.POST.get("decision", ""),
            band=request.POST.get("band", ""),
            note=request.POST.get("note", ""),
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return _notice_page(request, notice, status=400)
    messages.success(request, "已记录复核结论。")
    return redirect("scoring:notice", notice.pk)


@role_required(*NOTICE_ROLES)
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _notice_page(request, access.get_notice_for(request.user, pk))


@role_required(Role.EDITOR)
@require_POST
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_notice_for(request.user, pk)
    form = forms.NoticeTextForm(request.POST)
    if form.is_valid():
        try:
            if "repropose" in request.POST:
                actions.do_repropose(request.user, notice)
            else:
                actions.do_update_notice(request.user, notice, **form.cleaned_data)
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存。")
            return redirect("scoring:notice", notice.pk)
    return _notice_page(request, notice, form=form, status=400)


@role_required(Role.APPROVER, Role.ADMIN)
@require_POST
def notice_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """审定 (confirm the commendations), 发布 (publish), 公开/取消公开 (admin)."""
    notice = access.get_notice_for(request.user, pk)
    try:
        if step == "confirm":
            keep = set(parse_ids(request.POST.getlist("keep")))
            actions.do_confirm_notice(request.user, notice, keep=keep)
        elif step == "publish":
            actions.do_publish_notice(request.user, notice)
        elif step in ("public", "private"):
            actions.do_set_public(request.user, notice, public=step == "public")
        else:
            raise ActionRefused("未知的操作。")
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "操作已完成。")
    return redirect("scoring:notice", notice.pk)


@role_required(*NOTICE_ROLES)
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_notice_for(request.user, pk)
    filename = f"notice-{notice.year}.docx"
    response = HttpResponse(render_notice_docx(notice), content_type=mime.DOCX)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    record_download(request.user, notice, what="notice_docx", name=filename, year=notice.year)
    return response


def public_notices(request: HttpRequest) -> HttpResponse:
    """No login: the published notices an admin chose to make public."""
    rows = AnnualNotice.objects.filter(state=NoticeState.PUBLISHED, public=True)
    return render(request, "scoring/public_notices.html", {"notices": rows})


def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_public_notice(pk)
    context = {
        "notice": notice,
        "data": figures(notice),
        "public": True,
        "back": reverse("scoring:public_notices"),
    }
    return render(request, "scoring/public_notice.html", context)
