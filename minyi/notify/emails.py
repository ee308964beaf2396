"""Render outgoing messages from templates named by convention.

``notify/email/<name>-subject.txt``, ``<name>-body.txt`` and ``<name>-body.html``
make one message; the subject is one line, the bodies are Chinese plain text
and HTML with absolute links to ``MINYI_SITE_URL``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string

from minyi.notify.channels import OutgoingMessage

if TYPE_CHECKING:
    from minyi.notify.digest import Digest
    from minyi.notify.models import Notification
    from minyi.people.models import User


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


def make_message(
    name: str, user: User, kind: str, url: str, context: dict[str, Any]
) -> OutgoingMessage:
    context = {
        "user": user,
        "host_name": settings.HOST_NAME,
        "site_url": settings.SITE_URL,
        "url": absolute(url),
        **context,
    }
    subject = render_to_string(f"notify/email/{name}-subject.txt", context)
    return OutgoingMessage(
        user=user,
        kind=kind,
        # Header injection is impossible with one line; templates may wrap.
        subject=" ".join(subject.split()),
        text=render_to_string(f"notify/email/{name}-body.txt", context).strip() + "\n",
        html=render_to_string(f"notify/email/{name}-body.html", context),
        url=absolute(url),
    )


def render_notification(note: Notification) -> OutgoingMessage:
    return make_message("notification", note.user, note.kind, note.url, {"note": note})


def render_digest(digest: Digest) -> OutgoingMessage:
    return make_message("digest", digest.user, "digest", "/notifications/", {"digest": digest})
