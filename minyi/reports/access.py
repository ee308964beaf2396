"""The one way in to reports: who may see and who may change which report.

Views never query ``Report`` directly. Rules:
- editors, approvers and admins see every report;
- members see reports they wrote or co-signed (联名);
- liaisons see their units' reports, and the composites (综合稿) their units' reports
  were merged into;
- leaders see what has gone out (published or sent directly) and what was
  forwarded to them.
Drafts are private to the people who may edit them, even for the office.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from minyi.people.models import Role
from minyi.reports.models import (
    AUTHOR_EDITABLE_STATES,
    OUT_STATES,
    Report,
    ReportAuthor,
    ReportQuerySet,
    State,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from minyi.people.models import User


def authored_filter(user: User) -> Q:
    """Reports the user wrote or co-signed (联名): a ``pk__in`` subquery, no join (below)."""
    return _any(_authored_sets(user))


def own_filter(user: User) -> Q:
    """Reports the user wrote, co-signed, or (as liaison) their unit sent; not the leader rule.

    ``visible_reports`` builds on it; "my reports" filters by it to leave out what a
    leader or the office merely may read. The co-signed reports are a ``pk__in`` subquery,
    not a join: a join repeats a report once per matching author and needs ``DISTINCT`` over
    whole rows, which made counting a busy member's reports cost a second at 100,000 reports.
    """
    return _any(own_sets(user))


def own_sets(user: User) -> list[Q]:
    """``own_filter`` as the sets it joins with OR, for a list that pages them as a ``UNION``
    (each set can then be read in its own index's order; an OR can only be sorted)."""
    sets = _authored_sets(user)
    if user.liaison_unit_ids:
        units = user.liaison_unit_ids
        sets.append(Q(submitting_unit_id__in=units))
        # A composite (综合稿) is each of its sources' units' report too: their union.
        merged = Report.objects.filter(
            submitting_unit_id__in=units, merged_into__isnull=False, duplicate_of__isnull=True
        ).values("merged_into_id")
        sets.append(Q(pk__in=merged))
    return sets


def _authored_sets(user: User) -> list[Q]:
    sets = [Q(created_by=user)]
    if user.member_id:
        signed = ReportAuthor.objects.filter(member_id=user.member_id).values("report_id")
        sets.append(Q(pk__in=signed))
    return sets


def _any(sets: list[Q]) -> Q:
    q = Q()
    for one in sets:
        q |= one
    return q


def visible_reports(user: User) -> ReportQuerySet:
    """Every report this user may read, as a QuerySet to filter further."""
    if not user.is_authenticated or not user.is_active:
        return Report.objects.none()
    if user.is_office:
        # The office never sees other people's unsent drafts.
        return Report.objects.filter(~Q(state=State.DRAFT) | own_filter(user))
    q = own_filter(user)
    if user.has_role(Role.LEADER):
        q |= Q(state__in=OUT_STATES)
    # No join in ``q``, so no duplicates and no ``DISTINCT``.
    return Report.objects.filter(q)


def own_reports(user: User) -> ReportQuerySet:
    """The user's own reports (我的信息 and its export): ``own_filter`` within ``visible_reports``.

    ``own_filter`` is part of what every user may read, so it is the whole filter; applying
    it on top of ``visible_reports`` repeated the liaison's OR (and its subqueries) twice in
    every list and count query.
    """
    if not user.is_authenticated or not user.is_active:
        return Report.objects.none()
    return Report.objects.filter(own_filter(user))


def findable_reports(user: User) -> ReportQuerySet:
    """What the user may find by search or in similar-report hints.

    Reports marked 内部 or 秘密 are found by the office, and by their own authors (the
    writer and the co-signers): an author searching the words of his own report must find
    it. Everyone else (other members, the unit's liaison, leaders) reaches a marked report
    through their lists or what was sent to them, never by searching: a liaison's unit
    list already shows the unit's reports, and search is where a marked title would
    otherwise surface among unrelated results.
    """
    reports = visible_reports(user)
    if user.is_office:
        return reports
    return reports.filter(Q(confidentiality="") | authored_filter(user))


def readable_ids(user: User, ids: Iterable[int | None]) -> frozenset[int]:
    """Which of these report ids the user may read: for pages that list rows about reports
    (ledgers, exports, notices) and must leave out the serial and title of the rest."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return frozenset()
    return frozenset(visible_reports(user).filter(pk__in=wanted).values_list("pk", flat=True))


def get_report_for(user: User, pk: int, *, write: bool = False) -> Report:
    """Fetch a report the user may see (404 otherwise); ``write`` demands edit rights too."""
    try:
        report = visible_reports(user).with_people().get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该稿件，或您无权查看。") from None
    if write and not can_edit_text(user, report):
        raise Http404("没有找到该稿件，或您无权修改。")
    return report


def can_edit_text(user: User, report: Report) -> bool:
    if report.state in AUTHOR_EDITABLE_STATES:
        return report.is_authored_by(user)
    if report.state in (State.SUBMITTED, State.ACCEPTED):
        return user.has_role(Role.EDITOR)
    return False
