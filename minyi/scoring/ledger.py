"""Feed the projection from the database and write its rows: recompute and incremental update.

Both paths load with a handful of set-based queries, call the same pure
``project()`` and write with one ``executemany``; there is no per-member loop
of queries. The incremental path is the ``points_ledger`` consumer of the event
log (``project_events``): it sees only committed events, so a refused or
rolled-back action never touches the ledger, and a bulk import's events reach it
the same way as a single action's. Both paths rebuild the yearly totals the rankings
read (``totals``) of the members and units whose rows they replaced, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import ExtractYear
from django.utils import timezone

from minyi.audit.consumers import register
from minyi.audit.models import Event
from minyi.audit.verbs import ACCESS_VERBS, Verb
from minyi.core.rows import insert_plain_rows
from minyi.duties.models import EARNING_STATES, Commission
from minyi.outcomes.models import Forwarding
from minyi.reports.models import Report, ReportAuthor
from minyi.scoring import totals
from minyi.scoring.models import Campaign, Correction, Score, ScoreRuleSet
from minyi.scoring.projection import (
    SCORING_VERBS,
    CampaignIn,
    CorrectionIn,
    EventIn,
    ReportIn,
    Row,
    RuleBook,
    project,
)

V = Verb
#: What each verb does to the ledger, one by one (a new verb must be placed here;
#: ``tests/audit/test_verbs.py``): it ``earns`` points (the rule table prices it),
#: it ``credits`` authors on another report or changes authors or unit, so every
#: year the report earned in is projected again, it ``corrects`` a member's points
#: by an admin's hand, or None: it does not touch the ledger.
LEDGER_EFFECTS: dict[Verb, str | None] = {
    **dict.fromkeys(SCORING_VERBS, "earns"),
    V.MERGE: "credits",
    V.COMPOSE: "credits",
    V.EDIT_DETAILS: "credits",
    V.SCORE_CORRECT: "corrects",
    # A cancelled commission takes back its report's 约稿加分 in every year it earned.
    V.COMMISSION_CANCEL: "credits",
    # Usually the bonus rides on the report's own ``submit``; but a report written on the
    # topic is tied to its commission only as it is delivered, so delivery re-projects it.
    V.COMMISSION_DELIVER: "credits",
    # 已接受 and 已交稿 both earn; the report's own ``withdraw`` takes the bonus back.
    V.COMMISSION_UNDELIVER: None,
    **dict.fromkeys(
        (
            V.CREATE,
            V.RESUBMIT,  # Points count the first submission only.
            V.RETURN,
            V.ACCEPT,
            V.DECLINE,
            V.EDIT,
            V.RECATEGORIZE,
            V.MARK_CONFIDENTIALITY,
            V.SEND_FOR_SIGN_OFF,
            V.SIGN_OFF,
            V.REJECT_SIGN_OFF,
            V.CLAIM,
            V.RELEASE,
            V.TAKE_OVER,
            V.CHASE,
            V.ATTACH,
            V.REMOVE_ATTACHMENT,
            V.IMPORT_MESSAGE,
            V.FORWARD,  # Sending on earns nothing until the recipient adopts.
            V.NOT_ADOPTED,
            V.RECALL,  # A recalled forwarding had earned nothing (not adopted yet).
            V.CREATE_ISSUE,
            V.COMPOSE_ISSUE,
            V.SEND_ISSUE_FOR_SIGN_OFF,
            V.REJECT_ISSUE,
            V.SIGN_OFF_ISSUE,  # Its items' own ``publish`` events carry the points.
            V.APPROVE_ISSUE_STEP,
            V.DELETE_ISSUE,
            V.CORRECT_ISSUE,  # A correction re-issues; the items keep their points.
            V.VOID_ISSUE,
            V.SCORE_RULES_CHANGE,  # A new rule set is applied by ``recompute_scores``.
            V.SCORE_OBJECTION,
            V.SCORE_OBJECTION_RESOLVE,  # Its outcome is a ``score_correct``.
            V.CAMPAIGN_SAVE,
            V.NOTICE_CONFIRM,
            V.RATING_REVIEW,  # A band in the notice, not points.
            V.NOTICE_PUBLISH,
            V.TOPIC_SAVE,
            V.COMMISSION_OFFER,
            V.COMMISSION_ACCEPT,
            V.COMMISSION_DECLINE,
            V.TERM_CHANGE,
            V.OFFICER_APPOINT,
            V.OFFICER_REMOVE,
            V.COMMISSION_DUE,
            V.IMPORT_ROSTER,
            V.IMPORT_REPORTS,  # Each imported report has its own ``submit``.
            V.DEADLINE_NEAR,
            V.DEADLINE_PASSED,
            V.FEEDBACK_OVERDUE,
        ),
        None,
    ),
    **dict.fromkeys(ACCESS_VERBS, None),
}
TRIGGER_VERBS = frozenset(verb for verb, effect in LEDGER_EFFECTS.items() if effect)
AUTHOR_VERBS = frozenset(verb for verb, effect in LEDGER_EFFECTS.items() if effect == "credits")
COLUMNS = (
    "year",
    "member_id",
    "unit_id",
    "report_id",
    "event_id",
    "ruleset_id",
    "rule_id",
    "campaign_id",
    "kind",
    "level",
    "base",
    "share",
    "points",
    "note",
)
BATCH = 5000
#: Past this many reports touched in one year, a refresh recomputes the whole year.
RECOMPUTE_OVER = 1000
LARGE_CACHE_KIB = 256 * 1024


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year in local time (a report sent at 23:30 on 31 December belongs to that year)."""
    zone = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def event_year(created_at: dt.datetime) -> int:
    return timezone.localtime(created_at).year


def load_book(year: int) -> RuleBook | None:
    ruleset = ScoreRuleSet.objects.current(year)
    if ruleset is None:
        return None
    return RuleBook(
        ruleset_id=ruleset.pk,
        rules={(r.kind, r.level): (r.pk, r.points) for r in ruleset.rules.all()},
        highest_level_only=ruleset.highest_level_only,
        lead_share=ruleset.lead_share,
        item_cap=ruleset.item_cap,
        year_cap=ruleset.year_cap,
        combined_factor=ruleset.combined_factor,
        transfer_factor=ruleset.transfer_factor,
        urgent_within_days=ruleset.urgent_within_days,
    )


@dataclass
class Inputs:
    events: list[EventIn]
    reports: dict[int, ReportIn]
    campaigns: list[CampaignIn]
    corrections: list[CorrectionIn]
    submitted_before: set[int]

    def project(self, book: RuleBook) -> list[Row]:
        """Price these inputs under ``book`` (the pure single pass of ``projection``)."""
        return project(
            book,
            self.events,
            self.reports,
            campaigns=self.campaigns,
            corrections=self.corrections,
            submitted_before=self.submitted_before,
        )


def _year_events(year: int) -> QuerySet[Event]:
    start, end = year_bounds(year)
    return Event.objects.filter(
        created_at__gte=start, created_at__lt=end, verb__in=SCORING_VERBS, report_id__isnull=False
    )


def load_inputs(
    year: int, report_ids: set[int] | None = None, members: set[int] | None = None
) -> Inputs:
    """Everything ``project()`` needs for a year, for some reports (or all: ``None``)."""
    events_qs = _year_events(year)
    reports_qs = Report.objects.all()
    forwardings = Forwarding.objects.all()
    before = Event.objects.filter(
        verb__in=("submit", "withdraw"), created_at__lt=year_bounds(year)[0]
    )
    corrections = Correction.objects.filter(year=year, event__isnull=False)
    if report_ids is None:
        reports_qs = reports_qs.filter(id__in=events_qs.values("report_id"))
        forwardings = forwardings.filter(report_id__in=events_qs.values("report_id"))
    else:
        events_qs = events_qs.filter(report_id__in=report_ids)
        reports_qs = reports_qs.filter(id__in=report_ids)
        forwardings = forwardings.filter(report_id__in=report_ids)
        before = before.filter(report_id__in=report_ids)
        corrections = corrections.filter(member_id__in=members or ())
    return Inputs(
        events=_events(events_qs, dict(forwardings.values_list("id", "recipient__level"))),
        reports=_reports(reports_qs),
        campaigns=_campaigns(),
        corrections=[
            CorrectionIn(event_id, member_id, points, reason)
            for event_id, member_id, points, reason in corrections.order_by("event_id").values_list(
                "event_id", "member_id", "points", "reason"
            )
        ],
        submitted_before=_standing(before),
    )


def _standing(before: QuerySet[Event]) -> set[int]:
    """Reports submitted before the year and not withdrawn since: they score no new submission."""
    standing: set[int] = set()
    for report_id, verb in _raw(before.order_by("id").values_list("report_id", "verb")):
        if verb == "submit":
            standing.add(report_id)
        else:
            standing.discard(report_id)
    return standing


def _events(qs: QuerySet[Event], levels: dict[int, str]) -> list[EventIn]:
    zone = timezone.get_current_timezone()
    rows = (
        qs.annotate(code=KT("payload__code"), adopted=KT("payload__adopted_on"))
        .order_by("id")
        .values_list("id", "verb", "report_id", "object_id", "created_at", "code", "adopted")
    )
    found = []
    for pk, verb, report_id, object_id, created_at, code, adopted in _raw(rows):
        level = levels.get(int(object_id), "") if verb == "adopt" else ""
        adopted_on = dt.date.fromisoformat(adopted) if adopted else None
        day = _local_day(created_at, zone)
        found.append(EventIn(pk, verb, report_id, day, code or "", level, adopted_on))
    return found


def _reports(qs: QuerySet[Report]) -> dict[int, ReportIn]:
    zone = timezone.get_current_timezone()
    authors: dict[int, list[int]] = {}
    # An author credited from a merged source (综合稿) earns for the source's unit.
    author_units: dict[int, list[int | None]] = {}
    rows = (
        ReportAuthor.objects.filter(report__in=qs)
        .order_by("report_id", "position", "id")
        .values_list("report_id", "member_id", "via_report__submitting_unit_id")
    )
    for report_id, member_id, via_unit in _raw(rows):
        authors.setdefault(report_id, []).append(member_id)
        author_units.setdefault(report_id, []).append(via_unit)
    # Reports written for a commission the member accepted (and did not see cancelled).
    commissioned = set(
        Commission.objects.filter(report__in=qs, state__in=EARNING_STATES).values_list(
            "report_id", flat=True
        )
    )
    found = {}
    for pk, unit_id, urgency, submitted_at in _raw(
        qs.values_list("id", "submitting_unit_id", "urgency", "submitted_at")
    ):
        day = _local_day(submitted_at, zone) if submitted_at else None
        units = tuple(author_units.get(pk, ()))
        found[pk] = ReportIn(
            unit_id,
            urgency,
            day,
            tuple(authors.get(pk, ())),
            units if any(units) else (),
            pk in commissioned,
        )
    return found


def _raw(qs: QuerySet) -> Iterator[tuple]:
    """The rows of a ``values_list`` straight from the cursor, in batches.

    Django's per-value converters cost a third of the load at a million
    events, and the columns read here need none but the datetimes, which
    ``_local_day`` takes as they come. Annotations must be the last columns
    named: Django puts them after the model's in the SQL.
    """
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # e.g. ``id__in`` an empty set: the ORM would return no rows
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(BATCH):
            yield from chunk


def _local_day(value: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The local date of a stored time: SQLite gives naive UTC, PostgreSQL an aware datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(zone).date()


def _campaigns() -> list[CampaignIn]:
    units: dict[int, set[int]] = {}
    for campaign_id, unit_id in Campaign.objects.values_list("id", "quotas__unit_id"):
        units.setdefault(campaign_id, set())
        if unit_id:
            units[campaign_id].add(unit_id)
    return [
        CampaignIn(c.pk, c.kind, c.starts_on, c.ends_on, c.multiplier, frozenset(units[c.pk]))
        for c in Campaign.objects.all()
    ]


def write_rows(year: int, ruleset_id: int, rows: Iterable[Row]) -> int:
    """Insert ledger rows without model instances (COPY on PostgreSQL)."""
    values = (
        (year, r.member_id, r.unit_id, r.report_id, r.event_id, ruleset_id, r.rule_id)
        + (r.campaign_id, r.kind, r.level, r.base, r.share, r.points, r.note)
        for r in rows
    )
    return insert_plain_rows(Score._meta.db_table, COLUMNS, values)


def recompute_year(year: int) -> int:
    """Rebuild the year's ledger from the event log; return the number of rows."""
    with transaction.atomic(), _large_page_cache():
        Score.objects.filter(year=year).delete()
        book = load_book(year)
        written = 0
        if book is not None:
            written = write_rows(year, book.ruleset_id, load_inputs(year).project(book))
        # In the same transaction: the rankings never read totals of another ledger.
        totals.rebuild(year)
        return written


@contextmanager
def _large_page_cache() -> Iterator[None]:
    """On SQLite, give the rewrite of a whole year a page cache of up to 256 MiB.

    The default 2 MiB cannot hold the ledger's eleven indexes, so deleting and
    inserting hundreds of thousands of rows evicts and rereads the same pages;
    the larger cache cuts a third off the write at a million events. The old
    size comes back afterwards so the connection does not keep the memory.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (old,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-LARGE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(old)}")


def refresh(year: int, report_ids: set[int], member_ids: set[int] = frozenset()) -> int:  # type: ignore[assignment]
    """Re-project every member the given reports touch, from all their reports' events."""
    book = load_book(year)
    if book is None:
        return 0
    with transaction.atomic():
        members = set(member_ids)
        members.update(
            ReportAuthor.objects.filter(report_id__in=report_ids).values_list(
                "member_id", flat=True
            )
        )
        members.update(
            Score.objects.filter(
                year=year, report_id__in=report_ids, member__isnull=False
            ).values_list("member_id", flat=True)
        )
        reports = set(report_ids)
        reports.update(
            ReportAuthor.objects.filter(member_id__in=members).values_list("report_id", flat=True)
        )
        inputs = load_inputs(year, reports, members)
        rows = inputs.project(book)
        # Rows of co-authors outside ``members`` are partial (their other reports
        # were not loaded), so only the touched members' rows are replaced.
        keep = [
            r
            for r in rows
            if r.member_id in members or (r.member_id is None and r.report_id in report_ids)
        ]
        stale = Score.objects.filter(year=year).filter(
            Q(member_id__in=members) | Q(member__isnull=True, report_id__in=report_ids)
        )
        # The units of the rows replaced and of their replacements: a unit may lose a row.
        units = set(stale.order_by().values_list("unit_id", flat=True).distinct())
        units.update(r.unit_id for r in keep)
        stale.delete()
        written = write_rows(year, book.ruleset_id, keep)
        totals.rebuild(year, members, units)
        return written


def _scoring_years(report_ids: set[int]) -> set[int]:
    rows = (
        Event.objects.filter(report_id__in=report_ids, verb__in=SCORING_VERBS)
        .annotate(year=ExtractYear("created_at"))
        .values_list("year", flat=True)
        .distinct()
    )
    return set(rows)


def refresh_for_events(event_ids: list[int]) -> None:
    """The incremental update: find who the events touch and re-project just them."""
    touched: dict[int, tuple[set[int], set[int]]] = {}
    rows = Event.objects.filter(pk__in=event_ids, verb__in=TRIGGER_VERBS).values_list(
        "verb", "report_id", "object_id", "created_at", "payload"
    )
    for verb, report_id, object_id, created_at, payload in rows:
        if isinstance(payload, dict) and payload.get("historical"):
            # An archive import (exchange.archive): a past year's points change only when
            # the admin recomputes that year, which reads these events at their own dates.
            continue
        if verb == "score_correct":
            found = Correction.objects.filter(pk=object_id).values_list("year", "member_id")
            for year, member_id in found:
                touched.setdefault(year, (set(), set()))[1].add(member_id)
            continue
        ids = {report_id} if report_id else set()
        if isinstance(payload, dict) and isinstance(payload.get("into"), int):
            ids.add(payload["into"])
        # New bylines (a merge) or changed authors reach back to every year in
        # which the report earned points, not just the year of this event.
        years = {event_year(created_at)}
        if verb in AUTHOR_VERBS:
            years.update(_scoring_years(ids))
        for year in years:
            touched.setdefault(year, (set(), set()))[0].update(ids)
    for year, (reports, members) in touched.items():
        if len(reports) > RECOMPUTE_OVER:
            # A bulk import touches most members: one set-based pass over the year
            # beats re-projecting them member by member (same rows either way).
            recompute_year(year)
        else:
            refresh(year, reports, members)


@register("points_ledger", label="履职积分台账", verbs=TRIGGER_VERBS, batch_size=10_000)
def project_events(events: list[Event]) -> None:
    """The ledger's consumer of the event log: re-project whom the events touch.

    Idempotent: it recomputes the touched rows from the log rather than adding to them.
    """
    refresh_for_events([event.pk for event in events])
