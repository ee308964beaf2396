"""An issue's download records the 密级 of the marked reports it prints."""

from __future__ import annotations

from typing import Any

from minyi.bulletins.models import Issue
from minyi.reports.confidentiality import marked_labels
from minyi.reports.models import Report


def issue_download_facts(obj: Any, report_id: int | None) -> dict[str, Any]:
    if not isinstance(obj, Issue):
        return {}
    reports = Report.objects.filter(issue_items__issue=obj).exclude(confidentiality="")
    labels = marked_labels(reports.order_by("issue_items__position", "id"))
    return {"marked_reports": labels} if labels else {}
