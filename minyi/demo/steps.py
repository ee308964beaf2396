"""Planned steps and the domain calls they make.

A ``Step`` is one thing a person does at one moment; running it calls the same
``do_*``/``transition`` function a view would. Steps of one report (or of a
group: sources and their composite) are collected in a ``Chain`` and moved in
time together, so a chain never breaks its own order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from minyi.bulletins.actions import (
    do_approve_step,
    do_compose,
    do_create_issue,
    do_send_issue_for_sign_off,
    do_sign_off_issue,
)
from minyi.bulletins.chain import chain_for, is_last_step
from minyi.bulletins.models import Bulletin, Issue
from minyi.core import clock
from minyi.demo.topics import Topic
from minyi.outcomes.actions import (
    do_forward,
    do_record_adoption,
    do_record_instruction,
    do_record_not_adopted,
)
from minyi.outcomes.models import Forwarding, Recipient
from minyi.people.models import Member, Organization, User
from minyi.reports.actions import (
    do_claim,
    do_create_report,
    do_decline,
    do_mark_duplicate,
    do_merge,
    do_save_text,
    do_submit,
)
from minyi.reports.models import Category, Report, Urgency
from minyi.reports.sign_off import do_sign_off
from minyi.reports.workflow import transition

Transform = Callable[[dict[str, str]], dict[str, str]]


@dataclass(eq=False)
class Plan:
    """One report's life as planned; ``report`` is set once it is created."""

    creator: User
    unit: Organization
    authors: list[Member]
    informant: str
    category: Category
    topic: Topic
    fields: dict[str, str]
    urgency: str = Urgency.ROUTINE
    report: Report | None = None
    times: dict[str, dt.datetime] = field(default_factory=dict)
    adopt: bool = False
    instruct: bool = False


@dataclass(eq=False)
class IssuePlan:
    bulletin: Bulletin
    slots: list[Plan]
    main: list[Recipient]
    copy: list[Recipient]
    issue: Issue | None = None
    times: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(order=True)
class Step:
    when: dt.datetime
    seq: int
    label: str = field(compare=False)
    run: Callable[[], Any] = field(compare=False)
    plan: Plan | IssuePlan = field(compare=False)


class Chain:
    """Steps that must keep their order; shifted as a whole to fit a deadline."""

    def __init__(self) -> None:
        self.steps: list[tuple[dt.datetime, str, Plan | IssuePlan, Callable[[], Any]]] = []
        self._last: dict[int, dt.datetime] = {}

    def add(
        self, when: dt.datetime, label: str, plan: Plan | IssuePlan, run: Callable[[], Any]
    ) -> dt.datetime:
        """Add a step; a plan's steps always come strictly one after another."""
        before = self._last.get(id(plan))
        if before is not None and when <= before:
            when = before + dt.timedelta(minutes=7)
        self._last[id(plan)] = when
        self.steps.append((when, label, plan, run))
        return when

    @property
    def last(self) -> dt.datetime:
        return max(s[0] for s in self.steps)

    def shift(self, delta: dt.timedelta) -> None:
        self.steps = [(w + delta, label, p, r) for w, label, p, r in self.steps]


def fresh(plan: Plan) -> Report:
    """The plan's report as stored now (issue sign-off changes reports behind our back)."""
    assert plan.report is not None, "step ran before the report was created"
    plan.report.refresh_from_db()
    return plan.report


def create(plan: Plan) -> None:
    plan.report = do_create_report(
        plan.creator,
        fields=plan.fields,
        authors=plan.authors,
        submitting_unit=plan.unit,
        category=plan.category,
        urgency=plan.urgency,
        informant=plan.informant,
    )


def submit(plan: Plan) -> None:
    do_submit(fresh(plan), plan.creator)


def move(plan: Plan, action: str, user: User, note: str = "") -> None:
    transition(fresh(plan), action, user, note=note)


def edit(plan: Plan, user: User, change: Transform, note: str) -> None:
    report = fresh(plan)
    fields = change(report.text_fields())
    do_save_text(report, user, fields=fields, base_revision=report.revision_number, note=note)


def decline(plan: Plan, user: User, reason: str, note: str) -> None:
    do_decline(fresh(plan), user, reason=reason, note=note)


def claim(plan: Plan, user: User) -> None:
    do_claim(fresh(plan), user)


def merge(sources: list[Plan], composite: Plan, user: User, title: str) -> None:
    composite.report = do_merge([fresh(p) for p in sources], user, title=title)


def mark_duplicate(plan: Plan, original: Plan, user: User) -> None:
    do_mark_duplicate(fresh(plan), user, original=fresh(original))


def send_directly(plan: Plan, user: User, recipients: list[Recipient]) -> None:
    transition(fresh(plan), "send_directly", user)
    do_forward(fresh(plan), recipients, user)


def open_issue(issue: IssuePlan, editor: User) -> None:
    issue.issue = do_create_issue(issue.bulletin, editor)


def compose_issue(issue: IssuePlan, editor: User) -> None:
    assert issue.issue is not None
    reports = [fresh(p) for p in issue.slots]
    do_compose(issue.issue, editor, reports=reports, main=issue.main, copy=issue.copy)
    do_send_issue_for_sign_off(issue.issue, editor)


#: The demo approver's opinions: short, as real ones are.
OPINIONS = ("同意。", "同意，按程序报送。", "同意，报省政协。", "同意印发。")


def sign_off_issue(issue: IssuePlan, approver: User, deputy: User | None = None) -> None:
    """Walk the issue's approval chain: 审核 at each step but the last, then 签发.

    The deputy and the approver take turns, since nobody may act at two steps in a row.
    """
    assert issue.issue is not None
    issue.issue.refresh_from_db()
    opinion = OPINIONS[issue.issue.pk % len(OPINIONS)]
    while not is_last_step(issue.issue):
        walker = approver if (len(chain_for(issue.issue)) - issue.issue.step) % 2 else deputy
        do_approve_step(
            issue.issue, walker or approver, opinion="同意，请秘书长签发。", acknowledged=True
        )
    do_sign_off_issue(issue.issue, approver, opinion=opinion, acknowledged=True)


def sign_off(plan: Plan, approver: User) -> None:
    report = fresh(plan)
    do_sign_off(report, approver, opinion=OPINIONS[report.pk % len(OPINIONS)], acknowledged=True)


def _forwarding(plan: Plan, recipient: Recipient) -> Forwarding:
    # Loader code, not a view: the forwarding was made by the issue's sign-off.
    return Forwarding.objects.select_related("recipient").get(
        report=plan.report, recipient=recipient
    )


def adopt(plan: Plan, recipient: Recipient, user: User, kind: str, carrier: str) -> None:
    forwarding = _forwarding(plan, recipient)
    # Adoption is noticed a few days after it happens, never before the forwarding.
    adopted_on = clock.localdate() - dt.timedelta(days=random.Random(forwarding.pk).randint(0, 4))
    first = timezone.localtime(forwarding.forwarded_at).date()
    do_record_adoption(
        forwarding, user, kind=kind, carrier=carrier, adopted_on=max(adopted_on, first)
    )


def instruct(
    plan: Plan, recipient: Recipient, user: User, leader: tuple[str, str], level: str, text: str
) -> None:
    do_record_instruction(
        _forwarding(plan, recipient),
        user,
        leader_name=leader[0],
        leader_title=leader[1],
        level=level,
        text=text,
        instructed_on=clock.localdate() - dt.timedelta(days=1),
    )


def not_adopted(plan: Plan, recipient: Recipient, user: User) -> None:
    do_record_not_adopted(_forwarding(plan, recipient), user)
