"""The commission's moves as data, run by the shared state machine.

``ADDRESSEE`` is a relation, not a role: the member asked, or the liaison of the unit
asked. Delivery is internal: the ``commission_delivery`` consumer makes it when the
linked report is submitted, and undoes it when that report is withdrawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from minyi.audit.statemachine import Machine, Move, move
from minyi.audit.verbs import Verb
from minyi.duties.models import Commission, CommissionState
from minyi.people.models import Role

ADDRESSEE = "addressee"
S = CommissionState

TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.OFFERED, "accept"): move(S.ACCEPTED, {ADDRESSEE}, "接受约稿", verb=Verb.COMMISSION_ACCEPT),
    (S.OFFERED, "decline"): move(
        S.DECLINED, {ADDRESSEE}, "婉拒约稿", note_required=True, verb=Verb.COMMISSION_DECLINE
    ),
    (S.ACCEPTED, "deliver"): move(
        S.DELIVERED,
        {ADDRESSEE, Role.EDITOR},
        "交稿",
        internal=True,
        verb=Verb.COMMISSION_DELIVER,
    ),
    # The delivered report was withdrawn: the commission waits for it again.
    (S.DELIVERED, "undeliver"): move(
        S.ACCEPTED,
        {ADDRESSEE, Role.EDITOR},
        "撤回交稿",
        internal=True,
        verb=Verb.COMMISSION_UNDELIVER,
    ),
    (S.OFFERED, "cancel"): move(
        S.CANCELLED, {Role.EDITOR}, "撤销约稿", note_required=True, verb=Verb.COMMISSION_CANCEL
    ),
    (S.ACCEPTED, "cancel"): move(
        S.CANCELLED, {Role.EDITOR}, "撤销约稿", note_required=True, verb=Verb.COMMISSION_CANCEL
    ),
}


def _stamp(obj: Commission, action: str, row: Move, note: str, now: dt.datetime) -> dict[str, Any]:
    if action in ("accept", "decline"):
        return {"answered_at": now, "reply": note[:500]}
    if action == "cancel":
        return {"reply": note[:500]}
    return {}


MACHINE: Machine[Commission] = Machine(
    model=Commission,
    noun="约稿",
    table=TRANSITIONS,
    relations={ADDRESSEE: lambda c, user: c.is_addressed_to(user)},
    note_name="理由",
    refusals={
        "accept": "该约稿已答复或已撤销，不能再接受。",
        "decline": "该约稿已答复或已撤销，不能再婉拒。",
        "cancel": "只有待答复或已接受的约稿可以撤销。",
    },
    describe=lambda c: {"topic": c.topic.title[:100], "addressee": c.addressee},
    report_of=lambda c: c.report_id,
    stamp=_stamp,
)
