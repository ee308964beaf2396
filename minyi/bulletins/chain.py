"""An issue's approval chain (审签流程): data per series and urgency, read here.

The steps come from ``ApprovalStep`` rows: those of the issue's series for its
urgency (its most urgent item), else those for every urgency, else one 签发 step
by an approver, so a series nobody configured still works as it always did.
"""

from __future__ import annotations

from dataclasses import dataclass

from minyi.bulletins.models import ApprovalStep, Issue
from minyi.people.models import Role
from minyi.reports.models import Urgency

#: Most urgent first: the issue is as urgent as its most urgent item.
URGENCY_ORDER = (Urgency.SPECIAL, Urgency.URGENT, Urgency.ROUTINE)


@dataclass(frozen=True)
class Step:
    label: str
    role: str


DEFAULT_CHAIN = (Step("签发", Role.APPROVER),)


def issue_urgency(issue: Issue) -> str:
    present = set(issue.items.values_list("report__urgency", flat=True))
    return next((u for u in URGENCY_ORDER if u in present), Urgency.ROUTINE)


def chain_for(issue: Issue) -> tuple[Step, ...]:
    rows = list(
        ApprovalStep.objects.filter(bulletin_id=issue.bulletin_id).order_by("position", "id")
    )
    urgency = issue_urgency(issue) if rows else ""
    picked = [r for r in rows if r.urgency == urgency] or [r for r in rows if not r.urgency]
    return tuple(Step(r.label, r.role) for r in picked) or DEFAULT_CHAIN


def current_step(issue: Issue) -> Step:
    steps = chain_for(issue)
    return steps[min(issue.step, len(steps) - 1)]


def is_last_step(issue: Issue) -> bool:
    return issue.step >= len(chain_for(issue)) - 1


def check_chain(steps: list[tuple[int, str, str]]) -> str | None:
    """Why a chain of (position, label, role) rows is unusable, or None (for the admin)."""
    if not steps:
        return None
    positions = [p for p, _, _ in steps]
    if len(set(positions)) != len(positions):
        return "同一刊物、同一紧急程度的步骤顺序不能重复。"
    last = max(steps)
    if last[2] != Role.APPROVER:
        return f"最后一步“{last[1]}”必须由签发人办理。"
    return None
