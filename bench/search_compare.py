"""Equal-work timings against tantivy and agreement checks, for ``search_bench.py``.

Within one run and interleaved query by query (so both engines see the same load):
- ``sql``: minyi's ranking SQL alone — the ids and scores of the top 20, access check
  included (``_rank_newest``, or the RUM ranking) — beside ``tantivy``: the index query
  alone (top 20 by BM25);
- ``end_to_end``: ``search_reports`` (ranking, loading the 20 reports, highlighting and
  snippets) beside tantivy's query plus the same loading and snippets for its 20 ids.
Agreement: match counts per query (``count_reports`` against tantivy's count), and the
overlap of the top 20 served with the top 20 of ranking *all* matches by the same
scorer (bm25 / ts_rank without the newest-matches window) and with tantivy's top 20.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from typing import Any


def _percentiles(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
        "max_ms": round(ms[-1], 2),
        "runs": len(ms),
    }


class Tantivy:
    """The same segmented terms in a tantivy index (bench-only reference)."""

    def __init__(self) -> None:
        import tantivy

        from minyi.search.models import ReportDocument

        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True)
        builder.add_text_field("title")
        builder.add_text_field("body")
        self.folder = tempfile.mkdtemp(prefix="stream_g_tantivy_")
        self.index = tantivy.Index(builder.build(), path=self.folder)
        writer = self.index.writer(heap_size=200_000_000, num_threads=1)
        start = time.perf_counter()
        rows = ReportDocument.objects.values_list("report_id", "title_terms", "body_terms")
        for pk, title, body in rows.iterator(chunk_size=5000):
            writer.add_document(tantivy.Document(id=pk, title=title, body=body))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.build_s = round(time.perf_counter() - start, 1)
        self.searcher = self.index.searcher()

    def query(self, text: str) -> Any:
        from minyi.search.terms import parse_query

        parsed = parse_query(text)
        parts = [*parsed.terms, *(f'"{" ".join(p)}"' for p in parsed.phrases)]
        return self.index.parse_query(" AND ".join(parts), ["title", "body"])

    def top(self, query: Any, limit: int = 20) -> list[int]:
        hits = self.searcher.search(query, limit).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]

    def count(self, query: Any) -> int:
        return self.searcher.search(query, 1, count=True).count

    def close(self) -> None:
        del self.searcher, self.index
        shutil.rmtree(self.folder, ignore_errors=True)  # a 1M index is several GB


def rank_only(editor: Any, text: str, backend: Any = None, limit: int = 20) -> list[int]:
    """minyi's ranking SQL alone: the served top ids, as ``search_reports`` ranks them."""
    from minyi.search import backends as b
    from minyi.search.terms import parse_query

    backend = backend or b.get_backend()
    match = backend.match(parse_query(text))
    if isinstance(backend, b.PostgresRumBackend):
        return [pk for pk, _ in backend.rank(b._candidates(editor, None), match, 0, limit)]
    matches = backend.join(b._candidates(editor, None), match)
    return [pk for pk, _ in b._rank_newest(backend, matches, match, 0, limit)]


def rank_all(editor: Any, text: str, limit: int = 20) -> list[int]:
    """The top ids of ranking every match with the same scorer, no window (slow: the truth)."""
    from minyi.search import backends as b
    from minyi.search.terms import parse_query

    backend = b.get_backend()
    match = backend.match(parse_query(text))
    return [
        pk for pk, _ in b._rank(backend, backend.join(b._candidates(editor, None), match), 0, limit)
    ]


def tantivy_end_to_end(editor: Any, engine: Tantivy, query: Any, text: str) -> list[Any]:
    """tantivy's top 20, then what ``search_reports`` does after ranking: load and snippet."""
    from minyi.reports.access import visible_reports
    from minyi.search.backends import _hit
    from minyi.search.terms import parse_query

    ids = engine.top(query)
    by_id = visible_reports(editor).select_related("submitting_unit", "category").in_bulk(ids)
    parsed = parse_query(text)
    return [_hit(by_id[pk], parsed, 0.0) for pk in ids if pk in by_id]


def equal_work(editor: Any, queries: list[str], engine: Tantivy, rounds: int = 5) -> dict[str, Any]:
    """Interleaved p50/p95 of the four timings, and their ratios within this run."""
    from minyi.search import search_reports

    compiled = {q: engine.query(q) for q in queries}
    timed: dict[str, list[float]] = {
        "sql": [],
        "end_to_end": [],
        "tantivy": [],
        "tantivy_end_to_end": [],
    }
    work = {
        "sql": lambda q: rank_only(editor, q),
        "end_to_end": lambda q: search_reports(editor, q, limit=20),
        "tantivy": lambda q: engine.top(compiled[q]),
        "tantivy_end_to_end": lambda q: tantivy_end_to_end(editor, engine, compiled[q], q),
    }
    for q in queries:  # warm every path once
        for run in work.values():
            run(q)
    by_query: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(rounds):
        for q in queries:
            for name, run in work.items():
                start = time.perf_counter()
                run(q)
                timed[name].append((time.perf_counter() - start) * 1000)
            by_query[q].append(timed["end_to_end"][-1])
    out: dict[str, Any] = {name: _percentiles(ms) for name, ms in timed.items()}
    for level in ("p50_ms", "p95_ms"):
        key = level.removesuffix("_ms")
        out[f"ratio_sql_to_tantivy_{key}"] = round(out["sql"][level] / out["tantivy"][level], 1)
        out[f"ratio_end_to_end_{key}"] = round(
            out["end_to_end"][level] / out["tantivy_end_to_end"][level], 1
        )
    out["end_to_end_median_ms_by_query"] = {
        q: round(statistics.median(ms), 1) for q, ms in by_query.items()
    }
    return out


def agreement(editor: Any, queries: list[str], engine: Tantivy | None) -> dict[str, Any]:
    """Match counts per query and top-20 overlaps (served vs all-ranked vs tantivy)."""
    from minyi.search import count_reports

    rows = []
    for q in queries:
        served = rank_only(editor, q)
        truth = rank_all(editor, q)
        row: dict[str, Any] = {
            "query": q,
            "matches": count_reports(editor, q),
            "served_vs_all_ranked": len(set(served) & set(truth)),
        }
        window = _gin_window(editor, q)
        if window is not None:
            row["gin_window_vs_all_ranked"] = len(set(window) & set(truth))
        if engine is not None:
            compiled = engine.query(q)
            row["tantivy_matches"] = engine.count(compiled)
            row["served_vs_tantivy"] = len(set(served) & set(engine.top(compiled)))
        rows.append(row)
    summary = {
        key: round(statistics.mean(r[key] for r in rows), 1)
        for key in ("served_vs_all_ranked", "gin_window_vs_all_ranked", "served_vs_tantivy")
        if key in rows[0]
    }
    if engine is not None:
        summary["queries_with_equal_counts"] = sum(
            r["matches"] == r["tantivy_matches"] for r in rows
        )
    return {"mean_top20_overlap": summary, "queries": len(rows), "by_query": rows}


def _gin_window(editor: Any, text: str) -> list[int] | None:
    """With RUM: what the GIN path's newest-matches window would serve (None otherwise)."""
    from minyi.search import backends as b

    if not isinstance(b.get_backend(), b.PostgresRumBackend):
        return None
    return rank_only(editor, text, backend=b.PostgresBackend())


def postgres_sizes() -> dict[str, float]:
    """MiB of the search table, its indexes and TOAST (PostgreSQL)."""
    from django.db import connection

    sql = (
        "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c"
        " WHERE c.relname LIKE 'search_reportdocument%%' OR c.relname = 'reports_report'"
        " UNION ALL SELECT 'search_reportdocument_toast', pg_total_relation_size(reltoastrelid)"
        " FROM pg_class WHERE relname = 'search_reportdocument'"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {name: round(size / 2**20, 1) for name, size in cursor.fetchall()}


def explain_rank(editor: Any, text: str) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the served ranking query for one query (PostgreSQL):
    the title tier's where the query is broad, else the whole index's."""
    from minyi.core.planner import planner_settings
    from minyi.search import backends as b
    from minyi.search import postgres as pg
    from minyi.search.terms import parse_query

    backend = b.get_backend()
    if not isinstance(backend, b.PostgresRumBackend):
        return []
    match = backend.match(parse_query(text))
    sql = pg.PG_TIER_BEST if backend.tier and backend.broad(match) else pg.PG_RUM_BEST
    with planner_settings(**pg.RUM_SETTINGS) as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, [match, match, match, 100])
        return [row[0] for row in cursor.fetchall()]
