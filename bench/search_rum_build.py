"""Bench: building the RUM and the GIN index of ``vector`` at once, on a kept database.

Run on a database filled by ``search_bench.py`` (e.g. during or after its ingest):
    .venv/bin/python bench/search_rum_build.py --db stream_g_bench_100000 --rows 30000
Copies the first ``--rows`` documents' tsvectors into a scratch table, times
``CREATE INDEX … USING rum`` and ``… USING gin`` (wall and the server backend's CPU) and
their sizes, drops the table, and writes ``bench/results/search_rum_build_<rows>.json``.
Compare with row-by-row upkeep in ``search_bench.py``'s ``index_rows`` phase: it is why
``rebuild_index`` drops the RUM index and builds it once after the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import psycopg

RESULTS = Path(__file__).resolve().parent / "results"


def cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args()
    out: dict[str, object] = {"cpu_count": os.cpu_count(), "load_average_at_start": os.getloadavg()}
    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{args.db}", autocommit=True) as c:
        pid = c.execute("SELECT pg_backend_pid()").fetchone()[0]
        c.execute(
            "CREATE TABLE stream_g_scratch AS SELECT report_id, vector FROM search_reportdocument"
            " ORDER BY report_id LIMIT %s",
            [args.rows],
        )
        c.execute("SET maintenance_work_mem = '256MB'")
        out["rows"] = c.execute("SELECT count(*) FROM stream_g_scratch").fetchone()[0]
        for name, method in (("rum", "rum (vector rum_tsvector_ops)"), ("gin", "gin (vector)")):
            wall, spent = time.perf_counter(), cpu(pid)
            c.execute(f"CREATE INDEX stream_g_scratch_{name} ON stream_g_scratch USING {method}")
            size = c.execute(f"SELECT pg_relation_size('stream_g_scratch_{name}')").fetchone()[0]
            out[name] = {
                "wall_s": round(time.perf_counter() - wall, 1),
                "server_cpu_s": round(cpu(pid) - spent, 1),
                "mib": round(size / 2**20, 1),
            }
        c.execute("DROP TABLE stream_g_scratch")
    out["load_average_at_end"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"search_rum_build_{out['rows']}.json"
    target.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out))  # noqa: T201 - the bench's report


if __name__ == "__main__":
    main()
