"""Write imported archive rows as historical reports (历史): their own dates, year and fate.

An archive row is not live work. Each report keeps the row's 报送日期 as its created and
submitted time, takes its serial from that year's counter (``core.models.next_number``),
is marked ``is_historical`` and ends in the state the row names (已编发/已直报/不予采用).
Its outcomes (the recipient that adopted it, the adoption's kind and carrier, a 批示) are
written as the outcome records the outcomes pages read.

Every event written here is dated when the thing happened and carries
``payload["historical"] = True``: the consumers that make live work of an event (points,
author and staff notifications) skip it, and ``deadlines.clocks`` never times a
historical report. A past year's points include these reports only when an admin
recomputes that year (``manage.py recompute_scores YEAR`` or saving the year's rules), which
projects the year from the event log, where these events sit at their own dates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from minyi.audit.models import Entry, record_many
from minyi.audit.verbs import Verb
from minyi.core.models import Counter, next_number
from minyi.core.rows import insert_objects
from minyi.outcomes.models import (
    Adoption,
    AdoptionKind,
    Forwarding,
    ForwardingState,
    Instruction,
    InstructionLevel,
    Recipient,
)
from minyi.reports.models import Report, ReportAuthor, Revision, State, Urgency

if TYPE_CHECKING:
    from minyi.people.models import User

TEXT_KEYS = ("title", "situation", "analysis", "suggestions")
AT_HOUR = dt.time(9)  # A date-only 报送日期 is taken as the start of the working day.
HISTORICAL = {"historical": True}
#: The verb that moved a report into each archive state (after create and submit).
STATE_VERBS: dict[str, Verb] = {
    State.PUBLISHED: Verb.PUBLISH,
    State.SENT_DIRECTLY: Verb.SEND_DIRECTLY,
    State.DECLINED: Verb.DECLINE,
}


def at(day: str | dt.date) -> dt.datetime:
    date = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return timezone.make_aware(dt.datetime.combine(date, AT_HOUR))


def _serials(years: Sequence[int]) -> list[str]:
    """One serial per entry from its own year's counter, taken under the counter's row lock."""
    wanted: dict[int, int] = defaultdict(int)
    for year in years:
        wanted[year] += 1
    first: dict[int, int] = {}
    for year in sorted(wanted):  # A fixed order, so two imports never lock in opposite order.
        first[year] = next_number("report", year)
        if wanted[year] > 1:
            Counter.objects.filter(key="report", year=year).update(
                last=F("last") + wanted[year] - 1
            )
    serials = []
    for year in years:
        serials.append(f"{year}-{first[year]:04d}")
        first[year] += 1
    return serials


def _reports(entries: Sequence[dict[str, Any]], user: User) -> list[Report]:
    serials = _serials([dt.date.fromisoformat(e["date"]).year for e in entries])
    reports = []
    for entry, serial in zip(entries, serials, strict=True):
        when = at(entry["date"])
        reports.append(
            Report(
                **{k: entry["values"][k] for k in TEXT_KEYS},
                serial=serial,
                informant=entry["informant"],
                submitting_unit_id=entry["unit_id"],
                category_id=entry["category_id"],
                urgency=entry.get("urgency", Urgency.ROUTINE),
                state=entry["state"],
                is_historical=True,
                revision_number=1,
                original_revision_number=1,
                created_by=user,
                created_at=when,
                submitted_at=when,
                state_changed_at=when,
            )
        )
    return reports


def _save_reports(reports: Sequence[Report]) -> None:
    """Insert and read the ids back by serial: just taken under the counters' locks, unique."""
    insert_objects(Report, reports)
    by_serial = dict(
        Report.objects.filter(
            serial__in=[r.serial for r in reports], is_historical=True
        ).values_list("serial", "pk")
    )
    if len(by_serial) != len(reports):
        raise RuntimeError("imported reports could not be read back by serial")
    for report in reports:
        report.pk = by_serial[report.serial]
        report._state.adding = False


def _report_entries(report: Report, job_id: int) -> Iterator[Entry]:
    when = report.created_at
    create = {"title": report.title, "import_job": job_id, **HISTORICAL}
    yield Entry(Verb.CREATE, report, create, report.pk, created_at=when)
    submit = {"from": State.DRAFT.value, "to": State.SUBMITTED.value, "revision": 1}
    yield Entry(Verb.SUBMIT, report, {**submit, **HISTORICAL}, report.pk, created_at=when)
    verb = STATE_VERBS[report.state]
    move = {"from": State.SUBMITTED.value, "to": report.state, **HISTORICAL}
    yield Entry(verb, report, move, report.pk, created_at=when)


def _outcomes(
    report: Report, entry: dict[str, Any], user: User, recipients: dict[int, Recipient]
) -> Iterator[Entry]:
    """The row's adoption and 批示 as outcome records, and their events at their own dates."""
    outcome = entry.get("outcome") or {}
    if not outcome.get("recipient_id"):
        return
    recipient = recipients[outcome["recipient_id"]]
    forwarding = Forwarding.objects.create(
        report=report,
        recipient=recipient,
        state=ForwardingState.ADOPTED,
        forwarded_at=report.submitted_at,
        forwarded_by=user,
        note="历史导入",
    )
    base = {"recipient": recipient.name, **HISTORICAL}
    yield Entry(Verb.FORWARD, forwarding, base, report.pk, created_at=report.submitted_at)
    adopted_on = dt.date.fromisoformat(outcome["adopted_on"])
    kind = outcome["adoption_kind"]
    Adoption.objects.create(
        forwarding=forwarding,
        kind=kind,
        carrier=outcome.get("carrier", "")[:100],
        adopted_on=adopted_on,
        recorded_by=user,
    )
    adopt = {
        "kind": AdoptionKind(kind).label,
        "code": kind,
        "carrier": outcome.get("carrier", ""),
        "adopted_on": adopted_on.isoformat(),
    }
    yield Entry(Verb.ADOPT, forwarding, {**base, **adopt}, report.pk, created_at=at(adopted_on))
    if outcome.get("instruction_level"):
        yield _instruction(report, forwarding, outcome, user, base)


def _instruction(
    report: Report, forwarding: Forwarding, outcome: dict[str, Any], user: User, base: dict
) -> Entry:
    level = outcome["instruction_level"]
    day = dt.date.fromisoformat(outcome["instructed_on"])
    Instruction.objects.create(
        forwarding=forwarding,
        leader_name=outcome["leader"][:50],
        level=level,
        text=outcome["instruction_text"],
        instructed_on=day,
        recorded_by=user,
    )
    payload = {
        "leader": outcome["leader"],
        "level": InstructionLevel(level).label,
        "code": level,
        "instructed_on": day.isoformat(),
    }
    return Entry(Verb.INSTRUCT, forwarding, {**base, **payload}, report.pk, created_at=at(day))


def create_historical(entries: Sequence[dict[str, Any]], user: User, *, job_id: int) -> list[int]:
    """Create one historical report (with its outcomes) per planned entry, all or none."""
    if not entries:
        return []
    with transaction.atomic():
        reports = _reports(entries, user)
        _save_reports(reports)
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
                    report=r,
                    number=1,
                    author=user,
                    note="历史导入",
                    created_at=r.created_at,
                    **r.text_fields(),
                )
                for r in reports
            ],
        )
        ids = {(e.get("outcome") or {}).get("recipient_id") for e in entries} - {None}
        recipients = Recipient.objects.in_bulk(ids)
        events: list[Entry] = []
        for report, entry in zip(reports, entries, strict=True):
            events.extend(_report_entries(report, job_id))
            events.extend(_outcomes(report, entry, user, recipients))
        record_many(events, actor=user)
    return [r.pk for r in reports]
