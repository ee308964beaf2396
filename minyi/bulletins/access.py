"""The one way in to bulletin issues.

The office sees every issue; leaders see issued ones; nobody else reads
bulletins here: authors (and liaisons) open the one item that carried their own
report, from the report page (``get_published_item_for``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from minyi.bulletins.models import Issue, IssueItem, IssueQuerySet, IssueState
from minyi.people.models import Role
from minyi.reports.access import visible_reports

if TYPE_CHECKING:
    from minyi.people.models import User


def visible_issues(user: User) -> IssueQuerySet:
    if not user.is_authenticated or not user.is_active:
        return Issue.objects.none()
    if user.is_office:
        return Issue.objects.all()
    if user.has_role(Role.LEADER):
        return Issue.objects.issued()
    return Issue.objects.none()


def get_issue_for(user: User, pk: int, *, write: bool = False) -> Issue:
    """Fetch an issue the user may see (404 otherwise); ``write`` demands the editor role."""
    try:
        issue = visible_issues(user).select_related("bulletin", "editor", "approver").get(pk=pk)
    except (Issue.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该期刊物，或您无权查看。") from None
    if write and not user.has_role(Role.EDITOR, Role.APPROVER):
        raise Http404("没有找到该期刊物，或您无权修改。")
    return issue


def get_published_item_for(user: User, pk: int) -> IssueItem:
    """An item of an issued bulletin whose report the user may read (404 otherwise).

    Authors and liaisons do not read whole bulletins, but they may open the item
    that carried their own report; the issue must have been issued (印发).
    """
    found = (
        IssueItem.objects.filter(
            pk=pk,
            issue__state=IssueState.ISSUED,
            report__in=visible_reports(user).values("pk"),
        )
        .select_related("issue", "issue__bulletin", "issue__editor", "issue__approver", "report")
        .first()
    )
    if found is None:
        raise Http404("没有找到该期刊物中的这篇信息，或您无权查看。")
    return found
