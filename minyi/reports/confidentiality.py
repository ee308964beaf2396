"""密级 marking of reports: who may mark, and the one action that marks or unmarks.

A marking is the research office's decision, as on paper: an editor or approver sets
内部 or 秘密 (with its 保密期限) on the workbench. Authors cannot mark; on the form they
may only ask (``confidentiality_requested``), and the office sees the request beside
the marking. Marking and unmarking are one verb, ``mark_confidentiality``, whose payload
holds the marking before and after, so the audit page shows who opened a report up.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.people.models import Role
from minyi.reports.models import Confidentiality, Report, confidentiality_problem

if TYPE_CHECKING:
    from minyi.people.models import User

#: Who may mark a report: the office that answers for what leaves it.
MARKING_ROLES = (Role.EDITOR, Role.APPROVER)


def marking_label(level: str, until: datetime.date | None) -> str:
    """How a marking reads on pages and exports: "秘密（至2027-06-30）", "内部", or ""."""
    if not level:
        return ""
    label = Confidentiality(level).label
    return f"{label}（至{until.isoformat()}）" if until else label


def may_mark(user: User) -> bool:
    return user.has_role(*MARKING_ROLES)


def check_marking(user: User, level: str, until: datetime.date | None) -> None:
    if not may_mark(user):
        raise ActionRefused("只有信息编辑或签发人可以标注密级。")
    if problem := confidentiality_problem(level, until):
        raise ActionRefused(problem)
    if until is not None and until <= clock.localdate():
        raise ActionRefused("保密期限须晚于今天。")


def do_mark_confidentiality(
    report: Report, user: User, *, level: str, until: datetime.date | None, note: str = ""
) -> bool:
    """Set or clear the 密级; returns False (and writes nothing) when nothing changes."""
    until = until if level else None
    check_marking(user, level, until)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        before = marking_label(locked.confidentiality, locked.confidential_until)
        if (locked.confidentiality, locked.confidential_until) == (level, until):
            return False
        locked.confidentiality, locked.confidential_until = level, until
        locked.save(update_fields=["confidentiality", "confidential_until", "updated_at"])
        after = marking_label(level, until)
        record(
            "mark_confidentiality",
            locked,
            actor=user,
            report_id=locked.pk,
            payload={
                "before": before or "普通",
                "after": level,
                "until": until.isoformat() if until else None,
                "change": f"{before or '普通'} → {after or '普通'}",
                "note": note.strip()[:200],
            },
        )
    report.confidentiality, report.confidential_until = level, until
    return True


def download_facts(report: Report) -> dict[str, str]:
    """What a download event of a marked report adds to its payload; nothing when unmarked."""
    if not report.is_confidential:
        return {}
    return {
        "confidentiality": report.confidentiality,
        "marking": marking_label(report.confidentiality, report.confidential_until),
    }


def report_download_facts(obj: object, report_id: int | None) -> dict[str, str]:
    """The ``audit.trail`` hook: a download of a marked report (or its attachment) says so."""
    if report_id is None:
        return {}
    report = obj if isinstance(obj, Report) and obj.pk == report_id else None
    if report is None:
        report = Report.objects.only("confidentiality", "confidential_until").get(pk=report_id)
    return download_facts(report)


def marked_labels(reports: Iterable[Report]) -> list[str]:
    """ "2026-0012 秘密（至…）" for each marked report: what an issue's download records."""
    return [
        f"{r.serial or r.pk} {marking_label(r.confidentiality, r.confidential_until)}"
        for r in reports
        if r.is_confidential
    ]


def marked_rows(count: int) -> dict[str, int]:
    """An export holding marked (内部/秘密) reports says how many: nothing when none."""
    return {"marked_rows": count} if count else {}
