"""Which reports a campaign tags, and each unit's progress against its quota."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from minyi.reports.models import Report
from minyi.scoring.models import Campaign


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _in_dates(campaign: Campaign) -> QuerySet[Report]:
    # Local days, as the projection counts them; as a range of instants, not ``__date``, so the
    # index on ``submitted_at`` is used (``__date`` converts every row: 2.5 s on 100,000).
    return Report.objects.filter(
        submitted_at__gte=_local_midnight(campaign.starts_on),
        submitted_at__lt=_local_midnight(campaign.ends_on + dt.timedelta(days=1)),
    )


def tagged_reports(campaign: Campaign) -> QuerySet[Report]:
    """Reports first submitted during the campaign by a participating unit (every unit if none)."""
    reports = _in_dates(campaign)
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
    # The campaign's days only, counted here: with the units in the query (or a GROUP BY on
    # them) SQLite walks the unit index over the whole archive, 0.7–1 s at 100,000 reports,
    # instead of the date index; the days hold a few hundred reports. Only quota units are read.
    counts = Counter(_in_dates(campaign).values_list("submitting_unit_id", flat=True))
    quotas = campaign.quotas.select_related("unit")
    if unit_ids is not None:
        quotas = quotas.filter(unit_id__in=unit_ids)
    return [Progress(q.unit_id, q.unit.label, q.quota, counts.get(q.unit_id, 0)) for q in quotas]
