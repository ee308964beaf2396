"""htmx panels of text intelligence: the writing assistant and similar reports.

- ``assist`` (authors, while drafting): the writing assistant's findings with the
  offending text marked, and similar earlier reports; advice only, never a gate.
- ``office_assist`` (editors, on the workbench): likely duplicates with the way to mark
  one, and the suggested category with its confidence when a model is trained.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.desk.similar_panel import likely_duplicates, merge_family, similar_for
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports.access import get_report_for
from minyi.reports.actions import units_for
from minyi.reports.models import OFFICE_EDITABLE_STATES, Report, Revision
from minyi.reports.workflow import check_transition
from minyi.search.categories import load_classifier, suggest_category
from minyi.search.similar import similarity_text
from minyi.textlab.quality import Draft, Finding, check

#: Longest text per field the panel reads; the form itself allows far less.
MAX_FIELD_CHARS = 20_000
#: Characters of context shown on each side of a marked phrase.
CONTEXT_CHARS = 18
FIELD_LABELS = {
    name: str(Revision._meta.get_field(name).verbose_name) for name in Revision.TEXT_FIELDS
}


@dataclass(frozen=True)
class FindingRow:
    finding: Finding
    field_label: str
    before: str = ""
    marked: str = ""
    after: str = ""


def _draft_from(data: Any) -> Draft:
    fields = {name: str(data.get(name, ""))[:MAX_FIELD_CHARS] for name in Revision.TEXT_FIELDS}
    # The urgency the author chose: a 急报 is not told to send itself as one.
    return Draft(**fields, urgency=str(data.get("urgency", "")))


def finding_rows(draft: Draft, findings: list[Finding]) -> list[FindingRow]:
    """Pair each finding with the text around its span, so the template can mark it."""
    rows = []
    for f in findings:
        label = FIELD_LABELS.get(f.field or "", "")
        if f.field and f.start is not None and f.end is not None and f.end > f.start:
            text = getattr(draft, f.field)
            start, end = max(0, f.start - CONTEXT_CHARS), f.end + CONTEXT_CHARS
            before = ("…" if start else "") + text[start : f.start]
            after = text[f.end : end] + ("…" if end < len(text) else "")
            rows.append(FindingRow(f, label, before, text[f.start : f.end], after))
        else:
            rows.append(FindingRow(f, label))
    return rows


@login_required
@require_POST
def assist(request: HttpRequest) -> HttpResponse:
    """Return the assistant panel for the draft in the form (POSTed by htmx as one types)."""
    if not units_for(request.user):
        raise PermissionDenied("您还没有可以报送信息的单位，请联系研究室开通。")
    exclude: list[int] = []
    if request.GET.get("report"):
        # The report being edited: must be the user's to edit, and is not "similar" to itself.
        # Nor to the reports merged into it (综合稿): it was written from them.
        exclude += merge_family(get_report_for(request.user, request.GET["report"], write=True))
    draft = _draft_from(request.POST)
    text = similarity_text(draft.title, draft.situation, draft.analysis, draft.suggestions)
    # The office's category model, when trained, helps tell the matters of a list apart.
    findings = (
        check(draft, today=clock.localdate(), classifier=load_classifier()) if text.strip() else []
    )
    context = {
        "rows": finding_rows(draft, findings),
        "similar": similar_for(request.user, text, exclude=exclude),
        "empty": not text.strip(),
    }
    return render(request, "reports/_assist.html", context)


def _may_mark_duplicate(report: Report, user: Any) -> bool:
    try:
        check_transition(report, "merge", user)
    except ActionRefused:
        return False
    return True


@role_required(Role.EDITOR)
@require_GET
def office_assist(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the workbench panel: likely duplicates and the suggested category."""
    report = get_report_for(request.user, pk)
    open_for_office = report.state in OFFICE_EDITABLE_STATES
    context = {
        "report": report,
        "duplicates": likely_duplicates(request.user, report),
        "may_mark": _may_mark_duplicate(report, request.user),
        "suggestion": suggest_category(report) if open_for_office else None,
    }
    return render(request, "reports/_assist_office.html", context)
