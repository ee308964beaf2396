"""Forward items to recipients and record what comes back (采用、批示)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from minyi.audit.models import Event, record
from minyi.audit.statemachine import ActionRefused, require_role
from minyi.core import clock
from minyi.outcomes.models import (
    Adoption,
    AdoptionKind,
    Forwarding,
    Instruction,
    InstructionLevel,
    Recipient,
)
from minyi.outcomes.workflow import FORWARDINGS
from minyi.people.models import Role
from minyi.reports.models import OUT_STATES, Report

if TYPE_CHECKING:
    from minyi.bulletins.models import Issue
    from minyi.people.models import User


def _event(verb: str, forwarding: Forwarding, user: User, **payload: object) -> Event:
    return record(
        verb,
        forwarding,
        actor=user,
        report_id=forwarding.report_id,
        payload={"recipient": forwarding.recipient.name, **payload},
    )


def forward_to(
    report: Report,
    recipient: Recipient,
    user: User,
    *,
    issue: Issue | None = None,
    note: str = "",
) -> Forwarding:
    """Send a published or fast-tracked report to one recipient (once)."""
    if report.state not in OUT_STATES:
        raise ActionRefused("只有已编发或已直报的稿件可以报送。")
    if Forwarding.objects.filter(report=report, recipient=recipient).exists():
        raise ActionRefused(f"该稿件已报送{recipient}。")
    with transaction.atomic():
        forwarding = Forwarding.objects.create(
            report=report, recipient=recipient, issue=issue, forwarded_by=user, note=note[:200]
        )
        _event("forward", forwarding, user, issue=str(issue) if issue else "")
    return forwarding


def do_forward(
    report: Report,
    recipients: list[Recipient],
    user: User,
    *,
    note: str = "",
) -> list[Forwarding]:
    require_role(user, Role.EDITOR, "登记报送和采用情况")
    if not recipients:
        raise ActionRefused("请选择报送对象。")
    with transaction.atomic():
        return [forward_to(report, r, user, note=note) for r in recipients]


def check_adoption(forwarding: Forwarding, user: User, *, kind: str, adopted_on: dt.date) -> None:
    require_role(user, Role.EDITOR, "登记报送和采用情况")
    FORWARDINGS.check(forwarding, "adopt", user)
    if kind not in AdoptionKind.values:
        raise ActionRefused("请选择采用类型（单篇采用、综合采用或转送）。")
    if adopted_on > clock.localdate():
        raise ActionRefused("采用日期不能晚于今天。")
    if adopted_on < timezone.localtime(forwarding.forwarded_at).date():
        raise ActionRefused("采用日期不能早于报送日期。")


def do_record_adoption(
    forwarding: Forwarding,
    user: User,
    *,
    kind: str,
    adopted_on: dt.date,
    carrier: str = "",
) -> Adoption:
    check_adoption(forwarding, user, kind=kind, adopted_on=adopted_on)
    with transaction.atomic():
        # The move first: it locks the forwarding, so a second clerk recording the
        # same adoption is told it was done rather than hitting the one-to-one key.
        FORWARDINGS.transition(
            forwarding,
            "adopt",
            user,
            payload={
                "kind": AdoptionKind(kind).label,
                "code": kind,
                "carrier": carrier,
                "adopted_on": adopted_on.isoformat(),
            },
        )
        return Adoption.objects.create(
            forwarding=forwarding,
            kind=kind,
            carrier=carrier[:100],
            adopted_on=adopted_on,
            recorded_by=user,
        )


def do_record_not_adopted(forwarding: Forwarding, user: User) -> None:
    require_role(user, Role.EDITOR, "登记报送和采用情况")
    FORWARDINGS.transition(forwarding, "not_adopted", user)


def do_record_instruction(
    forwarding: Forwarding,
    user: User,
    *,
    leader_name: str,
    leader_title: str,
    level: str,
    text: str,
    instructed_on: dt.date,
) -> Instruction:
    require_role(user, Role.EDITOR, "登记报送和采用情况")
    problems = []
    if not leader_name.strip():
        problems.append("请填写批示领导姓名")
    if level not in InstructionLevel.values:
        problems.append("请选择批示级别")
    if not text.strip():
        problems.append("请填写批示内容")
    if instructed_on > clock.localdate():
        problems.append("批示日期不能晚于今天")
    if problems:
        raise ActionRefused("；".join(problems) + "。")
    with transaction.atomic():
        instruction = Instruction.objects.create(
            forwarding=forwarding,
            leader_name=leader_name.strip(),
            leader_title=leader_title.strip(),
            level=level,
            text=text.strip(),
            instructed_on=instructed_on,
            recorded_by=user,
        )
        leader = f"{leader_title.strip()}{leader_name.strip()}"
        _event(
            "instruct",
            forwarding,
            user,
            leader=leader,
            level=InstructionLevel(level).label,
            code=level,
            instructed_on=instructed_on.isoformat(),
        )
    return instruction
