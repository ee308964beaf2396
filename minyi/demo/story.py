"""Plan a year of information work as time-stamped steps.

1. Decide how many reports end in each state (``Mix``).
2. Plan the bulletin issues; each issue's items are planned backwards from
   its date, so every item is signed off before the issue is composed.
3. Plan sent-directly items, then adoptions, instructions and refusals.
4. Plan duplicates of earlier items and every other fate, older fates spread
   over the year and the queues (submitted … signed off) in the last weeks.

Every step lies between one year ago and now; ``loader.replay`` runs them
in time order.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass
from functools import partial

from django.utils import timezone

from minyi.demo import steps, texts, words
from minyi.demo.reference import DEMO_UNIT, Refs
from minyi.demo.steps import Chain, IssuePlan, Plan, Step
from minyi.people.models import OrgKind, User
from minyi.reports.models import DeclineReason, Urgency

DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(weeks=1)

DECLINE_WEIGHTS = {
    DeclineReason.ALREADY_REPORTED: 6,
    DeclineReason.POOR_QUALITY: 5,
    DeclineReason.NO_SUGGESTIONS: 4,
    DeclineReason.ROUTINE_WORK: 3,
    DeclineReason.PERSONAL_MATTER: 3,
    DeclineReason.INSUFFICIENT_FACTS: 3,
    DeclineReason.OUTDATED: 2,
    DeclineReason.NOT_SINGLE_MATTER: 2,
    DeclineReason.PETITION: 1,
    DeclineReason.BEYOND_SCOPE: 1,
    DeclineReason.OTHER: 1,
}


@dataclass(frozen=True)
class Mix:
    """How many reports end in each state, from the total."""

    issues: int
    slots: int
    composites: int
    direct: int
    duplicates: int
    returned: int
    withdrawn: int
    draft: int
    submitted: int
    accepted: int
    awaiting: int
    signed_off: int
    declined: int
    instructions: int

    @classmethod
    def for_total(cls, total: int, issues: int) -> Mix:
        def part(share: float, least: int) -> int:
            return max(least, round(total * share))

        slots = max(issues * 2, part(0.25, 1))
        composites = max(1, round(slots * 0.08))
        counts = {
            "direct": part(0.01, 2),
            "duplicates": part(0.03, 1),
            "returned": part(0.06, 2),
            "withdrawn": part(0.025, 1),
            "draft": part(0.05, 2),
            "submitted": part(0.045, 3),
            "accepted": part(0.05, 3),
            "awaiting": part(0.025, 2),
            "signed_off": part(0.02, 2),
        }
        # Composite sources (about 2.5 each) are reports too.
        used = slots + round(composites * 2.5) + sum(counts.values())
        return cls(
            issues=issues,
            slots=slots,
            composites=composites,
            declined=max(2, total - used),
            instructions=part(20 / 600, 2),
            **counts,
        )


class Story:
    def __init__(self, rng: random.Random, refs: Refs, *, end: dt.datetime) -> None:
        self.rng, self.refs, self.end = rng, refs, end
        self.start = end - 365 * DAY
        self.steps: list[Step] = []
        self.seq = itertools.count()
        self.editor = refs.accounts["editor"]
        self.approver = refs.accounts["approver"]
        self.deputy = refs.accounts["deputy"]
        self.demo_unit = next(u for u in refs.units if u.name == DEMO_UNIT)
        member, officer = refs.accounts["member"], refs.accounts["officer"]
        # The demo member and officer get reports in many states, so their pages show each.
        self.forced: dict[str, list[User]] = {
            "declined": [member, officer],
            "returned": [member],
            "submitted": [member, officer],
            "accepted": [member],
            "draft": [member],
            "awaiting": [member],
            "signed_off": [officer],
            "withdrawn": [officer],
        }
        self.issues: list[IssuePlan] = []
        self.instructions_left = 0

    # -- time -------------------------------------------------------------
    def _on(self, day: dt.date, first: int, last: int) -> dt.datetime:
        minutes = self.rng.randint(first, last)
        return timezone.make_aware(
            dt.datetime.combine(day, dt.time()) + minutes * dt.timedelta(minutes=1)
        )

    def workday_at(self, when: dt.datetime, first: int, last: int) -> dt.datetime:
        """A moment between ``first`` and ``last`` minutes past midnight on the next working day."""
        day = timezone.localdate(when)
        while day.weekday() >= 5:
            day += DAY
        return self._on(day, first, last)

    def office(self, after: dt.datetime, lo: int, hi: int) -> dt.datetime:
        """A working-hours moment ``lo``–``hi`` working days after ``after``."""
        day = timezone.localtime(after).date() + self.rng.randint(lo, hi) * DAY
        while day.weekday() >= 5:
            day += DAY
        return max(
            self._on(day, 9 * 60, 17 * 60 + 30),
            after + self.rng.randint(10, 90) * dt.timedelta(minutes=1),
        )

    def by_author(self, after: dt.datetime, lo: int, hi: int) -> dt.datetime:
        day = timezone.localtime(after).date() + self.rng.randint(lo, hi) * DAY
        return max(
            self._on(day, 8 * 60, 22 * 60 + 30),
            after + self.rng.randint(5, 60) * dt.timedelta(minutes=1),
        )

    def some_day(self, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
        return lo + (hi - lo) * self.rng.random()

    def commit(self, chain: Chain, *, before: dt.datetime, gap: dt.timedelta, snug: bool) -> None:
        """Move the chain by whole weeks (keeping weekdays) to end ``gap`` before ``before``.

        ``snug`` pulls it close to ``before``; otherwise it only moves back if too late.
        """
        weeks = (before - gap - chain.last) // WEEK
        if snug or weeks < 0:
            chain.shift(weeks * WEEK)
        for when, label, plan, run in chain.steps:
            plan.times.setdefault(label, when)
            self.steps.append(Step(when, next(self.seq), label, run, plan))

    # -- people and text --------------------------------------------------
    def new_plan(
        self,
        *,
        forced: User | None = None,
        topic_of: Plan | None = None,
        urgency: str = Urgency.ROUTINE,
    ) -> Plan:
        rng = self.rng
        if forced is not None:
            unit, creator = self.demo_unit, forced
            authors = [forced.member] if forced.member else []
        else:
            weights = [self._unit_weight(u.kind, u.name) for u in self.refs.units]
            unit = rng.choices(self.refs.units, weights)[0]
            creator = self.refs.unit_creators[unit.pk]
            authors = []
        pool = self.refs.unit_members[unit.pk]
        if not authors or rng.random() < 0.3:
            lead_weights = [4 if m.pk in self.refs.officer_ids else 1 for m in pool]
            authors += rng.choices(pool, lead_weights, k=rng.choice((1, 1, 1, 2, 3)))
        informant = ""
        if unit.kind == OrgKind.DISTRICT_CPPCC and rng.random() < 0.15:
            informant = rng.choice(words.INFORMANTS)
        category, topic = (
            (topic_of.category, topic_of.topic) if topic_of else rng.choice(self.refs.topics)
        )
        fields = texts.write_report(rng, topic, self.start.year - rng.randint(0, 1))
        return Plan(
            creator, unit, list(dict.fromkeys(authors)), informant, category, topic, fields, urgency
        )

    @staticmethod
    def _unit_weight(kind: str, name: str) -> int:
        if name == DEMO_UNIT:
            return 6
        return {OrgKind.DEMOCRATIC_PARTY: 3, OrgKind.SPECIAL_COMMITTEE: 1}.get(kind, 2)

    def forced_for(self, fate: str) -> User | None:
        queue = self.forced.get(fate, [])
        return queue.pop(0) if queue else None

    # -- chain pieces -----------------------------------------------------
    def intake(
        self, chain: Chain, plan: Plan, t0: dt.datetime, *, cycle: bool = False
    ) -> dt.datetime:
        """Write and submit; with ``cycle`` the office returns it once and the authors revise."""
        t = chain.add(t0, "create", plan, partial(steps.create, plan))
        t = chain.add(self.by_author(t, 0, 2), "submit", plan, partial(steps.submit, plan))
        if cycle:
            note = self.rng.choice(words.RETURN_NOTES)
            t = chain.add(
                self.office(t, 1, 4),
                "return",
                plan,
                partial(steps.move, plan, "return", self.editor, note),
            )
            revise = partial(
                texts.author_revision, random.Random(self.rng.random()), year=self.start.year
            )
            t = chain.add(
                self.by_author(t, 1, 5),
                "revise",
                plan,
                partial(steps.edit, plan, plan.creator, revise, "按退回意见补充修改"),
            )
            t = chain.add(
                t + 20 * dt.timedelta(minutes=1), "resubmit", plan, partial(steps.submit, plan)
            )
        return t

    def accept(self, chain: Chain, plan: Plan, t: dt.datetime, *, polish: bool) -> dt.datetime:
        t = chain.add(
            self.office(t, 0, 3), "accept", plan, partial(steps.move, plan, "accept", self.editor)
        )
        if polish:
            change = partial(texts.office_edit, random.Random(self.rng.random()), topic=plan.topic)
            note = "编辑核稿：规范标题，精简文字"
            t = chain.add(
                self.office(t, 0, 2),
                "polish",
                plan,
                partial(steps.edit, plan, self.editor, change, note),
            )
        return t

    def sign_off(
        self, chain: Chain, plan: Plan, t: dt.datetime, *, stop_before: bool = False
    ) -> dt.datetime:
        sfs = partial(steps.move, plan, "send_for_sign_off", self.editor)
        t = chain.add(self.office(t, 1, 4), "send_for_sign_off", plan, sfs)
        if not stop_before and self.rng.random() < 0.08:
            note = self.rng.choice(words.REJECT_SIGN_OFF_NOTES)
            reject = partial(steps.move, plan, "reject_sign_off", self.approver, note)
            t = chain.add(self.office(t, 1, 2), "reject_sign_off", plan, reject)
            t = chain.add(self.office(t, 1, 2), "send_again", plan, sfs)
        if stop_before:
            return t
        return chain.add(
            self.office(t, 1, 5),
            "sign_off",
            plan,
            partial(steps.sign_off, plan, self.approver),
        )

    def composite(self, chain: Chain, t0: dt.datetime) -> Plan:
        """Two or three reports on one topic, merged by the editor into a composite."""
        first = self.new_plan()
        sources = [first] + [
            self.new_plan(topic_of=first) for _ in range(self.rng.choice((1, 1, 2)))
        ]
        ends = []
        for source in sources:
            t = self.intake(chain, source, t0 + self.rng.randint(0, 10) * DAY)
            if self.rng.random() < 0.5:
                t = self.accept(chain, source, t, polish=False)
            ends.append(t)
        composite = Plan(self.editor, first.unit, [], "", first.category, first.topic, {})
        title = f"关于{self.rng.choice(first.topic.titles)}的建议"
        t = chain.add(
            self.office(max(ends), 1, 4),
            "merge",
            composite,
            partial(steps.merge, sources, composite, self.editor, title),
        )
        condense = partial(
            steps.edit, composite, self.editor, texts.condense, "综合编辑：合并同类情况，统一建议"
        )
        chain.add(self.office(t, 0, 1), "polish", composite, condense)
        return composite
