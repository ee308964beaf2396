"""Demo: the default rule set for every year with events, an information month, the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models.functions import ExtractYear

from minyi.audit.models import Event
from minyi.people.models import Organization, OrgKind, User
from minyi.scoring.ledger import recompute_year
from minyi.scoring.models import Campaign, CampaignKind, CampaignUnit
from minyi.scoring.rules import default_input, do_save_ruleset


def seed_scoring(admin: User | None = None) -> int:
    """Seed rules (the issue's example points) and a 信息月, then compute; return ledger rows."""
    admin = admin or User.objects.filter(is_superuser=True).order_by("id").first()
    if admin is None:
        return 0
    years = sorted(
        set(Event.objects.annotate(y=ExtractYear("created_at")).values_list("y", flat=True))
    )
    if not years:
        return 0
    with transaction.atomic():
        _information_month(admin, years[-1])
        for year in years:
            do_save_ruleset(admin, year, default_input(), note="演示：默认积分办法")
    return sum(recompute_year(year) for year in years)


def _information_month(admin: User, year: int) -> Campaign:
    """The year's 信息月 in May: every unit that submits, a quota of 3, points ×1.5."""
    campaign = Campaign.objects.create(
        name=f"{year}年社情民意信息月",
        kind=CampaignKind.MONTH,
        theme="聚焦民生实事，反映群众急难愁盼",
        topics="养老服务\n就业创业\n城市更新\n基层治理",
        starts_on=dt.date(year, 5, 1),
        ends_on=dt.date(year, 5, 31),
        multiplier=Decimal("1.5"),
        created_by=admin,
    )
    units = Organization.objects.exclude(kind__in=(OrgKind.HOST, OrgKind.RESEARCH_OFFICE))
    CampaignUnit.objects.bulk_create(
        CampaignUnit(campaign=campaign, unit=u, quota=3) for u in units
    )
    return campaign
