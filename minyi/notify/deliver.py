"""Make notifications and send them on: at once, in the daily digest, or not at all.

``notify()`` writes the in-app rows inside the caller's transaction, with each
row's delivery fixed from the user's preference at that moment, and queues the
immediate ones on the background worker in the same transaction: the queue is
a table in the same database, so the jobs exist exactly when the rows do. A
rolled-back action never emails anyone, and a process that dies after commit
has already queued its sending.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from minyi.notify.channels import enabled_channels
from minyi.notify.kinds import KINDS, Delivery, kind_for_verb
from minyi.notify.models import KindPolicy, Notification, Preference
from minyi.notify.tasks import send_notification

if TYPE_CHECKING:
    from minyi.people.models import User


def delivery_for(user: User, kind: str, *, mandatory: frozenset[str] | None = None) -> str:
    """How a notification of ``kind`` leaves the app for ``user`` now."""
    mandatory = KindPolicy.mandatory_kinds() if mandatory is None else mandatory
    chosen = Preference.objects.choices_for(user).get(kind, KINDS[kind].default)
    # The office has made this kind compulsory: "off" becomes "at once".
    if chosen == Delivery.OFF and kind in mandatory:
        return Delivery.IMMEDIATE
    return chosen


def notify(
    users: Iterable[User],
    *,
    verb: str,
    message: str,
    url: str = "",
    event_id: int | None = None,
    kind: str | None = None,
) -> list[Notification]:
    """Write one notification per user and queue the immediate ones, in the caller's transaction."""
    kind = kind or kind_for_verb(verb)
    mandatory = KindPolicy.mandatory_kinds()
    notes = Notification.objects.bulk_create(
        Notification(
            user=user,
            verb=verb,
            kind=kind,
            message=message[:300],
            url=url,
            event_id=event_id,
            delivery=delivery_for(user, kind, mandatory=mandatory),
        )
        for user in users
    )
    enqueue_sending([note.pk for note in notes if note.delivery == Delivery.IMMEDIATE])
    return notes


def enqueue_sending(notification_ids: list[int]) -> None:
    """Queue one job per notification and channel, so channels fail and retry separately."""
    for pk in notification_ids:
        for channel in enabled_channels():
            send_notification.enqueue(pk, channel.code)
