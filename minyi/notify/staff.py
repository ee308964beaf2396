"""Notifications to office staff about the office's own housekeeping, from the event log.

A consumer like ``authors``: the action that takes over a claimed report (接手,
``reports.actions.do_take_over``) only writes its ``take_over`` event; this tells
the previous claimer, once per event (idempotent by event id). Likewise an issue
sent back at any step of its approval chain (``reject_issue``) tells its editor.
"""

from __future__ import annotations

from django.urls import reverse

from minyi.audit.consumers import register
from minyi.audit.models import Event
from minyi.audit.verbs import Verb
from minyi.bulletins.models import Issue
from minyi.notify.deliver import notify
from minyi.notify.models import Notification
from minyi.people.models import User


def take_over_message(event: Event) -> str:
    actor = str(event.actor) if event.actor_id else "其他编辑"
    title = event.payload.get("title", "")
    return f"{actor}接手了您认领的稿件《{title}》，该稿件改由其办理。"


@register("staff_take_over", label="告知原认领人（接手）", verbs={Verb.TAKE_OVER}, batch_size=200)
def tell_previous_claimer(events: list[Event]) -> None:
    """Notify the editor who had claimed each report that someone else took it over."""
    already = set(
        Notification.objects.filter(event_id__in=[e.pk for e in events]).values_list(
            "event_id", flat=True
        )
    )
    wanted = {e.payload.get("previous_id") for e in events if e.pk not in already}
    users = User.objects.in_bulk({pk for pk in wanted if isinstance(pk, int)})
    for event in events:
        previous = users.get(event.payload.get("previous_id"))
        if event.pk in already or previous is None or not previous.is_active:
            continue
        notify(
            [previous],
            verb=event.verb,
            message=take_over_message(event),
            url=reverse("office:workbench", args=[event.report_id]),
            event_id=event.pk,
        )


def issue_returned_message(event: Event) -> str:
    actor = str(event.actor) if event.actor_id else "审签人"
    step = event.payload.get("step") or "审签"
    title = event.payload.get("title", "")
    return f"{actor}在“{step}”退回了您编排的{title}：{event.payload.get('note', '')}"


@register(
    "staff_issue_returned",
    label="告知责任编辑（刊物退回）",
    verbs={Verb.REJECT_ISSUE},
    batch_size=200,
)
def tell_issue_editor(events: list[Event]) -> None:
    """Notify each returned issue's editor, with the step and the reason (once per event)."""
    already = set(
        Notification.objects.filter(event_id__in=[e.pk for e in events]).values_list(
            "event_id", flat=True
        )
    )
    editors = dict(
        Issue.objects.filter(pk__in=[int(e.object_id) for e in events]).values_list(
            "pk", "editor_id"
        )
    )
    users = User.objects.in_bulk(set(editors.values()))
    for event in events:
        editor = users.get(editors.get(int(event.object_id)))
        if event.pk in already or editor is None or not editor.is_active:
            continue
        notify(
            [editor],
            verb=event.verb,
            message=issue_returned_message(event),
            url=reverse("bulletins:detail", args=[int(event.object_id)]),
            event_id=event.pk,
        )
