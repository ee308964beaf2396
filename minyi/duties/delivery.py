"""The ``commission_delivery`` consumer: a commissioned report, once submitted, delivers.

Keyed by the commission's state: an event replayed finds the commission delivered
already and does nothing, so delivery happens once.
"""

from __future__ import annotations

from minyi.audit.consumers import register
from minyi.audit.models import Event
from minyi.duties.models import Commission, CommissionState
from minyi.duties.workflow import MACHINE
from minyi.people.models import User


@register("commission_delivery", label="约稿交稿", verbs=["submit"])
def deliver(events: list[Event]) -> None:
    actors = {e.report_id: e.actor_id for e in events if e.report_id}
    due = Commission.objects.filter(
        report_id__in=list(actors), state=CommissionState.ACCEPTED
    ).select_related("topic", "member", "unit", "created_by")
    for commission in due:
        actor = User.objects.filter(pk=actors[commission.report_id]).first()
        if actor is None or not MACHINE.allows(commission, "deliver", actor):
            # Someone else submitted it (the office for the member): the commissioning editor
            # records the delivery, so the consumer never stops on a refusal.
            actor = commission.created_by
        MACHINE.transition(commission, "deliver", actor)
