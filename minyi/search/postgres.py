"""Full-text search on PostgreSQL: a generated ``vector`` (title weight A, body B).

``PostgresBackend`` finds matches with a GIN index and ranks the newest
``RANK_WINDOW`` of them; ``PostgresRumBackend`` ranks every match from a RUM index
(``search.rum``) and, for words found in a great many reports, from the RUM index of
their *title tier* first (see ``PostgresRumBackend.rank``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.db import connection, transaction

from minyi.core.planner import planner_settings
from minyi.search.rum import CREATE_RUM, RUM_INDEX, TIER_INDEX, TIER_STATEMENTS
from minyi.search.terms import needs_prefix

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from minyi.reports.models import ReportQuerySet
    from minyi.search.terms import ParsedQuery


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

    def estimate(self, matches: ReportQuerySet) -> int:
        """The planner's estimate of ``matches`` (``EXPLAIN``: nothing is read)."""
        sql, params = matches.values("pk").query.sql_with_params()
        return round(_plan_rows("EXPLAIN (FORMAT JSON) " + sql, list(params)))

    def clear(self) -> None:
        """Nothing beyond the documents themselves: the vector lives in their rows."""

    def finish(self) -> None:
        """Nothing to do after a rebuild: the GIN indexes were written row by row."""


class PostgresRumBackend(PostgresBackend):
    """The same ``vector`` with a RUM index (``search.rum``): every match ranked, by the index.

    ``ORDER BY vector <=> query`` reads matches from the index best first (RUM's
    distance: the inverse of its cover-density score, weights included), so the best 20
    of all matches cost 20 heap rows, not a read of every match's TOASTed tsvector; no
    newest-matches window. But RUM scores *every* match before it returns the first
    (about 1.5 µs a match: a word in a third of a million reports costs 0.5 s), so
    broad queries are ranked from the title tier first (``rank``).
    """

    ranks_all = True
    distance = "search_reportdocument.vector <=> to_tsquery('simple', %s)"

    def __init__(self, *, tier: bool = True) -> None:
        super().__init__()
        #: Whether the title tier's index exists (a database switched to RUM by hand may lack it).
        self.tier = tier

    def clear(self) -> None:
        """Drop the RUM indexes for a rebuild: built once afterwards they cost a fraction of
        keeping them row by row (RUM writes ~6 times the CPU of GIN per document)."""
        _ddl(f"DROP INDEX IF EXISTS {RUM_INDEX}")
        _ddl(f"DROP INDEX IF EXISTS {TIER_INDEX}")

    def finish(self) -> None:
        """Build the RUM indexes again (also after a failed rebuild, so search never lacks them);
        the title tier's where there was one (``migrate`` adds it, see ``search.rum``)."""
        _ddl(CREATE_RUM, build=True)
        if self.tier:
            _ddl(*TIER_STATEMENTS, build=True)

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

        1. A query whose broadest word is in more than ``TIER_FROM`` reports (the
           planner's estimate) is ranked from the title tier first: the reports holding
           every word in their title, scored on all their text. For one word this *is*
           the best of all matches: a word in the title (weight 1.0) scores above any
           number of mentions in the body (weight 0.4, each repeat counting less, in all
           at most 0.4), and the tier keeps the word's body positions, so its order is
           RUM's. For several words or a phrase it puts title matches first.
        2. The rest (all of it for other queries, or after a tier too small for the
           page): the best of all matches from the RUM index of the whole text, so that
           every page follows one order, tier first.
        3. Past ``RUM_PROBE_MAX`` probed, or when ``total`` (the user's counted matches)
           is no more than a probe would read: the user's own matches, ranked by the planner.
        """
        want = offset + limit
        first: list[tuple[int, float]] = []
        if self.tier and self.broad(match):
            first = self._best(PG_TIER_BEST, candidates, match, want, total) or []
            if len(first) >= want:
                return first[offset:want]
            if first:  # the whole tier, fewer than the page needs: the rest follow it
                candidates = candidates.exclude(pk__in=[pk for pk, _ in first])
                total = None if total is None else total - len(first)
        return (first + self._whole(candidates, match, want - len(first), total))[offset:want]

    def _whole(
        self, candidates: ReportQuerySet, match: str, want: int, total: int | None
    ) -> list[tuple[int, float]]:
        """The user's best ``want`` matches from the RUM index of the whole text."""
        ranked = self._best(PG_RUM_BEST, candidates, match, want, total)
        if ranked is not None:
            return ranked[:want]
        ordered = self.join(candidates, match).extra(
            select={"distance": self.distance}, select_params=[match], order_by=["distance", "-pk"]
        )
        return list(ordered.values_list("pk", "score")[:want])

    def broad(self, match: str) -> bool:
        """Whether a word of ``match`` is estimated in more than ``TIER_FROM`` reports."""
        any_word = _words(match).replace(" & ", " | ")
        return _plan_rows(PG_ESTIMATE, [any_word]) > TIER_FROM

    def _best(
        self, sql: str, candidates: ReportQuerySet, match: str, want: int, total: int | None
    ) -> list[tuple[int, float]] | None:
        """The user's best ``want`` of an index's best ``k`` matches of any report, or all
        its matches the user may see when the index holds fewer; None past the probes.

        ``k`` grows fourfold while too few are the user's (a member sees a handful of
        reports, filters narrow). Equal distances: newest first within each probe. A
        probe reading more rows than the user's counted matches costs more than ranking
        those (a member's few: four probes of 100-6,400 cost 200 ms), so none is made.
        """
        k = max(4 * want, 100)
        while k <= RUM_PROBE_MAX and (total is None or total > k):
            with planner_settings(**RUM_SETTINGS) as cursor:
                cursor.execute(sql, [match, match, match, k])
                best = cursor.fetchall()
            allowed = set(
                candidates.filter(pk__in=[pk for pk, _ in best]).values_list("pk", flat=True)
            )
            ranked = sorted((d, -pk) for pk, d in best if pk in allowed)
            if len(ranked) >= want or len(best) < k:
                return [(-pk, _score(d)) for d, pk in ranked]
            k *= 4
        return None


#: Memory for building an index at once: the server's default (64 MB) makes a RUM build
#: of a big archive spill to disk in many passes; this is per build, not kept.
BUILD_MEMORY = "256MB"


def _ddl(*statements: str, build: bool = False) -> None:
    """Run ``statements`` in one transaction, after its deferred checks: a caller's
    transaction with rows just written (a test) would otherwise refuse the DDL."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if build:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        for sql in statements:
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
#: RUM sorts all matches' distances in ``work_mem``; with the server's 4 MB a word in
#: 75,000 reports spilled to disk and took 134 ms at 1M reports, 66 ms with 64 MB (the
#: sort holds ~40 bytes a match: 13 MB for a word in a third of a million).
RUM_SETTINGS: dict[str, str | int] = {
    "enable_seqscan": "off",
    "enable_bitmapscan": "off",
    "enable_sort": "off",
    "work_mem": "'64MB'",
}
#: The same from the title tier (``search.rum.TIER_INDEX``): the reports holding every
#: word in their title, with each such word's positions in all their text. The distance
#: is the tier's own: for these reports it equals the whole vector's, and computing it
#: costs no second detoasting (PostgreSQL computes the ORDER BY value for each row).
PG_TIER_BEST = (
    "SELECT report_id, search_title_tier(vector) <=> to_tsquery('simple', %s)"
    " FROM search_reportdocument WHERE search_title_tier(vector) @@ to_tsquery('simple', %s)"
    " ORDER BY search_title_tier(vector) <=> to_tsquery('simple', %s) LIMIT %s"
)
#: Beyond this many of all reports' best matches, rank the user's own matches instead.
RUM_PROBE_MAX = 8000
#: RUM scores every match of a query before it returns one, ~1.5 µs each at 1M reports
#: (``bench/search_bench.py``): a query whose broadest word is in more reports than this
#: is ranked from the title tier first (``PostgresRumBackend.rank``), about 30 ms of
#: scoring at most for the rest.
TIER_FROM = 20_000
#: The planner's estimate of a tsquery's matches, from the column's statistics of its
#: most common words (``ANALYZE``): no index is read.
PG_ESTIMATE = (
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_reportdocument"
    " WHERE vector @@ to_tsquery('simple', %s)"
)


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


def _plan_rows(explain: str, params: list[object]) -> float:
    """The rows the planner expects of an ``EXPLAIN (FORMAT JSON)`` statement's query."""
    with connection.cursor() as cursor:
        cursor.execute(explain, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # psycopg returns json decoded; other drivers may not
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _words(match: str) -> str:
    """The tsquery ``match`` with its phrases loosened to their words ANDed."""
    # Terms are quoted letters and digits, so ``<->`` is always the phrase operator.
    return match.replace(" <-> ", " & ")


def _first(sql: str, params: list[object]) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None
