"""Plan the reports that are not published: declined, returned, duplicates, queues, drafts."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.utils import timezone

from minyi.demo import publishing, steps, words
from minyi.demo.steps import Chain, Plan, Step
from minyi.demo.story import DAY, DECLINE_WEIGHTS, Mix, Story
from minyi.reports.models import DeclineReason

HOUR = dt.timedelta(hours=1)
OTHER_NOTE = "与本市当前工作重点关联不大，已作为委员个人意见转有关部门参考。"


def plan_year(story: Story, mix: Mix) -> list[Step]:
    """Plan everything; return the steps in the order they happen."""
    story.instructions_left = mix.instructions
    publishing.plan_issues(story, mix)
    publishing.plan_direct(story, mix.direct)
    publishing.plan_outcomes(story, mix)
    plan_duplicates(story, mix.duplicates)
    for fate, count in (
        ("declined", mix.declined),
        ("returned", mix.returned),
        ("withdrawn", mix.withdrawn),
        ("draft", mix.draft),
    ):
        for _ in range(count):
            plan_history(story, fate)
    for fate, count in (
        ("submitted", mix.submitted),
        ("accepted", mix.accepted),
        ("awaiting", mix.awaiting),
        ("signed_off", mix.signed_off),
    ):
        for _ in range(count):
            plan_queue(story, fate)
    return sorted(story.steps)


def plan_history(story: Story, fate: str) -> None:
    """A report whose story ended some time during the year."""
    rng = story.rng
    plan = story.new_plan(forced=story.forced_for(fate))
    chain = Chain()
    if fate == "draft":
        # Drafts pile up lately: half were started in the last two months.
        lo = story.end - 60 * DAY if rng.random() < 0.5 else story.start
        chain.add(story.some_day(lo, story.end - HOUR), "create", plan, partial(steps.create, plan))
        story.commit(chain, before=story.end, gap=HOUR, snug=False)
        return
    t0 = story.some_day(story.start, story.end - 10 * DAY)
    t = story.intake(chain, plan, t0, cycle=fate == "declined" and rng.random() < 0.1)
    if fate == "declined":
        if rng.random() < 0.4:
            t = story.accept(chain, plan, t, polish=False)
        reason = rng.choices(list(DECLINE_WEIGHTS), list(DECLINE_WEIGHTS.values()))[0]
        note = OTHER_NOTE if reason == DeclineReason.OTHER else ""
        run = partial(steps.decline, plan, story.editor, reason, note)
        chain.add(story.office(t, 1, 6), "decline", plan, run)
    elif fate == "returned":
        note = rng.choice(words.RETURN_NOTES)
        run = partial(steps.move, plan, "return", story.editor, note)
        chain.add(story.office(t, 1, 5), "return", plan, run)
    else:
        run = partial(steps.move, plan, "withdraw", plan.creator)
        chain.add(story.by_author(t, 0, 3), "withdraw", plan, run)
    story.commit(chain, before=story.end, gap=HOUR, snug=False)


def plan_queue(story: Story, fate: str) -> None:
    """A report still being handled: its last step fell in the last weeks."""
    rng = story.rng
    plan = story.new_plan(forced=story.forced_for(fate))
    chain = Chain()
    t = story.intake(chain, plan, story.end - 60 * DAY, cycle=rng.random() < 0.1)
    recent = {"submitted": 14, "accepted": 30, "awaiting": 10, "signed_off": 6}[fate]
    if fate != "submitted":
        t = story.accept(chain, plan, t, polish=rng.random() < 0.5)
    if fate == "accepted" and rng.random() < 0.4:
        chain.add(story.office(t, 0, 1), "claim", plan, partial(steps.claim, plan, story.editor))
    if fate in ("awaiting", "signed_off"):
        story.sign_off(chain, plan, t, stop_before=fate == "awaiting")
    gap = rng.randint(1, recent * 24) * HOUR
    story.commit(chain, before=story.end, gap=gap, snug=True)


def plan_duplicates(story: Story, count: int) -> None:
    """Reports on a matter already in hand, merged into the earlier report."""
    rng = story.rng
    originals = [
        p
        for issue in story.issues
        for p in issue.slots
        if p.report is None and "submit" in p.times and p.times["submit"] < story.end - 25 * DAY
    ]
    for original in rng.sample(originals, k=min(count, len(originals))):
        plan = story.new_plan(topic_of=original)
        chain = Chain()
        t = story.intake(chain, plan, story.by_author(original.times["submit"], 1, 12))
        run = partial(steps.mark_duplicate, plan, original, story.editor)
        chain.add(story.office(t, 1, 4), "mark_duplicate", plan, run)
        story.commit(chain, before=story.end, gap=HOUR, snug=False)


#: The labels of a report's own chain that moves alone: intake and an end without an issue.
MOVABLE_LABELS = frozenset(
    {"create", "submit", "return", "revise", "resubmit", "accept", "decline", "withdraw"}
)


def keep_officers_monthly(story: Story, steps: list[Step], *, keep: float = 0.98) -> list[Step]:
    """Give each information officer a report in (almost) every finished month of this year.

    An information officer's duty is a report a month, and real officers keep it: picked at
    random, the demo's 30 officers each missed several months and all were rated 不称职,
    the top scorer included. For each officer and each missed month (before the current one),
    one planned report of a unit the officer belongs to, sent in that month (preferably one
    without an officer among its authors), gets the officer as co-author — no report is
    added. If the unit sent nothing that month, one of its reports from a busier month whose
    story ends without an issue (declined, returned, withdrawn) is moved there by whole weeks.
    ``keep`` leaves a rare month missed, so the demo still shows a shortfall and its reason.
    Returns the steps, in order again.
    """
    end = timezone.localtime(story.end)
    chains: dict[int, list[Step]] = {}
    for step in steps:
        if isinstance(step.plan, Plan):
            chains.setdefault(id(step.plan), []).append(step)
    by_month: dict[tuple[int, int], list[Plan]] = {}
    for chain in chains.values():
        plan = chain[0].plan
        sent = plan.times.get("submit")
        if sent is not None and plan.creator not in (story.editor, story.approver):
            day = timezone.localtime(sent)
            by_month.setdefault((day.year, day.month), []).append(plan)
    # A report another report's steps name (a composite's source, a duplicate's original)
    # keeps its dates: moving it would run those steps out of order.
    pinned = _named_by_others(steps) | {id(p) for issue in story.issues for p in issue.slots}
    for plan_id in pinned:
        chains.pop(plan_id, None)
    officer_ids = story.refs.officer_ids
    officers = {m.pk: m for pool in story.refs.unit_members.values() for m in pool}
    for pk in sorted(officer_ids):
        officer = officers.get(pk)
        if officer is None:
            continue
        for month in range(1, end.month):
            month_plans = by_month.setdefault((end.year, month), [])
            if any(officer in p.authors for p in month_plans) or story.rng.random() > keep:
                continue
            fit = [p for p in month_plans if officer in story.refs.unit_members[p.unit.pk]]
            if not fit:
                fit = _move_one_into(story, officer, (end.year, month), by_month, chains)
            alone = [p for p in fit if not any(a.pk in officer_ids for a in p.authors)]
            if fit:
                story.rng.choice(alone or fit).authors.append(officer)
    return sorted(steps)


def _named_by_others(steps: list[Step]) -> set[int]:
    """Ids of the plans that some other plan's step takes as an argument."""
    named: set[int] = set()
    for step in steps:
        run = step.run
        values = [*getattr(run, "args", ()), *getattr(run, "keywords", {}).values()]
        for value in values:
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, Plan) and item is not step.plan:
                    named.add(id(item))
    return named


def _move_one_into(
    story: Story,
    officer: Any,
    month: tuple[int, int],
    by_month: dict[tuple[int, int], list[Plan]],
    chains: dict[int, list[Step]],
) -> list[Plan]:
    """Move a self-contained report of the officer's units from a busier month into ``month``."""
    pools = story.refs.unit_members
    donors = [
        p
        for key, plans in by_month.items()
        if key != month
        for p in plans
        if officer in pools[p.unit.pk]
        and id(p) in chains
        and {s.label for s in chains[id(p)]} <= MOVABLE_LABELS
        and sum(1 for q in plans if q.unit == p.unit) >= 2
    ]
    story.rng.shuffle(donors)
    target = timezone.make_aware(dt.datetime(month[0], month[1], 15, 10))
    for plan in donors:
        chain = chains[id(plan)]
        weeks = round((target - plan.times["submit"]) / (7 * DAY))
        shift = weeks * 7 * DAY
        moved = timezone.localtime(plan.times["submit"] + shift)
        first, last = min(s.when for s in chain) + shift, max(s.when for s in chain) + shift
        if (moved.year, moved.month) != month or first < story.start or last > story.end - HOUR:
            continue
        for step in chain:
            step.when += shift
        plan.times = {label: when + shift for label, when in plan.times.items()}
        old = timezone.localtime(plan.times["submit"] - shift)
        by_month[(old.year, old.month)].remove(plan)
        by_month[month].append(plan)
        return [plan]
    return []
