"""What came back on a forwarding (报送记录), as a table run by the shared state machine.

待反馈 → 已采用 or 未采用. A recipient that was recorded as not adopting may
still adopt later (it happens: 转送 weeks on), so adoption is allowed from both;
nothing leaves 已采用. Instructions (批示) are not states: any number may be
recorded on any forwarding.
"""

from __future__ import annotations

from minyi.audit.statemachine import Machine, Move, move
from minyi.outcomes.models import Forwarding, ForwardingState
from minyi.people.models import Role

TRANSITIONS: dict[tuple[str, str], Move] = {
    (ForwardingState.PENDING, "adopt"): move(ForwardingState.ADOPTED, {Role.EDITOR}, "登记采用"),
    (ForwardingState.NOT_ADOPTED, "adopt"): move(
        ForwardingState.ADOPTED, {Role.EDITOR}, "登记采用"
    ),
    (ForwardingState.PENDING, "not_adopted"): move(
        ForwardingState.NOT_ADOPTED, {Role.EDITOR}, "登记未采用"
    ),
    # Sent with an issue that was voided (作废): nothing is awaited from the recipient any more.
    (ForwardingState.PENDING, "recall"): move(
        ForwardingState.RECALLED, {Role.APPROVER}, "撤回报送", internal=True
    ),
    # Published again in a new issue after a recall: the same record is sent again.
    (ForwardingState.RECALLED, "forward"): move(
        ForwardingState.PENDING, {Role.EDITOR, Role.APPROVER}, "报送", internal=True
    ),
    (ForwardingState.NOT_ADOPTED, "recall"): move(
        ForwardingState.RECALLED, {Role.APPROVER}, "撤回报送", internal=True
    ),
}

FORWARDINGS: Machine[Forwarding] = Machine(
    model=Forwarding,
    noun="报送记录",
    table=TRANSITIONS,
    refusals={
        "adopt": "该报送记录已登记采用情况。",
        "not_adopted": "只有待反馈的报送记录可以登记为未采用。",
        "recall": "已采用的报送记录不能撤回。",
    },
    describe=lambda forwarding: {"recipient": forwarding.recipient.name},
    report_of=lambda forwarding: forwarding.report_id,
)
