"""Staff are told at once when an urgent report (急报/特报) comes in, at any hour.

A consumer of the event log, like ``authors``: submitting only writes its
``submit`` (or ``resubmit``) event; this tells every active editor and approver
once per event (idempotent by event id). The kind ``urgent_report`` is sent at
once by default and mandatory until the office says otherwise, and nothing holds
an immediate notification back: there are no quiet hours, the daily digest is
only for the kinds a user chose to have summed up.
"""

from __future__ import annotations

from django.urls import reverse

from minyi.audit.consumers import register
from minyi.audit.models import Event
from minyi.audit.verbs import Verb
from minyi.notify.deliver import notify
from minyi.notify.models import Notification
from minyi.people.models import Role, User
from minyi.reports.models import Report, Urgency

URGENT = frozenset({Urgency.URGENT, Urgency.SPECIAL})
KIND = "urgent_report"


def urgent_message(report: Report) -> str:
    unit = report.submitting_unit.label if report.submitting_unit_id else "—"
    return f"{report.get_urgency_display()}：《{report.title}》（{unit}）已报送，请尽快受理。"


def _staff() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_assignments__role__in=[Role.EDITOR, Role.APPROVER])
        .distinct()
        .order_by("pk")
    )


@register(
    "staff_urgent", label="急报、特报即时告知", verbs={Verb.SUBMIT, Verb.RESUBMIT}, batch_size=200
)
def tell_staff_of_urgent(events: list[Event]) -> None:
    """Notify the office's editors and approvers of each urgent report submitted."""
    reports = Report.objects.select_related("submitting_unit").in_bulk(
        {e.report_id for e in events if e.report_id}
    )
    urgent = [
        e
        for e in events
        if e.report_id in reports
        and reports[e.report_id].urgency in URGENT
        and not e.payload.get("historical")  # An archive import is not news.
    ]
    if not urgent:
        return
    already = set(
        Notification.objects.filter(event_id__in=[e.pk for e in urgent], kind=KIND).values_list(
            "event_id", flat=True
        )
    )
    staff = _staff()
    for event in urgent:
        if event.pk in already:
            continue
        report = reports[event.report_id]
        told = [user for user in staff if user.pk != event.actor_id]
        # Editors act in the workbench; approvers read the report's page.
        for url_name, users in (
            ("office:workbench", [u for u in told if u.has_role(Role.EDITOR)]),
            ("reports:detail", [u for u in told if not u.has_role(Role.EDITOR)]),
        ):
            notify(
                users,
                verb=event.verb,
                kind=KIND,
                message=urgent_message(report),
                url=reverse(url_name, args=[report.pk]),
                event_id=event.pk,
            )
