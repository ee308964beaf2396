"""Plan the reports that are not published: declined, returned, duplicates, queues, drafts."""

from __future__ import annotations

import datetime as dt
from functools import partial

from minyi.demo import publishing, steps, words
from minyi.demo.steps import Chain, Step
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
