"""Events → ledger rows: one pure, single-pass function (no Django, no queries).

``project()`` is the only place points are decided. The full recompute feeds
it every scoring event of a year; the incremental update feeds it every event
of the reports written by the members an event touched. Because a member's
rows depend only on the events of their own reports (report-level state:
first submission, highest level so far, the item cap) and on their own running
total (the year cap), both give the same rows for those members.

Steps for each event, in event-id order:
1. Decide the base points from the rule for (kind, level) and the event's facts
   (first submission only; 综合/转送 at a fraction; highest level only → the
   increase over the best level so far).
2. Multiply by the campaign multiplier if the report belongs to a campaign.
3. Cut to what is left under the report's item cap.
4. Split among the authors (lead share, the rest equally; shares sum to 1).
5. Cut each author's part to what is left under their year cap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")

#: Event verbs that can earn points.
SCORING_VERBS = (
    "submit",
    "withdraw",
    "publish",
    "unpublish",
    "send_directly",
    "adopt",
    "instruct",
)
#: The ``level`` of a row that takes back a withdrawn submission's points: counts of
#: submitted reports subtract these (``rankings.submitted_count``), so a withdrawn report
#: is not counted as submitted while its original row stays in the ledger as history.
REVERSED = "reversed"
#: The note on a withdrawal's reversing row, by the kind of row it takes back.
WITHDRAWN_NOTES = {"submitted": "撤回，撤销报送分", "commissioned": "撤回，撤销约稿加分"}


@dataclass(frozen=True, slots=True)
class EventIn:
    id: int
    verb: str
    report_id: int
    day: dt.date
    code: str = ""  # adoption kind (single/combined/transfer) or instruction level
    level: str = ""  # recipient level, for adoptions
    adopted_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ReportIn:
    unit_id: int | None
    urgency: str
    submitted_on: dt.date | None
    authors: tuple[int, ...]  # member ids, lead author first
    #: Each author's unit, where it is not the report's: a composite (综合稿) credits
    #: the unit of the source each author came from, so every source unit earns.
    author_units: tuple[int | None, ...] = ()
    #: Written for a commission (约稿) the member accepted: the rule set's 约稿加分 applies.
    commissioned: bool = False

    def unit_of(self, index: int) -> int | None:
        if index < len(self.author_units) and self.author_units[index] is not None:
            return self.author_units[index]
        return self.unit_id


@dataclass(frozen=True, slots=True)
class CampaignIn:
    id: int
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    multiplier: Decimal
    unit_ids: frozenset[int]  # empty: every unit takes part

    def covers(self, report: ReportIn) -> bool:
        day = report.submitted_on
        if day is None or not (self.starts_on <= day <= self.ends_on):
            return False
        return not self.unit_ids or report.unit_id in self.unit_ids


@dataclass(frozen=True, slots=True)
class CorrectionIn:
    event_id: int
    member_id: int
    points: Decimal
    reason: str


@dataclass(frozen=True)
class RuleBook:
    ruleset_id: int
    rules: dict[tuple[str, str], tuple[int, Decimal]]  # (kind, level) → (rule id, points)
    highest_level_only: bool = True
    lead_share: Decimal | None = None
    item_cap: Decimal | None = None
    year_cap: Decimal | None = None
    combined_factor: Decimal = Decimal("0.5")
    transfer_factor: Decimal = Decimal("0.3")
    urgent_within_days: int = 3


@dataclass(slots=True)
class Row:
    event_id: int
    member_id: int | None
    unit_id: int | None
    report_id: int | None
    rule_id: int | None
    campaign_id: int | None
    kind: str
    level: str
    base: Decimal
    share: Decimal
    points: Decimal
    note: str = ""

    def key(self) -> tuple:
        """Everything but the database id: what incremental and recompute must agree on."""
        return (
            self.event_id,
            self.member_id,
            self.unit_id,
            self.report_id,
            self.rule_id,
            self.campaign_id,
            self.kind,
            self.level,
            self.base,
            self.share,
            self.points,
            self.note,
        )


@lru_cache(maxsize=256)
def shares(count: int, lead: Decimal | None) -> tuple[Decimal, ...]:
    """Each author's share, lead first, summing to exactly 1 (rounding remainder to the lead)."""
    if count <= 1:
        return (ONE,)
    if lead is None:
        each = (ONE / count).quantize(CENT, ROUND_HALF_UP)
        rest = [each] * (count - 1)
    else:
        each = ((ONE - lead) / (count - 1)).quantize(CENT, ROUND_HALF_UP)
        rest = [each] * (count - 1)
    return (ONE - sum(rest), *rest)


@dataclass
class _State:
    """What the single pass remembers: per report and per member."""

    submitted: set[int]
    published: set[int] = field(default_factory=set)
    #: The event of each report's standing (scored, not withdrawn) submission this year.
    submit_event: dict[int, int] = field(default_factory=dict)
    #: The event of each report's standing publication this year (作废 takes it back).
    publish_event: dict[int, int] = field(default_factory=dict)
    best: dict[tuple[str, int], Decimal] = field(default_factory=dict)
    urgent_done: set[int] = field(default_factory=set)
    item_total: dict[int, Decimal] = field(default_factory=dict)
    member_total: dict[int, Decimal] = field(default_factory=dict)
    campaign_of: dict[int, CampaignIn | None] = field(default_factory=dict)


class Projector:
    def __init__(
        self,
        book: RuleBook,
        reports: dict[int, ReportIn],
        campaigns: Iterable[CampaignIn] = (),
        submitted_before: Iterable[int] = (),
    ) -> None:
        self.book = book
        self.reports = reports
        self.campaigns = sorted(campaigns, key=lambda c: (c.starts_on, c.id))
        self.state = _State(submitted=set(submitted_before))
        self.rows: list[Row] = []

    def run(self, events: Iterable[EventIn], corrections: Iterable[CorrectionIn] = ()) -> list[Row]:
        handlers = {
            "submit": self._submit,
            "withdraw": self._withdrawn,
            "publish": self._published,
            "unpublish": self._unpublished,
            "send_directly": self._published,
            "adopt": self._adopt,
            "instruct": self._instruct,
        }
        for event in events:
            report = self.reports.get(event.report_id)
            handler = handlers.get(event.verb)
            if report is not None and handler is not None:
                handler(event, report)
        for correction in corrections:
            self.rows.append(
                Row(
                    correction.event_id,
                    correction.member_id,
                    None,
                    None,
                    None,
                    None,
                    "correction",
                    "",
                    correction.points,
                    ONE,
                    correction.points,
                    correction.reason[:200],
                )
            )
        return self.rows

    # --- Step 1: base points per kind ---------------------------------------

    def _submit(self, event: EventIn, report: ReportIn) -> None:
        # Withdrawn and sent in again is still one report: only the first submission scores.
        if event.report_id in self.state.submitted:
            return
        self.state.submitted.add(event.report_id)
        self.state.submit_event[event.report_id] = event.id
        self._emit(event, report, "submitted", "", ONE, "")
        campaign = self._campaign(event.report_id, report)
        if report.commissioned:
            self._emit(event, report, "commissioned", "", ONE, "应约稿件")
        elif campaign is not None and campaign.kind == "commission":
            self._emit(event, report, "commissioned", "", ONE, "约稿")

    def _withdrawn(self, event: EventIn, report: ReportIn) -> None:
        """Withdrawn by its author: take back the points of its submission this year.

        One reversing row per row of the standing submission, on the withdraw event
        (level ``REVERSED``). Sent in again, it scores again. A report submitted in an
        earlier year keeps that year's points (its notice is closed) and does not score twice.
        """
        submit_id = self.state.submit_event.pop(event.report_id, None)
        if submit_id is None:
            return
        self.state.submitted.discard(event.report_id)
        earned = [r for r in self.rows if r.event_id == submit_id and r.level != REVERSED]
        for row in earned:
            self.rows.append(
                replace(
                    row,
                    event_id=event.id,
                    level=REVERSED,
                    points=-row.points,
                    note=WITHDRAWN_NOTES.get(row.kind, "撤回，撤销报送分"),
                )
            )
            if row.member_id is not None:
                total = self.state.member_total.get(row.member_id, ZERO)
                self.state.member_total[row.member_id] = total - row.points
        used = self.state.item_total.get(event.report_id, ZERO)
        bases = {(r.kind, r.base) for r in earned}
        self.state.item_total[event.report_id] = used - sum((b for _, b in bases), ZERO)

    def _published(self, event: EventIn, report: ReportIn) -> None:
        if event.report_id in self.state.published:
            return
        self.state.published.add(event.report_id)
        kind = "published" if event.verb == "publish" else "sent_directly"
        self.state.publish_event[event.report_id] = event.id
        self._emit(event, report, kind, "", ONE, "")

    def _unpublished(self, event: EventIn, report: ReportIn) -> None:
        """Its issue was voided (作废): take back the 编发 points this year's pass gave it.

        One reversing row per row of the standing publication (level ``REVERSED``). A
        report published in an earlier year keeps them there (that year's notice is
        closed). Published again in a new issue, it earns them again.
        """
        self.state.published.discard(event.report_id)
        publish_id = self.state.publish_event.pop(event.report_id, None)
        earned = [r for r in self.rows if r.event_id == publish_id and r.level != REVERSED]
        for row in earned:
            self.rows.append(
                replace(
                    row,
                    event_id=event.id,
                    level=REVERSED,
                    points=-row.points,
                    note="期次作废，撤回编发分",
                )
            )
            if row.member_id is not None:
                total = self.state.member_total.get(row.member_id, ZERO)
                self.state.member_total[row.member_id] = total - row.points
        if earned:
            used = self.state.item_total.get(event.report_id, ZERO)
            self.state.item_total[event.report_id] = used - earned[0].base

    def _adopt(self, event: EventIn, report: ReportIn) -> None:
        factor, note = ONE, ""
        if event.code == "combined":
            factor, note = self.book.combined_factor, f"综合采用×{self.book.combined_factor}"
        elif event.code == "transfer":
            factor, note = self.book.transfer_factor, f"转送×{self.book.transfer_factor}"
        self._levelled(event, report, "adopted", event.level, factor, note)
        self._urgent_bonus(event, report)

    def _instruct(self, event: EventIn, report: ReportIn) -> None:
        self._levelled(event, report, "instructed", event.code, ONE, "")

    def _levelled(
        self, event: EventIn, report: ReportIn, kind: str, level: str, factor: Decimal, note: str
    ) -> None:
        rule = self.book.rules.get((kind, level))
        if rule is None:
            return
        value = rule[1] * factor
        if self.book.highest_level_only:
            best = self.state.best.get((kind, event.report_id), ZERO)
            self.state.best[(kind, event.report_id)] = max(best, value)
            if best:
                # Only the increase over the best level this report reached counts.
                note = "；".join(filter(None, [note, f"只计最高级，已计 {best} 分"]))
                factor = factor * max(value - best, ZERO) / value if value else ZERO
        self._emit(event, report, kind, level, factor, note)

    def _urgent_bonus(self, event: EventIn, report: ReportIn) -> None:
        if report.urgency not in ("urgent", "special") or event.report_id in self.state.urgent_done:
            return
        if event.adopted_on is None or report.submitted_on is None:
            return
        if (event.adopted_on - report.submitted_on).days <= self.book.urgent_within_days:
            self.state.urgent_done.add(event.report_id)
            days = self.book.urgent_within_days
            self._emit(event, report, "urgent_adopted", "", ONE, f"{days} 天内被采用")

    # --- Steps 2–5: multiplier, item cap, shares, year cap -------------------

    def _campaign(self, report_id: int, report: ReportIn) -> CampaignIn | None:
        cache = self.state.campaign_of
        if report_id not in cache:
            cache[report_id] = next((c for c in self.campaigns if c.covers(report)), None)
        return cache[report_id]

    def _emit(
        self, event: EventIn, report: ReportIn, kind: str, level: str, factor: Decimal, note: str
    ) -> None:
        rule_id, points = self.book.rules.get((kind, level), (None, None))
        if rule_id is None:
            return
        base = points * factor
        campaign = self._campaign(event.report_id, report)
        if campaign is not None and campaign.multiplier != ONE:
            base *= campaign.multiplier
            note = "；".join(filter(None, [note, f"活动×{campaign.multiplier}"]))
        base = base.quantize(CENT, ROUND_HALF_UP)
        base, note = self._item_cap(event.report_id, base, note)
        campaign_id = campaign.id if campaign else None
        if not report.authors:
            self.rows.append(
                Row(
                    event.id,
                    None,
                    report.unit_id,
                    event.report_id,
                    rule_id,
                    campaign_id,
                    kind,
                    level,
                    base,
                    ONE,
                    base,
                    note,
                )
            )
            return
        for index, (member_id, share) in enumerate(
            zip(report.authors, shares(len(report.authors), self.book.lead_share), strict=True)
        ):
            part = (base * share).quantize(CENT, ROUND_HALF_UP)
            part, why = self._year_cap(member_id, part)
            self.rows.append(
                Row(
                    event.id,
                    member_id,
                    report.unit_of(index),
                    event.report_id,
                    rule_id,
                    campaign_id,
                    kind,
                    level,
                    base,
                    share,
                    part,
                    "；".join(filter(None, [note, why]))[:200],
                )
            )

    def _item_cap(self, report_id: int, base: Decimal, note: str) -> tuple[Decimal, str]:
        cap = self.book.item_cap
        if cap is None:
            return base, note
        used = self.state.item_total.get(report_id, ZERO)
        allowed = max(min(base, cap - used), ZERO)
        self.state.item_total[report_id] = used + allowed
        if allowed < base:
            note = "；".join(filter(None, [note, f"单篇封顶 {cap} 分"]))
        return allowed, note

    def _year_cap(self, member_id: int, part: Decimal) -> tuple[Decimal, str]:
        cap = self.book.year_cap
        used = self.state.member_total.get(member_id, ZERO)
        allowed = part if cap is None else max(min(part, cap - used), ZERO)
        self.state.member_total[member_id] = used + allowed
        return allowed, (f"年度封顶 {cap} 分" if allowed < part else "")


def project(
    book: RuleBook,
    events: Iterable[EventIn],
    reports: dict[int, ReportIn],
    *,
    campaigns: Iterable[CampaignIn] = (),
    corrections: Iterable[CorrectionIn] = (),
    submitted_before: Iterable[int] = (),
) -> list[Row]:
    """Turn a year's scoring events (in id order) into ledger rows."""
    projector = Projector(book, reports, campaigns, submitted_before)
    return projector.run(events, corrections)
