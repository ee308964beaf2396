"""Channels that carry a notification out of the app: a registry, like transports.

A channel is a class with a ``code``, a Chinese ``label``, ``ready_for(user)``
and ``send(message)``; ``send`` raises on failure so the background job is
retried. Email is built in. ``WebhookChannel`` is the generic webhook-style
sender for SMS gateways or 企业微信 (WeCom): it POSTs one JSON document per
message to ``MINYI_NOTIFY_WEBHOOK_URL``. Its body carries the WeCom group-robot
text format (``msgtype``/``text.content``), so a 群机器人 URL works as is, and a
``minyi`` object with the recipient and link for any other receiver (an SMS
gateway adapter looks the phone number up by ``username``).

Adding a channel: write a class here (or anywhere), add it to ``CHANNELS``,
and list its code in ``MINYI_NOTIFY_CHANNELS``.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

if TYPE_CHECKING:
    from minyi.people.models import User

log = logging.getLogger(__name__)

#: A webhook that takes longer than this is treated as down (the job retries later).
WEBHOOK_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class OutgoingMessage:
    user: User
    kind: str
    subject: str
    text: str
    html: str
    url: str


class Channel(Protocol):
    code: ClassVar[str]
    label: ClassVar[str]

    def ready_for(self, user: User) -> bool: ...

    def send(self, message: OutgoingMessage) -> None: ...


class EmailChannel:
    code = "email"
    label = "电子邮件"

    def ready_for(self, user: User) -> bool:
        return bool(user.email) and user.is_active

    def send(self, message: OutgoingMessage) -> None:
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.user.email],
        )
        mail.attach_alternative(message.html, "text/html")
        mail.send(fail_silently=False)


class WebhookChannel:
    code = "webhook"
    label = "短信/企业微信（Webhook）"

    def ready_for(self, user: User) -> bool:
        return bool(settings.NOTIFY_WEBHOOK_URL) and user.is_active

    def payload(self, message: OutgoingMessage) -> dict[str, object]:
        content = f"{message.subject}\n{message.text}"
        return {
            "msgtype": "text",
            "text": {"content": content},
            "minyi": {
                "username": message.user.username,
                "display_name": str(message.user),
                "kind": message.kind,
                "subject": message.subject,
                "text": message.text,
                "url": message.url,
            },
        }

    def send(self, message: OutgoingMessage) -> None:
        body = json.dumps(self.payload(message), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            settings.NOTIFY_WEBHOOK_URL,
            data=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        # urlopen raises on 4xx/5xx and on network errors, which fails the job for a retry.
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()


CHANNELS: dict[str, type[Channel]] = {
    EmailChannel.code: EmailChannel,
    WebhookChannel.code: WebhookChannel,
}


def enabled_channels() -> list[Channel]:
    """The channels named in ``MINYI_NOTIFY_CHANNELS``, in that order; unknown names are skipped."""
    found = []
    for code in settings.NOTIFY_CHANNELS:
        if code not in CHANNELS:
            log.warning("MINYI_NOTIFY_CHANNELS names an unknown channel %r; skipped", code)
            continue
        found.append(CHANNELS[code]())
    return found
