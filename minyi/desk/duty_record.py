"""A member's yearly 履职 record: what they reported and its fate, commissions, points, duties.

Assembled from the records that already hold each fact — reports and their outcomes,
commissions, the points ledger with its notes, the ranking's duty check — so the page,
the DOCX and the office's batch print say the same. Report titles are those the viewer
may read (``visible_reports``); a member's own record and the office's are complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from minyi.duties.models import Commission, CommissionState
from minyi.outcomes.models import Adoption, Instruction
from minyi.people.models import Member
from minyi.people.terms import OfficerAppointment, TermMembership, appointed_months
from minyi.reports.access import visible_reports
from minyi.reports.models import Report, State
from minyi.scoring.ledger import year_bounds
from minyi.scoring.models import Score, ScoreRuleSet
from minyi.scoring.rankings import member_table
from minyi.scoring.vocabulary import level_label


@dataclass
class ReportLine:
    report: Report
    fate: str
    outcomes: list[str] = field(default_factory=list)
    commissioned: bool = False


@dataclass
class Duty:
    rule: str
    met: bool
    reason: str


@dataclass
class DutyRecord:
    member: Member
    year: int
    reports: list[ReportLine]  # standing submissions only, as the ledger and rankings count
    hidden_reports: int
    commissions: list[Commission]
    points: list[tuple[Score, str]]  # each ledger row with its reason in words
    total: Decimal
    duties: list[Duty]
    band: str
    band_reason: str
    terms: list[TermMembership]
    appointments: list[OfficerAppointment]
    withdrawn: list[ReportLine] = field(default_factory=list)  # listed apart, counted nowhere

    @property
    def adoptions(self) -> int:
        return sum(1 for line in self.reports for o in line.outcomes if "采用" in o)

    @property
    def instructions(self) -> int:
        return sum(1 for line in self.reports for o in line.outcomes if "批示" in o)

    @property
    def answered(self) -> list[Commission]:
        return [c for c in self.commissions if c.answered_at is not None]


def _reports(member: Member, year: int) -> QuerySet[Report]:
    start, end = year_bounds(year)
    return (
        Report.objects.filter(
            report_authors__member=member, submitted_at__gte=start, submitted_at__lt=end
        )
        .exclude(state="draft")
        .distinct()
        .order_by("submitted_at", "id")
    )


def _outcomes(report_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {pk: [] for pk in report_ids}
    adoptions = Adoption.objects.filter(forwarding__report_id__in=report_ids).select_related(
        "forwarding__recipient"
    )
    for a in adoptions.order_by("adopted_on", "id"):
        found[a.forwarding.report_id].append(
            f"{a.adopted_on:%Y-%m-%d} 被{a.forwarding.recipient.name}采用（{a.get_kind_display()}）"
        )
    instructions = Instruction.objects.filter(forwarding__report_id__in=report_ids)
    for i in instructions.order_by("instructed_on", "id").select_related("forwarding"):
        found[i.forwarding.report_id].append(
            f"{i.instructed_on:%Y-%m-%d} 获{i.leader_name}批示（{level_label(i.level)}）"
        )
    return found


def _report_lines(
    viewer: Any, member: Member, year: int
) -> tuple[list[ReportLine], int, list[ReportLine]]:
    """Standing reports, how many of them the viewer may not read, and the withdrawn ones.

    A withdrawn report no longer stands as submitted: the ledger reverses its points and
    the rankings leave it out, so the record lists it apart and counts it nowhere.
    """
    every = list(_reports(member, year))
    readable = set(
        visible_reports(viewer).filter(pk__in=[r.pk for r in every]).values_list("pk", flat=True)
    )
    shown = [r for r in every if r.pk in readable]
    outcomes = _outcomes([r.pk for r in shown])
    commissioned = set(
        Commission.objects.filter(report__in=shown).values_list("report_id", flat=True)
    )
    lines = [ReportLine(r, _fate(r), outcomes[r.pk], r.pk in commissioned) for r in shown]
    standing = [line for line in lines if line.report.state != State.WITHDRAWN]
    hidden = sum(1 for r in every if r.pk not in readable and r.state != State.WITHDRAWN)
    withdrawn = [line for line in lines if line.report.state == State.WITHDRAWN]
    return standing, hidden, withdrawn


def _fate(report: Report) -> str:
    fate = report.get_state_display()
    if report.state == "declined" and report.decline_reason:
        fate += f"（{report.get_decline_reason_display()}）"
    return fate


def _duties(
    record_year: int,
    member: Member,
    line: Any,
    ruleset: ScoreRuleSet | None,
    commissions: list[Commission],
) -> list[Duty]:
    duties: list[Duty] = []
    if ruleset is not None:
        minimum = ruleset.member_min_reports
        duties.append(
            Duty(
                f"全年报送不少于 {minimum} 篇",
                line.submitted >= minimum,
                f"全年报送 {line.submitted} 篇",
            )
        )
        months = appointed_months(record_year, [member.pk]).get(member.pk)
        if months and ruleset.officer_min_monthly:
            shortfall = line.extra.get("shortfall", "")
            officer_part = shortfall.split("特约信息员", 1)[1] if "特约信息员" in shortfall else ""
            span = "、".join(f"{m}月" for m in sorted(months))
            duties.append(
                Duty(
                    f"特约信息员聘任期内（{span}）每月报送不少于 {ruleset.officer_min_monthly} 篇",
                    not officer_part,
                    ("特约信息员" + officer_part) if officer_part else "聘任期内各月均已完成",
                )
            )
    for c in commissions:
        if c.state in (
            CommissionState.DECLINED,
            CommissionState.CANCELLED,
            CommissionState.OFFERED,
        ):
            continue
        late = c.state == CommissionState.ACCEPTED and c.is_overdue()
        duties.append(
            Duty(
                f"约稿《{c.topic.title}》{c.due_on:%Y-%m-%d} 前交稿",
                c.state == CommissionState.DELIVERED,
                "已交稿"
                if c.state == CommissionState.DELIVERED
                else ("已接受，逾期未交稿" if late else "已接受，尚未到期"),
            )
        )
    return duties


def build_record(viewer: Any, member: Member, year: int) -> DutyRecord:
    ruleset = ScoreRuleSet.objects.current(year)
    [line] = member_table(year, ruleset, [member])
    reports, hidden, withdrawn = _report_lines(viewer, member, year)
    start, end = year_bounds(year)
    commissions = list(
        Commission.objects.filter(member=member, created_at__gte=start, created_at__lt=end)
        .select_related("topic")
        .order_by("created_at", "id")
    )
    scores = list(Score.objects.for_year(year).filter(member=member).explained())
    ids = [s.report_id for s in scores if s.report_id]
    readable = set(visible_reports(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    return DutyRecord(
        member=member,
        year=year,
        reports=reports,
        hidden_reports=hidden,
        commissions=commissions,
        points=[(s, score_reason(s, readable)) for s in scores],
        total=sum((s.points for s in scores), Decimal("0")),
        duties=_duties(year, member, line, ruleset, commissions),
        band=line.extra.get("band", ""),
        band_reason=line.extra.get("reason", ""),
        terms=list(member.term_memberships.select_related("term").order_by("joined_on")),
        appointments=list(member.appointments.order_by("appointed_on")),
        withdrawn=withdrawn,
    )


def score_reason(score: Score, readable: set[int]) -> str:
    """One ledger row in words: the rule, the report (if the viewer may read it), the note."""
    what = score.get_kind_display()
    if score.level:
        what += f"（{level_label(score.level)}）"
    if score.report_id and score.report_id in readable:
        what += f"：《{score.report.title}》"  # type: ignore[union-attr]
    return f"{what}；{score.note}" if score.note else what


def year_choices(today: dt.date) -> list[int]:
    return list(range(today.year, today.year - 6, -1))
