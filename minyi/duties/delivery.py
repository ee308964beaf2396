"""The ``commission_delivery`` consumer: a commissioned report, once submitted, delivers;
withdrawn, it takes the delivery back (已交稿 → 已接受) until it is submitted again.

Keyed by the commission's state: an event replayed finds the commission delivered
(or back to accepted) already and does nothing, so each move happens once.
"""

from __future__ import annotations

from minyi.audit.consumers import register
from minyi.audit.models import Event
from minyi.duties.actions import do_link_report
from minyi.duties.models import Commission, CommissionState
from minyi.duties.workflow import MACHINE
from minyi.people.models import User
from minyi.reports.models import Report


def _link_topic_reports(actors: dict[int, int | None]) -> None:
    """A report submitted on a topic answers the submitter's accepted commission on it.

    The member may have started it from the topic guide rather than the commission
    (or before accepting); it is the report the commission asked for all the same.
    """
    reports = Report.objects.filter(
        pk__in=list(actors), topic__isnull=False, commission__isnull=True
    )
    for report in reports:
        user = User.objects.filter(pk=actors[report.pk]).first()
        if user is None:
            continue
        commission = (
            Commission.objects.for_user(user)
            .filter(topic_id=report.topic_id, state=CommissionState.ACCEPTED, report__isnull=True)
            .order_by("due_on", "id")
            .first()
        )
        if commission is not None:
            do_link_report(commission, report, user)


@register("commission_delivery", label="约稿交稿", verbs=["submit", "withdraw"])
def deliver(events: list[Event]) -> None:
    # Replayed in log order: a report withdrawn then resubmitted in one batch ends delivered.
    for event in events:
        if event.report_id is None:
            continue
        actors = {event.report_id: event.actor_id}
        if event.verb == "withdraw":
            _move(actors, CommissionState.DELIVERED, "undeliver")
        else:
            _link_topic_reports(actors)
            _move(actors, CommissionState.ACCEPTED, "deliver")


def _move(actors: dict[int, int | None], state: str, action: str) -> None:
    due = Commission.objects.filter(report_id__in=list(actors), state=state).select_related(
        "topic", "member", "unit", "created_by"
    )
    for commission in due:
        actor = User.objects.filter(pk=actors[commission.report_id]).first()
        if actor is None or not MACHINE.allows(commission, action, actor):
            # Someone else submitted it (the office for the member): the commissioning editor
            # records the move, so the consumer never stops on a refusal.
            actor = commission.created_by
        MACHINE.transition(commission, action, actor)
