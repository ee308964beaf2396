"""The one way in to forwardings: readable with their report, writable by editors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from minyi.outcomes.models import Forwarding
from minyi.people.models import Role
from minyi.reports.access import visible_reports

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from minyi.people.models import User


def visible_forwardings(user: User) -> QuerySet[Forwarding]:
    """Every forwarding this user may read: those of the reports they may read.

    The office reads every report but others' drafts, and a draft is never
    forwarded: for the office that is every forwarding, without the subquery over
    all reports that would otherwise weigh on the outcomes register at scale.
    """
    if user.is_authenticated and user.is_active and user.is_office:
        return Forwarding.objects.all()
    return Forwarding.objects.filter(report__in=visible_reports(user))


def get_forwarding_for(user: User, pk: int, *, write: bool = False) -> Forwarding:
    if write and not user.has_role(Role.EDITOR):
        raise Http404("没有找到该报送记录，或您无权修改。")
    try:
        return visible_forwardings(user).select_related("report", "recipient", "issue").get(pk=pk)
    except (Forwarding.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该报送记录，或您无权查看。") from None
