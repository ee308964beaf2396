"""Send one immediate notification on one channel, exactly once (the work of a queued job)."""

from __future__ import annotations

from django.db import transaction

from minyi.core import clock
from minyi.notify.channels import CHANNELS
from minyi.notify.emails import render_notification
from minyi.notify.kinds import Delivery
from minyi.notify.models import Dispatch, Notification


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
