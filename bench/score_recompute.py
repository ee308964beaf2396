"""Benchmark ``recompute_scores``: demo size and 100,000 members / 1,000,000 events.

Usage: .venv/bin/python bench/score_recompute.py [--members 100000 --reports 300000]

Synthetic data is written straight into a scratch SQLite database (raw
``executemany``; not timed): members, reports with 1–3 authors, forwardings,
and an event log with every verb a report goes through (create, submit,
accept, publish, forward, adopt, instruct): about 3.7 events per report.
What is timed is ``minyi.scoring.ledger.recompute_year(year)`` end to end —
loading the year's events and reports with set-based queries, the pure
single-pass projection, deleting the old ledger and writing the new one — and,
separately, the projection alone on the same inputs. One process, one thread.
Results go to bench/results/score_recompute.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="minyi-bench-")) / "bench.sqlite3"
os.environ["MINYI_DATABASE_URL"] = f"sqlite:///{SCRATCH}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from minyi.scoring import ledger  # noqa: E402
from minyi.scoring.projection import project  # noqa: E402

YEAR = 2025
LEVELS = ("national", "provincial", "municipal", "department")


def insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])


def seed(members: int, reports: int, rng: random.Random) -> int:
    """Write the synthetic world; return the number of events."""
    from minyi.people.models import Organization, OrgKind, User
    from minyi.scoring.rules import default_input, do_save_ruleset

    Organization.objects.create(name="示范市政协", kind=OrgKind.HOST)
    units = [
        Organization.objects.create(name=f"单位{i}", kind="democratic_party") for i in range(40)
    ]
    admin = User.objects.create_superuser("bench-admin")
    recipients = []
    with connection.cursor() as cursor:
        for i, level in enumerate(LEVELS):
            cursor.execute(
                "INSERT INTO outcomes_recipient (name, level, active, sort_order)"
                " VALUES (%s, %s, 1, 0)",
                [f"对象{i}", level],
            )
            recipients.append((cursor.lastrowid, level))
    insert(
        "people_member",
        ("id", "name", "title", "is_information_officer", "phone", "email", "active"),
        [(m, f"委员{m}", "", m % 10 == 0, "", "", True) for m in range(1, members + 1)],
    )
    start = dt.datetime(YEAR, 1, 1, 8, tzinfo=dt.UTC)
    report_rows, author_rows, forwarding_rows, events = [], [], [], []
    eid = fid = 0

    def event(verb: str, when: dt.datetime, report: int, obj: str, payload: dict) -> None:
        nonlocal eid
        eid += 1
        events.append(
            (
                eid,
                when.isoformat(),
                verb,
                obj.split(":")[0],
                obj.split(":")[1],
                report,
                json.dumps(payload),
                f"{eid - 1:064x}",
                f"{eid:064x}",
            )
        )

    for r in range(1, reports + 1):
        when = start + dt.timedelta(minutes=rng.randrange(60 * 24 * 360))
        urgency = "urgent" if rng.random() < 0.05 else "routine"
        report_rows.append(
            (
                r,
                f"{YEAR}-{r:06d}",
                f"信息{r}",
                "",
                "",
                "",
                "",
                units[r % 40].pk,
                urgency,
                True,
                "",
                "published",
                False,
                "",
                "",
                1,
                admin.pk,
                when.isoformat(),
                when.isoformat(),
                when.isoformat(),
                when.isoformat(),
            )
        )
        for position, member in enumerate(
            rng.sample(range(1, members + 1), rng.choice((1, 1, 2, 3)))
        ):
            author_rows.append((r, member, position))
        event("create", when, r, f"reports.report:{r}", {})
        event("submit", when, r, f"reports.report:{r}", {"from": "draft", "to": "submitted"})
        event("accept", when + dt.timedelta(days=1), r, f"reports.report:{r}", {})
        if rng.random() < 0.3:
            out = when + dt.timedelta(days=3)
            event("publish", out, r, f"reports.report:{r}", {"issue": "第1期"})
            recipient, level = rng.choice(recipients)
            fid += 1
            forwarding_rows.append((fid, r, recipient, "pending", out.isoformat(), admin.pk, ""))
            event("forward", out, r, f"outcomes.forwarding:{fid}", {})
            if rng.random() < 1 / 3:
                day = (out + dt.timedelta(days=2)).date().isoformat()
                event(
                    "adopt",
                    out + dt.timedelta(days=2),
                    r,
                    f"outcomes.forwarding:{fid}",
                    {
                        "code": rng.choice(("single", "single", "combined", "transfer")),
                        "adopted_on": day,
                    },
                )
            if rng.random() < 0.07:
                event(
                    "instruct",
                    out + dt.timedelta(days=5),
                    r,
                    f"outcomes.forwarding:{fid}",
                    {"code": rng.choice(("national", "provincial", "municipal", "county"))},
                )
    insert(
        "reports_report",
        (
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
        ),
        report_rows,
    )
    insert("reports_reportauthor", ("report_id", "member_id", "position"), author_rows)
    insert(
        "outcomes_forwarding",
        ("id", "report_id", "recipient_id", "state", "forwarded_at", "forwarded_by_id", "note"),
        forwarding_rows,
    )
    insert(
        "audit_event",
        (
            "id",
            "created_at",
            "verb",
            "object_type",
            "object_id",
            "report_id",
            "payload",
            "prev_hash",
            "hash",
        ),
        events,
    )
    do_save_ruleset(admin, YEAR, default_input(), note="bench")  # includes a first recompute
    return len(events)


def run(members: int, reports: int, label: str) -> dict:
    call_command("flush", interactive=False, verbosity=0)
    began = time.perf_counter()
    with transaction.atomic():  # one transaction: SQLite would otherwise commit every row
        events = seed(members, reports, random.Random(7))
    setup = time.perf_counter() - began
    began = time.perf_counter()
    rows = ledger.recompute_year(YEAR)
    total = time.perf_counter() - began
    inputs = ledger.load_inputs(YEAR)
    book = ledger.load_book(YEAR)
    began = time.perf_counter()
    projected = project(
        book,
        inputs.events,
        inputs.reports,
        campaigns=inputs.campaigns,
        corrections=inputs.corrections,
        submitted_before=inputs.submitted_before,
    )
    projection = time.perf_counter() - began
    assert len(projected) == rows
    result = {
        "size": label,
        "members": members,
        "reports": reports,
        "events": events,
        "scoring_events": len(inputs.events),
        "ledger_rows": rows,
        "recompute_seconds": round(total, 2),
        "projection_only_seconds": round(projection, 2),
        "setup_seconds_not_timed": round(setup, 1),
    }
    print(json.dumps(result, ensure_ascii=False))  # noqa: T201
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=300_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    results = [run(325, 850, "demo"), run(args.members, args.reports, "large")]
    out = {
        "command": "python bench/score_recompute.py " + " ".join(sys.argv[1:]),
        "database": "SQLite (scratch file)",
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "results": results,
    }
    print(f"cpu_count={os.cpu_count()}")  # noqa: T201
    path = ROOT / "bench" / "results" / "score_recompute.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
