"""Bench: what the event-log backbone costs — an action with its nudge, catch-up, an idle drain.

In a scratch database (SQLite; PostgreSQL too when MINYI_DATABASE_URL points at a
server), with 325 members who write the reports in turn and a rule set for the year,
so points are really projected:

- ``import``: N historical reports through ``exchange.bulk.create_submitted`` in chunks
  of 500, each chunk one transaction, nudges held and one drain at the end, as the
  import job runs them: reports/s including the search index and the ledger;
- ``catch_up``: each consumer's cursor put back before the import, then drained
  alone: events/s, what the worker does after a crash or for a new consumer;
- ``accept``: M editors' 受理, one request's work each (transition, commit, nudge that
  writes the author's notification): p50 / p95 ms;
- ``idle_worker_drain``: the worker's drain of every consumer with nothing to do: p50 ms
  (an action's nudge drains only the consumers of the verbs it appended).

Run: .venv/bin/python bench/consumers.py [--reports 10000] [--actions 300]
Writes bench/results/consumers.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from scratch import in_child, postgres_env, postgres_url, sqlite_env

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
CHUNK = 500
#: A city CPPCC's members: each writes a few dozen reports a year at most.
MEMBERS = 325


def _setup(members: int):
    """An admin, an editor, ``members`` members each with an account, a unit, a category, rules."""
    from minyi.core import clock
    from minyi.people.models import (
        Member,
        Organization,
        OrgKind,
        Role,
        RoleAssignment,
        Sector,
        User,
    )
    from minyi.reports.models import Category
    from minyi.scoring.rules import default_input, do_save_ruleset

    Organization.objects.create(name="示范市政协", kind=OrgKind.HOST)
    unit = Organization.objects.create(name="民盟市委", kind=OrgKind.DEMOCRATIC_PARTY)
    sector = Sector.objects.create(name="经济界")
    people = Member.objects.bulk_create(
        Member(name=f"委员{i:03d}", sector=sector) for i in range(members)
    )
    unit.members.add(*people)
    # Accounts without a usable password: hashing one each would dominate the set-up.
    User.objects.bulk_create(
        User(username=f"m{m.pk}", display_name=m.name, member=m, password="!") for m in people
    )
    users = {}
    for name, role in (("admin", Role.ADMIN), ("editor", Role.EDITOR)):
        users[name] = User.objects.create_user(name, password="x", display_name=name)
        RoleAssignment.objects.create(user=users[name], role=role)
    do_save_ruleset(users["admin"], clock.localdate().year, default_input(), note="bench")
    return users, unit, people, Category.objects.create(name="民生保障")


def _entries(n: int, unit, members, category) -> list[dict]:
    return [
        {
            "values": {
                "title": f"关于改进第{i}号社区养老服务的建议",
                "situation": f"第{i}号社区老年人口多，日间照料中心床位紧张，等候超过三个月。",
                "analysis": "建设资金不足，运营补贴标准低。",
                "suggestions": "建议按老年人口比例配置床位，提高运营补贴。",
            },
            "informant": "",
            "author_ids": [members[i % len(members)].pk],
            "unit_id": unit.pk,
            "category_id": category.pk,
            "date": None,
        }
        for i in range(n)
    ]


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def _catch_up(start: int) -> dict[str, dict[str, float]]:
    from minyi.audit.consumers import consumers, drain
    from minyi.audit.models import ConsumerCursor, Event

    out = {}
    for consumer in consumers():
        ConsumerCursor.objects.filter(name=consumer.name).update(last_event_id=start)
        wanted = Event.objects.filter(id__gt=start, verb__in=consumer.verbs).count()
        began = time.perf_counter()
        drain(consumer, force=True)
        took = time.perf_counter() - began
        out[consumer.name] = {"events": wanted, "s": round(took, 2)}
        out[consumer.name]["events_per_s"] = round(wanted / took) if took else 0
    return out


def run_here(n: int, actions: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from minyi.audit import consumers
    from minyi.audit.consumers import drain_all
    from minyi.audit.models import Event, verify_chain
    from minyi.exchange import bulk
    from minyi.notify.models import Notification
    from minyi.reports.models import Report
    from minyi.reports.workflow import transition

    users, unit, members, category = _setup(MEMBERS)
    start = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    entries = _entries(n, unit, members, category)
    began = time.perf_counter()
    with consumers.held():  # As the import job does: one drain when the file is in.
        for i in range(0, n, CHUNK):
            bulk.create_submitted(entries[i : i + CHUNK], users["editor"], job_id=1)
    imported = time.perf_counter() - began
    out: dict[str, object] = {"database": connection.vendor, "reports": n}
    out["import"] = {"s": round(imported, 2), "reports_per_s": round(n / imported)}
    out["catch_up"] = _catch_up(start)
    times = []
    for report in Report.objects.order_by("pk")[:actions]:
        began = time.perf_counter()
        transition(report, "accept", users["editor"])  # Autocommit: its nudge runs here.
        times.append(time.perf_counter() - began)
    out["accept"] = {"actions": len(times), **_ms(times)}
    out["notifications_written"] = Notification.objects.filter(verb="accept").count()
    idle = []
    for _ in range(200):
        began = time.perf_counter()
        drain_all()
        idle.append(time.perf_counter() - began)
    out["idle_worker_drain"] = _ms(idle)
    out["event_chain_intact"] = verify_chain() is None
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--actions", type=int, default=300)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.stdout.write(json.dumps(run_here(args.reports, args.actions)) + "\n")
        return
    child_args = ["--reports", str(args.reports), "--actions", str(args.actions)]
    out: dict[str, object] = {"cpu_count": os.cpu_count()}
    out["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    with sqlite_env() as env:
        out["sqlite"] = in_child(__file__, child_args, env)
    if url := postgres_url():
        with postgres_env(url, "bench_consumers") as env:
            out["postgresql"] = in_child(__file__, child_args, env)
    RESULTS.mkdir(exist_ok=True)
    text = json.dumps(out, ensure_ascii=False, indent=2) + "\n"
    (RESULTS / "consumers.json").write_text(text, encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
