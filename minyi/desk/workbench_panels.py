"""Panels of the office's report pages beyond the text: outcomes and ownership.

The outcomes panel shows, on a published or directly sent report, each
forwarding with the adoption / 未采用 / 批示 forms in place; the forms post to
the outcomes pages with ``next`` pointing back here. Forwardings come through
``outcomes.access.visible_forwardings`` only.
"""

from __future__ import annotations

from typing import Any

from minyi.outcomes.access import visible_forwardings
from minyi.outcomes.forms import AdoptionForm, InstructionForm, NotAdoptedForm
from minyi.outcomes.workflow import FORWARDINGS
from minyi.reports.models import OUT_STATES, Report


def outcomes_panel(report: Report, user: Any) -> dict[str, Any]:
    """The report's forwardings with a form set each, or nothing before it has gone out."""
    if report.state not in OUT_STATES:
        return {"show_outcomes": False}
    forwardings = list(
        visible_forwardings(user)
        .filter(report=report)
        .select_related("recipient", "issue", "issue__bulletin", "adoption")
        .prefetch_related("instructions")
        .order_by("forwarded_at", "id")
    )
    for f in forwardings:
        # Distinct ids per forwarding: several forms of the same kind on one page.
        f.adoption_form = AdoptionForm(auto_id=f"ad{f.pk}_%s")
        f.not_adopted_form = NotAdoptedForm(auto_id=f"na{f.pk}_%s")
        f.instruction_form = InstructionForm(auto_id=f"in{f.pk}_%s")
        f.may_adopt = FORWARDINGS.allows(f, "adopt", user)
        f.may_not_adopt = FORWARDINGS.allows(f, "not_adopted", user)
    return {"show_outcomes": True, "forwardings": forwardings}


def ownership(report: Report, user: Any) -> dict[str, Any]:
    """Whether another editor holds the report (then only 接手 is offered)."""
    held = bool(report.claimed_by_id) and report.claimed_by_id != user.pk
    return {"held_by_other": held}
