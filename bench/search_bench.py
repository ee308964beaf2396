"""Bench: ingest, ranked search and near-duplicate checks at scale, through the real code.

Run (each run makes its own scratch database, named ``<--name>_<n>``, and deletes it):
    .venv/bin/python bench/search_bench.py --n 100000 --db sqlite --tantivy
    .venv/bin/python bench/search_bench.py --n 100000 --db postgres --tantivy
Writes ``bench/results/search_<db>_<n>.json``. On a shared machine a big database is
built faster with ``--workers 2`` (segmentation and signatures in worker processes; the
rows still go through ``save_documents`` in the main process), ``--keep`` and ``--reuse``
run the query phases again on a kept database; ``--copy-from-sqlite`` fills PostgreSQL
by COPY (the best case: not what the app does, kept for comparison).

1. Ingest: real-text reports (``search_corpus``: the teddy2020 messages recombined by
   sentence and paragraph, places and numbers varied, seed 42, 1% planted near-
   duplicates) go in batches of 1,000 through ``bulk_create`` of the report rows,
   ``documents_for``'s segmentation and band keys and ``save_documents``, one
   transaction per batch, as ``rebuild_index`` does; then the app's post-bulk-write step
   (``core.dbstats.analyze``: GIN pending lists merged, tables analysed), timed apart.
2. Right after ingest — before that step (``before_ready``) and after it
   (``right_after_ingest``), no VACUUM, nothing warmed: one round of every query and
   100 near-duplicate checks.
3. Warm: 5 rounds of every query (``search_reports(editor, q, limit=20)``) and 200
   near-duplicate checks (``similar_reports`` of planted copies; recall at J >= 0.7,
   precision re-checked exactly).
4. With ``--tantivy`` (``search_compare``): equal-work timings interleaved with tantivy
   in this run (minyi's ranking SQL alone vs tantivy's query; end to end vs tantivy's
   query + the same loading and snippets), match counts per query and top-20 overlaps
   with ranking all matches.
Queries (``search_corpus.pick_queries``): real words and phrases at several frequencies.
Peak RSS is this process's (``ru_maxrss``); the PostgreSQL server's memory is not in it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import statistics
import sys
import tempfile
import threading
import time
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_compare import Tantivy, agreement, equal_work, explain_rank, postgres_sizes  # noqa: E402
from search_corpus import iter_corpus, pick_queries  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BATCH = 1000
PG_URL = "postgres://postgres@127.0.0.1:5432/"
#: Scratch database names are ``<NAME>_<n>`` (``--name``): one per helper on a shared server.
NAME = "search_bench"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def batched(items: Any, size: int) -> Any:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def scratch_url(db: str, n: int) -> str:
    if db == "sqlite":
        return f"sqlite:///{Path(tempfile.gettempdir()) / f'{NAME}_{n}.sqlite3'}"
    return PG_URL + f"{NAME}_{n}"


def connect_database(db: str, n: int) -> str:
    """Point Django at the scratch database and set it up; return its URL."""
    url = scratch_url(db, n)
    os.environ["MINYI_DATABASE_URL"] = url
    # Debug mode keeps the last 9,000 SQL strings, each bulk insert a megabyte of text:
    # gigabytes by the end of a big ingest, which production never holds.
    os.environ.setdefault("MINYI_DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
    import django

    django.setup()
    return url


def setup_database(db: str, n: int) -> str:
    """Point Django at a fresh scratch database, migrate it, return its URL."""
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(scratch_url(db, n).removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(PG_URL + "postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {NAME}_{n}")
            conn.execute(f"CREATE DATABASE {NAME}_{n}")
    url = connect_database(db, n)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def make_people() -> tuple[Any, Any, Any]:
    from minyi.people.models import Organization, Role, RoleAssignment, User

    unit = Organization.objects.create(name="民盟市委", kind="democratic_party")
    writer = User.objects.create_user("bench-writer", password="x", display_name="录入")
    editor = User.objects.create_user("bench-editor", password="x", display_name="编辑")
    RoleAssignment.objects.create(user=editor, role=Role.EDITOR)
    return unit, writer, editor


def server_pid() -> int | None:
    """The PostgreSQL backend serving this process (same machine), None on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) of another local process, 0 when there is none."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Clock:
    """Wall and CPU seconds spent per phase, summed over batches.

    ``cpu`` counts this process and, on PostgreSQL, the server backend doing its
    inserts: together what one core would spend.
    """

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.server = server_pid()

    def run(self, phase: str, work: Any, *args: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time() + process_cpu(self.server)
        result = work(*args)
        self.wall[phase] = self.wall.get(phase, 0.0) + time.perf_counter() - wall
        spent = time.process_time() + process_cpu(self.server) - cpu
        self.cpu[phase] = self.cpu.get(phase, 0.0) + spent
        return result


def _insert_reports(docs: list[Any], unit: Any, writer: Any, now: Any) -> list[Any]:
    from minyi.reports.models import Report

    return Report.objects.bulk_create(
        Report(title=d.title, situation=d.body, created_by=writer, state="submitted",
               submitting_unit=unit, submitted_at=now, revision_number=1)
        for d in docs
    )  # fmt: skip


def _documents(
    reports: list[Any], terms: list[tuple[str, str]], keys: list[str], now: Any
) -> list[Any]:
    """The search documents ``documents_for`` would build, from terms and keys made apart."""
    from minyi.search.models import ReportDocument

    return [ReportDocument(report=r, title_terms=t, body_terms=b, band_keys=k, indexed_at=now)
            for r, (t, b), k in zip(reports, terms, keys, strict=True)]  # fmt: skip


def _index_batch(clock: Clock, reports: list[Any]) -> None:
    """The search side of ingest, as ``rebuild_index`` does it: words, band keys, rows."""
    from minyi.search.backends import save_documents
    from minyi.search.similar import band_words, report_text
    from minyi.search.terms import document_terms

    now = reports[0].submitted_at
    terms = clock.run("segment", lambda: [
        (document_terms(r.title), document_terms(r.situation)) for r in reports])  # fmt: skip
    keys = clock.run("signature", band_words, [report_text(r) for r in reports])
    clock.run("index_rows", save_documents, _documents(reports, terms, keys, now))


def _ingest_figures(n: int, chars: int, clock: Clock, planted: int) -> dict[str, Any]:
    """Index rate = segment + index rows + signature/bands, the issue's definition; the
    report rows themselves (the app's insert, not search's) and the synthetic corpus are
    timed apart. CPU seconds are this process's: on a shared machine wall time also
    counts waiting for a core; on PostgreSQL the server backend's CPU is included."""
    index_phases = ("segment", "signature", "index_rows")
    index_wall = sum(clock.wall[p] for p in index_phases)
    index_cpu = sum(clock.cpu[p] for p in index_phases)
    return {
        "reports": n,
        "ingest_reports_per_s": round(n / index_wall),
        "ingest_reports_per_cpu_s": round(n / index_cpu),
        "ingest_with_report_rows_per_s": round(n / (index_wall + clock.wall["report_rows"])),
        "segment_chars_per_s": round(chars / clock.wall["segment"]),
        "segment_chars_per_cpu_s": round(chars / clock.cpu["segment"]),
        "signature_reports_per_s": round(n / clock.wall["signature"]),
        "phase_wall_s": {k: round(v, 1) for k, v in clock.wall.items()},
        "phase_cpu_s": {k: round(v, 1) for k, v in clock.cpu.items()},
        "mean_chars": round(chars / n),
        "planted_pairs": planted,
    }


def _prepare(docs: list[Any]) -> tuple[list[tuple[str, str]], list[str], float, float]:
    """In a worker: the CPU-bound half of ingest (terms, band keys) with its CPU seconds.

    The same calls ``documents_for`` makes, on the same texts.
    """
    from minyi.search.similar import band_words, similarity_text
    from minyi.search.terms import document_terms

    start = time.process_time()
    terms = [(document_terms(d.title), document_terms(d.body)) for d in docs]
    middle = time.process_time()
    keys = band_words([similarity_text(d.title, d.body) for d in docs])
    return terms, keys, middle - start, time.process_time() - middle


def _write_prepared(clock: Clock, reports: list[Any], prepared: Any, now: Any) -> None:
    """In the main process: the rows ``_index_batch`` would write, from a worker's terms."""
    from minyi.search.backends import save_documents

    terms, keys, seg_cpu, sig_cpu = prepared
    clock.cpu["segment"] = clock.cpu.get("segment", 0.0) + seg_cpu
    clock.cpu["signature"] = clock.cpu.get("signature", 0.0) + sig_cpu
    clock.run("index_rows", save_documents, _documents(reports, terms, keys, now))


def fill(n: int, unit: Any, writer: Any, workers: int) -> tuple[dict[str, Any], list[Any]]:
    """Load n reports with segmentation and signatures in ``workers`` processes.

    Only to build a big database sooner on a shared machine: the figures are CPU
    seconds summed over the processes, i.e. what one core would spend. As
    ``rebuild_index`` does, the backend's ranking index (RUM) is dropped for the fill and
    built once after it: kept row by row it would cost ~6.6 ms of server CPU a report.
    """
    from minyi.search.backends import get_backend

    backend = get_backend()
    backend.clear()
    try:
        stats, planted = _fill(n, unit, writer, workers)
    finally:
        start = time.perf_counter()
        backend.finish()
        built = round(time.perf_counter() - start, 1)
        say(f"  ranking index built in {built} s")
    return {**stats, "ranking_index_build_s": built}, planted


def _fill(n: int, unit: Any, writer: Any, workers: int) -> tuple[dict[str, Any], list[Any]]:
    import multiprocessing

    from django.db import transaction

    from minyi.core import clock as app_clock

    pks: list[int] = []
    planted: list[tuple[int, int]] = []
    now = app_clock.now()
    clock = Clock()
    chars = 0
    start = time.perf_counter()
    docs_by_batch: list[list[Any]] = []
    # imap drains its input as fast as it can; without this the whole corpus waited
    # in memory (6.6 GiB at 164k reports) for the writer.
    in_flight = threading.BoundedSemaphore(2 * workers)

    def feed() -> Any:
        for docs in batched(iter_corpus(n), BATCH):
            in_flight.acquire()
            docs_by_batch.append(docs)
            yield docs

    # Workers ignore Ctrl-C: only the main process stops ingest, between batches.
    ignore = (signal.SIGINT, signal.SIG_IGN)
    with multiprocessing.get_context("fork").Pool(workers, signal.signal, ignore) as pool:
        try:
            for i, prepared in enumerate(pool.imap(_prepare, feed())):
                docs, docs_by_batch[i] = docs_by_batch[i], []
                in_flight.release()
                with transaction.atomic():
                    reports = clock.run("report_rows", _insert_reports, docs, unit, writer, now)
                    _write_prepared(clock, reports, prepared, now)
                chars += _record(docs, reports, pks, planted)
                if len(pks) % 50_000 == 0:
                    say(f"  filled {len(pks)} ({len(pks) / (time.perf_counter() - start):.0f}/s)")
        except KeyboardInterrupt:  # the batch under way was rolled back; bench what is in
            say(f"  stopped early at {len(pks)}")
    wall = time.perf_counter() - start
    return _fill_figures(len(pks), chars, clock, len(planted), wall), planted


def _record(docs: list[Any], reports: list[Any], pks: list[int], planted: list[Any]) -> int:
    """Note the new ids and planted pairs of a batch; return its characters."""
    chars = 0
    for d, r in zip(docs, reports, strict=True):
        pks.append(r.pk)
        chars += len(d.title) + len(d.body)
        if d.source is not None:
            planted.append((pks[d.source], r.pk))
    return chars


def _fill_figures(n: int, chars: int, clock: Clock, planted: int, wall: float) -> dict[str, Any]:
    index_cpu = sum(clock.cpu[p] for p in ("segment", "signature", "index_rows"))
    return {
        "filled_with_worker_processes": True,
        "reports": n,
        "fill_wall_s": round(wall, 1),
        "ingest_reports_per_cpu_s": round(n / index_cpu),
        "ingest_with_report_rows_per_cpu_s": round(n / (index_cpu + clock.cpu["report_rows"])),
        "segment_chars_per_cpu_s": round(chars / clock.cpu["segment"]),
        "signature_reports_per_cpu_s": round(n / clock.cpu["signature"]),
        "phase_cpu_s": {k: round(v, 1) for k, v in clock.cpu.items()},
        "mean_chars": round(chars / n),
        "planted_pairs": planted,
    }


def ingest(n: int, unit: Any, writer: Any) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """Load n reports; return timings and the planted (source pk, copy pk) pairs."""
    from django.db import transaction

    from minyi.core import clock as app_clock

    pks: list[int] = []
    planted: list[tuple[int, int]] = []
    now = app_clock.now()
    clock = Clock()
    chars = 0
    start = time.perf_counter()
    try:
        for docs in batched(iter_corpus(n), BATCH):
            with transaction.atomic():
                reports = clock.run("report_rows", _insert_reports, docs, unit, writer, now)
                _index_batch(clock, reports)
            chars += _record(docs, reports, pks, planted)
            if len(pks) % 50_000 == 0:
                say(f"  ingested {len(pks)} ({len(pks) / (time.perf_counter() - start):.0f}/s)")
    except KeyboardInterrupt:  # the batch under way was rolled back; bench what is in
        say(f"  stopped early at {len(pks)}")
    n = len(pks)
    stats = _ingest_figures(n, chars, clock, len(planted))
    total = time.perf_counter() - start
    # What is left is the synthetic corpus being generated, which is not ingest.
    stats["phase_wall_s"]["corpus_and_loop"] = round(total - sum(clock.wall.values()), 1)
    return {"ingest_total_wall_s": round(total, 1), **stats}, planted


def ingest_rebuild(n: int, unit: Any, writer: Any) -> tuple[dict[str, Any], list[Any]]:
    """A big import's path: the report rows in batches, then ``rebuild_index`` (what
    ``manage.py rebuild_search_index`` runs): documents in batches of 1,000 without the
    RUM index, which is built once at the end, and the post-bulk-write step."""
    from django.db import transaction

    from minyi.core import clock as app_clock
    from minyi.search.backends import rebuild_index

    pks: list[int] = []
    planted: list[tuple[int, int]] = []
    now = app_clock.now()
    clock = Clock()
    chars = 0
    start = time.perf_counter()
    for docs in batched(iter_corpus(n), BATCH):
        with transaction.atomic():
            reports = clock.run("report_rows", _insert_reports, docs, unit, writer, now)
        chars += _record(docs, reports, pks, planted)
        if len(pks) % 100_000 == 0:
            say(f"  rows {len(pks)} ({len(pks) / (time.perf_counter() - start):.0f}/s)")

    def progress(done: int, total: int) -> None:
        if done % 100_000 == 0:
            say(f"  indexed {done} of {total}")

    clock.run("rebuild_index", rebuild_index, progress)
    total = time.perf_counter() - start
    n = len(pks)
    stats = {
        "path": "report rows by bulk_create, then search.backends.rebuild_index",
        "ingest_total_wall_s": round(total, 1),
        "reports": n,
        "rebuild_reports_per_s": round(n / clock.wall["rebuild_index"]),
        "rebuild_reports_per_cpu_s": round(n / clock.cpu["rebuild_index"]),
        "phase_wall_s": {k: round(v, 1) for k, v in clock.wall.items()},
        "phase_cpu_s": {k: round(v, 1) for k, v in clock.cpu.items()},
        "mean_chars": round(chars / n),
        "planted_pairs": len(planted),
    }
    stats["phase_wall_s"]["corpus_and_loop"] = round(total - sum(clock.wall.values()), 1)
    return stats, planted


def percentiles(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
        "max_ms": round(ms[-1], 2),
        "runs": len(ms),
    }


def bench_search(
    editor: Any, queries: list[str], rounds: int = 5, *, warm: bool = True
) -> dict[str, Any]:
    from minyi.search import search_reports

    if warm:
        for q in queries:  # warm the caches once
            search_reports(editor, q, limit=20)
    timings, cpu, hits = [], [], []
    by_query: dict[str, list[float]] = {q: [] for q in queries}
    server = server_pid()
    server_start = process_cpu(server)
    for _ in range(rounds):
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            found = search_reports(editor, q, limit=20)
            timings.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            hits.append(len(found))
            by_query[q].append(timings[-1])
    return {
        **percentiles(timings),
        **cpu_figures(cpu, process_cpu(server) - server_start),
        "mean_hits": round(statistics.mean(hits), 1),
        # Which queries set the p95: the median of each one's rounds.
        "median_ms_by_query": {q: round(statistics.median(ms), 1) for q, ms in by_query.items()},
    }


def cpu_figures(cpu_ms: list[float], server_s: float) -> dict[str, float]:
    """CPU per query: on a loaded machine wall time also counts waiting for a core.

    This process's CPU is the whole query on SQLite and the client side on PostgreSQL;
    the server backend's is only known in 10 ms ticks, so it is given as a mean.
    """
    figures = percentiles(cpu_ms)
    return {
        "cpu_p50_ms": figures["p50_ms"],
        "cpu_p95_ms": figures["p95_ms"],
        "server_cpu_mean_ms": round(server_s * 1000 / len(cpu_ms), 2),
    }


def bench_near_duplicates(planted: list[tuple[int, int]], sample: int = 200) -> dict[str, Any]:
    from minyi.reports.models import Report
    from minyi.search import similar_reports
    from minyi.search.similar import report_text
    from minyi.textlab.minhash import jaccard

    rng = random.Random(5)
    pairs = rng.sample(planted, min(sample, len(planted)))
    timings, cpu, found, relevant, returned, correct = [], [], 0, 0, 0, 0
    server = server_pid()
    server_s = 0.0
    for src, copy in pairs:
        a, b = Report.objects.get(pk=src), Report.objects.get(pk=copy)
        text = report_text(b)
        t, c, s = time.perf_counter(), time.process_time(), process_cpu(server)
        result = similar_reports(text, exclude=[copy], threshold=0.7)
        timings.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        server_s += process_cpu(server) - s
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
        **cpu_figures(cpu, server_s),
        "recall_at_0.7": round(found / relevant, 4) if relevant else None,
        "precision": round(correct / returned, 4) if returned else None,
        "pairs_checked": len(pairs),
    }


COPIED = {
    "reports_report": "SELECT {cols} FROM reports_report ORDER BY id",
    "search_reportdocument": "SELECT {cols} FROM search_reportdocument ORDER BY report_id",
}


def _columns(src: Any, table: str) -> list[str]:
    return [row[1] for row in src.execute(f"PRAGMA table_info({table})")]


def _secondary_indexes(cursor: Any) -> list[tuple[str, str]]:
    """The search tables' indexes other than primary keys: dropped while copying."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN"
        " ('search_reportdocument') AND indexname NOT LIKE '%%_pkey'"
    )
    return cursor.fetchall()


def _copy_table(src: Any, cursor: Any, table: str) -> int:
    cols = ", ".join(_columns(src, table))
    rows = 0
    with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in src.execute(COPIED[table].format(cols=cols)):
            copy.write_row(row)
            rows += 1
    return rows


def copy_from_sqlite(n: int) -> tuple[dict[str, Any], list[Any]]:
    """Fill the PostgreSQL scratch database from the SQLite one --keep left (same n).

    The same reports, terms and band keys, by COPY: segmenting 1M reports again is an
    hour of CPU on a shared machine. The tsvector is still computed by PostgreSQL (a
    generated column) and the indexes built, so the database is what ingest makes;
    PostgreSQL's ingest rate comes from a run through the real path at a smaller n.
    """
    import sqlite3

    from django.db import connection

    src = sqlite3.connect(f"file:{scratch_url('sqlite', n).removeprefix('sqlite:///')}?mode=ro",
                          uri=True)  # fmt: skip
    saved = json.loads(planted_path("sqlite", n).read_text())
    clock = Clock()
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no FK triggers per row
        cursor.execute("SET TIME ZONE 'UTC'")  # SQLite holds Django's UTC times as text
        cursor.execute("SET maintenance_work_mem = '1GB'")
        indexes = _secondary_indexes(cursor)
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        counts = {t: clock.run(f"copy_{t}", _copy_table, src, cursor, t) for t in COPIED}
        for name, definition in indexes:
            clock.run(f"index_{name}", cursor.execute, definition)
        cursor.execute("SELECT setval(pg_get_serial_sequence('reports_report', 'id'), "
                       "(SELECT max(id) FROM reports_report))")  # fmt: skip
        clock.run("analyze", cursor.execute, "ANALYZE")
        cursor.execute("SET session_replication_role = DEFAULT")
    stats = {
        "copied_from_sqlite": True,
        "reports": counts["reports_report"],
        "rows": counts,
        "phase_wall_s": {k: round(v, 1) for k, v in clock.wall.items()},
        "phase_cpu_s_client_and_server": {k: round(v, 1) for k, v in clock.cpu.items()},
        "sqlite_ingest": saved["ingest"],
    }
    return stats, [tuple(p) for p in saved["planted"]]


def planted_path(db: str, n: int) -> Path:
    return Path(tempfile.gettempdir()) / f"{NAME}_{db}_{n}.planted.json"


def load_or_ingest(args: argparse.Namespace, out: dict[str, Any]) -> tuple[Any, list[Any]]:
    """Ingest into a fresh scratch database, or with --reuse take the one --keep left."""
    if args.reuse:
        out["database"] = connect_database(args.db, args.n)
        from minyi.people.models import User

        saved = json.loads(planted_path(args.db, args.n).read_text())
        out["ingest"] = saved["ingest"]
        return User.objects.get(username="bench-editor"), [tuple(p) for p in saved["planted"]]
    out["database"] = setup_database(args.db, args.n)
    if args.gin:
        from django.db import connection

        from minyi.search.rum import use_gin

        with connection.schema_editor() as editor_:
            use_gin(editor_)
    if args.no_tier:
        from django.db import connection

        from minyi.search.rum import TIER_INDEX

        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {TIER_INDEX}")
    unit, writer, editor = make_people()
    if args.copy_from_sqlite:
        stats, planted = copy_from_sqlite(args.n)
    elif args.rebuild:
        stats, planted = ingest_rebuild(args.n, unit, writer)
    elif args.workers:
        stats, planted = fill(args.n, unit, writer, args.workers)
    else:
        stats, planted = ingest(args.n, unit, writer)
    out["ingest"] = {**stats, "peak_rss_mib": peak_rss_mib()}
    say(json.dumps(out["ingest"]))
    if args.keep:
        saved = {"ingest": out["ingest"], "planted": planted}
        planted_path(args.db, args.n).write_text(json.dumps(saved))
    return editor, planted


def drop_database(db: str, n: int, url: str) -> None:
    """Delete the scratch database (a 1M one takes several GB)."""
    from django.db import connections

    connections.close_all()
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(PG_URL + "postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {NAME}_{n}")
    planted_path(db, n).unlink(missing_ok=True)


def ready_after_ingest() -> float:
    """The app's post-bulk-write step (what ``rebuild_index`` ends with); its seconds."""
    from minyi.core.dbstats import analyze
    from minyi.reports.models import Report
    from minyi.search.models import ReportDocument

    start = time.perf_counter()
    analyze([Report, ReportDocument])
    return round(time.perf_counter() - start, 2)


def right_after(editor: Any, queries: list[str], planted: list[Any]) -> dict[str, Any]:
    """One cold round of every query and 100 near-duplicate checks: nothing warmed first."""
    search = bench_search(editor, queries, rounds=1, warm=False)
    return {"search": search, "near_duplicate": bench_near_duplicates(planted, sample=100)}


def query_phases(args: argparse.Namespace, out: dict[str, Any], editor: Any, planted: Any) -> None:
    from django.db import connection

    from minyi.search.rum import rum_index_exists

    info = pick_queries()
    queries = [q["query"] for q in info]
    out["queries"] = info
    if not args.reuse:
        out["before_ready"] = right_after(editor, queries, planted)
        say(json.dumps(out["before_ready"]["near_duplicate"]))
        out["ready_after_ingest_s"] = ready_after_ingest()
        out["right_after_ingest"] = right_after(editor, queries, planted)
        say(json.dumps(out["right_after_ingest"]["search"]))
    if connection.vendor == "postgresql":
        out["ranking"] = "rum" if rum_index_exists() else "gin_newest_window"
        out["sizes_mib"] = postgres_sizes()
        common = next(q["query"] for q in info if q["kind"] == "common")
        out["explain_common_word"] = explain_rank(editor, common)
    out["search_top20"] = bench_search(editor, queries)
    say(json.dumps(out["search_top20"]))
    out["near_duplicate"] = {**bench_near_duplicates(planted), "peak_rss_mib": peak_rss_mib()}
    say(json.dumps(out["near_duplicate"]))
    engine = Tantivy() if args.tantivy else None
    if engine is not None:
        out["tantivy_index_s"] = engine.build_s
        out["equal_work"] = equal_work(editor, queries, engine)
        say(json.dumps({k: v for k, v in out["equal_work"].items() if "by_query" not in k}))
    out["agreement"] = agreement(editor, queries, engine)
    say(json.dumps(out["agreement"]["mean_top20_overlap"]))
    if engine is not None:
        engine.close()


def main() -> None:
    global NAME
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--name", default=NAME, help="scratch database name prefix")
    parser.add_argument("--gin", action="store_true", help="postgres: GIN, not RUM")
    parser.add_argument(
        "--no-tier", action="store_true", help="postgres: RUM without the title tier's index"
    )
    parser.add_argument("--tantivy", action="store_true", help="add the tantivy reference")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="skip ingest: use a kept database")
    parser.add_argument(
        "--workers", type=int, default=0, help="segment and sign in this many processes"
    )
    parser.add_argument(
        "--copy-from-sqlite", action="store_true", help="postgres: fill from a kept SQLite run"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="report rows, then rebuild_index (a big import)"
    )
    parser.add_argument("--tag", default="", help="suffix of the result file name")
    args = parser.parse_args()
    NAME = args.name
    # Started in the background (nohup … &) SIGINT is ignored; restore Ctrl-C's meaning.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    out: dict[str, Any] = {"db": args.db, "n": args.n, "cpu_count": os.cpu_count()}
    out["command"] = " ".join(sys.argv)
    out["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    editor, planted = load_or_ingest(args, out)
    # Ctrl-C (SIGINT) during ingest stops it early; the rest runs on what was loaded.
    out["n"] = out["ingest"].get("reports", args.n)
    out["n_requested"] = args.n
    query_phases(args, out, editor, planted)
    if args.db == "sqlite":
        path = Path(out["database"].removeprefix("sqlite:///"))
        out["sqlite_file_mib"] = round(path.stat().st_size / 2**20)
    out["peak_rss_mib"] = peak_rss_mib()
    out["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if not (args.keep or args.reuse):
        drop_database(args.db, args.n, out["database"])
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"search_{args.db}_{out['n']}{args.tag}.json"
    target.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"written {target}")


if __name__ == "__main__":
    main()
