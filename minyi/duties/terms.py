"""换届 and information-officer appointments: ``check_*`` refuses in Chinese, ``do_*`` writes.

A term change opens the new term, carries over the members who continue (a new
membership from the first day), and closes the others (their old membership ends the
day before, the member is no longer active, an open appointment ends): every row of the
old term stays, so each member's history is whole. Appointments are periods with their
letter numbers; ``Member.is_information_officer`` follows whether one is held today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.people.models import Member, Role, Term
from minyi.people.terms import OfficerAppointment, TermMembership

if TYPE_CHECKING:
    from minyi.people.models import User


def _require(user: User | None, roles: tuple[str, ...], what: str) -> None:
    # ``None``: the management command, run by whoever holds the server.
    if user is not None and not user.has_role(*roles):
        raise ActionRefused(f"您没有权限{what}。")


def term_members(term: Term) -> list[Member]:
    """The members serving in ``term`` now: an open membership, or (older data) ``Member.term``."""
    open_ids = TermMembership.objects.filter(term=term, left_on__isnull=True).values("member_id")
    legacy = Member.objects.filter(term=term, active=True).exclude(term_memberships__term=term)
    serving = Member.objects.filter(pk__in=open_ids) | legacy
    return list(serving.distinct().order_by("name", "id"))


def check_change_term(
    user: User | None, *, name: str, start_year: int, end_year: int, starts_on: dt.date
) -> Term | None:
    _require(user, (Role.ADMIN,), "办理换届")
    problems = []
    current = Term.objects.filter(current=True).first()
    if not name.strip():
        problems.append("请填写新一届的名称")
    elif Term.objects.filter(name=name.strip()).exists():
        problems.append(f"“{name.strip()}”已存在")
    if end_year < start_year:
        problems.append("结束年份不能早于起始年份")
    if starts_on.year != start_year:
        problems.append("换届日期应在新一届的起始年份内")
    if current is not None and start_year < current.start_year:
        problems.append(f"新一届不能早于本届（{current.name}）")
    if problems:
        raise ActionRefused("；".join(problems) + "。")
    return current


def do_change_term(
    user: User | None,
    *,
    name: str,
    start_year: int,
    end_year: int,
    starts_on: dt.date,
    continuing: Iterable[int],
) -> Term:
    """Start a new term; carry over ``continuing`` (member ids), close the others."""
    old = check_change_term(
        user, name=name, start_year=start_year, end_year=end_year, starts_on=starts_on
    )
    keep = set(continuing)
    with transaction.atomic():
        serving = term_members(old) if old else []
        if old is not None:
            Term.objects.filter(pk=old.pk).update(current=False)
        new = Term.objects.create(
            name=name.strip(), start_year=start_year, end_year=end_year, current=True
        )
        closed = _close_old_term(old, serving, keep, starts_on) if old else 0
        carried = [m for m in serving if m.pk in keep]
        TermMembership.objects.bulk_create(
            TermMembership(term=new, member=m, joined_on=starts_on, note="连任") for m in carried
        )
        Member.objects.filter(pk__in=[m.pk for m in carried]).update(term=new)
        record(
            "term_change",
            new,
            actor=user,
            payload={
                "from": old.name if old else "",
                "to": new.name,
                "continuing": len(carried),
                "closed": closed,
            },
        )
    return new


def _close_old_term(old: Term, serving: list[Member], keep: set[int], starts_on: dt.date) -> int:
    last_day = starts_on - dt.timedelta(days=1)
    # Members on record only by ``Member.term`` get their membership row now, so it can close.
    have = set(TermMembership.objects.filter(term=old).values_list("member_id", flat=True))
    TermMembership.objects.bulk_create(
        TermMembership(term=old, member=m, joined_on=dt.date(old.start_year, 1, 1))
        for m in serving
        if m.pk not in have
    )
    TermMembership.objects.filter(term=old, left_on__isnull=True).update(left_on=last_day)
    leaving = [m.pk for m in serving if m.pk not in keep]
    TermMembership.objects.filter(term=old, member_id__in=leaving).update(note="换届离任")
    Member.objects.filter(pk__in=leaving).update(active=False, is_information_officer=False)
    OfficerAppointment.objects.filter(member_id__in=leaving, removed_on__isnull=True).update(
        removed_on=starts_on, removal_reason="换届离任"
    )
    return len(leaving)


# --- Information officers -------------------------------------------------------------


def check_appoint(user: User, member: Member, appointed_on: dt.date, letter: str) -> None:
    _require(user, (Role.EDITOR, Role.ADMIN), "聘任特约信息员")
    problems = []
    if not letter.strip():
        problems.append("请填写聘任文号")
    if appointed_on > clock.localdate():
        problems.append("聘任日期不能晚于今天")
    if not member.active:
        problems.append(f"{member.name}已不在职")
    if OfficerAppointment.objects.filter(member=member, removed_on__isnull=True).exists():
        problems.append(f"{member.name}已是特约信息员")
    if problems:
        raise ActionRefused("；".join(problems) + "。")


def do_appoint(
    user: User, member: Member, *, appointed_on: dt.date, letter: str
) -> OfficerAppointment:
    check_appoint(user, member, appointed_on, letter)
    with transaction.atomic():
        appointment = OfficerAppointment.objects.create(
            member=member, appointed_on=appointed_on, letter_number=letter.strip(), created_by=user
        )
        Member.objects.filter(pk=member.pk).update(is_information_officer=True)
        record(
            "officer_appoint",
            appointment,
            actor=user,
            payload={"member": member.name, "letter": appointment.letter_number},
        )
    return appointment


def check_remove(
    user: User, appointment: OfficerAppointment, removed_on: dt.date, reason: str
) -> None:
    _require(user, (Role.EDITOR, Role.ADMIN), "解聘特约信息员")
    problems = []
    if appointment.removed_on is not None:
        problems.append("该聘任已结束")
    elif removed_on <= appointment.appointed_on:
        problems.append("解聘日期应晚于聘任日期")
    if removed_on > clock.localdate():
        problems.append("解聘日期不能晚于今天")
    if not reason.strip():
        problems.append("请填写解聘原因")
    if problems:
        raise ActionRefused("；".join(problems) + "。")


def do_remove(
    user: User,
    appointment: OfficerAppointment,
    *,
    removed_on: dt.date,
    letter: str = "",
    reason: str,
) -> OfficerAppointment:
    """End an appointment; the duties stop from that day, those before it stay."""
    check_remove(user, appointment, removed_on, reason)
    with transaction.atomic():
        locked = OfficerAppointment.objects.select_for_update().get(pk=appointment.pk)
        check_remove(user, locked, removed_on, reason)
        locked.removed_on = removed_on
        locked.removal_letter = letter.strip()
        locked.removal_reason = reason.strip()
        locked.save(update_fields=["removed_on", "removal_letter", "removal_reason"])
        Member.objects.filter(pk=locked.member_id).update(is_information_officer=False)
        record(
            "officer_remove",
            locked,
            actor=user,
            payload={"member": locked.member.name, "reason": locked.removal_reason[:100]},
        )
    return locked
