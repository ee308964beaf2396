"""Feedback (反馈) to authors: every outcome of their report reaches them.

A consumer of the event log (``audit.consumers``): the actions that move a report
or record an outcome only write their event; this turns each event into a
notification for every author account except the one who acted. Messages are a
table with an explicit decision for every verb (``None``: the authors are not
told), so a new verb cannot slip past unnoticed (``tests/audit/test_verbs.py``).
Idempotent by event id: an event that already has its notifications is skipped.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from minyi.audit.consumers import register
from minyi.audit.models import Event
from minyi.audit.verbs import ACCESS_VERBS, Verb
from minyi.notify.deliver import notify
from minyi.notify.models import Notification
from minyi.reports.models import Report, accounts_by_report

V = Verb
FEEDBACK_MESSAGES: dict[Verb, str | None] = {
    V.CREATE: None,
    V.SUBMIT: None,  # The author did it: the report's page says so.
    V.RESUBMIT: None,
    V.WITHDRAW: None,
    V.RETURN: "您的信息《{title}》被退回修改：{note}",
    V.ACCEPT: "您的信息《{title}》已被研究室受理。",
    V.DECLINE: "您的信息《{title}》不予采用（{reason}），已存档。{note}",
    V.MERGE: "您的信息《{title}》已与其他信息综合编报，您的署名保留。",
    V.COMPOSE: None,  # The new composite report; its sources are told by their ``merge``.
    V.EDIT: None,  # Editing is the office's work in progress; the outcome is what counts.
    V.EDIT_DETAILS: None,
    V.RECATEGORIZE: None,
    V.MARK_CONFIDENTIALITY: None,  # A 密级 changes who finds the report, not its fate.
    V.SEND_FOR_SIGN_OFF: None,
    V.SIGN_OFF: "您的信息《{title}》已签发。",
    V.REJECT_SIGN_OFF: None,
    V.PUBLISH: "您的信息《{title}》已在{issue}编发。",
    V.UNPUBLISH: "您的信息《{title}》所在的{issue}已作废（{note}），稿件退回待编发，将另行编发。",
    V.SEND_DIRECTLY: "您的信息《{title}》已作为{urgency}直接报送。",
    V.CLAIM: None,
    V.RELEASE: None,
    V.TAKE_OVER: None,  # Office housekeeping; the previous claimer is told (``notify.staff``).
    V.ATTACH: None,
    V.REMOVE_ATTACHMENT: None,
    V.IMPORT_MESSAGE: None,
    V.FORWARD: "您的信息《{title}》已报送{recipient}。",
    V.ADOPT: "好消息：您的信息《{title}》被{recipient}采用（{kind}）。",
    V.NOT_ADOPTED: "您的信息《{title}》报送{recipient}后未被采用。",
    V.RECALL: None,  # Comes with the report's ``unpublish``, which tells the authors once.
    V.CHASE: None,  # The office chasing a recipient changes nothing the authors wait for.
    V.INSTRUCT: "好消息：您的信息《{title}》获{leader}批示（{level}）。",
    # Issues, rules, notices and imports are not about one report's authors.
    V.CREATE_ISSUE: None,
    V.COMPOSE_ISSUE: None,
    V.SEND_ISSUE_FOR_SIGN_OFF: None,
    V.REJECT_ISSUE: None,
    V.SIGN_OFF_ISSUE: None,
    V.APPROVE_ISSUE_STEP: None,
    V.DELETE_ISSUE: None,
    V.CORRECT_ISSUE: None,
    V.VOID_ISSUE: None,
    V.SCORE_RULES_CHANGE: None,
    # Commissions, topics, terms and appointments are not about one report's authors;
    # commissions tell their own people (``notify.commissions``).
    V.TOPIC_SAVE: None,
    V.COMMISSION_OFFER: None,
    V.COMMISSION_ACCEPT: None,
    V.COMMISSION_DECLINE: None,
    V.COMMISSION_DELIVER: None,
    V.COMMISSION_UNDELIVER: None,
    V.COMMISSION_CANCEL: None,
    V.COMMISSION_DUE: None,
    V.TERM_CHANGE: None,
    V.OFFICER_APPOINT: None,
    V.OFFICER_REMOVE: None,
    V.SCORE_CORRECT: None,
    V.SCORE_OBJECTION: None,
    V.SCORE_OBJECTION_RESOLVE: None,
    V.CAMPAIGN_SAVE: None,
    V.NOTICE_CONFIRM: None,
    V.RATING_REVIEW: None,
    V.NOTICE_PUBLISH: None,
    V.IMPORT_ROSTER: None,
    V.IMPORT_REPORTS: None,
    **dict.fromkeys(ACCESS_VERBS, None),
    # Reminders are notifications themselves (``deadlines.reminders``), never events.
    V.DEADLINE_NEAR: None,
    V.DEADLINE_PASSED: None,
    V.FEEDBACK_OVERDUE: None,
}

#: A merge that marks a duplicate tells the authors so, not that it was combined.
DUPLICATE_MESSAGE = "您的信息《{title}》与已报送的信息重复，已并入处理，您的署名保留。"

TOLD_VERBS = frozenset(verb for verb, message in FEEDBACK_MESSAGES.items() if message)


def render_message(verb: str, report: Report, payload: dict[str, Any]) -> str | None:
    template = FEEDBACK_MESSAGES.get(Verb(verb))
    if template is None:
        return None
    if verb == Verb.MERGE and payload.get("duplicate"):
        template = DUPLICATE_MESSAGE
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
    message = template.format(**values)
    # A 批示's words are in the event only when the office let the authors read them.
    if verb == Verb.INSTRUCT and payload.get("text"):
        message += f"批示内容：{payload['text']}"
    return message[:300]


@register("author_feedback", label="反馈给反映人", verbs=TOLD_VERBS, batch_size=200)
def tell_authors(events: list[Event]) -> None:
    """Notify every author account of each event's report, except whoever acted."""
    reports = Report.objects.in_bulk({e.report_id for e in events if e.report_id})
    accounts = accounts_by_report(list(reports.values()))
    already = set(
        Notification.objects.filter(event_id__in=[e.pk for e in events]).values_list(
            "event_id", "user_id"
        )
    )
    for event in events:
        report = reports.get(event.report_id)
        if event.payload.get("historical"):
            continue  # An archive import: authors were told at the time, not today.
        message = report and render_message(event.verb, report, event.payload)
        if not message:
            continue
        recipients = [
            user
            for user in accounts[report.pk]
            if user.pk != event.actor_id and (event.pk, user.pk) not in already
        ]
        url = reverse("reports:detail", args=[report.pk])
        notify(recipients, verb=event.verb, message=message, url=url, event_id=event.pk)
