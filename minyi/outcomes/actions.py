"""Forward items to recipients and record what comes back (采用、批示)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from minyi.audit.models import Event, record
from minyi.audit.statemachine import ActionRefused, require_role
from minyi.core import clock
from minyi.outcomes.models import (
    Adoption,
    AdoptionKind,
    Forwarding,
    ForwardingState,
    Instruction,
    InstructionLevel,
    NotAdoptedReason,
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
    earlier = Forwarding.objects.filter(report=report, recipient=recipient).first()
    if earlier is not None and earlier.state == ForwardingState.RECALLED:
        return _forward_again(earlier, user, issue=issue, note=note)
    if earlier is not None:
        raise ActionRefused(f"该稿件已报送{recipient}。")
    with transaction.atomic():
        forwarding = Forwarding.objects.create(
            report=report, recipient=recipient, issue=issue, forwarded_by=user, note=note[:200]
        )
        _event("forward", forwarding, user, issue=str(issue) if issue else "")
    return forwarding


def _forward_again(
    forwarding: Forwarding, user: User, *, issue: Issue | None, note: str
) -> Forwarding:
    """Send a recalled forwarding (its issue was voided) again, with the report's new issue."""
    FORWARDINGS.transition(
        forwarding,
        "forward",
        user,
        payload={"issue": str(issue) if issue else ""},
        extra_fields={
            "issue": issue,
            "forwarded_at": clock.now(),
            "forwarded_by": user,
            "note": note[:200],
        },
    )
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


def _named(forwarding: Forwarding, problem: ActionRefused) -> ActionRefused:
    """Say which ticked forwarding a refusal is about: with several, that is the useful part."""
    report = forwarding.report
    return ActionRefused(f"{report.serial}《{report.title}》报送{forwarding.recipient}：{problem}")


def check_adoptions(
    forwardings: Sequence[Forwarding], user: User, *, kind: str, adopted_on: dt.date
) -> None:
    if not forwardings:
        raise ActionRefused("请先勾选要登记采用的报送记录。")
    for forwarding in forwardings:
        try:
            check_adoption(forwarding, user, kind=kind, adopted_on=adopted_on)
        except ActionRefused as exc:
            raise _named(forwarding, exc) from exc


def do_record_adoptions(
    forwardings: Sequence[Forwarding],
    user: User,
    *,
    kind: str,
    adopted_on: dt.date,
    carrier: str = "",
) -> list[Adoption]:
    """Batch registration: one adoption for several forwardings, all or none.

    One transaction; each forwarding makes its own move of the table and writes its
    own event, so every author is told and every point is earned as for one.
    """
    check_adoptions(forwardings, user, kind=kind, adopted_on=adopted_on)
    with transaction.atomic():
        done = []
        for forwarding in forwardings:
            try:
                done.append(
                    do_record_adoption(
                        forwarding, user, kind=kind, adopted_on=adopted_on, carrier=carrier
                    )
                )
            except ActionRefused as exc:
                # Someone recorded one of them meanwhile: the whole batch is undone.
                raise _named(forwarding, exc) from exc
        return done


def check_not_adopted(forwarding: Forwarding, user: User, *, reason: str, note: str) -> None:
    require_role(user, Role.EDITOR, "登记报送和采用情况")
    FORWARDINGS.check(forwarding, "not_adopted", user)
    if reason not in NotAdoptedReason.values:
        raise ActionRefused("请选择未采用的原因。")
    if reason == NotAdoptedReason.OTHER and not note.strip():
        raise ActionRefused("选择“其他”时须填写说明。")


def do_record_not_adopted(
    forwarding: Forwarding,
    user: User,
    *,
    reason: str = NotAdoptedReason.NO_ANSWER,
    note: str = "",
) -> None:
    """登记为未采用, with a coded reason and a note (the page asks for a confirmation first)."""
    check_not_adopted(forwarding, user, reason=reason, note=note)
    FORWARDINGS.transition(
        forwarding,
        "not_adopted",
        user,
        note=note[:200],
        extra_fields={"not_adopted_reason": reason, "not_adopted_note": note.strip()[:200]},
        payload={"reason": NotAdoptedReason(reason).label, "code": reason},
    )


def check_chase(recipient: Recipient, forwardings: Sequence[Forwarding], user: User) -> None:
    require_role(user, Role.EDITOR, "催办报送对象")
    if not forwardings:
        raise ActionRefused(f"{recipient}没有逾期未反馈的报送记录，无需催办。")
    for forwarding in forwardings:
        if forwarding.recipient_id != recipient.pk:
            raise _named(forwarding, ActionRefused("不属于该报送对象。"))
        if forwarding.state != ForwardingState.PENDING:
            raise _named(forwarding, ActionRefused("已有反馈，无需催办。"))


def do_chase(recipient: Recipient, forwardings: Sequence[Forwarding], user: User) -> int:
    """催办: record that these pending forwardings were chased, one event each; return the count."""
    check_chase(recipient, forwardings, user)
    now = clock.now()
    with transaction.atomic():
        ids = [f.pk for f in forwardings]
        locked = list(
            Forwarding.objects.select_for_update()
            .filter(pk__in=ids, state=ForwardingState.PENDING)
            .order_by("pk")
        )
        if len(locked) != len(ids):
            raise ActionRefused("部分报送记录已有反馈，请刷新页面后再催办。")
        Forwarding.objects.filter(pk__in=ids).update(
            last_chased_at=now, chase_count=F("chase_count") + 1
        )
        for forwarding in locked:
            waited = (clock.localdate() - timezone.localtime(forwarding.forwarded_at).date()).days
            record(
                "chase",
                forwarding,
                actor=user,
                report_id=forwarding.report_id,
                payload={
                    "recipient": recipient.name,
                    "waiting": f"{waited} 天",
                    "times": forwarding.chase_count + 1,
                },
            )
    return len(locked)


def do_record_instruction(
    forwarding: Forwarding,
    user: User,
    *,
    leader_name: str,
    leader_title: str,
    level: str,
    text: str,
    instructed_on: dt.date,
    text_for_authors: bool = False,
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
            text_for_authors=text_for_authors,
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
            # The words travel to the authors' notification only when they may read them.
            **({"text": text.strip()[:200]} if text_for_authors else {}),
        )
    return instruction
