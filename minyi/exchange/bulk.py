"""Write many submitted reports at once, leaving exactly the rows the actions would.

``do_create_report`` + ``do_submit`` cost about 15 queries per report, so 10,000
historical reports took a minute and a half. This writes the same things — the
report (state 已报送, numbered), its authors, its first revision (初稿), and a
``create`` then ``submit`` event per report through ``audit.record_many`` — with a
few bulk queries per chunk. What follows from those events is the consumers' work,
as for a single action: the search index (``search.indexing``) indexes the new
reports and the points ledger (``scoring.ledger``) counts their submissions.

Rows go in through ``core.rows.insert_objects`` (COPY on PostgreSQL, batched
``executemany`` on SQLite) rather than ``bulk_create``: compiling bulk_create's
multi-row statements and adapting every value through the ORM took more time than
the database spent storing the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from minyi.audit.models import Entry, record_many
from minyi.audit.verbs import Verb
from minyi.core import clock
from minyi.core.models import Counter, next_number
from minyi.core.rows import insert_objects
from minyi.reports.models import Report, ReportAuthor, Revision, State, Urgency

if TYPE_CHECKING:
    from minyi.people.models import User

TEXT_KEYS = ("title", "situation", "analysis", "suggestions")
SUBMITTED_AT_HOUR = dt.time(9)  # A date-only 报送日期 is taken as the start of the working day.


def submitted_at(day: str | None, now: dt.datetime) -> dt.datetime:
    if not day:
        return now
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), SUBMITTED_AT_HOUR))


def _serials(count: int) -> list[str]:
    """``count`` consecutive report serials, taken under the counter's row lock."""
    year = clock.localdate().year
    first = next_number("report", year)  # Locks the row until our transaction ends.
    if count > 1:
        Counter.objects.filter(key="report", year=year).update(last=F("last") + count - 1)
    return [f"{year}-{first + i:04d}" for i in range(count)]


def _reports(entries: Sequence[dict[str, Any]], user: User, now: dt.datetime) -> list[Report]:
    serials = _serials(len(entries))
    return [
        Report(
            **{k: e["values"][k] for k in TEXT_KEYS},
            serial=serial,
            informant=e["informant"],
            submitting_unit_id=e["unit_id"],
            category_id=e["category_id"],
            urgency=e.get("urgency", Urgency.ROUTINE),
            state=State.SUBMITTED,
            revision_number=1,
            original_revision_number=1,
            created_by=user,
            created_at=now,
            submitted_at=submitted_at(e["date"], now),
            state_changed_at=now,
        )
        for e, serial in zip(entries, serials, strict=True)
    ]


def _save_reports(reports: Sequence[Report], now: dt.datetime) -> None:
    """Insert the reports and set their primary keys.

    ``executemany`` returns no ids, so they are read back by serial: the serials were
    just taken under the counter lock, and ``created_at`` pins them to this insert.
    """
    insert_objects(Report, reports)
    by_serial = dict(
        Report.objects.filter(serial__in=[r.serial for r in reports], created_at=now).values_list(
            "serial", "pk"
        )
    )
    if len(by_serial) != len(reports):
        raise RuntimeError("imported reports could not be read back by serial")
    for report in reports:
        report.pk = by_serial[report.serial]
        report._state.adding = False


def _entries(reports: Sequence[Report], job_id: int) -> Iterator[Entry]:
    """create + submit per report, with the payloads the actions write."""
    submit = {"from": State.DRAFT.value, "to": State.SUBMITTED.value, "note": "", "revision": 1}
    for report in reports:
        yield Entry(Verb.CREATE, report, {"title": report.title, "import_job": job_id}, report.pk)
        yield Entry(Verb.SUBMIT, report, dict(submit), report.pk)


def create_submitted(entries: Sequence[dict[str, Any]], user: User, *, job_id: int) -> list[int]:
    """Create one submitted report per planned entry, all or none; return their ids."""
    if not entries:
        return []
    now = clock.now()
    with transaction.atomic():
        reports = _reports(entries, user, now)
        _save_reports(reports, now)
        insert_objects(
            ReportAuthor,
            [
                ReportAuthor(report=r, member_id=m, position=i)
                for r, e in zip(reports, entries, strict=True)
                for i, m in enumerate(e["author_ids"])
            ],
        )
        insert_objects(
            Revision,
            [
                Revision(
                    report=r, number=1, author=user, note="初稿", created_at=now, **r.text_fields()
                )
                for r in reports
            ],
        )
        record_many(_entries(reports, job_id), actor=user, created_at=now)
    return [r.pk for r in reports]
