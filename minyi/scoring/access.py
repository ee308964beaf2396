"""The one way in to members' ledgers, objections, campaigns and notices.

- A member (or information officer) sees only their own ledger.
- A liaison sees the ledgers of their units' members.
- Editors, approvers, admins and leaders see every member.
- The list of members below minimum duties (约谈提醒) is for the office only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from minyi.people.models import OFFICE_ROLES, Member, Role
from minyi.scoring.models import AnnualNotice, Campaign, NoticeState, Objection

if TYPE_CHECKING:
    from minyi.people.models import User

#: Who may open the ranking pages.
RANKING_ROLES = (*OFFICE_ROLES, Role.LEADER, Role.LIAISON)
#: Who may see every member's figures.
ALL_MEMBER_ROLES = (*OFFICE_ROLES, Role.LEADER)


def sees_all_members(user: User) -> bool:
    return user.has_role(*ALL_MEMBER_ROLES)


def sees_duty_list(user: User) -> bool:
    """Members below minimum duties are a matter for the office, not for leaders' tables."""
    return user.is_office


def visible_members(user: User) -> QuerySet[Member]:
    if not user.is_authenticated or not user.is_active:
        return Member.objects.none()
    if sees_all_members(user):
        return Member.objects.all()
    found = Member.objects.none()
    if user.liaison_unit_ids:
        found = Member.objects.filter(organizations__in=user.liaison_unit_ids)
    if user.member_id:
        found = found | Member.objects.filter(pk=user.member_id)
    return found.distinct()


def get_member_for(user: User, pk: int) -> Member:
    try:
        return visible_members(user).select_related("sector").get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该委员，或您无权查看其积分。") from None


def visible_objections(user: User) -> QuerySet[Objection]:
    if user.has_role(Role.ADMIN):
        return Objection.objects.all()
    if user.member_id:
        return Objection.objects.filter(member_id=user.member_id)
    return Objection.objects.none()


def get_objection_for(user: User, pk: int, *, write: bool = False) -> Objection:
    if write and not user.has_role(Role.ADMIN):
        raise Http404("没有找到该申诉，或您无权处理。")
    try:
        return visible_objections(user).select_related("member").get(pk=pk)
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该申诉，或您无权查看。") from None


def visible_campaigns(user: User) -> QuerySet[Campaign]:
    """The office and leaders see every campaign; a liaison those their units take part in."""
    if user.is_office or user.has_role(Role.LEADER):
        return Campaign.objects.all()
    if user.liaison_unit_ids:
        return Campaign.objects.filter(quotas__unit_id__in=user.liaison_unit_ids).distinct()
    return Campaign.objects.none()


def get_campaign_for(user: User, pk: int) -> Campaign:
    try:
        return visible_campaigns(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该活动，或您无权查看。") from None


def visible_notices(user: User) -> QuerySet[AnnualNotice]:
    if user.is_office or user.has_role(Role.LEADER):
        return AnnualNotice.objects.all()
    return AnnualNotice.objects.filter(state=NoticeState.PUBLISHED)


def get_notice_for(user: User, pk: int) -> AnnualNotice:
    try:
        return visible_notices(user).get(pk=pk)
    except (AnnualNotice.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该通报，或您无权查看。") from None


def get_public_notice(pk: int) -> AnnualNotice:
    """Anyone, without logging in: only published notices the admin made public."""
    try:
        return AnnualNotice.objects.get(pk=pk, state=NoticeState.PUBLISHED, public=True)
    except (AnnualNotice.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该通报。") from None
