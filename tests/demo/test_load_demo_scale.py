"""manage.py load_demo --scale N: years of archive from bulk copies of the demo year."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import ExtractYear

from minyi.audit.consumers import drain, get, statuses
from minyi.audit.models import ConsumerCursor, verify_chain
from minyi.bulletins.models import Issue
from minyi.deadlines.models import CalendarOverride, ReportClock
from minyi.deadlines.sla import clock_for
from minyi.notify.authors import TOLD_VERBS
from minyi.notify.models import Notification
from minyi.outcomes.models import Adoption, Instruction
from minyi.reports.models import Report, State
from minyi.scoring.models import Score
from minyi.search.models import ReportDocument

# The loader commits day by day and drains the consumers after commit.
pytestmark = pytest.mark.django_db(transaction=True)

N = 400


@pytest.fixture
def loaded(tmp_path):
    out = io.StringIO()
    timings = tmp_path / "timings.json"
    call_command("load_demo", "--small", "--scale", str(N), "--timings", str(timings), stdout=out)
    return out.getvalue(), json.loads(timings.read_text(encoding="utf-8"))


def test_it_writes_n_reports_over_ten_years_through_the_bulk_paths(loaded):
    # One load for every check: each costs a database flush and a demo year.
    output, timings = loaded
    assert Report.objects.count() == N
    assert f"稿件共 {N} 篇" in output
    assert timings["rows"]["reports"] == N and timings["cores"] >= 1
    assert {"copies", "search_index", "report_clocks", "total"} <= set(timings["seconds"])
    _years_and_chain()
    _states_and_outcomes()
    _fresh_texts_and_serials()
    _stored_clocks()
    _feedback_as_the_consumer_writes_it()


def _years_and_chain() -> None:
    assert verify_chain() is None
    years = Report.objects.annotate(y=ExtractYear("created_at")).values("y").distinct()
    assert years.count() >= 5
    assert all(status.behind == 0 for status in statuses())


def _states_and_outcomes() -> None:
    states = set(Report.objects.values_list("state", flat=True))
    assert states == {s.value for s in State}
    assert Adoption.objects.count() > 0 and Instruction.objects.count() > 0
    assert Notification.objects.count() > 0 and Score.objects.count() > 0
    assert ReportDocument.objects.count() == N
    assert CalendarOverride.objects.exists()
    # Issues are numbered anew in each year they were copied to (the constraint refuses repeats).
    years = Issue.objects.values("year").annotate(n=Count("id"))
    assert years.count() >= 5
    # 总第N期 runs 1..N in each series with no gap or repeat, copies included.
    for code in ("zxxxzb", "sqmy", "xxkb"):
        numbered = Issue.objects.filter(bulletin__code=code, number__isnull=False)
        totals = sorted(numbered.values_list("cumulative_number", flat=True))
        assert totals == list(range(1, len(totals) + 1)), code


def _fresh_texts_and_serials() -> None:
    situations = list(Report.objects.values_list("situation", flat=True))
    # Copies are new words on the same topics, not the template's texts again.
    assert len(set(situations)) > 0.95 * len(situations)
    serials = [s for s in Report.objects.values_list("serial", flat=True) if s]
    assert len(serials) == len(set(serials))


def _stored_clocks() -> None:
    for report in Report.objects.order_by("?")[:60]:
        latest = {c.stage: (c.due_at, c.finished_at) for c in clock_for(report)}
        stored = {
            row.stage: (row.due_at, row.finished_at)
            for row in ReportClock.objects.filter(report=report)
        }
        assert stored == latest, report.pk


def _feedback_as_the_consumer_writes_it() -> None:
    """The bulk feedback goes to whom the author_feedback consumer tells, event by event.

    Messages are left out: a replayed template event names the report's title of its
    day, a drain now names today's (the office edits titles).
    """
    # Other consumers tell staff of other verbs (urgent submissions, take-overs).
    told = Notification.objects.exclude(event_id=None).filter(verb__in=TOLD_VERBS)
    bulk = set(told.values_list("user_id", "event_id", "verb", "kind", "url"))
    assert len(bulk) > 100
    told.delete()
    ConsumerCursor.objects.filter(name="author_feedback").update(last_event_id=0)
    drain(get("author_feedback"), force=True, max_batches=100_000)
    assert set(told.values_list("user_id", "event_id", "verb", "kind", "url")) == bulk
