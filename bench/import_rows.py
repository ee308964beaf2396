"""Bench: import 10,000 roster rows and 10,000 historical report rows from XLSX.

Each timing covers what the admin or editor waits for: reading the XLSX file, the
dry run (plan) and the apply. Data come from a fixed seed. SQLite always runs, in a
throw-away database under a temporary MINYI_VAR_DIR; PostgreSQL runs too when
MINYI_DATABASE_URL points at a server — in a scratch database ``bench_import_rows``
that is created and dropped on that server. Target: ≤ 30 s for each import.

Run: .venv/bin/python bench/import_rows.py [--rows 10000] [--repeat 3]

With ``--repeat N`` each database is measured N times (a fresh database each time)
and every timing is the median, since a shared machine makes single runs noisy.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from scratch import in_child, postgres_env, postgres_url, sqlite_env

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_S = 30.0
SEED = 20261125
PG_BENCH_DB = "bench_import_rows"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "明华伟芳娜敏静丽强磊军洋勇艳杰娟涛超秀霞平刚桂英建国志红文辉斌宇浩凯鹏晨欣悦"
TOPICS = [
    "养老服务",
    "学前教育",
    "医疗保障",
    "老旧小区",
    "停车难",
    "垃圾分类",
    "农村饮水",
    "就业创业",
]
SITUATION = (
    "近年来我市{t}方面群众反映集中，相关公共服务供给与需求之间仍有差距，部分区县布局不均衡。"
)
ANALYSIS = "规划、建设、运营各环节衔接不够，资金保障机制不健全，专业人才队伍建设滞后。"
SUGGESTIONS = "建议统筹规划布局，完善财政补贴政策，加强人才培养，建立定期评估和群众满意度反馈机制。"


def xlsx(headers: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reference_data(rng: random.Random) -> tuple[list[str], list[str]]:
    from minyi.people.models import Organization, OrgKind, Role, RoleAssignment, Sector, User
    from minyi.reports.models import Category

    sectors = [Sector.objects.create(name=f"第{n + 1}界别").name for n in range(26)]
    units = [
        Organization.objects.create(name=f"示范市第{n + 1}区政协", kind=OrgKind.DISTRICT_CPPCC).name
        for n in range(30)
    ]
    for topic in TOPICS:
        Category.objects.create(name=topic)
    for name, role in (("bench-admin", Role.ADMIN), ("bench-editor", Role.EDITOR)):
        user = User.objects.create(username=name)
        RoleAssignment.objects.create(user=user, role=role)
    return sectors, units


def roster_rows(
    n: int, rng: random.Random, sectors: list[str], units: list[str]
) -> list[list[str]]:
    rows = []
    for i in range(n):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        officer = "是" if rng.random() < 0.1 else "否"
        rows.append([name, rng.choice(sectors), rng.choice(units), "委员", officer, f"139{i:08d}"])
    return rows


def report_rows(n: int, rng: random.Random, names: list[str], units: list[str]) -> list[list[str]]:
    rows = []
    for i in range(n):
        topic = rng.choice(TOPICS)
        day = f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        authors = "、".join(rng.sample(names, rng.randint(1, 2)))
        rows.append(
            [
                f"关于改进{topic}工作的建议（第{i + 1}号）",
                SITUATION.format(t=topic) * 3,
                ANALYSIS * 2,
                SUGGESTIONS * 2,
                authors,
                rng.choice(units),
                day,
                topic,
            ]
        )
    return rows


def timed_roster(data: bytes, user) -> dict[str, float | int]:
    from minyi.exchange import roster
    from minyi.exchange.tables import read_xlsx

    start = time.perf_counter()
    headers, rows = read_xlsx(io.BytesIO(data))
    read = time.perf_counter()
    job = roster.plan_job(user, "roster.xlsx", headers, rows)
    planned = time.perf_counter()
    result = roster.apply_plan(job, user)
    done = time.perf_counter()
    return {
        "read_s": round(read - start, 2),
        "plan_s": round(planned - read, 2),
        "apply_s": round(done - planned, 2),
        "total_s": round(done - start, 2),
        "created": result["create"],
        "rejected": result["rejected"],
    }


def timed_reports(data: bytes, user) -> dict[str, float | int]:
    from minyi.exchange import reports_import
    from minyi.exchange.tables import read_xlsx

    start, cpu = time.perf_counter(), time.process_time()
    headers, rows = read_xlsx(io.BytesIO(data))
    read = time.perf_counter()
    job = reports_import.new_job(user, "reports.xlsx", headers, rows)
    reports_import.set_plan(job, job.mapping, {})
    planned = time.perf_counter()
    result = reports_import.apply_job(job, user)
    done = time.perf_counter()
    return {
        "read_s": round(read - start, 2),
        "plan_s": round(planned - read, 2),
        "apply_s": round(done - planned, 2),
        "total_s": round(done - start, 2),
        # This process's CPU (all of SQLite's work, none of PostgreSQL's): less
        # sensitive than wall time to other jobs on a shared machine.
        "cpu_s": round(time.process_time() - cpu, 2),
        "imported": result["imported"],
        "failed": len(result["failed"]),
    }


def run_here(n: int) -> dict[str, object]:
    """Child process: Django is set up for one database; time both imports there."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from minyi.audit.models import verify_chain
    from minyi.people.models import User

    rng = random.Random(SEED)
    sectors, units = reference_data(rng)
    members = roster_rows(n, rng, sectors, units)
    roster_file = xlsx(["姓名", "界别", "单位", "职务", "是否特约信息员", "手机"], members)
    headers = ["标题", "情况", "原因分析", "意见建议", "反映人", "报送单位", "报送日期", "类别"]
    reports_file = xlsx(headers, report_rows(n, rng, [m[0] for m in members], units))
    out: dict[str, object] = {"database": connection.vendor, "rows": n}
    out["roster"] = timed_roster(roster_file, User.objects.get(username="bench-admin"))
    out["reports"] = timed_reports(reports_file, User.objects.get(username="bench-editor"))
    out["roster_again_total_s"] = timed_roster(
        roster_file, User.objects.get(username="bench-admin")
    )["total_s"]
    out["event_chain_intact"] = verify_chain() is None
    return out


def sqlite(n: int) -> dict[str, object]:
    with sqlite_env() as env:
        return in_child(__file__, ["--rows", str(n)], env)


def postgres(url: str, n: int) -> dict[str, object]:
    with postgres_env(url, PG_BENCH_DB) as env:
        return in_child(__file__, ["--rows", str(n)], env)


def _median(values: Iterable[float]) -> float:
    return round(statistics.median(values), 2)


def median_of(runs: list[dict]) -> dict[str, object]:
    """One result whose timings are the medians of ``runs`` (counts are the same in all)."""
    out = dict(runs[0])
    for part in ("roster", "reports"):
        out[part] = {
            key: _median(r[part][key] for r in runs) if key.endswith("_s") else value
            for key, value in runs[0][part].items()
        }
    out["roster_again_total_s"] = _median(r["roster_again_total_s"] for r in runs)
    out["event_chain_intact"] = all(r["event_chain_intact"] for r in runs)
    out["runs"] = len(runs)
    out["reports_total_s_each"] = [r["reports"]["total_s"] for r in runs]
    return out


def within_target(result: dict) -> bool:
    return all(result[k]["total_s"] <= TARGET_S for k in ("roster", "reports"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per database (medians)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.stdout.write(json.dumps(run_here(args.rows)) + "\n")
        return
    out: dict[str, object] = {"cpu_count": os.cpu_count(), "rows": args.rows, "target_s": TARGET_S}
    out["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    out["sqlite"] = median_of([sqlite(args.rows) for _ in range(args.repeat)])
    if url := postgres_url():
        out["postgresql"] = median_of([postgres(url, args.rows) for _ in range(args.repeat)])
    for name in ("sqlite", "postgresql"):
        if name in out:
            out[name]["within_target"] = within_target(out[name])  # type: ignore[index]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "import_rows.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
