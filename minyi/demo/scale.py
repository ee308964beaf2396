"""Ten years of archive in minutes: the demo year, copied back in time with fresh texts.

``manage.py load_demo --scale N`` first loads the ordinary demo (a year replayed
step by step, with about 3,000 members) as the template, then adds reports up to
N as copies of the template's settled histories (published, sent directly,
merged, declined, returned, withdrawn, drafts — the queues stay in the present).
Each copy is moved back a whole number of weeks, so weekdays and office hours stay
what they were, to somewhere in the ten years before now, and gets new texts
(``texts.write_report`` on the report's topic), new authors from the same unit,
new serials and new issue numbers.

Rows go in through the bulk writer (``core.rows``: COPY on PostgreSQL) with ids
assigned here, and the events through ``audit.record_many``, so the hash chain is
real and ``verify_events`` passes. What follows from the events is then done in
bulk rather than event by event (``project``): the search index is rebuilt, the
stored clocks and the dashboard's fact rows recomputed, the authors' notifications
written in bulk (``feedback``), and the points ledger is recomputed year by year by
``seed_scoring`` afterwards.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from minyi.audit import consumers
from minyi.audit.models import ConsumerCursor, Entry, Event, record_many
from minyi.bulletins.models import Issue, IssueItem, IssueRecipient
from minyi.core.models import Counter
from minyi.core.rows import insert_plain_rows
from minyi.deadlines.clocks import recompute_all
from minyi.deadlines.models import CalendarOverride
from minyi.demo import texts
from minyi.demo.feedback import tell_authors_in_bulk
from minyi.demo.loader import DemoSize
from minyi.demo.reference import build_categories
from minyi.insights.facts import recompute_all as recompute_report_facts
from minyi.outcomes.models import Adoption, Forwarding, Instruction
from minyi.people.models import Member
from minyi.reports.models import Report, ReportAuthor, Revision, State
from minyi.search.backends import rebuild_index

#: States a history can have ended in years ago; the queues stay in the template year.
SETTLED = frozenset(
    {
        State.DRAFT,
        State.WITHDRAWN,
        State.RETURNED,
        State.DECLINED,
        State.MERGED,
        State.PUBLISHED,
        State.SENT_DIRECTLY,
    }
)
#: The template year: the ordinary demo with a big city's membership.
TEMPLATE_SIZE = DemoSize(members=3000, officers=150, reports=600, issues=24)
#: Copies are moved back between one week and this many weeks (ten years).
SPAN_WEEKS = 520
#: Which id map each foreign key of a copied row goes through; other keys are kept
#: (units, categories, bulletins, recipients and staff are the same people and things).
REMAPS: dict[type[models.Model], dict[str, str]] = {
    Report: {"id": "report", "merged_into_id": "report", "duplicate_of_id": "report"},
    ReportAuthor: {"report_id": "report", "via_report_id": "report"},
    Revision: {"report_id": "report"},
    Issue: {"id": "issue"},
    IssueItem: {"issue_id": "issue", "report_id": "report"},
    IssueRecipient: {"issue_id": "issue"},
    Forwarding: {"id": "forwarding", "report_id": "report", "issue_id": "issue"},
    Adoption: {"forwarding_id": "forwarding"},
    Instruction: {"forwarding_id": "forwarding"},
}
#: The event objects copied with their report, and the id map of each.
EVENT_OBJECTS = {
    "reports.report": (Report, "report"),
    "bulletins.issue": (Issue, "issue"),
    "outcomes.forwarding": (Forwarding, "forwarding"),
}


class _Ref:
    """The two things ``record_many`` reads of an event's object (its label and pk).

    Half a million model instances would only be built to be read this way.
    """

    __slots__ = ("_meta", "pk")

    def __init__(self, model: type[models.Model], pk: int) -> None:
        self._meta, self.pk = model._meta, pk


@dataclass
class Template:
    """The template year's settled histories, as plain rows."""

    rows: dict[type[models.Model], list[dict[str, Any]]]
    events: list[dict[str, Any]]
    clusters: list[list[int]]

    @property
    def size(self) -> int:
        return len(self.rows[Report])


def _closed_set() -> tuple[set[int], set[int]]:
    """Settled reports whose every relation (merge, duplicate, issue, credit) is settled too."""
    keep = set(Report.objects.filter(state__in=SETTLED).values_list("pk", flat=True))
    links = list(Report.objects.values_list("pk", "merged_into_id", "duplicate_of_id"))
    credits = list(
        ReportAuthor.objects.exclude(via_report=None).values_list("report_id", "via_report_id")
    )
    items: dict[int, set[int]] = defaultdict(set)
    for issue_id, report_id in IssueItem.objects.values_list("issue_id", "report_id"):
        items[issue_id].add(report_id)
    while True:
        dropped = {
            pk for pk, *refs in links if pk in keep and any(r and r not in keep for r in refs)
        }
        dropped |= {pk for pk, via in credits if pk in keep and via not in keep}
        for members in items.values():
            if members - keep:
                dropped |= members & keep
        if not dropped:
            return keep, {i for i, members in items.items() if members <= keep}
        keep -= dropped


def _clusters(keep: set[int], rows: dict[type[models.Model], list[dict]]) -> list[list[int]]:
    """Reports that must be copied together (merged, duplicate, credited, in one issue)."""
    parent = {pk: pk for pk in keep}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    def join(a: int | None, b: int | None) -> None:
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    for row in rows[Report]:
        join(row["id"], row["merged_into_id"])
        join(row["id"], row["duplicate_of_id"])
    for row in rows[ReportAuthor]:
        join(row["report_id"], row["via_report_id"])
    first_of_issue: dict[int, int] = {}
    for row in rows[IssueItem]:
        join(row["report_id"], first_of_issue.setdefault(row["issue_id"], row["report_id"]))
    groups: dict[int, list[int]] = defaultdict(list)
    for pk in sorted(keep):
        groups[find(pk)].append(pk)
    return list(groups.values())


def load_template() -> Template:
    keep, issues = _closed_set()
    forwardings = set(
        Forwarding.objects.filter(report_id__in=keep)
        .exclude(
            issue_id__isnull=False,
            issue_id__in=set(Issue.objects.values_list("pk", flat=True)) - issues,
        )
        .values_list("pk", flat=True)
    )
    wanted = {"report": keep, "issue": issues, "forwarding": forwardings}
    rows = {
        Report: list(Report.objects.filter(pk__in=keep).order_by("pk").values()),
        ReportAuthor: list(ReportAuthor.objects.filter(report_id__in=keep).values()),
        Revision: list(Revision.objects.filter(report_id__in=keep).values()),
        Issue: list(Issue.objects.filter(pk__in=issues).values()),
        IssueItem: list(IssueItem.objects.filter(issue_id__in=issues).values()),
        IssueRecipient: list(IssueRecipient.objects.filter(issue_id__in=issues).values()),
        Forwarding: list(Forwarding.objects.filter(pk__in=forwardings).values()),
        Adoption: list(Adoption.objects.filter(forwarding_id__in=forwardings).values()),
        Instruction: list(Instruction.objects.filter(forwarding_id__in=forwardings).values()),
    }
    events = [
        e
        for e in Event.objects.filter(object_type__in=EVENT_OBJECTS)
        .order_by("id")
        .values(
            "object_type", "object_id", "verb", "report_id", "payload", "created_at", "actor_id"
        )
        if int(e["object_id"]) in wanted[EVENT_OBJECTS[e["object_type"]][1]]
    ]
    return Template(rows, events, _clusters(keep, rows))


def _time_fields(model: type[models.Model]) -> tuple[list[str], list[str]]:
    fields = model._meta.concrete_fields
    moments = [f.attname for f in fields if isinstance(f, models.DateTimeField)]
    days = [
        f.attname
        for f in fields
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
    ]
    return moments, days


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Plain rows with their ids, adapted by each field as ``bulk_create`` would."""
    fields = model._meta.concrete_fields
    values = (tuple(f.get_db_prep_save(row[f.attname], connection) for f in fields) for row in rows)
    insert_plain_rows(model._meta.db_table, [f.column for f in fields], values)


class Copier:
    """Writes shifted copies of the template; remembers ids, serials and issue numbers."""

    def __init__(self, template: Template, rng: random.Random) -> None:
        self.template, self.rng = template, rng
        self.next_id = {m: (m.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for m in REMAPS}
        self.serials = dict(Counter.objects.filter(key="report").values_list("year", "last"))
        self.numbers: dict[tuple[int, int], int] = {
            (row["bulletin_id"], row["year"]): row["top"]
            for row in Issue.objects.values("bulletin_id", "year").annotate(top=Max("number"))
            if row["top"]
        }
        #: 总第N期 per series, continued by the copies.
        self.totals: dict[int, int] = {
            row["bulletin_id"]: row["top"]
            for row in Issue.objects.values("bulletin_id").annotate(top=Max("cumulative_number"))
            if row["top"]
        }
        self.topics = {category.pk: topic for category, topic in build_categories()}
        self.unit_members: dict[int, list[int]] = defaultdict(list)
        through = Member.organizations.through.objects.values_list("organization_id", "member_id")
        for unit_id, member_id in through:
            self.unit_members[unit_id].append(member_id)
        self.times = {model: _time_fields(model) for model in REMAPS}
        self.written = 0

    def _ids(self, model: type[models.Model], old: Iterable[int]) -> dict[int, int]:
        start = self.next_id[model]
        mapping = {pk: start + i for i, pk in enumerate(sorted(old))}
        self.next_id[model] = start + len(mapping)
        return mapping

    def _shift(self, model: type[models.Model], row: dict[str, Any], back: dt.timedelta) -> None:
        moments, days = self.times[model]
        for name in moments:
            if row[name] is not None:
                row[name] -= back
        for name in days:
            if row[name] is not None:
                row[name] -= dt.timedelta(days=back.days)

    def copy(self, report_ids: set[int], weeks: int) -> int:
        """Write one copy of these template reports (and all that goes with them)."""
        back = dt.timedelta(weeks=weeks)
        rows = self.template.rows
        maps = {"report": self._ids(Report, report_ids)}
        issues = {r["issue_id"] for r in rows[IssueItem] if r["report_id"] in report_ids}
        maps["issue"] = self._ids(Issue, issues)
        forwardings = {r["id"] for r in rows[Forwarding] if r["report_id"] in report_ids}
        maps["forwarding"] = self._ids(Forwarding, forwardings)
        selected = {
            model: [r for r in model_rows if self._belongs(model, r, maps)]
            for model, model_rows in rows.items()
        }
        new_rows: dict[type[models.Model], list[dict]] = {}
        for model, model_rows in selected.items():
            new_rows[model] = [self._copied(model, row, maps, back) for row in model_rows]
        titles = self._texts(new_rows)
        self._authors(new_rows)
        self._numbers(new_rows)
        with transaction.atomic():
            for model in REMAPS:
                _insert(model, new_rows[model])
            record_many(self._events(maps, back, titles))
        self.written += len(report_ids)
        return len(report_ids)

    @staticmethod
    def _belongs(model: type[models.Model], row: dict, maps: dict[str, dict[int, int]]) -> bool:
        own = {"id": row.get("id"), **row}
        key = next(iter(REMAPS[model]))
        return own[key] in maps[REMAPS[model][key]]

    def _copied(
        self,
        model: type[models.Model],
        row: dict,
        maps: dict[str, dict[int, int]],
        back: dt.timedelta,
    ) -> dict:
        new = dict(row)
        for name, kind in REMAPS[model].items():
            if new[name] is not None:
                new[name] = maps[kind].get(new[name], new[name])
        if "id" not in REMAPS[model]:
            new["id"] = self.next_id[model]
            self.next_id[model] += 1
        self._shift(model, new, back)
        return new

    def _texts(self, rows: dict[type[models.Model], list[dict]]) -> dict[int, str]:
        """Fresh words for every copied report (and its revisions), on the same topic."""
        fields: dict[int, dict[str, str]] = {}
        topics = list(self.topics.values())
        for report in rows[Report]:
            topic = self.topics.get(report["category_id"]) or self.rng.choice(topics)
            year = timezone.localtime(report["created_at"]).year
            fields[report["id"]] = texts.write_report(self.rng, topic, year)
            report.update(fields[report["id"]])
            if report["serial"]:
                # Numbered when accepted: the year of its last move is near enough.
                year = timezone.localtime(report["state_changed_at"] or report["created_at"]).year
                self.serials[year] = self.serials.get(year, 0) + 1
                report["serial"] = f"{year}-{self.serials[year]:04d}"
        for revision in rows[Revision]:
            revision.update(fields[revision["report_id"]])
        return {pk: f["title"] for pk, f in fields.items()}

    def _authors(self, rows: dict[type[models.Model], list[dict]]) -> None:
        """Members of the same unit write the copies, so points spread over all members."""
        unit_of = {r["id"]: r["submitting_unit_id"] for r in rows[Report]}
        by_report: dict[int, list[dict]] = defaultdict(list)
        for row in rows[ReportAuthor]:
            by_report[row["report_id"]].append(row)
        for report_id, authors in by_report.items():
            pool = self.unit_members.get(unit_of[report_id]) or []
            if len(pool) < len(authors):
                continue
            for row, member in zip(authors, self.rng.sample(pool, k=len(authors)), strict=True):
                row["member_id"] = member

    def _numbers(self, rows: dict[type[models.Model], list[dict]]) -> None:
        for issue in sorted(rows[Issue], key=lambda r: r["created_at"]):
            issue["year"] = timezone.localtime(issue["created_at"]).year
            if issue["number"] is None:
                continue  # 待编号 in the template: 待编号 in the copy.
            key, series = (issue["bulletin_id"], issue["year"]), issue["bulletin_id"]
            self.numbers[key] = issue["number"] = self.numbers.get(key, 0) + 1
            self.totals[series] = issue["cumulative_number"] = self.totals.get(series, 0) + 1

    def _events(
        self, maps: dict[str, dict[int, int]], back: dt.timedelta, titles: dict[int, str]
    ) -> list[Entry]:
        entries = []
        for event in self.template.events:
            model, kind = EVENT_OBJECTS[event["object_type"]]
            new_pk = maps[kind].get(int(event["object_id"]))
            if new_pk is None:
                continue
            report_id = event["report_id"]
            entries.append(
                Entry(
                    event["verb"],
                    _Ref(model, new_pk),  # type: ignore[arg-type]
                    _payload(
                        event["payload"], maps, back, titles, new_pk if kind == "report" else None
                    ),
                    maps["report"].get(report_id) if report_id else None,
                    created_at=event["created_at"] - back,
                    actor_id=event["actor_id"],
                )
            )
        return entries

    def finish(self) -> None:
        """Counters past every serial and issue number used; sequences past every id."""
        for year, last in self.serials.items():
            Counter.objects.update_or_create(key="report", year=year, defaults={"last": last})
        for (bulletin_id, year), last in self.numbers.items():
            Counter.objects.update_or_create(
                key=f"issue:{bulletin_id}", year=year, defaults={"last": last}
            )
        for bulletin_id, last in self.totals.items():
            Counter.objects.update_or_create(
                key=f"issue-total:{bulletin_id}", year=0, defaults={"last": last}
            )
        statements = connection.ops.sequence_reset_sql(no_style(), list(REMAPS))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _payload(
    payload: dict[str, Any],
    maps: dict[str, dict[int, int]],
    back: dt.timedelta,
    titles: dict[int, str],
    report_pk: int | None,
) -> dict[str, Any]:
    """The event's payload with the copy's ids, dates and titles."""
    reports = maps["report"]
    new = dict(payload)
    if "into" in new:
        new["into"] = reports.get(new["into"], new["into"])
        new["into_title"] = titles.get(new["into"], new.get("into_title", ""))
    for key in ("sources", "reports"):
        if key in new:
            new[key] = [reports.get(pk, pk) for pk in new[key]]
    if "issue_id" in new:
        new["issue_id"] = maps["issue"].get(new["issue_id"], new["issue_id"])
    if "adopted_on" in new:
        day = dt.date.fromisoformat(new["adopted_on"]) - dt.timedelta(days=back.days)
        new["adopted_on"] = day.isoformat()
    if "title" in new and report_pk in titles:
        new["title"] = titles[report_pk]
    return new


def plan_copies(template: Template, wanted: int, rng: random.Random) -> list[tuple[set[int], int]]:
    """(template reports, weeks back) per copy: whole copies, then clusters that fit."""
    everything = {pk for cluster in template.clusters for pk in cluster}
    full, rest = divmod(wanted, len(everything))
    copies = [set(everything) for _ in range(full)]
    if rest:
        part: set[int] = set()
        for cluster in sorted(template.clusters, key=len, reverse=True):
            if len(part) + len(cluster) <= rest:
                part |= set(cluster)
        copies.append(part)
    count = len(copies)
    # Spread evenly over the ten years, each copy at a random week within its slot.
    weeks = [1 + int((k + rng.random()) * (SPAN_WEEKS - 1) / count) for k in range(count)]
    rng.shuffle(weeks)
    return list(zip(copies, weeks, strict=True))


def calendar_data(years: Iterable[int]) -> int:
    """Local holidays the office entered by hand (overrides): a 市庆 day off each year."""
    rows = []
    for year in years:
        day = dt.date(year, 9, 12)
        if day.weekday() < 5 and not CalendarOverride.objects.filter(date=day).exists():
            rows.append(CalendarOverride(date=day, is_working_day=False, note="市庆放假（演示）"))
    CalendarOverride.objects.bulk_create(rows)  # No signals: the clocks are computed after.
    return len(rows)


def _skip_to(name: str, head: int) -> None:
    ConsumerCursor.objects.update_or_create(
        name=name, defaults={"last_event_id": head, "failures": 0, "retry_after": None}
    )


def project(copied_after: int, say: Callable[[str], None]) -> dict[str, float]:
    """Do in bulk what the consumers would do event by event; return seconds per step.

    ``copied_after`` is the last event before the copies: the consumers had handled
    everything up to it (the template year's nudges).
    """
    timings: dict[str, float] = {}
    head = Event.objects.aggregate(top=Max("id"))["top"] or 0
    with _timed(timings, "search_index"):
        rebuild_index()
        _skip_to("search_index", head)
    say("全文检索索引已重建。")
    with _timed(timings, "report_clocks"):
        recompute_all()
    say("办理时限计时已重算。")
    with _timed(timings, "report_facts"):
        recompute_report_facts()
    say("统计事实表已重建。")
    # ``seed_scoring`` recomputes every year's ledger from the log after this.
    _skip_to("points_ledger", head)
    with _timed(timings, "author_feedback"):
        tell_authors_in_bulk(copied_after, head)
        _skip_to("author_feedback", head)
        for consumer in consumers.consumers():  # Any other consumer, event by event.
            consumers.drain(consumer, force=True, max_batches=1_000_000)
    say("作者反馈等其余事件消费者已处理完毕。")
    return timings


class _timed:
    def __init__(self, timings: dict[str, float], name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.began = dt.datetime.now()

    def __exit__(self, *exc: object) -> None:
        self.timings[self.name] = (dt.datetime.now() - self.began).total_seconds()


def grow(total: int, *, seed: int, progress: Callable[[str], None]) -> dict[str, float]:
    """Copy the template back in time until there are ``total`` reports; seconds per step."""
    timings: dict[str, float] = {}
    wanted = total - Report.objects.count()
    if wanted <= 0:
        return timings
    rng = random.Random(seed)
    for consumer in consumers.consumers():  # The template year's, should a nudge have failed.
        consumers.drain(consumer, force=True, max_batches=1_000_000)
    copied_after = Event.objects.aggregate(top=Max("id"))["top"] or 0
    with _timed(timings, "template"):
        template = load_template()
        copier = Copier(template, rng)
        plan = plan_copies(template, wanted, rng)
    progress(f"以演示年度中 {template.size} 篇已办结的稿件为模板，复制 {len(plan)} 份到过去十年……")
    with consumers.held():
        with _timed(timings, "copies"):
            for done, (report_ids, weeks) in enumerate(plan, start=1):
                copier.copy(report_ids, weeks)
                if done % 20 == 0 or done == len(plan):
                    progress(f"已写入 {copier.written} 篇（{done}/{len(plan)} 份）。")
            copier.finish()
        years = sorted({year for year in copier.serials})
        calendar_data(range(min(years, default=2000), max(years, default=2000) + 1))
        timings.update(project(copied_after, progress))
    return timings
