"""Full-text search of reports on SQLite (FTS5, bm25) and PostgreSQL (tsvector, ts_rank;
ranked by a RUM index where the extension is installed, see ``search.rum``).

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
from minyi.core.planner import planner_settings
from minyi.core.rows import insert_objects
from minyi.reports.access import findable_reports
from minyi.reports.models import Category, Report, ReportQuerySet
from minyi.search.models import ReportDocument
from minyi.search.rum import CREATE_RUM, RUM_INDEX, rum_index_exists
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
    from django.db.backends.utils import CursorWrapper

    from minyi.people.models import Organization, User

BATCH_SIZE = 500
#: Ranking scores every match, and neither bm25 nor ts_rank can stop early: a word in
#: one report in five is 200,000 scores at 1M reports (0.5 s on SQLite, seconds on
#: PostgreSQL). So only the newest ``RANK_WINDOW`` matches are ranked — every match
#: while there are fewer (any city's archive), the best recent ones beyond that.
RANK_WINDOW = 1000


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
        return _first(sql + " LIMIT 1 OFFSET %s", [match, n - 1])

    def clear(self) -> None:
        """Empty both FTS5 indexes (their content, the documents, is deleted by the caller)."""
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
            cursor.execute("INSERT INTO search_band_fts(search_band_fts) VALUES ('delete-all')")

    def finish(self) -> None:
        """Nothing to do after a rebuild: the triggers kept both indexes in step."""


class PostgresBackend:
    """Generated ``vector`` column (title weight A, body B) with a GIN index."""

    #: Whether ``rank`` orders all matches (an ordered index), or the newest window is ranked.
    ranks_all = False

    def match(self, query: ParsedQuery) -> str:
        parts = [f"'{t}':*" if needs_prefix(t) else f"'{t}'" for t in query.terms]
        parts += [" <-> ".join(f"'{w}'" for w in p) + ":*" for p in query.phrases]
        return " & ".join(parts)

    def join(self, qs: ReportQuerySet, match: str) -> ReportQuerySet:
        """Join the documents' tsvector to the access-filtered reports; higher is better.

        A phrase is found in the GIN index by its words ANDed, which the index answers
        exactly, and only those candidates are checked for the phrase itself
        (``ts_match_vq`` is ``@@`` spelled so that the planner cannot take it to the
        index): the planner guesses phrases a hundred times rarer than they are, then
        rechecks every phrase candidate in the table before any other condition, where
        the primary key would have given it the window's thousand ids directly.
        """
        rank = "ts_rank(search_reportdocument.vector, to_tsquery('simple', %s))"
        words = _words(match)
        if words == match:
            where = ["search_reportdocument.vector @@ to_tsquery('simple', %s)"]
            params = [match]
        else:
            where = [
                "search_reportdocument.vector @@ (SELECT to_tsquery('simple', %s))",
                "ts_match_vq(search_reportdocument.vector, to_tsquery('simple', %s))",
            ]
            params = [words, match]
        return qs.extra(
            select={"score": rank},
            select_params=[match],
            tables=["search_reportdocument"],
            where=["search_reportdocument.report_id = reports_report.id", *where],
            params=params,
        )

    order = ("-score", "-pk")
    newest_first = "-search_reportdocument.report_id"

    def __init__(self) -> None:
        #: ``(cutoff, ids)`` of the last ``window_start``: the window's own ids, newest first.
        self._window: tuple[int, list[int]] | None = None

    def since(self, qs: ReportQuerySet, pk: int) -> ReportQuerySet:
        """Keep matches from ``pk`` on.

        From the window ``window_start`` just found, the matches from ``pk`` on are the
        ids it returned (the access check and ``@@`` still apply to each): fetching those
        by primary key costs a thousand key lookups, where the id range invites either a
        second pass over the word's whole GIN posting list (200,000 entries at 1M
        reports for a word in one report in five) or, worse, a backward primary-key
        scan reading the tsvector of every report in the range (56 ms at 300k).
        """
        if self._window is not None and self._window[0] == pk:
            return qs.extra(
                where=["search_reportdocument.report_id = ANY(%s)"], params=[self._window[1]]
            )
        return qs.extra(where=["search_reportdocument.report_id >= %s"], params=[pk])

    def window_start(self, match: str, n: int) -> int | None:
        """Return the id of the n-th newest match of any report, None if there are fewer.

        The GIN index yields matches unordered, and checking a match reads the row's
        whole tsvector, so asking for the n-th newest of all matches would read every
        one. Instead take the matches among the newest 8n ids (enough for a word in one
        report in eight) and widen the range by what was found there. Index scans are
        off for these queries: the planner would walk the id range checking every row's
        tsvector (80 ms at 164k reports) where ANDing the id range with the GIN bitmap
        reads only the matches.
        """
        top = _first("SELECT max(report_id) FROM search_reportdocument", [])
        if top is None:
            return None
        with planner_settings(enable_indexscan="off") as cursor:
            ids = _probe_newest(cursor, match, n, top)
        if ids is None:
            self._window = None
            return None
        self._window = (ids[-1], ids)
        return ids[-1]

    def clear(self) -> None:
        """Nothing beyond the documents themselves: the vector lives in their rows."""

    def finish(self) -> None:
        """Nothing to do after a rebuild: the GIN indexes were written row by row."""


class PostgresRumBackend(PostgresBackend):
    """The same ``vector`` with a RUM index (``search.rum``): every match ranked, by the index.

    ``ORDER BY vector <=> query`` reads matches from the index best first (the distance
    is 1 / ``ts_rank``, weights included), so the best 20 of all matches cost 20 heap
    rows, not a read of every match's TOASTed tsvector; no newest-matches window.
    """

    ranks_all = True
    distance = "search_reportdocument.vector <=> to_tsquery('simple', %s)"

    def clear(self) -> None:
        """Drop the RUM index for a rebuild: built once afterwards it costs a fraction of
        keeping it row by row (RUM writes ~6 times the CPU of GIN per document)."""
        _ddl(f"DROP INDEX IF EXISTS {RUM_INDEX}")

    def finish(self) -> None:
        """Build the RUM index again (also after a failed rebuild, so search never lacks it)."""
        _ddl(CREATE_RUM, build=True)

    def join(self, qs: ReportQuerySet, match: str) -> ReportQuerySet:
        """As ``PostgresBackend.join``, without loosening phrases: RUM checks positions itself."""
        return qs.extra(
            select={"score": "ts_rank(search_reportdocument.vector, to_tsquery('simple', %s))"},
            select_params=[match],
            tables=["search_reportdocument"],
            where=[
                "search_reportdocument.report_id = reports_report.id",
                "search_reportdocument.vector @@ to_tsquery('simple', %s)",
            ],
            params=[match],
        )

    def rank(
        self,
        candidates: ReportQuerySet,
        match: str,
        offset: int,
        limit: int,
        total: int | None = None,
    ) -> list[tuple[int, float]]:
        """The best matches among ``candidates`` (the access-filtered reports), best first.

        The index gives the best ``k`` matches of any report; those the user may see are
        kept. Too few (a member sees a handful of reports, filters narrow): ``k`` grows
        fourfold, and past ``RUM_PROBE_MAX`` the planner ranks the user's own matches,
        which are then few. Equal distances: newest first within each probe. ``total``,
        the user's matches when counted already: no more than a probe would read, they
        are ranked at once (a member's few: four probes of 100-6,400 cost 200 ms).
        """
        want = offset + limit
        k = max(4 * want, 100)
        # A probe reading more rows than the user's counted matches costs more than ranking them.
        while k <= RUM_PROBE_MAX and (total is None or total > k):
            with planner_settings(**RUM_SETTINGS) as cursor:
                cursor.execute(PG_RUM_BEST, [match, match, match, k])
                best = cursor.fetchall()
            allowed = set(
                candidates.filter(pk__in=[pk for pk, _ in best]).values_list("pk", flat=True)
            )
            ranked = sorted((d, -pk) for pk, d in best if pk in allowed)
            if len(ranked) >= want or len(best) < k:
                return [(-pk, _score(d)) for d, pk in ranked[offset:want]]
            k *= 4
        ordered = self.join(candidates, match).extra(
            select={"distance": self.distance}, select_params=[match], order_by=["distance", "-pk"]
        )
        return list(ordered.values_list("pk", "score")[offset:want])


#: Memory for building an index at once: the server's default (64 MB) makes a RUM build
#: of a big archive spill to disk in many passes; this is per build, not kept.
BUILD_MEMORY = "256MB"


def _ddl(sql: str, *, build: bool = False) -> None:
    """Run ``sql`` on the documents' table in a transaction, after its deferred checks: a
    caller's transaction with rows just written (a test) would otherwise refuse the DDL."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if build:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        cursor.execute(sql)


def _score(distance: float) -> float:
    """RUM's distance is 1 / rank (infinite for a match ranked 0)."""
    return 1.0 / distance if distance and distance != float("inf") else 0.0


#: The best ``k`` matches of any report, best first, read from the RUM index in order.
PG_RUM_BEST = (
    "SELECT report_id, vector <=> to_tsquery('simple', %s) FROM search_reportdocument"
    " WHERE vector @@ to_tsquery('simple', %s)"
    " ORDER BY vector <=> to_tsquery('simple', %s) LIMIT %s"
)
#: Only the ordered RUM index scan is left without a penalty: a bitmap scan and a sort
#: would read and rank every match's TOASTed tsvector, which the planner prices as cheap.
RUM_SETTINGS: dict[str, str | int] = {
    "enable_seqscan": "off",
    "enable_bitmapscan": "off",
    "enable_sort": "off",
}
#: Beyond this many of all reports' best matches, rank the user's own matches instead.
RUM_PROBE_MAX = 8 * RANK_WINDOW


#: ``report_id + 0``: ordering by the bare key invites a backward primary-key scan
#: that checks every row's tsvector on the way, far slower than the bitmaps.
PG_NEWEST_SINCE = (
    "SELECT report_id FROM search_reportdocument"
    " WHERE vector @@ to_tsquery('simple', %s) AND report_id > %s"
    " ORDER BY report_id + 0 DESC LIMIT %s"
)
#: A phrase (``<->``) cannot be told from the GIN index alone: each candidate's
#: tsvector is read again to check word positions. The planner guesses phrases (and
#: words ANDed) rare, skips ANDing the id range into the bitmap and rechecks every
#: candidate in the table before applying the range (560 ms at 300k reports). So the
#: index is asked for the phrase's words ANDed, which it answers exactly, through an
#: InitPlan the planner cannot estimate (so it ANDs the id range in); the phrase is
#: then checked on those candidates newest first, only until the window is full.
#: ``OFFSET 0`` keeps the phrase condition out of the index scan.
PG_NEWEST_PHRASE_SINCE = (
    "SELECT report_id FROM ("
    "SELECT report_id, report_id + 0 AS newest, vector FROM search_reportdocument"
    " WHERE vector @@ (SELECT to_tsquery('simple', %s)) AND report_id > %s"
    " ORDER BY newest DESC OFFSET 0) AS candidates"
    " WHERE vector @@ to_tsquery('simple', %s) ORDER BY newest DESC LIMIT %s"
)


def _probe_newest(cursor: CursorWrapper, match: str, n: int, top: int) -> list[int] | None:
    """Return the n newest matches' ids, newest first, None if there are fewer."""
    words = _words(match)
    step = 8 * n
    while True:
        since = top - step if step < top else 0
        if words == match:
            cursor.execute(PG_NEWEST_SINCE, [match, since, n])
        else:
            cursor.execute(PG_NEWEST_PHRASE_SINCE, [words, since, match, n])
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) == n:
            return ids
        if not since:
            return None
        step = int(step * max(2.0, 1.5 * n / len(ids))) if ids else 8 * step


def _words(match: str) -> str:
    """The tsquery ``match`` with its phrases loosened to their words ANDed."""
    # Terms are quoted letters and digits, so ``<->`` is always the phrase operator.
    return match.replace(" <-> ", " & ")


def _first(sql: str, params: list[object]) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


BACKENDS: dict[str, type[SqliteBackend | PostgresBackend]] = {
    "sqlite": SqliteBackend,
    "postgresql": PostgresBackend,
}


def get_backend() -> SqliteBackend | PostgresBackend:
    """The vendor's backend; on PostgreSQL the RUM one when its index exists (one catalogue
    read per search, so a database switched to RUM or back needs no restart)."""
    if rum_index_exists():
        return PostgresRumBackend()
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
