"""Feedback (反馈) to authors: every outcome of their report reaches them.

Messages are a registry keyed by event verb, so a new kind of outcome is one
line here. They are sent after the transaction commits, so a rolled-back action
never tells anyone anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse

from minyi.notify.deliver import notify

if TYPE_CHECKING:
    from minyi.audit.models import Event
    from minyi.people.models import User
    from minyi.reports.models import Report

FEEDBACK_MESSAGES: dict[str, str] = {
    "return": "您的信息《{title}》被退回修改：{note}",
    "accept": "您的信息《{title}》已被研究室受理。",
    "decline": "您的信息《{title}》不予采用（{reason}），已存档。{note}",
    "merge": "您的信息《{title}》已与其他信息综合编报，您的署名保留。",
    "mark_duplicate": "您的信息《{title}》与已报送的信息重复，已并入处理，您的署名保留。",
    "sign_off": "您的信息《{title}》已签发。",
    "publish": "您的信息《{title}》已在{issue}编发。",
    "send_directly": "您的信息《{title}》已作为{urgency}直接报送。",
    "forward": "您的信息《{title}》已报送{recipient}。",
    "adopt": "好消息：您的信息《{title}》被{recipient}采用（{kind}）。",
    "not_adopted": "您的信息《{title}》报送{recipient}后未被采用。",
    "instruct": "好消息：您的信息《{title}》获{leader}批示（{level}）。",
}


def render_message(verb: str, report: Report, payload: dict[str, Any]) -> str | None:
    template = FEEDBACK_MESSAGES.get(verb)
    if template is None:
        return None
    values = {
        "title": report.title,
        "note": "",
        "reason": "",
        "issue": "刊物",
        "urgency": report.get_urgency_display(),
        "recipient": "",
        "kind": "",
        "leader": "",
        "level": "",
    }
    values.update({k: v for k, v in payload.items() if isinstance(v, str)})
    return template.format(**values)[:300]


def tell_authors_on_commit(report: Report, event: Event, *, actor: User | None) -> None:
    """Queue a notification to every author account except the one who acted."""
    message = render_message(event.verb, report, event.payload)
    if message is None:
        return
    url = reverse("reports:detail", args=[report.pk])
    recipients = [u for u in report.author_users() if actor is None or u.pk != actor.pk]

    def send() -> None:
        # Runs after commit: the rows are written, and the immediate ones queued for email.
        notify(recipients, verb=event.verb, message=message, url=url, event_id=event.pk)

    transaction.on_commit(send)
