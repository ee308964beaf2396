"""Bench: build the N-report database with ``manage.py load_demo --scale N`` and time it.

Builds into a fresh database that is kept for the page and load benches: on SQLite
the file ``var/scale-N.sqlite3`` (``--path`` to choose another), on PostgreSQL the
database named in ``--postgres URL`` (dropped and created anew first). Times the
migrations and the load, with the load's own steps (the template year replayed, the
copies, the search index, the clocks, author feedback, the points ledger), and
writes them to ``bench/results/load_demo_scale_<database>_<N>.json`` with the core
count. On a machine shared with other work the figures are pessimistic.

Run: .venv/bin/python bench/load_demo_scale.py [--scale 100000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"


def fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> float:
    began = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)
    return time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--path", default="", help="SQLite file (default var/scale-N.sqlite3)")
    parser.add_argument("--postgres", default="", help="postgres://…/name: build there instead")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.postgres:
        fresh_postgres(args.postgres)
        env["MINYI_DATABASE_URL"], vendor = args.postgres, "postgres"
    else:
        path = Path(args.path or ROOT / "var" / f"scale-{args.scale}.sqlite3").resolve()
        for stale in path.parent.glob(f"{path.name}*"):
            stale.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        env["MINYI_DATABASE_URL"], vendor = f"sqlite:///{path}", "sqlite"
    with tempfile.TemporaryDirectory() as tmp:
        steps = Path(tmp) / "steps.json"
        migrate = manage(env, "migrate", "-v0")
        load = manage(env, "load_demo", "--scale", str(args.scale), "--timings", str(steps))
        body = json.loads(steps.read_text(encoding="utf-8"))
    body["seconds"] = {"migrate": round(migrate, 1), "load_demo": round(load, 1), **body["seconds"]}
    body["command"] = " ".join(sys.argv)
    body["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    body["note"] = (
        f"{os.cpu_count()} cores shared with other work while this ran: the figures are "
        "pessimistic. Steps: template_year = the demo year replayed (users, 3,000 members, "
        "600 reports); copies = the bulk copies and their events; search_index = full "
        "rebuild; report_clocks = every report's clocks; author_feedback = the copies' "
        "notifications in bulk; points_ledger = seed_scoring's recompute of every year."
    )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"load_demo_scale_{vendor}_{args.scale}.json"
    out.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"{vendor}, N={args.scale}, {os.cpu_count()} cores: load_demo {load:.0f} s, "
        f"migrate {migrate:.0f} s → {out.relative_to(ROOT)}\n"
    )


if __name__ == "__main__":
    main()
