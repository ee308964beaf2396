"""Notifications about 约稿, from the event log (a consumer like ``authors``).

The member asked (or the unit's liaisons) hears of a new commission and of its
cancellation; the editor who commissioned it hears the answer and the delivery.
Idempotent by event id: an event that has its notifications is skipped.
"""

from __future__ import annotations

from django.urls import reverse

from minyi.audit.consumers import register
from minyi.audit.models import Event
from minyi.audit.verbs import Verb
from minyi.duties.models import Commission
from minyi.notify.deliver import notify
from minyi.notify.models import Notification
from minyi.people.models import Role, User

TO_ADDRESSEE = {
    Verb.COMMISSION_OFFER: "研究室向您约稿：《{topic}》，请于 {due} 前交稿，请先答复是否接受。",
    Verb.COMMISSION_CANCEL: "研究室撤销了约稿《{topic}》：{note}",
}
TO_OFFICE = {
    Verb.COMMISSION_ACCEPT: "{to}接受了约稿《{topic}》。",
    Verb.COMMISSION_DECLINE: "{to}婉拒了约稿《{topic}》：{note}",
    Verb.COMMISSION_DELIVER: "{to}已就约稿《{topic}》交稿。",
    Verb.COMMISSION_UNDELIVER: "{to}撤回了约稿《{topic}》的交稿，约稿回到“已接受”。",
}


def addressees(commission: Commission) -> list[User]:
    """The member's account, or the unit's liaisons."""
    if commission.member_id:
        return list(User.objects.filter(member_id=commission.member_id, is_active=True))
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.LIAISON,
            role_assignments__organization_id=commission.unit_id,
        ).distinct()
    )


def _message(template: str, event: Event, commission: Commission) -> str:
    return template.format(
        topic=commission.topic.title[:60],
        due=commission.due_on.isoformat(),
        to=commission.addressee,
        note=str(event.payload.get("note", ""))[:100],
    )


@register(
    "commission_notices",
    label="约稿通知",
    verbs={*TO_ADDRESSEE, *TO_OFFICE},
    batch_size=200,
)
def tell_about_commissions(events: list[Event]) -> None:
    already = set(
        Notification.objects.filter(event_id__in=[e.pk for e in events]).values_list(
            "event_id", flat=True
        )
    )
    ids = {int(e.object_id) for e in events if e.object_id.isdigit()}
    found = Commission.objects.select_related("topic", "member", "unit", "created_by").in_bulk(ids)
    for event in events:
        commission = found.get(int(event.object_id)) if event.object_id.isdigit() else None
        if event.pk in already or commission is None:
            continue
        if event.verb in TO_ADDRESSEE:
            users = addressees(commission)
            template, url = (
                TO_ADDRESSEE[event.verb],
                reverse("topics:commission", args=[commission.pk]),
            )
        else:
            users = [commission.created_by] if commission.created_by.is_active else []
            template, url = (
                TO_OFFICE[event.verb],
                reverse("topics:detail", args=[commission.topic_id]),
            )
        if users:
            notify(
                users,
                verb=event.verb,
                message=_message(template, event, commission),
                url=url,
                event_id=event.pk,
            )
