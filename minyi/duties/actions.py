"""Topic guide and commission actions: ``check_*`` refuses in Chinese, ``do_*`` writes.

Every ``do_*`` runs in one transaction with its event, so a refused action changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.duties.models import Commission, CommissionState
from minyi.duties.workflow import MACHINE
from minyi.people.models import Member, Organization, Role
from minyi.reports.models import Report, Topic

if TYPE_CHECKING:
    from minyi.people.models import User

TOPIC_FIELDS = ("title", "background", "departments", "category", "opens_on", "closes_on")


def _require_editor(user: User, what: str) -> None:
    if not user.has_role(Role.EDITOR, Role.ADMIN):
        raise ActionRefused(f"只有信息编辑或系统管理员可以{what}。")


# --- Topic guide --------------------------------------------------------------------


def check_topic(user: User, fields: dict[str, Any]) -> None:
    _require_editor(user, "发布选题")
    problems = []
    if not str(fields.get("title") or "").strip():
        problems.append("请填写选题")
    opens, closes = fields.get("opens_on"), fields.get("closes_on")
    if not isinstance(opens, dt.date) or not isinstance(closes, dt.date):
        problems.append("请填写开始和截止日期")
    elif closes < opens:
        problems.append("截止日期不能早于开始日期")
    if problems:
        raise ActionRefused("；".join(problems) + "。")


def do_save_topic(
    user: User, topic: Topic | None, *, fields: dict[str, Any], published: bool
) -> Topic:
    """Create or change a topic; published topics are offered to members during their period."""
    check_topic(user, fields)
    with transaction.atomic():
        topic = topic or Topic(created_by=user)
        for name in TOPIC_FIELDS:
            setattr(topic, name, fields.get(name) or ("" if name != "category" else None))
        topic.published = published
        topic.save()
        record(
            "topic_save",
            topic,
            actor=user,
            payload={"title": topic.title[:100], "published": published},
        )
    return topic


# --- Commissions --------------------------------------------------------------------


def check_commission(
    user: User,
    topic: Topic,
    *,
    members: Sequence[Member],
    unit: Organization | None,
    due_on: Any,
) -> None:
    _require_editor(user, "约稿")
    problems = []
    if not topic.published:
        problems.append("选题尚未发布，不能据此约稿")
    if not members and unit is None:
        problems.append("请选择约稿的委员或单位")
    if not isinstance(due_on, dt.date):
        problems.append("请填写交稿期限")
    elif due_on < clock.localdate():
        problems.append("交稿期限不能早于今天")
    asked = set(
        Commission.objects.filter(
            topic=topic, state__in=(CommissionState.OFFERED, CommissionState.ACCEPTED)
        ).values_list("member_id", flat=True)
    )
    again = [m.name for m in members if m.pk in asked]
    if again:
        problems.append(f"已就此选题向{'、'.join(again)}约稿，尚未办结")
    if problems:
        raise ActionRefused("；".join(problems) + "。")


def do_commission(
    user: User,
    topic: Topic,
    *,
    members: Sequence[Member] = (),
    unit: Organization | None = None,
    due_on: dt.date,
    request: str = "",
) -> list[Commission]:
    """One commission per member asked (and one for the unit), each with its event."""
    check_commission(user, topic, members=members, unit=unit, due_on=due_on)
    made = []
    with transaction.atomic():
        targets: list[dict[str, Any]] = [{"member": m} for m in members]
        if unit is not None:
            targets.append({"unit": unit})
        for target in targets:
            commission = Commission.objects.create(
                topic=topic, due_on=due_on, request=request.strip(), created_by=user, **target
            )
            record(
                "commission_offer",
                commission,
                actor=user,
                payload={
                    "topic": topic.title[:100],
                    "addressee": commission.addressee,
                    "due_on": due_on.isoformat(),
                },
            )
            made.append(commission)
    return made


def do_answer(commission: Commission, user: User, action: str, reason: str = "") -> Commission:
    """The member (or the unit's liaison) accepts, or declines with a reason."""
    if action not in ("accept", "decline"):
        raise ActionRefused("未知的操作。")
    MACHINE.transition(commission, action, user, note=reason, extra_fields={"answered_by": user})
    return commission


def do_cancel(commission: Commission, user: User, reason: str) -> Commission:
    MACHINE.transition(commission, "cancel", user, note=reason)
    return commission


# --- Writing the report -------------------------------------------------------------


def check_write(commission: Commission, user: User) -> None:
    if not commission.is_addressed_to(user):
        raise ActionRefused("这不是向您的约稿。")
    if commission.state != CommissionState.ACCEPTED:
        raise ActionRefused("请先接受约稿，再据此撰写信息。")
    if commission.report_id:
        raise ActionRefused("已据此约稿撰写了信息，请在“我的信息”中继续修改。")


def do_link_report(commission: Commission, report: Report, user: User) -> None:
    """Tie a new draft to the commission it answers (inside the draft's transaction)."""
    with transaction.atomic():
        locked = Commission.objects.select_for_update().get(pk=commission.pk)
        check_write(locked, user)
        locked.report = report
        locked.save(update_fields=["report"])
        commission.report = report
