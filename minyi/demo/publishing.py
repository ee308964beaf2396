"""Plan the published side of the year: issues, direct reports and their outcomes."""

from __future__ import annotations

import datetime as dt
from functools import partial

from minyi.demo import steps, words
from minyi.demo.steps import Chain, IssuePlan, Plan
from minyi.demo.story import DAY, Mix, Story
from minyi.outcomes.models import InstructionLevel, Recipient, RecipientLevel
from minyi.people.models import OrgKind, User
from minyi.reports.models import Urgency

#: Share of issues per series: 《社情民意》 most often, 《信息快报》 least.
SERIES_SHARE = {"sqmy": 10, "zxxxzb": 8, "xxkb": 6}


def series_order(story: Story, count: int) -> list[str]:
    total = sum(SERIES_SHARE.values())
    codes = [c for c, n in SERIES_SHARE.items() for _ in range(max(1, round(n * count / total)))]
    codes = (codes * 2)[:count] if len(codes) < count else codes[:count]
    story.rng.shuffle(codes)
    return codes


def recipients_for(
    story: Story, code: str, slots: list[Plan]
) -> tuple[list[Recipient], list[Recipient]]:
    r = story.refs.recipients
    if code == "sqmy":
        return [r["省政协"], r["全国政协"]], [r["市委"]]
    if code == "zxxxzb":
        return [r["市委"], r["市政府"]], [r["省政协"]]
    parents = {p.category.parent.name for p in slots if p.category.parent_id}
    copies = [r[words.COPY_DEPTS[name]] for name in sorted(parents) if name in words.COPY_DEPTS]
    return [r["市委"], r["市政府"]], copies or [r["省政协"]]


def plan_issues(story: Story, mix: Mix) -> None:
    """Spread the issues over the year; give each its items, planned backwards from its date."""
    rng = story.rng
    sizes = [mix.slots // mix.issues] * mix.issues
    for i in rng.sample(range(mix.issues), k=mix.slots % mix.issues):
        sizes[i] += 1
    composite_at = set(
        rng.sample(
            [(i, j) for i, n in enumerate(sizes) for j in range(2, n)],
            k=min(mix.composites, sum(max(n - 2, 0) for n in sizes)),
        )
    )
    member, officer = story.refs.accounts["member"], story.refs.accounts["officer"]
    forced = {
        (0, 0): (member, True, True),
        (min(1, mix.issues - 1), 0): (officer, True, False),
        (mix.issues // 2, 1): (member, False, False),
    }
    first, last = story.start + 50 * DAY, story.end - 6 * DAY
    for i, code in enumerate(series_order(story, mix.issues)):
        day = first + (last - first) * (i / max(mix.issues - 1, 1)) - rng.randint(0, 3) * DAY
        composed = story.workday_at(day, 10 * 60, 11 * 60)
        slots = []
        for j in range(sizes[i]):
            user, adopt, instruct = forced.get((i, j), (None, False, False))
            plan = plan_item(story, composed, forced=user, composite=(i, j) in composite_at)
            plan.adopt, plan.instruct = adopt, instruct
            slots.append(plan)
        main, copy = recipients_for(story, code, slots)
        issue = IssuePlan(story.refs.bulletins[code], slots, main, copy)
        chain = Chain()
        t = chain.add(composed, "open", issue, partial(steps.open_issue, issue, story.editor))
        t = chain.add(
            t + 35 * dt.timedelta(minutes=1),
            "compose",
            issue,
            partial(steps.compose_issue, issue, story.editor),
        )
        chain.add(
            story.office(t, 1, 3),
            "sign_off",
            issue,
            partial(steps.sign_off_issue, issue, story.approver, story.deputy),
        )
        story.commit(chain, before=story.end, gap=dt.timedelta(0), snug=False)
        story.issues.append(issue)


def plan_item(story: Story, composed: dt.datetime, *, forced: User | None, composite: bool) -> Plan:
    """One item of an issue: written, handled and signed off a few days before ``composed``."""
    rng = story.rng
    chain = Chain()
    t0 = composed - rng.randint(25, 45) * DAY
    if composite:
        plan = story.composite(chain, t0)
        t = chain.last
    else:
        plan = story.new_plan(forced=forced)
        t = story.intake(chain, plan, t0, cycle=rng.random() < 0.15)
        t = story.accept(chain, plan, t, polish=rng.random() < 0.7)
    story.sign_off(chain, plan, t)
    story.commit(chain, before=composed, gap=rng.randint(1, 3) * DAY, snug=True)
    return plan


def plan_direct(story: Story, count: int) -> None:
    """Urgent and special reports signed off the same week and sent without a bulletin."""
    r = story.refs.recipients
    for _ in range(count):
        urgency = story.rng.choice((Urgency.URGENT, Urgency.URGENT, Urgency.SPECIAL))
        plan = story.new_plan(urgency=urgency)
        chain = Chain()
        t0 = story.some_day(story.start + 20 * DAY, story.end - 30 * DAY)
        t = story.intake(chain, plan, t0)
        t = story.accept(chain, plan, t, polish=True)
        t = chain.add(
            story.office(t, 0, 0),
            "send_for_sign_off",
            plan,
            partial(steps.move, plan, "send_for_sign_off", story.editor),
        )
        t = chain.add(
            story.office(t, 0, 1),
            "sign_off",
            plan,
            partial(steps.sign_off, plan, story.approver),
        )
        targets = [r["市委"], r["市政府"]] + ([r["省政协"]] if urgency == Urgency.SPECIAL else [])
        t = chain.add(
            story.office(t, 0, 0),
            "send_directly",
            plan,
            partial(steps.send_directly, plan, story.editor, targets),
        )
        story.commit(chain, before=story.end, gap=dt.timedelta(0), snug=False)
        if story.rng.random() < 0.7:
            plan_outcome(story, plan, r["市委"], t, instruct=story.instructions_left > 0)


def plan_outcomes(story: Story, mix: Mix) -> None:
    """Adopt about 35 % of published items; the instructions left go to adopted ones."""
    rng = story.rng
    items = [
        (p, i) for i in story.issues for p in i.slots if i.times["sign_off"] + 14 * DAY < story.end
    ]
    target = round(0.35 * mix.slots)
    chosen = [x for x in items if x[0].adopt]
    others = [x for x in items if not x[0].adopt]
    chosen += rng.sample(others, k=min(len(others), max(target - len(chosen), 0)))
    for plan, issue in chosen:
        candidates = issue.main * 3 + issue.copy
        recipient = rng.choice(candidates)
        wants = plan.instruct or (story.instructions_left > 0 and rng.random() < 0.4)
        plan_outcome(story, plan, recipient, issue.times["sign_off"], instruct=wants)
    for plan, issue in items:
        for recipient in issue.main + issue.copy:
            adopted = any(p is plan for p, _ in chosen)
            if recipient.level == RecipientLevel.NATIONAL and not adopted and rng.random() < 0.35:
                when = story.office(issue.times["sign_off"], 40, 80)
                if when < story.end:
                    chain = Chain()
                    chain.add(
                        when,
                        "not_adopted",
                        plan,
                        partial(steps.not_adopted, plan, recipient, story.editor),
                    )
                    story.commit(chain, before=story.end, gap=dt.timedelta(0), snug=False)


def plan_outcome(
    story: Story, plan: Plan, recipient: Recipient, sent: dt.datetime, *, instruct: bool
) -> None:
    rng = story.rng
    when = story.office(sent, 10, 45)
    if when >= story.end:
        when = story.office(sent, 2, 6)
    if when >= story.end:
        return
    kind, carrier = rng.choice(
        words.CARRIERS.get(recipient.name, (("single", f"{recipient.name}采纳并办理"),))
    )
    carrier = carrier.format(n=rng.randint(3, 90), year=when.year)
    chain = Chain()
    t = chain.add(
        when, "adopt", plan, partial(steps.adopt, plan, recipient, story.editor, kind, carrier)
    )
    later = story.office(t, 1, 12)
    if instruct and later < story.end:
        level = _instruction_level(story, plan, recipient)
        leader = rng.choice(words.LEADERS[level])
        parent = plan.category.parent.name if plan.category.parent_id else plan.category.name
        text = rng.choice(words.INSTRUCTION_TEXTS).format(
            dept=words.INSTRUCTION_DEPTS.get(parent, "有关部门")
        )
        chain.add(
            later,
            "instruct",
            plan,
            partial(steps.instruct, plan, recipient, story.editor, leader, level, text),
        )
        story.instructions_left -= 1
    story.commit(chain, before=story.end, gap=dt.timedelta(0), snug=False)


def _instruction_level(story: Story, plan: Plan, recipient: Recipient) -> str:
    if recipient.level == RecipientLevel.NATIONAL:
        return InstructionLevel.NATIONAL
    if recipient.level == RecipientLevel.PROVINCIAL:
        return InstructionLevel.PROVINCIAL
    if plan.unit.kind == OrgKind.DISTRICT_CPPCC and story.rng.random() < 0.5:
        return InstructionLevel.COUNTY
    return InstructionLevel.MUNICIPAL
