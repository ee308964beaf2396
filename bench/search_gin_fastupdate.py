"""Bench: the band-key GIN index with ``fastupdate`` on (then ``gin_clean_pending_list``) or off.

Run: .venv/bin/python bench/search_gin_fastupdate.py --n 100000
Writes ``bench/results/search_gin_fastupdate.json``. A scratch database ``stream_g_gin`` gets
a table shaped like ``search_reportdocument``'s band part (25 random 16-hex-digit keys a
row, the generated ``band_vector`` and its GIN index); rows go in by batches of 1,000 in
one transaction each, as the app's ingest writes them. Timed: the inserts, the flush of
the pending list, and 200 band-key lookups (the near-duplicate query) right after the
inserts, before and after the flush.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import psycopg

URL = "postgres://postgres@127.0.0.1:5432/"
DB = "stream_g_gin"
RESULTS = Path(__file__).resolve().parent / "results"
LOOKUP = (
    "SELECT id FROM band_bench WHERE band_vector @@ to_tsquery('simple', %s)"
    " ORDER BY id + 0 DESC LIMIT 5000"
)


def keys(rng: random.Random) -> str:
    return " ".join(f"k{rng.getrandbits(64):016x}" for _ in range(25))


def lookups(conn: psycopg.Connection, rows: list[str]) -> dict[str, float]:
    rng = random.Random(7)
    ms = []
    with conn.cursor() as cur:
        cur.execute("SET enable_seqscan = off")
        cur.execute("SET enable_indexscan = off")
        for text in rng.sample(rows, 200):
            query = " | ".join(text.split())
            start = time.perf_counter()
            cur.execute(LOOKUP, [query])
            cur.fetchall()
            ms.append((time.perf_counter() - start) * 1000)
    ms.sort()
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(ms[189], 2)}


def run(n: int, fastupdate: bool) -> dict[str, object]:
    rng = random.Random(42)
    with psycopg.connect(URL + "postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB}")
        admin.execute(f"CREATE DATABASE {DB}")
    with psycopg.connect(URL + DB, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE band_bench (id bigserial PRIMARY KEY, band_keys text NOT NULL,"
            " band_vector tsvector GENERATED ALWAYS AS"
            " (strip(to_tsvector('simple'::regconfig, band_keys))) STORED)"
        )
        option = "on" if fastupdate else "off"
        conn.execute(
            f"CREATE INDEX band_bench_gin ON band_bench USING gin (band_vector)"
            f" WITH (fastupdate = {option})"
        )
        rows: list[str] = []
        start = time.perf_counter()
        for _ in range(n // 1000):
            batch = [keys(rng) for _ in range(1000)]
            rows += batch
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO band_bench (band_keys) VALUES (%s)", [(b,) for b in batch]
                )
        insert_s = time.perf_counter() - start
        before = lookups(conn, rows)
        start = time.perf_counter()
        conn.execute("SELECT gin_clean_pending_list('band_bench_gin'::regclass)")
        flush_s = time.perf_counter() - start
        after = lookups(conn, rows)
        size = conn.execute("SELECT pg_relation_size('band_bench_gin')").fetchone()[0]
    with psycopg.connect(URL + "postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB}")
    return {
        "fastupdate": fastupdate,
        "rows": n,
        "insert_s": round(insert_s, 1),
        "flush_s": round(flush_s, 2),
        "insert_plus_flush_s": round(insert_s + flush_s, 1),
        "lookup_before_flush": before,
        "lookup_after_flush": after,
        "index_mib": round(size / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    out = {"cpu_count": os.cpu_count(), "load_average_at_start": os.getloadavg()}
    out["runs"] = [run(args.n, True), run(args.n, False)]
    out["load_average_at_end"] = os.getloadavg()
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search_gin_fastupdate.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
