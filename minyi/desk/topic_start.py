"""Starting a report from a topic or from an accepted commission (the report form's ``?topic=`` /
``?commission=``): which topic the new draft records, and which commission it answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.duties.access import get_commission_for
from minyi.duties.actions import check_write, do_link_report
from minyi.duties.models import Commission, CommissionState
from minyi.reports.models import Report, Topic


@dataclass(frozen=True)
class Start:
    topic: Topic | None = None
    commission: Commission | None = None

    def initial(self) -> dict[str, Any]:
        """What the blank form is filled with: the topic's category."""
        if self.topic is not None and self.topic.category_id:
            return {"category": self.topic.category_id}
        return {}

    def link(self, report: Report, user: Any) -> None:
        """Inside the draft's transaction: tie it to the commission it answers."""
        if self.commission is not None:
            do_link_report(self.commission, report, user)


def _number(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def start_from(data: Any, user: Any) -> Start:
    """Read ``topic`` or ``commission`` from the query or the form; refuse in Chinese."""
    commission_id, topic_id = _number(data.get("commission")), _number(data.get("topic"))
    if data.get("commission") and commission_id is None:
        raise ActionRefused("约稿编号不正确。")
    if data.get("topic") and topic_id is None:
        raise ActionRefused("选题编号不正确。")
    if commission_id is not None:
        commission = get_commission_for(user, commission_id)
        check_write(commission, user)
        return Start(commission.topic, commission)
    if topic_id is not None:
        topic = Topic.objects.open_on(clock.localdate()).filter(pk=topic_id).first()
        if topic is None:
            raise ActionRefused("该选题不存在或已截止，不能据此撰写。")
        # Writing on a topic one holds an accepted commission on answers that commission.
        return Start(topic, _accepted_on(topic, user))
    return Start()


def _accepted_on(topic: Topic, user: Any) -> Commission | None:
    """The user's accepted commission on ``topic`` not yet answered with a report, if any."""
    return (
        Commission.objects.for_user(user)
        .filter(topic=topic, state=CommissionState.ACCEPTED, report__isnull=True)
        .order_by("due_on", "id")
        .first()
    )
