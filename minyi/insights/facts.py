"""Keep ``ReportFact`` in step with the reports: the ``report_facts`` consumer.

Each event that may change what a figure counts about a report (a move, a change of
unit, category, urgency or authors, a forwarding, an adoption, a 批示) recomputes that
report's row from its current data; a merge recomputes the composite or original it
went into too (it gained bylines). Idempotent: a row is replaced whole, so handling
an event twice leaves the same row. ``recompute_all`` rebuilds every row in one pass
(the migration that added the table, ``manage.py rebuild_report_facts``, a bulk load).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from minyi.audit import consumers
from minyi.audit.consumers import register
from minyi.audit.models import ConsumerCursor, Event
from minyi.audit.verbs import Verb
from minyi.core import clock
from minyi.core.dbstats import analyze, refresh_if_stale
from minyi.core.rows import insert_objects
from minyi.insights.models import ReportFact
from minyi.outcomes.models import Adoption, Forwarding, Instruction
from minyi.reports.models import Report, ReportAuthor
from minyi.reports.workflow import ACTION_VERBS

CONSUMER = "report_facts"
#: Verbs whose event marks the moment a report went out.
OUT_VERBS = (Verb.PUBLISH, Verb.SEND_DIRECTLY)
#: Every verb after which a report's row may differ. Text edits, claims and
#: attachments change nothing a figure counts.
FACT_VERBS = frozenset(
    ACTION_VERBS
    | {
        Verb.CREATE,
        Verb.COMPOSE,
        Verb.IMPORT_MESSAGE,
        Verb.EDIT_DETAILS,
        Verb.RECATEGORIZE,
        Verb.FORWARD,
        Verb.ADOPT,
        Verb.NOT_ADOPTED,
        Verb.RECALL,
        Verb.INSTRUCT,
    }
)
#: Reports recomputed per pass, so a rebuild of the whole archive stays in memory.
CHUNK = 2000
#: Rows written in one batch from which it counts as a bulk write (analyse the table).
BULK_BATCH = 1000
REPORT_FIELDS = (
    "id",
    "submitted_at",
    "state",
    "submitting_unit_id",
    "category_id",
    "urgency",
    "is_composite",
    "merged_into_id",
    "duplicate_of_id",
)


def _reports_having(model: Any, path: str, ids: list[int]) -> set[int]:
    return set(model.objects.filter(**{f"{path}__in": ids}).values_list(path, flat=True))


def _first_out(ids: list[int]) -> dict[int, Any]:
    """Each report's first 编发/直报 event time (by id, as the log orders them)."""
    found: dict[int, Any] = {}
    events = Event.objects.filter(report_id__in=ids, verb__in=OUT_VERBS).order_by("id")
    for report_id, created_at in events.values_list("report_id", "created_at"):
        found.setdefault(report_id, created_at)
    return found


def rows_for(ids: list[int]) -> list[ReportFact]:
    """The fact rows of these reports from their current data (none if never submitted)."""
    reports = Report.objects.filter(pk__in=ids, submitted_at__isnull=False).order_by()
    leads = dict(
        ReportAuthor.objects.filter(report_id__in=ids, position=0).values_list(
            "report_id", "member_id"
        )
    )
    forwarded = _reports_having(Forwarding, "report_id", ids)
    adopted = _reports_having(Adoption, "forwarding__report_id", ids)
    instructed = _reports_having(Instruction, "forwarding__report_id", ids)
    out_at = _first_out(ids)
    rows = []
    for row in reports.values_list(*REPORT_FIELDS):
        pk, submitted_at, state, unit_id, category_id, urgency, composite, into, duplicate = row
        went_out = out_at.get(pk)
        rows.append(
            ReportFact(
                report_id=pk,
                submitted_at=submitted_at,
                month=timezone.localtime(submitted_at).date().replace(day=1),
                state=state,
                submitting_unit_id=unit_id,
                category_id=category_id,
                lead_member_id=leads.get(pk),
                credit_to_id=None if duplicate else into,
                urgency=urgency,
                is_composite=composite,
                forwarded=pk in forwarded,
                adopted=pk in adopted,
                instructed=pk in instructed,
                days_to_out=(went_out - submitted_at).total_seconds() / 86400 if went_out else None,
            )
        )
    return rows


def recompute(report_ids: Iterable[int]) -> int:
    """Rewrite the fact rows of these reports; return the rows written."""
    ids = sorted(set(report_ids))
    written = 0
    for begin in range(0, len(ids), CHUNK):
        chunk = ids[begin : begin + CHUNK]
        rows = rows_for(chunk)
        with transaction.atomic():
            ReportFact.objects.filter(report_id__in=chunk).delete()
            insert_objects(ReportFact, rows)
        written += len(rows)
    return written


def _with_targets(report_ids: set[int]) -> set[int]:
    """The reports and the composites or originals they were merged into (new bylines)."""
    targets = Report.objects.filter(pk__in=report_ids).values_list(
        "merged_into_id", "duplicate_of_id"
    )
    return report_ids | {pk for pair in targets for pk in pair if pk}


@register(CONSUMER, label="统计事实表", verbs=FACT_VERBS, batch_size=2000)
def fact_events(events: list[Event]) -> None:
    written = recompute(_with_targets({event.report_id for event in events if event.report_id}))
    if written >= BULK_BATCH:
        # A bulk write is being caught up (a historical import): let the planner see it.
        refresh_if_stale([ReportFact])


def recompute_all() -> int:
    """Every report's row from scratch, and the consumer's cursor to the head of the log."""
    with transaction.atomic():
        head = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ReportFact.objects.all().delete()
        ids = Report.objects.filter(submitted_at__isnull=False).order_by("pk")
        written = recompute(ids.values_list("pk", flat=True))
        ConsumerCursor.objects.update_or_create(
            name=CONSUMER, defaults={"last_event_id": head, "updated_at": clock.now()}
        )
        analyze([ReportFact])  # A whole table rewritten: the planner's statistics with it.
    return written


def catch_up() -> None:
    """Apply what the log says before the dashboard reads the table (a cheap check when current).

    The nudge after each action normally did this already; this covers a worker that
    is behind, and tests, whose transactions never commit.
    """
    consumers.drain(consumers.get(CONSUMER))
