"""The one way in to forwardings: readable with their report, writable by editors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from minyi.outcomes.models import Forwarding
from minyi.people.models import Role
from minyi.reports.access import visible_reports

if TYPE_CHECKING:
    from minyi.people.models import User


def get_forwarding_for(user: User, pk: int, *, write: bool = False) -> Forwarding:
    if write and not user.has_role(Role.EDITOR):
        raise Http404("没有找到该报送记录，或您无权修改。")
    try:
        return Forwarding.objects.select_related("report", "recipient", "issue").get(
            pk=pk, report__in=visible_reports(user)
        )
    except (Forwarding.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该报送记录，或您无权查看。") from None
