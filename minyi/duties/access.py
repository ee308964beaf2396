"""The one way in to commissions: who sees which."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from minyi.duties.models import Commission
from minyi.people.models import Role

if TYPE_CHECKING:
    from minyi.people.models import User

#: Who sees every commission: the office and the leaders.
ALL_ROLES = (Role.EDITOR, Role.APPROVER, Role.ADMIN, Role.LEADER)


def visible_commissions(user: User) -> QuerySet[Commission]:
    """The office and leaders see all; a member their own; a liaison their units'."""
    rows = Commission.objects.select_related("topic", "member", "unit", "report")
    if user.has_role(*ALL_ROLES):
        return rows
    return rows.for_user(user)


def get_commission_for(user: User, pk: int) -> Commission:
    try:
        return visible_commissions(user).get(pk=pk)
    except (Commission.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该约稿。") from None
