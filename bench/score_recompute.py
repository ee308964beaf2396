"""Benchmark ``recompute_scores``: demo size and 100,000 members / 1,000,000 events.

Usage: .venv/bin/python bench/score_recompute.py [--members 100000 --reports 270000]
       [--database postgres://postgres@127.0.0.1:5432/test] [--repeat 3]

Synthetic data is written straight into a scratch database (raw
``executemany``; not timed): members, reports with 1–3 authors, forwardings,
and an event log with every verb a report goes through (create, submit,
accept, publish, forward, adopt, instruct): about 3.7 events per report. The
scratch database is a temporary SQLite file, or with ``--database`` a
PostgreSQL database created next to the one named and dropped at the end.
What is timed is ``minyi.scoring.ledger.recompute_year(year)`` end to end —
loading the year's events and reports with set-based queries, the pure
single-pass projection, deleting the old ledger and writing the new one — and,
separately, the projection alone on the same inputs. The timing runs in a
fresh child process (one thread), so its peak RSS is the recompute's own and
not the seeding's. Results go to bench/results/score_recompute.json, keyed
by database, so SQLite and PostgreSQL runs sit side by side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "score_recompute.json"
YEAR = 2025
LEVELS = ("national", "provincial", "municipal", "department")
REPORT_COLUMNS = (
    "id",
    "serial",
    "title",
    "situation",
    "analysis",
    "suggestions",
    "informant",
    "submitting_unit_id",
    "urgency",
    "consent_to_publish",
    "no_consent_reason",
    "state",
    "is_composite",
    "decline_reason",
    "state_note",
    "revision_number",
    "created_by_id",
    "created_at",
    "updated_at",
    "submitted_at",
    "state_changed_at",
)
EVENT_COLUMNS = (
    "id",
    "created_at",
    "verb",
    "object_type",
    "object_id",
    "report_id",
    "payload",
    "prev_hash",
    "hash",
)


def setup_django(url: str) -> None:
    """Point Django at the scratch database; settings read the variable once, at setup."""
    os.environ["MINYI_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
    import django

    django.setup()


# --- Synthetic world (parent process, not timed) ---------------------------


def insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Bulk-write rows: COPY on PostgreSQL (``executemany`` is a round trip a row there)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])


def utc_text(when: dt.datetime) -> str:
    """A UTC time as Django writes it on SQLite ("2025-03-01 08:00:00"): the year's bounds are
    compared as text there, and an ISO "T" would sort after every same-day bound."""
    return when.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


class World:
    """The rows of the synthetic year, built in memory and written with ``executemany``."""

    def __init__(self, members: int, units: list[int], recipients: list, admin: int) -> None:
        self.members, self.units, self.recipients, self.admin = members, units, recipients, admin
        self.reports: list[tuple] = []
        self.authors: list[tuple] = []
        self.forwardings: list[tuple] = []
        self.events: list[tuple] = []

    def event(self, verb: str, when: dt.datetime, report: int, obj: str, payload: dict) -> None:
        eid = len(self.events) + 1
        kind, pk = obj.split(":")
        stamp = utc_text(when)
        self.events.append(
            (
                eid,
                stamp,
                verb,
                kind,
                pk,
                report,
                json.dumps(payload),
                f"{eid - 1:064x}",
                f"{eid:064x}",
            )
        )

    def report(self, r: int, when: dt.datetime, rng: random.Random) -> None:
        urgency = "urgent" if rng.random() < 0.05 else "routine"
        stamp = utc_text(when)
        self.reports.append(
            (r, f"{YEAR}-{r:06d}", f"信息{r}", "", "", "", "", self.units[r % 40], urgency, True)
            + ("", "published", False, "", "", 1, self.admin, stamp, stamp, stamp, stamp)
        )
        count = rng.choice((1, 1, 2, 3))
        for position, member in enumerate(rng.sample(range(1, self.members + 1), count)):
            self.authors.append((r, member, position))
        obj = f"reports.report:{r}"
        self.event("create", when, r, obj, {})
        self.event("submit", when, r, obj, {"from": "draft", "to": "submitted"})
        self.event("accept", when + dt.timedelta(days=1), r, obj, {})
        if rng.random() < 0.3:
            self.outcomes(r, when + dt.timedelta(days=3), rng)

    def outcomes(self, r: int, out: dt.datetime, rng: random.Random) -> None:
        """Publish, forward, and sometimes adopt and instruct (the draws keep their old order)."""
        self.event("publish", out, r, f"reports.report:{r}", {"issue": "第1期"})
        recipient, _level = rng.choice(self.recipients)
        fid = len(self.forwardings) + 1
        self.forwardings.append((fid, r, recipient, "pending", utc_text(out), self.admin, ""))
        obj = f"outcomes.forwarding:{fid}"
        self.event("forward", out, r, obj, {})
        if rng.random() < 1 / 3:
            day = out + dt.timedelta(days=2)
            code = rng.choice(("single", "single", "combined", "transfer"))
            self.event("adopt", day, r, obj, {"code": code, "adopted_on": day.date().isoformat()})
        if rng.random() < 0.07:
            code = rng.choice(("national", "provincial", "municipal", "county"))
            self.event("instruct", out + dt.timedelta(days=5), r, obj, {"code": code})

    def write(self) -> None:
        insert("reports_report", REPORT_COLUMNS, self.reports)
        insert("reports_reportauthor", ("report_id", "member_id", "position"), self.authors)
        insert(
            "outcomes_forwarding",
            ("id", "report_id", "recipient_id", "state", "forwarded_at", "forwarded_by_id", "note"),
            self.forwardings,
        )
        insert("audit_event", EVENT_COLUMNS, self.events)


def seed(members: int, reports: int, rng: random.Random) -> int:
    """Write the synthetic world; return the number of events."""
    from minyi.outcomes.models import Recipient
    from minyi.people.models import Organization, OrgKind, User

    Organization.objects.create(name="示范市政协", kind=OrgKind.HOST)
    units = [
        Organization.objects.create(name=f"单位{i}", kind="democratic_party").pk for i in range(40)
    ]
    admin = User.objects.create_superuser("bench-admin")
    recipients = [
        (Recipient.objects.create(name=f"对象{i}", level=level).pk, level)
        for i, level in enumerate(LEVELS)
    ]
    insert(
        "people_member",
        ("id", "name", "title", "is_information_officer", "phone", "email", "active"),
        [(m, f"委员{m}", "", m % 10 == 0, "", "", True) for m in range(1, members + 1)],
    )
    world = World(members, units, recipients, admin.pk)
    start = dt.datetime(YEAR, 1, 1, 8, tzinfo=dt.UTC)
    for r in range(1, reports + 1):
        world.report(r, start + dt.timedelta(minutes=rng.randrange(60 * 24 * 360)), rng)
    world.write()
    reset_sequences()
    return len(world.events)


def reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; the next ORM insert would collide."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    sql = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def prepare(members: int, reports: int) -> tuple[int, float]:
    """Empty the scratch database, seed it and price it once; return (events, seconds)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from minyi.people.models import User
    from minyi.scoring.rules import default_input, do_save_ruleset

    call_command("flush", interactive=False, verbosity=0)
    began = time.perf_counter()
    with transaction.atomic():  # one transaction: SQLite would otherwise commit every row
        events = seed(members, reports, random.Random(7))
    # The first rule set prices the year, so the timed recompute replaces a full ledger.
    do_save_ruleset(User.objects.get(username="bench-admin"), YEAR, default_input(), note="bench")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a live system
    return events, time.perf_counter() - began


# --- Timing (child process) ------------------------------------------------


def measure(repeat: int) -> dict:
    """Time ``recompute_year`` ``repeat`` times and the projection alone; report medians."""
    from minyi.scoring import ledger

    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        rows = ledger.recompute_year(YEAR)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    inputs, book = ledger.load_inputs(YEAR), ledger.load_book(YEAR)
    began = time.perf_counter()
    projected = inputs.project(book)
    projection = time.perf_counter() - began
    assert len(projected) == rows
    return {
        "scoring_events": len(inputs.events),
        "ledger_rows": rows,
        "recompute_seconds_median": round(statistics.median(walls), 2),
        "recompute_seconds_runs": [round(w, 2) for w in walls],
        "recompute_cpu_seconds_median": round(statistics.median(cpus), 2),
        "projection_only_seconds": round(projection, 2),
        # ru_maxrss is in KiB on Linux; the child did nothing but recompute.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def measure_in_child(url: str, repeat: int) -> dict:
    command = [sys.executable, __file__, "--measure", url, "--repeat", str(repeat)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Scratch databases and the results file ---------------------------------


def scratch_postgres(url: str) -> tuple[str, str]:
    """Create a scratch database on the server ``url`` names; return (its url, the admin url)."""
    import psycopg

    parts = urlparse(url)
    name = f"minyi_score_bench_{os.getpid()}"
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parts._replace(path=f"/{name}")), admin


def drop_postgres(url: str, admin: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def save(database: str, entry: dict) -> None:
    """Keep the other database's figures: the file holds the latest run per database."""
    old = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    runs = old.get("runs", {}) if "runs" in old else {}
    runs[database] = entry
    out = {
        "what": "minyi.scoring.ledger.recompute_year, timed in a fresh child process",
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def run(url: str, members: int, reports: int, label: str, repeat: int) -> dict:
    events, setup = prepare(members, reports)
    sizes = {"size": label, "members": members, "reports": reports, "events": events}
    result = sizes | measure_in_child(url, repeat) | {"setup_seconds_not_timed": round(setup, 1)}
    print(json.dumps(result, ensure_ascii=False), flush=True)  # noqa: T201
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=270_000)
    parser.add_argument("--database", default="", help="a postgres:// URL (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", default="", help=argparse.SUPPRESS)  # the child's mode
    args = parser.parse_args()
    if args.measure:
        setup_django(args.measure)
        print(json.dumps(measure(args.repeat)))  # noqa: T201
        return
    admin = ""
    if args.database:
        url, admin = scratch_postgres(args.database)
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='minyi-bench-')) / 'bench.sqlite3'}"
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    try:
        sizes = [(325, 850, "demo"), (args.members, args.reports, "large")]
        results = [run(url, m, r, label, args.repeat) for m, r, label in sizes]
        vendor = connection.vendor
        version = connection.cursor().connection.info.server_version if admin else None
    finally:
        if admin:
            drop_postgres(url, admin)
        else:
            shutil.rmtree(Path(urlparse(url).path).parent, ignore_errors=True)
    entry = {
        "command": ".venv/bin/python bench/score_recompute.py " + " ".join(sys.argv[1:]),
        "database": f"PostgreSQL {version} (scratch database)"
        if admin
        else "SQLite (scratch file)",
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "results": results,
    }
    save("postgresql" if vendor == "postgresql" else "sqlite", entry)


if __name__ == "__main__":
    main()
