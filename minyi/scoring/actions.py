"""Actions (``check_*`` then ``do_*``): corrections, objections, campaigns, notices.

Each ``do_*`` runs in one transaction and writes its event. The ledger follows
the events after commit (see ``apps.ScoringConfig.ready``); actions that
change how points are counted for many people (a campaign) recompute the
affected years inside their own transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused, require_role
from minyi.core import clock
from minyi.core.wording import too_long
from minyi.people.models import Member, Organization, Role
from minyi.scoring import notice as notices
from minyi.scoring.ledger import recompute_year
from minyi.scoring.models import (
    AnnualNotice,
    Campaign,
    CampaignKind,
    CampaignUnit,
    Commendation,
    Correction,
    NoticeState,
    Objection,
    ScoreRuleSet,
)
from minyi.scoring.workflow import NOTICES, OBJECTIONS

if TYPE_CHECKING:
    from minyi.people.models import User


def parse_points(value: Any) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ActionRefused("调整分值须为数字，如 2 或 -1.5。") from None
    if not points.is_finite() or points == 0 or abs(points) > 1000:
        raise ActionRefused("调整分值须为非零数字，绝对值不超过 1000。")
    return points.quantize(Decimal("0.01"))


# --- Corrections and objections ----------------------------------------------


def do_correct(user: User, member: Member, *, year: int, points: Any, reason: str) -> Correction:
    """An admin's correction: a ledger row of its own, with the reason, written as an event."""
    require_role(user, Role.ADMIN, "更正积分")
    value = parse_points(points)
    if not reason.strip():
        raise ActionRefused("更正积分须填写理由。")
    with transaction.atomic():
        correction = Correction.objects.create(
            year=year, member=member, points=value, reason=reason.strip()[:200], created_by=user
        )
        correction.event = record(
            "score_correct",
            correction,
            actor=user,
            payload={
                "member": member.name,
                "member_id": member.pk,
                "year": year,
                "points": str(value),
                "reason": correction.reason,
            },
        )
        correction.save(update_fields=["event"])
    return correction


def do_file_objection(user: User, *, year: int, text: str) -> Objection:
    if not user.member_id:
        raise ActionRefused("只有委员本人可以对自己的积分提出申诉。")
    if not text.strip():
        raise ActionRefused("请写明申诉理由。")
    if len(text) > 1000:
        raise ActionRefused(too_long("申诉理由", 1000, len(text)))
    with transaction.atomic():
        objection = Objection.objects.create(
            year=year, member_id=user.member_id, text=text.strip(), filed_by=user
        )
        record("score_objection", objection, actor=user, payload={"year": year, "text": text[:200]})
    return objection


def do_resolve_objection(
    user: User, objection: Objection, *, upheld: bool, reply: str, points: Any = None
) -> Objection:
    """Uphold (optionally with a correction) or reject an objection, with a reply."""
    action = "uphold" if upheld else "reject"
    move = OBJECTIONS.check(objection, action, user, note=reply)
    fields: dict[str, Any] = {
        "reply": reply.strip(),
        "resolved_by": user,
        "resolved_at": clock.now(),
    }
    with transaction.atomic():
        if upheld and str(points or "").strip():
            fields["correction"] = do_correct(
                user,
                objection.member,
                year=objection.year,
                points=points,
                reason=f"申诉采纳：{reply.strip()}"[:200],
            )
        OBJECTIONS.transition(
            objection,
            action,
            user,
            note=reply,
            extra_fields=fields,
            payload={"state": move.target, "reply": reply.strip()[:200]},
        )
    return objection


# --- Campaigns ----------------------------------------------------------------


def check_campaign(fields: dict[str, Any], quotas: dict[int, Any]) -> dict[int, int]:
    problems = []
    if not str(fields.get("name", "")).strip():
        problems.append("请填写活动名称")
    if fields.get("kind") not in CampaignKind.values:
        problems.append("请选择活动类型")
    start, end = fields.get("starts_on"), fields.get("ends_on")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        problems.append("请填写开始和结束日期")
    elif end < start:
        problems.append("结束日期不能早于开始日期")
    multiplier = fields.get("multiplier")
    if not isinstance(multiplier, Decimal) or not (Decimal("0.1") <= multiplier <= Decimal(5)):
        problems.append("积分倍数须在 0.1 到 5 之间")
    clean = {}
    for unit_id, value in quotas.items():
        try:
            quota = int(str(value).strip() or 0)
        except ValueError:
            problems.append("任务数须为整数")
            break
        if quota < 0:
            problems.append("任务数不能为负数")
            break
        if quota:
            clean[unit_id] = quota
    if problems:
        raise ActionRefused("；".join(problems) + "。")
    return clean


def do_save_campaign(
    user: User, campaign: Campaign | None, *, fields: dict[str, Any], quotas: dict[int, Any]
) -> Campaign:
    """Create or change a campaign; the years it can touch are recomputed (tags and multiplier)."""
    if not (user.has_role(Role.EDITOR) or user.has_role(Role.ADMIN)):
        raise ActionRefused("只有信息编辑或系统管理员可以设置信息活动。")
    clean = check_campaign(fields, quotas)
    with transaction.atomic():
        before = campaign.starts_on.year if campaign else fields["starts_on"].year
        campaign = campaign or Campaign(created_by=user)
        # What counts towards the quotas: many-to-many, set once the row exists.
        matching = {k: fields[k] for k in ("categories", "guide_topics") if k in fields}
        for name, value in fields.items():
            if name not in matching:
                setattr(campaign, name, value)
        campaign.save()
        for name, values in matching.items():
            getattr(campaign, name).set(values)
        campaign.quotas.all().delete()
        units = Organization.objects.in_bulk(list(clean))
        CampaignUnit.objects.bulk_create(
            CampaignUnit(campaign=campaign, unit=units[u], quota=q)
            for u, q in clean.items()
            if u in units
        )
        record(
            "campaign_save",
            campaign,
            actor=user,
            payload={"name": campaign.name, "quotas": len(clean)},
        )
        # Reports keep earning points after the campaign (adoptions come later),
        # so every year from its start onwards that has rules is recomputed.
        first = min(before, campaign.starts_on.year)
        for year in ScoreRuleSet.objects.filter(year__gte=first).values_list("year", flat=True):
            recompute_year(year)
    return campaign


# --- Annual notice ----------------------------------------------------------------


def do_create_notice(user: User, year: int) -> AnnualNotice:
    require_role(user, Role.EDITOR, "起草年度通报")
    if AnnualNotice.objects.filter(year=year).exists():
        raise ActionRefused(f"{year}年度通报已存在。")
    with transaction.atomic():
        notice = AnnualNotice.objects.create(
            year=year, created_by=user, **notices.default_texts(year)
        )
        Commendation.objects.bulk_create(notices.propose_commendations(notice))
    return notice


def do_update_notice(
    user: User, notice: AnnualNotice, *, title: str, opening: str, closing: str
) -> None:
    require_role(user, Role.EDITOR, "修改年度通报")
    if notice.state != NoticeState.DRAFT:
        raise ActionRefused("通报已审定，不能再修改。")
    if not title.strip():
        raise ActionRefused("请填写通报标题。")
    notice.title, notice.opening, notice.closing = title.strip()[:200], opening, closing
    notice.save(update_fields=["title", "opening", "closing"])


def do_repropose(user: User, notice: AnnualNotice) -> None:
    require_role(user, Role.EDITOR, "重新生成表彰名单")
    if notice.state != NoticeState.DRAFT:
        raise ActionRefused("通报已审定，不能重新生成表彰名单。")
    with transaction.atomic():
        notice.commendations.all().delete()
        Commendation.objects.bulk_create(notices.propose_commendations(notice))


def do_confirm_notice(user: User, notice: AnnualNotice, *, keep: set[int]) -> None:
    """The approver confirms which proposed commendations stand."""
    with transaction.atomic():
        NOTICES.transition(
            notice,
            "confirm",
            user,
            extra_fields={"confirmed_by": user, "confirmed_at": clock.now()},
            payload={"kept": sorted(keep)},
        )
        notice.commendations.exclude(pk__in=keep).update(confirmed=False)
        notice.commendations.filter(pk__in=keep).update(confirmed=True)


def do_publish_notice(user: User, notice: AnnualNotice) -> None:
    """Freeze the figures and publish; later recomputes never change a published notice."""
    NOTICES.check(notice, "publish", user)
    with transaction.atomic():
        NOTICES.transition(
            notice,
            "publish",
            user,
            extra_fields={
                "figures": notices.compute_figures(notice),
                "published_at": clock.now(),
            },
        )


def do_set_public(user: User, notice: AnnualNotice, *, public: bool) -> None:
    require_role(user, Role.ADMIN, "设置通报是否公开")
    if public and notice.state != NoticeState.PUBLISHED:
        raise ActionRefused("只有已发布的通报可以公开。")
    notice.public = public
    notice.save(update_fields=["public"])
