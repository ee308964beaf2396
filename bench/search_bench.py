"""Bench: ingest, ranked search and near-duplicate checks at scale, through the real code.

Run (one core is enough; each run makes its own scratch database):
    .venv/bin/python bench/search_bench.py --n 100000 --db sqlite --tantivy
    .venv/bin/python bench/search_bench.py --n 1000000 --db postgres
Writes ``bench/results/search_<db>_<n>.json``.

1. Ingest: synthetic ~823-character reports (``search_corpus``, seed 42, 1% planted
   near-duplicates) go in batches of 1,000 through ``bulk_create`` of the report rows,
   ``document_for`` (rjieba segmentation → FTS5 / tsvector) and ``bands_for`` (MinHash +
   LSH band rows), one transaction per batch, as ``rebuild_index`` does.
2. Search: ``search_reports(editor, q, limit=20)`` — ranked, highlighted, with the access
   subquery — for 28 queries (2-character words, pairs, phrases), 5 rounds, p50/p95.
   Tantivy (bench-only reference) indexes the same segmented terms and runs the same words.
3. Near-duplicates: ``similar_reports`` of 200 planted copies against the whole table;
   recall over pairs whose exact Jaccard >= 0.7, precision re-checked exactly.
Peak RSS is this process's (``ru_maxrss``); the PostgreSQL server's memory is not in it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_corpus import QUERIES, iter_corpus  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BATCH = 1000
PG_URL = "postgres://postgres@127.0.0.1:5432/"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def batched(items: Any, size: int) -> Any:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def setup_database(db: str, n: int) -> str:
    """Point Django at a fresh scratch database, migrate it, return its URL."""
    if db == "sqlite":
        path = Path(tempfile.gettempdir()) / f"tx_bench_{n}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import psycopg

        name = f"tx_bench_{n}"
        with psycopg.connect(PG_URL + "postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        url = PG_URL + name
    os.environ["MINYI_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return url


def make_people() -> tuple[Any, Any, Any]:
    from minyi.people.models import Organization, Role, RoleAssignment, User

    unit = Organization.objects.create(name="民盟市委", kind="democratic_party")
    writer = User.objects.create_user("bench-writer", password="x", display_name="录入")
    editor = User.objects.create_user("bench-editor", password="x", display_name="编辑")
    RoleAssignment.objects.create(user=editor, role=Role.EDITOR)
    return unit, writer, editor


def ingest(n: int, unit: Any, writer: Any) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """Load n reports; return timings and the planted (source pk, copy pk) pairs."""
    from django.db import transaction

    from minyi.core import clock
    from minyi.reports.models import Report
    from minyi.search.backends import document_for
    from minyi.search.models import ReportDocument
    from minyi.search.similar import report_text, save_bands

    pks: list[int] = []
    planted: list[tuple[int, int]] = []
    now = clock.now()
    seg_s = sig_s = 0.0
    chars = 0
    start = time.perf_counter()
    for docs in batched(iter_corpus(n), BATCH):
        with transaction.atomic():
            reports = Report.objects.bulk_create(
                Report(title=d.title, situation=d.body, created_by=writer, state="submitted",
                       submitting_unit=unit, submitted_at=now, revision_number=1)
                for d in docs
            )  # fmt: skip
            t = time.perf_counter()
            documents = [document_for(r) for r in reports]
            seg_s += time.perf_counter() - t
            ReportDocument.objects.bulk_create(documents)
            t = time.perf_counter()
            save_bands([r.pk for r in reports], [report_text(r) for r in reports])
            sig_s += time.perf_counter() - t
        for d, r in zip(docs, reports, strict=True):
            pks.append(r.pk)
            chars += len(d.title) + len(d.body)
            if d.source is not None:
                planted.append((pks[d.source], r.pk))
        if len(pks) % 50_000 == 0:
            say(f"  ingested {len(pks)} ({len(pks) / (time.perf_counter() - start):.0f}/s)")
    total = time.perf_counter() - start
    return {
        "ingest_s": round(total, 1),
        "ingest_reports_per_s": round(n / total),
        "segment_index_terms_chars_per_s": round(chars / seg_s),
        "signature_and_band_rows_reports_per_s": round(n / sig_s),
        "mean_chars": round(chars / n),
        "planted_pairs": len(planted),
    }, planted


def percentiles(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
        "max_ms": round(ms[-1], 2),
        "runs": len(ms),
    }


def bench_search(editor: Any, rounds: int = 5) -> dict[str, Any]:
    from minyi.search import search_reports

    for q in QUERIES:  # warm the caches once
        search_reports(editor, q, limit=20)
    timings = []
    hits = []
    for _ in range(rounds):
        for q in QUERIES:
            t = time.perf_counter()
            found = search_reports(editor, q, limit=20)
            timings.append((time.perf_counter() - t) * 1000)
            hits.append(len(found))
    return {**percentiles(timings), "mean_hits": round(statistics.mean(hits), 1)}


def bench_near_duplicates(planted: list[tuple[int, int]], sample: int = 200) -> dict[str, Any]:
    from minyi.reports.models import Report
    from minyi.search import similar_reports
    from minyi.search.similar import report_text
    from minyi.textlab.minhash import jaccard

    rng = random.Random(5)
    pairs = rng.sample(planted, min(sample, len(planted)))
    timings, found, relevant, returned, correct = [], 0, 0, 0, 0
    for src, copy in pairs:
        a, b = Report.objects.get(pk=src), Report.objects.get(pk=copy)
        text = report_text(b)
        t = time.perf_counter()
        result = similar_reports(text, exclude=[copy], threshold=0.7)
        timings.append((time.perf_counter() - t) * 1000)
        truth = jaccard(text, report_text(a))
        if truth >= 0.7:
            relevant += 1
            found += any(s.report_id == src for s in result)
        for s in result:  # precision: re-check every returned pair from scratch
            returned += 1
            other = report_text(Report.objects.get(pk=s.report_id))
            correct += jaccard(text, other) >= 0.7
    return {
        **percentiles(timings),
        "recall_at_0.7": round(found / relevant, 4) if relevant else None,
        "precision": round(correct / returned, 4) if returned else None,
        "pairs_checked": len(pairs),
    }


def bench_tantivy(rounds: int = 5) -> dict[str, Any]:
    """Index the stored segmented terms in tantivy and time the same queries (reference)."""
    import tantivy

    from minyi.search.models import ReportDocument
    from minyi.search.terms import parse_query

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True)
    builder.add_text_field("title")
    builder.add_text_field("body")
    schema = builder.build()
    folder = tempfile.mkdtemp(prefix="tx_tantivy_")
    index = tantivy.Index(schema, path=folder)
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    t = time.perf_counter()
    rows = ReportDocument.objects.values_list("report_id", "title_terms", "body_terms")
    for pk, title, body in rows.iterator(chunk_size=5000):
        writer.add_document(tantivy.Document(id=pk, title=title, body=body))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build_s = time.perf_counter() - t
    searcher = index.searcher()
    queries = []
    for q in QUERIES:
        parsed = parse_query(q)
        parts = [*parsed.terms, *(f'"{" ".join(p)}"' for p in parsed.phrases)]
        queries.append(index.parse_query(" AND ".join(parts), ["title", "body"]))
    timings = []
    for _ in range(rounds):
        for query in queries:
            t = time.perf_counter()
            searcher.search(query, 20).hits  # noqa: B018 - the hits are what is timed
            timings.append((time.perf_counter() - t) * 1000)
    return {"index_s": round(build_s, 1), **percentiles(timings)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--tantivy", action="store_true", help="add the tantivy reference")
    args = parser.parse_args()
    out: dict[str, Any] = {"db": args.db, "n": args.n, "cpu_count": os.cpu_count()}
    out["database"] = setup_database(args.db, args.n)
    unit, writer, editor = make_people()
    stats, planted = ingest(args.n, unit, writer)
    out["ingest"] = {**stats, "peak_rss_mib": peak_rss_mib()}
    say(json.dumps(out["ingest"]))
    out["search_top20"] = bench_search(editor)
    say(json.dumps(out["search_top20"]))
    out["near_duplicate"] = {**bench_near_duplicates(planted), "peak_rss_mib": peak_rss_mib()}
    say(json.dumps(out["near_duplicate"]))
    if args.tantivy:
        out["tantivy_top20"] = bench_tantivy()
        say(json.dumps(out["tantivy_top20"]))
    if args.db == "sqlite":
        path = Path(out["database"].removeprefix("sqlite:///"))
        out["sqlite_file_mib"] = round(path.stat().st_size / 2**20)
    out["peak_rss_mib"] = peak_rss_mib()
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"search_{args.db}_{args.n}.json"
    target.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"written {target}")


if __name__ == "__main__":
    main()
