"""Make notifications and send them on: at once, in the daily digest, or not at all.

``notify()`` writes the in-app rows inside the caller's transaction, with each
row's delivery fixed from the user's preference at that moment, and queues the
immediate ones on the background worker only after the transaction commits, so
a rolled-back action never emails anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from minyi.core import clock
from minyi.notify.channels import CHANNELS, enabled_channels
from minyi.notify.emails import render_notification
from minyi.notify.kinds import KINDS, Delivery, kind_for_verb
from minyi.notify.models import Dispatch, KindPolicy, Notification, Preference

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
    """Write one notification per user now; queue the immediate ones after commit."""
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
    immediate = [note.pk for note in notes if note.delivery == Delivery.IMMEDIATE]
    if immediate:
        transaction.on_commit(lambda: enqueue_sending(immediate))
    return notes


def enqueue_sending(notification_ids: list[int]) -> None:
    """Queue one job per notification and channel, so channels fail and retry separately."""
    from minyi.notify.tasks import send_notification

    for pk in notification_ids:
        for channel in enabled_channels():
            send_notification.enqueue(pk, channel.code)


def send_notification_now(notification_id: int, channel_code: str = "email") -> bool:
    """Send one immediate notification on one channel, once; False if nothing was sent.

    A ``Dispatch`` key per notification and channel is inserted in the same
    transaction as the sending, so a second run (a retry, a restarted worker)
    finds the key and does nothing, and a failed send rolls the key back for
    the retry. ``delivered_at`` records the first channel that got it out.
    """
    channel = CHANNELS[channel_code]()
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, delivery=Delivery.IMMEDIATE)
            .select_related("user")
            .first()
        )
        if note is None or not Dispatch.claim(f"notification:{note.pk}:{channel_code}"):
            return False
        sent = channel.ready_for(note.user)
        if sent:
            channel.send(render_notification(note))
        if note.delivered_at is None:
            note.delivered_at = clock.now()
            note.save(update_fields=["delivered_at"])
    return sent
