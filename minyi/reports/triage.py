"""受理 and 不予采用 screened against 十报十不报 (``screening``): the ticks go into the event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from minyi.reports.actions import do_decline
from minyi.reports.screening import (
    check_accept_screening,
    decline_reason_for,
    screening_payload,
    ticked_items,
)
from minyi.reports.workflow import check_transition, transition

if TYPE_CHECKING:
    from minyi.people.models import User
    from minyi.reports.models import Report


def do_accept(report: Report, user: User, *, note: str = "", ticked: Iterable[Any] = ()) -> None:
    """受理, with the 报 items the editor ticked; a ticked 不报 item refuses it."""
    check_transition(report, "accept", user, note)
    items = ticked_items(ticked)
    check_accept_screening(items)
    transition(report, "accept", user, note=note, payload=screening_payload(items))


def do_screened_decline(
    report: Report, user: User, *, reason: str, note: str = "", ticked: Iterable[Any] = ()
) -> str:
    """不予采用 with at least one 不报 item ticked or a reason in words; returns the code."""
    check_transition(report, "decline", user, note)
    items = ticked_items(ticked)
    reason = decline_reason_for(items, reason, note)
    do_decline(report, user, reason=reason, note=note, payload=screening_payload(items))
    return reason
