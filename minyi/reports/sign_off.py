"""签发 of a single report, with the approver's 签发意见 (``check_*`` then ``do_*``).

The approver must have read the full text (the page's "已阅读全文" box, checked here
too) and writes an opinion; it goes into the event's payload and a
``SignOffOpinion`` row with the signer, time and address, in the move's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from minyi.audit.statemachine import ActionRefused
from minyi.reports.opinions import SignOffOpinion, clean_opinion
from minyi.reports.workflow import check_transition, transition

if TYPE_CHECKING:
    from minyi.people.models import User
    from minyi.reports.models import Report


def check_sign_off(report: Report, user: User, *, opinion: str, acknowledged: bool) -> str:
    """Refuse, in Chinese, a sign-off not allowed now, unread or without an opinion."""
    check_transition(report, "sign_off", user)
    if not acknowledged:
        raise ActionRefused(f"请先阅读《{report.title}》全文并勾选“已阅读全文”。")
    try:
        return clean_opinion(opinion)
    except ValueError as exc:
        raise ActionRefused(str(exc)) from None


def do_sign_off(report: Report, user: User, *, opinion: str, acknowledged: bool) -> SignOffOpinion:
    text = check_sign_off(report, user, opinion=opinion, acknowledged=acknowledged)
    with transaction.atomic():
        event = transition(report, "sign_off", user, payload={"opinion": text})
        return SignOffOpinion.objects.create(
            report=report,
            text=text,
            signer=user,
            ip=event.ip,
            created_at=event.created_at,
            event=event,
        )
