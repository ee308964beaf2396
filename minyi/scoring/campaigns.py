"""Which reports a campaign tags, and each unit's progress against its quota."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from minyi.reports.models import Report
from minyi.scoring.models import Campaign


def tagged_reports(campaign: Campaign) -> QuerySet[Report]:
    """Reports first submitted during the campaign by a participating unit (every unit if none)."""
    # ``__date`` compares in local time, as the projection does.
    reports = Report.objects.filter(
        submitted_at__date__gte=campaign.starts_on, submitted_at__date__lte=campaign.ends_on
    )
    unit_ids = list(campaign.quotas.values_list("unit_id", flat=True))
    return reports.filter(submitting_unit_id__in=unit_ids) if unit_ids else reports


@dataclass
class Progress:
    unit_id: int
    name: str
    quota: int
    submitted: int

    @property
    def percent(self) -> int:
        return min(100, round(self.submitted * 100 / self.quota)) if self.quota else 100

    @property
    def done(self) -> bool:
        return self.submitted >= self.quota


def progress(campaign: Campaign, unit_ids: set[int] | None = None) -> list[Progress]:
    counts = dict(
        tagged_reports(campaign)
        .values("submitting_unit_id")
        .annotate(n=Count("id"))
        .values_list("submitting_unit_id", "n")
    )
    quotas = campaign.quotas.select_related("unit")
    if unit_ids is not None:
        quotas = quotas.filter(unit_id__in=unit_ids)
    return [Progress(q.unit_id, q.unit.label, q.quota, counts.get(q.unit_id, 0)) for q in quotas]
