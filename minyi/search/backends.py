"""Full-text search of reports on SQLite (FTS5, bm25) and PostgreSQL (tsvector, ts_rank;
ranked by a RUM index where the extension is installed: ``search.postgres``, ``search.rum``).

The backend is chosen by ``connection.vendor``; each one only knows how to turn a
parsed query into its match expression and its ranked SQL. Access rules are part of
that SQL: the candidate ids are a subquery built from ``visible_reports(user)``, so a
report the user may not read never leaves the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db import connection, transaction
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString

from minyi.core import clock
from minyi.core.dbstats import analyze
from minyi.core.rows import insert_objects
from minyi.reports.access import findable_reports
from minyi.reports.models import Category, Report, ReportQuerySet
from minyi.search.models import ReportDocument
from minyi.search.postgres import PostgresBackend, PostgresRumBackend
from minyi.search.rum import rum_indexes
from minyi.search.similar import band_words, report_text
from minyi.search.terms import (
    ParsedQuery,
    document_terms,
    highlight,
    needs_prefix,
    parse_query,
    snippet,
)

if TYPE_CHECKING:
    from minyi.people.models import Organization, User

BATCH_SIZE = 500
#: Ranking scores every match, and neither bm25 nor ts_rank can stop early: a word in
#: one report in five is 200,000 scores at 1M reports (0.5 s on SQLite, seconds on
#: PostgreSQL). So only the newest ``RANK_WINDOW`` matches are ranked — every match
#: while there are fewer (any city's archive), the best recent ones beyond that.
RANK_WINDOW = 1000
#: Beyond this many estimated matches a page of results says "约 N 篇" instead of counting.
ESTIMATE_FROM = 20_000
#: How many of an estimated set a page of results lists, best first (50 pages of 20).
LISTED_AT_MOST = 1000


class Filters(TypedDict, total=False):
    state: str
    unit: Organization | None
    category: Category | None
    urgency: str
    date_from: dt.date | None
    date_to: dt.date | None


@dataclass
class Hit:
    report: Report
    title_html: SafeString
    snippet_html: SafeString
    score: float


class SqliteBackend:
    """External-content FTS5 table ``search_fts(title_terms, body_terms)``, rowid = report id."""

    ranks_all = False

    def match(self, query: ParsedQuery) -> str:
        # Every word is double-quoted (terms hold only letters and digits), so FTS5
        # operators typed by users are plain text here; a trailing * makes a prefix
        # where the indexed pieces of longer words do not already cover the term.
        parts = [f'"{t}"*' if needs_prefix(t) else f'"{t}"' for t in query.terms]
        parts += [f'"{" ".join(p)}"*' for p in query.phrases]
        return " ".join(parts)

    def join(self, qs: ReportQuerySet, match: str) -> ReportQuerySet:
        """Join the FTS table to the access-filtered reports; ``score`` is lower for better.

        A join, not ``rowid IN (subquery)``: SQLite re-ran that subquery for every
        match of a virtual table (0.9 s at 5k reports); the join drives from the
        MATCH and checks each hit's report row by primary key.
        """
        return qs.extra(
            select={"score": "bm25(search_fts, 10.0, 1.0)"},
            tables=["search_fts"],
            where=["search_fts.rowid = reports_report.id", "search_fts MATCH %s"],
            params=[match],
        )

    order = ("score", "-pk")
    #: FTS5 returns matches in rowid order by itself, newest first when asked: the
    #: ``RANK_WINDOW``-th match is then found without scoring or sorting anything.
    newest_first = "-search_fts.rowid"

    def since(self, qs: ReportQuerySet, pk: int) -> ReportQuerySet:
        """Keep matches from ``pk`` on; on the FTS rowid so FTS5 seeks instead of filtering."""
        return qs.extra(where=["search_fts.rowid >= %s"], params=[pk])

    def window_start(self, match: str, n: int) -> int | None:
        """Return the id of the n-th newest match of any report, None if there are fewer."""
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid DESC"
        with connection.cursor() as cursor:
            cursor.execute(sql + " LIMIT 1 OFFSET %s", [match, n - 1])
            row = cursor.fetchone()
        return row[0] if row else None

    def estimate(self, matches: ReportQuerySet) -> int | None:
        """SQLite has no estimate of a MATCH: its pages always count."""
        return None

    def clear(self) -> None:
        """Empty both FTS5 indexes (their content, the documents, is deleted by the caller)."""
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
            cursor.execute("INSERT INTO search_band_fts(search_band_fts) VALUES ('delete-all')")

    def finish(self) -> None:
        """Nothing to do after a rebuild: the triggers kept both indexes in step."""


BACKENDS: dict[str, type[SqliteBackend | PostgresBackend]] = {
    "sqlite": SqliteBackend,
    "postgresql": PostgresBackend,
}


def get_backend() -> SqliteBackend | PostgresBackend:
    """The vendor's backend; on PostgreSQL the RUM one when its index exists (one catalogue
    read per search, so a database switched to RUM or back needs no restart)."""
    rum, tier = rum_indexes()
    if rum:
        return PostgresRumBackend(tier=tier)
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise NotImplementedError(f"全文检索不支持数据库 {connection.vendor}") from None


def documents_for(reports: Sequence[Report]) -> list[ReportDocument]:
    """Return unsaved search documents: segmented terms and band keys, one signature pass."""
    now = clock.now()
    keys = band_words([report_text(r) for r in reports])
    return [
        ReportDocument(
            report=report,
            title_terms=document_terms(report.title),
            body_terms=document_terms(_body(report)),
            band_keys=words,
            indexed_at=now,
        )
        for report, words in zip(reports, keys, strict=True)
    ]


def document_for(report: Report) -> ReportDocument:
    return documents_for([report])[0]


def _body(report: Report) -> str:
    return "\n".join(t for t in (report.situation, report.analysis, report.suggestions) if t)


def save_documents(documents: Sequence[ReportDocument]) -> None:
    """Insert the documents of reports that have none, as plain rows (rebuilds, imports)."""
    insert_objects(ReportDocument, documents)


def index_report(report: Report) -> None:
    """(Re)index one report's words and band keys; call it inside the transaction that
    changed its text, so search and near-duplicate lookups never see a stale version."""
    doc = document_for(report)
    ReportDocument.objects.update_or_create(
        report=report,
        defaults={
            "title_terms": doc.title_terms,
            "body_terms": doc.body_terms,
            "band_keys": doc.band_keys,
            "indexed_at": doc.indexed_at,
        },
    )


def _candidates(user: User, filters: Filters | None) -> ReportQuerySet:
    """The reports the user may find that pass the filters (access is part of the SQL)."""
    qs = findable_reports(user)
    f = filters or {}
    if f.get("state"):
        qs = qs.filter(state=f["state"])
    qs = qs.narrowed(unit=f.get("unit"), category=f.get("category"), urgency=f.get("urgency"))
    if f.get("date_from") or f.get("date_to"):
        # Drafts have no submission time yet; their creation date stands in.
        qs = qs.annotate(search_day=Coalesce("submitted_at", "created_at"))
        if f.get("date_from"):
            qs = qs.filter(search_day__date__gte=f["date_from"])
        if f.get("date_to"):
            qs = qs.filter(search_day__date__lte=f["date_to"])
    return qs.order_by()


def count_reports(user: User, query: str, *, filters: Filters | None = None) -> int:
    """How many reports the user may see match ``query`` and ``filters``."""
    parsed = parse_query(query)
    if not parsed:
        return 0
    backend = get_backend()
    return backend.join(_candidates(user, filters), backend.match(parsed)).count()


@dataclass(frozen=True)
class Count:
    n: int
    #: ``n`` is the planner's estimate, not a count.
    approximate: bool = False


def count_for_page(user: User, query: str, *, filters: Filters | None = None) -> Count:
    """The user's matches for a page of results: counted, or estimated when there are many.

    Counting reads every match and joins it to the reports the user may see: at 1M reports
    0.4-0.6 s for a word in a tenth of them. Where one word is searched and the planner
    estimates more than ``ESTIMATE_FROM`` matches (PostgreSQL; its statistics of the most
    common words and of the access filter), the page shows "约 N 篇" and lists the best
    ``LISTED_AT_MOST``. Several words and phrases are counted: the planner takes words as
    independent and a phrase as its words anywhere ("业主所有": 98,000 for 4,869).
    """
    parsed = parse_query(query)
    if not parsed:
        return Count(0)
    backend = get_backend()
    matches = backend.join(_candidates(user, filters), backend.match(parsed))
    if len(parsed.terms) == 1 and not parsed.phrases:
        estimate = backend.estimate(matches)
        if estimate is not None and estimate > ESTIMATE_FROM:
            return Count(estimate, approximate=True)
    return Count(matches.count())


def search_reports(
    user: User,
    query: str,
    *,
    filters: Filters | None = None,
    limit: int = 20,
    offset: int = 0,
    total: int | None = None,
) -> list[Hit]:
    """Return the best matches the user may see, best first, with highlighted text.

    ``total``: how many there are (``count_reports``, which a paged list has counted already);
    within ``RANK_WINDOW`` they are all ranked at once, without looking for the window.
    """
    parsed = parse_query(query)
    if not parsed or limit <= 0:
        return []
    backend = get_backend()
    match = backend.match(parsed)
    if isinstance(backend, PostgresRumBackend):
        ranked = backend.rank(_candidates(user, filters), match, offset, limit, total)
    else:
        matches = backend.join(_candidates(user, filters), match)
        if total is not None and total <= RANK_WINDOW:
            ranked = _rank(backend, matches, offset, limit)
        else:
            ranked = _rank_newest(backend, matches, match, offset, limit)
    # The ids already passed the access filter; visible_reports again is a cheap
    # second lock on the door, and loads unit and category in the same query.
    reports = findable_reports(user).select_related("submitting_unit", "category")
    by_id = reports.in_bulk([pk for pk, _ in ranked])
    return [_hit(by_id[pk], parsed, score) for pk, score in ranked if pk in by_id]


def _rank(
    backend: SqliteBackend | PostgresBackend, matches: ReportQuerySet, offset: int, limit: int
) -> list[tuple[int, float]]:
    return list(
        matches.order_by(*backend.order).values_list("pk", "score")[offset : offset + limit]
    )


def _rank_newest(
    backend: SqliteBackend | PostgresBackend,
    matches: ReportQuerySet,
    match: str,
    offset: int,
    limit: int,
) -> list[tuple[int, float]]:
    """Rank the newest ``RANK_WINDOW`` matches (all of them when there are fewer).

    1. Find the window's oldest id among all reports' matches, without the access
       check, which an editor would pass anyway.
    2. Rank the user's matches from that id on.
    3. Too few left (a member sees a handful of reports, filters narrow): find the
       window among the user's own matches instead, one pass over them.
    """
    window = max(RANK_WINDOW, offset + limit)
    cutoff = backend.window_start(match, window)
    if cutoff is None:
        return _rank(backend, matches, offset, limit)
    ranked = _rank(backend, backend.since(matches, cutoff), offset, limit)
    if len(ranked) == limit:
        return ranked
    newest = matches.extra(order_by=[backend.newest_first]).values_list("pk", flat=True)
    own_cutoff = list(newest[window - 1 : window])
    if own_cutoff:
        matches = backend.since(matches, own_cutoff[0])
    return _rank(backend, matches, offset, limit)


def _hit(report: Report, parsed: ParsedQuery, score: float) -> Hit:
    words = parsed.words
    body = " ".join(t for t in (report.situation, report.analysis, report.suggestions) if t)
    return Hit(report, highlight(report.title, words), snippet(body, words), float(score))


def _batches() -> Iterator[list[Report]]:
    batch: list[Report] = []
    for report in Report.objects.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        batch.append(report)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def rebuild_index(progress: Callable[[int, int], None] | None = None) -> int:
    """Index every report's words and band keys from scratch; report ``(done, total)``."""
    total = Report.objects.count()
    backend = get_backend()
    with transaction.atomic():
        ReportDocument.objects.all().delete()
        backend.clear()
    done = 0
    try:
        for batch in _batches():
            with transaction.atomic():
                save_documents(documents_for(batch))
            done += len(batch)
            if progress:
                progress(done, total)
    finally:
        backend.finish()
    # Every row of the index was rewritten: give the planner its new statistics.
    analyze([ReportDocument])
    return done
