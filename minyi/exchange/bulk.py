"""Write many submitted reports at once, leaving exactly the rows the actions would.

``do_create_report`` + ``do_submit`` cost about 15 queries per report, so 10,000
historical reports took a minute and a half. This writes the same things — the
report (state 已报送, numbered), its authors, its first revision (初稿), its
search document and band keys, and a ``create`` then ``submit`` event per report
in one unbroken hash chain — with a few bulk queries per chunk. Feedback is not
queued: submitting tells authors nothing (``notify.feedback`` has no ``submit``).

Rows go in through ``insert_rows`` (``core.rows``: COPY on PostgreSQL, batched
``executemany`` on SQLite) rather than ``bulk_create``: compiling bulk_create's
multi-row statements and adapting every value through the ORM took more time than
the database spent storing the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from minyi.audit.models import ChainHead, Event
from minyi.core import clock
from minyi.core.models import Counter, next_number
from minyi.core.rows import insert_plain_rows
from minyi.reports.models import Report, ReportAuthor, Revision, State, Urgency
from minyi.search.backends import document_for
from minyi.search.models import ReportDocument
from minyi.search.similar import report_text, save_bands

if TYPE_CHECKING:
    from minyi.people.models import User

TEXT_KEYS = ("title", "situation", "analysis", "suggestions")
SUBMITTED_AT_HOUR = dt.time(9)  # A date-only 报送日期 is taken as the start of the working day.


def submitted_at(day: str | None, now: dt.datetime) -> dt.datetime:
    if not day:
        return now
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), SUBMITTED_AT_HOUR))


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    """The field's own value-to-database conversion, remembered per distinct value.

    Most columns of an import repeat one value (the shared timestamp, the state, the
    user): those are converted once. Strings are passed through the field every time,
    since each text is different and a memo of them would only grow.
    """
    memo: dict[tuple[type, Any], Any] = {}

    def adapt(value: Any) -> Any:
        if isinstance(value, str) or not isinstance(value, Hashable):
            return field.get_db_prep_save(value, connection)
        key = (type(value), value)  # The type too: True == 1, but not as a column value.
        if key not in memo:
            memo[key] = field.get_db_prep_save(value, connection)
        return memo[key]

    return adapt


def insert_rows(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT unsaved ``objs`` as plain rows: the rows ``bulk_create`` writes.

    Values come from ``pre_save`` (so ``auto_now`` fields are filled) and the field's
    own conversion, as in ``bulk_create``; ``core.rows`` sends them (COPY on
    PostgreSQL). Auto primary keys are left to the database and not set on ``objs``;
    no signals are sent (bulk_create sends none either).
    """
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    adapters = [_adapter(f) for f in fields]
    rows = (
        tuple(adapt(f.pre_save(obj, True)) for f, adapt in zip(fields, adapters, strict=True))
        for obj in objs
    )
    insert_plain_rows(model._meta.db_table, [f.column for f in fields], rows)


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
    insert_rows(Report, reports)
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


def _events(
    reports: Sequence[Report], user: User, ip: str | None, now: dt.datetime, job_id: int
) -> list[Event]:
    """create + submit per report, payloads as the actions write them, chained in order."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    events, prev = [], head.last_hash
    submit = {"from": State.DRAFT.value, "to": State.SUBMITTED.value, "note": "", "revision": 1}
    for report in reports:
        # Plain str and int values: these payloads are already what JSON reads back,
        # so record()'s round-trip through the encoder is not needed for the hash.
        for verb, payload in (
            ("create", {"title": report.title, "import_job": job_id}),
            ("submit", dict(submit)),
        ):
            event = Event(
                created_at=now,
                actor=user,
                verb=verb,
                object_type=Report._meta.label_lower,
                object_id=str(report.pk),
                report_id=report.pk,
                payload=payload,
                ip=ip,
                prev_hash=prev,
            )
            event.hash = prev = event.compute_hash()
            events.append(event)
    head.last_hash = prev
    head.save(update_fields=["last_hash"])
    return events


def create_submitted(
    entries: Sequence[dict[str, Any]], user: User, *, job_id: int, ip: str | None = None
) -> list[int]:
    """Create one submitted report per planned entry, all or none; return their ids."""
    if not entries:
        return []
    now = clock.now()
    with transaction.atomic():
        reports = _reports(entries, user, now)
        _save_reports(reports, now)
        insert_rows(
            ReportAuthor,
            [
                ReportAuthor(report=r, member_id=m, position=i)
                for r, e in zip(reports, entries, strict=True)
                for i, m in enumerate(e["author_ids"])
            ],
        )
        insert_rows(
            Revision,
            [
                Revision(
                    report=r, number=1, author=user, note="初稿", created_at=now, **r.text_fields()
                )
                for r in reports
            ],
        )
        insert_rows(ReportDocument, [document_for(r) for r in reports])
        save_bands([r.pk for r in reports], [report_text(r) for r in reports])
        # Inserted in list order, so ids ascend along the chain as verify_chain reads it.
        insert_rows(Event, _events(reports, user, ip, now, job_id))
    return [r.pk for r in reports]
