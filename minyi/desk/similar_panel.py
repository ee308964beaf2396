"""The similar-reports panel: similar earlier reports, as a given user may know of them.

``minyi.search.similar_reports`` finds matches among every report; this module applies
the access rules: a match the user may read (``visible_reports``) is shown with its title
and outcome, a match they may not read is only counted ("已有 N 篇相似信息"), so a
member learns that the matter was raised without learning by whom or what was said.
Drafts and withdrawn reports are private to their authors and never count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from minyi.outcomes.summary import latest_outcomes
from minyi.reports.access import findable_reports
from minyi.reports.models import Report, State
from minyi.search.similar import (
    DUPLICATE_THRESHOLD,
    SIMILAR_THRESHOLD,
    report_text,
    similar_reports,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from minyi.people.models import User

__all__ = ["SimilarMatch", "SimilarPanel", "likely_duplicates", "merge_family", "similar_for"]

#: Texts shorter than this (whitespace removed) say too little to compare.
MIN_CHARS = 20
PRIVATE_STATES = (State.DRAFT, State.WITHDRAWN)


@dataclass(frozen=True)
class SimilarMatch:
    report: Report
    jaccard: float
    outcome: str = ""

    @property
    def percent(self) -> int:
        return round(self.jaccard * 100)


@dataclass
class SimilarPanel:
    visible: list[SimilarMatch] = field(default_factory=list)
    hidden: int = 0

    @property
    def total(self) -> int:
        return len(self.visible) + self.hidden


def similar_for(
    user: User,
    text: str,
    *,
    exclude: Iterable[int] = (),
    threshold: float = SIMILAR_THRESHOLD,
    limit: int = 5,
) -> SimilarPanel:
    """Return the similar earlier reports ``user`` may see, and how many others there are."""
    if len("".join(text.split())) < MIN_CHARS:
        return SimilarPanel()
    among = Report.objects.exclude(state__in=PRIVATE_STATES)
    if not user.is_office:
        # Marked (内部/秘密) reports are not hinted at, not even as a count.
        among = among.unmarked()
    matches = similar_reports(text, exclude=exclude, threshold=threshold, among=among)
    scores = {m.report_id: m.jaccard for m in matches}
    readable = findable_reports(user).filter(pk__in=scores).select_related("submitting_unit")
    by_id = {r.pk: r for r in readable}
    outcomes = latest_outcomes(list(by_id))
    visible = [
        SimilarMatch(by_id[m.report_id], m.jaccard, outcomes.get(m.report_id, ""))
        for m in matches
        if m.report_id in by_id
    ]
    return SimilarPanel(visible=visible[:limit], hidden=len(matches) - len(visible))


def likely_duplicates(user: User, report: Report, *, limit: int = 5) -> list[SimilarMatch]:
    """Earlier reports that ``report`` nearly repeats (J >= 0.7), for the office's triage.

    A composite (综合稿) is written from its sources, and a source from its composite:
    neither is a duplicate of the other, so the family is left out.
    """
    panel = similar_for(
        user,
        report_text(report),
        exclude=merge_family(report),
        threshold=DUPLICATE_THRESHOLD,
        limit=limit,
    )
    return panel.visible


def merge_family(report: Report) -> list[int]:
    """The report, the sources merged into it, and the report it was merged into."""
    family = [report.pk, *report.merged_sources.values_list("pk", flat=True)]
    if report.merged_into_id:
        family.append(report.merged_into_id)
    return family
