"""Bench: a crowd against the production server on loopback (locust), then a check of the database.

Scenarios (issue #13), people arriving over the ramp, every run bounded in time:
  A  50 people working (think 5–15 s): 40 members drafting and submitting, 8 editors on the
     queue and workbench, 2 leaders on the dashboard; 3 minutes, ramp 1 minute.
  B  a 信息月 deadline: 200 members submitting within 2 minutes (think 1–3 s) while 10 editors
     work; ramp 1 minute.
  C  saturation: the A mix with no think time, more users each step until requests/s stop
     growing (the knee), then the same steps on /healthz, a view with no database (the floor).
A and B run two floor users beside the crowd, so each page's p95 is also given as a ratio to
the floor's p95 at the same load.

Steps: copy the database (SQLite: online backup to a temporary file; PostgreSQL: a new
database from it as template), so the original is never written; add bench accounts
(``bench-member-N`` linked to members without an account, ``bench-editor-N``,
``bench-leader-N`` with a TOTP device of known key); start gunicorn with production settings
(``MINYI_MODE=production``, ``deploy/gunicorn.conf.py`` as ``make serve`` uses it, with
``<cores>`` workers of 4 threads) and the background worker beside it;
swarm; stop both; then check that every acknowledged submission is stored as submitted with
its event, and that the event chain verifies. Members log in through the login form; staff
also give a TOTP code computed with ``django_otp.oath.totp``.

Run: MINYI_DATABASE_URL=sqlite:////work/main/var/scale-100000.sqlite3 \\
     .venv/bin/python bench/load.py --scenario A,B,C
     Smoke: --time-scale 0.1 --user-scale 0.2   (A: 18 s with 10 users, …)
Writes bench/results/load_<scenario>_<engine>.json (``--tag`` adds a suffix).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
PASSWORD = "bench-load-Passw0rd"
BENCH_TOTP_NAME = "bench"


@dataclass(frozen=True)
class Scenario:
    users: dict[str, int]  # kind → count
    think: tuple[float, float]
    seconds: float
    ramp: float
    steps: list[int] = field(default_factory=list)  # C: users per step


SCENARIOS = {
    "A": Scenario({"member": 40, "editor": 8, "leader": 2, "floor": 2}, (5, 15), 180, 60),
    "B": Scenario({"member": 200, "editor": 10, "floor": 2}, (1, 3), 120, 60),
    # The A mix (80 % members, 16 % editors, 4 % leaders) with no think time, 30 s a step.
    "C": Scenario({"member": 80, "editor": 16, "leader": 4}, (0, 0), 30, 5, [5, 10, 20, 40, 80]),
}


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --- The database copy -------------------------------------------------------------------


def source_url() -> str:
    url = os.getenv("MINYI_DATABASE_URL", "")
    if url:
        return url
    var = Path(os.getenv("MINYI_VAR_DIR", str(ROOT / "var")))
    return f"sqlite:///{var / 'minyi.sqlite3'}"


@contextmanager
def database_copy(url: str, tmp: Path) -> Iterator[str]:
    """A throw-away copy of the database at ``url``; yields the copy's URL."""
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        target = tmp / "load.sqlite3"
        with sqlite3.connect(parts.path) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        yield f"sqlite:///{target}"
        return
    import psycopg

    name = f"{parts.path.lstrip('/')}_load"
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{parts.path.lstrip("/")}"')
    try:
        yield urlunparse(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(url: str, tmp: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minyi.settings",
        "MINYI_DATABASE_URL": url,
        "MINYI_MODE": "production",
        "MINYI_SECRET_KEY": secrets.token_urlsafe(50),
        "MINYI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MINYI_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
        "MINYI_VAR_DIR": str(tmp),
        "MINYI_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MINYI_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return env


def child(mode: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__)), f"--{mode}", *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"bench child --{mode} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Child: bench accounts ------------------------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(counts: dict[str, int]) -> dict[str, Any]:
    """Bench accounts for ``counts`` people, one each; staff get a TOTP device of known key."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from minyi.people.models import Member, Role, RoleAssignment, User
    from minyi.reports.models import Category

    hashed = make_password(PASSWORD)  # one hash for all: hashing 200 passwords takes a minute
    free = (
        Member.objects.filter(active=True, user__isnull=True, organizations__active=True)
        .distinct()
        .order_by("id")
    )
    members = []
    for i, member in enumerate(free[: counts.get("member", 0)]):
        user, _ = User.objects.update_or_create(
            username=f"bench-member-{i}", defaults={"member": member, "password": hashed}
        )
        unit = member.organizations.filter(active=True).order_by("id").first()
        members.append({"username": user.username, "member_id": member.pk, "unit_id": unit.pk})
    staff = {}
    for kind, role in (("editor", Role.EDITOR), ("leader", Role.LEADER)):
        staff[kind] = []
        for i in range(counts.get(kind, 0)):
            user, _ = User.objects.update_or_create(
                username=f"bench-{kind}-{i}", defaults={"password": hashed, "is_active": True}
            )
            RoleAssignment.objects.get_or_create(user=user, role=role)
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name=BENCH_TOTP_NAME, confirmed=True)
            staff[kind].append({"username": user.username, "key": device.key})
    category = Category.objects.filter(parent__isnull=False).order_by("id").first()
    return {
        "password": PASSWORD,
        "members": members,
        "editors": staff["editor"],
        "leaders": staff["leader"],
        "category_id": category.pk if category else "",
    }


def verify(acknowledged: list[int]) -> dict[str, Any]:
    """Each acknowledged submission stored past 草稿, with its event; and the chain verifies."""
    from minyi.audit.models import Event, verify_chain
    from minyi.reports.models import Report, State

    stored = Report.objects.filter(pk__in=acknowledged).exclude(state=State.DRAFT)
    with_event = (
        Event.objects.filter(report_id__in=acknowledged, verb="submit")
        .values("report_id")
        .distinct()
    )
    broken = verify_chain()
    return {
        "acknowledged": len(acknowledged),
        "stored": stored.count(),
        "with_submit_event": with_event.count(),
        "lost": len(acknowledged) - stored.count(),
        "chain_ok": broken is None,
        "chain_break": str(broken) if broken else "",
        "events": Event.objects.count(),
    }


# --- The server ----------------------------------------------------------------------------


@contextmanager
def production_server(env: dict[str, str], port: int, workers: int, threads: int) -> Iterator[str]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    # Served as `make serve` serves: its gunicorn settings, with this bench's port and sizes.
    env = {**env, "MINYI_BIND": f"127.0.0.1:{port}"}
    env |= {"MINYI_WEB_WORKERS": str(workers), "MINYI_WEB_THREADS": str(threads)}
    cmd = [gunicorn, "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--log-level", "warning"]
    log = (Path(env["MINYI_VAR_DIR"]) / "server.log").open("w")  # noqa: SIM115
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=log)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    host = f"http://127.0.0.1:{port}"
    try:
        wait_for(host + "/healthz", server)
        yield host
    finally:
        for proc in (worker, server):
            proc.send_signal(signal.SIGTERM)
        for proc in (worker, server):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


def wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    import urllib.request  # here: the swarm child must import ssl only after gevent's patching

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting; see server.log")
        # As the proxy would say: the request came over TLS (no redirect to https).
        request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
        with suppress(OSError):
            urllib.request.urlopen(request, timeout=2)  # noqa: S310 (loopback only)
            return
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within 60 s: {url}")


# --- Child: the swarm ------------------------------------------------------------------------


def swarm(host: str, plan: dict[str, Any], users: dict[str, int], spec: dict[str, Any]) -> dict:
    """Run locust in this process; return per-page statistics (and per-step rates for C)."""
    import gevent
    from locust.env import Environment

    sys.path.insert(0, str(ROOT / "bench"))
    import load_users

    load_users.configure(plan, tuple(spec["think"]))
    classes = []
    for kind, n in users.items():
        cls = load_users.USER_CLASSES[kind]
        cls.weight = n  # with as many users as the weights add up to, exactly n of each
        classes.append(cls)
    # At the end each person finishes the action under way (up to 30 s) instead of being cut
    # off mid-request, which would count as an error of the server.
    env = Environment(user_classes=classes, host=host, stop_timeout=30)
    runner = env.create_local_runner()
    steps = spec.get("steps") or [sum(users.values())]
    rates = []
    for n in steps:
        before, began = env.stats.total.num_requests, time.monotonic()
        runner.start(n, spawn_rate=max(1.0, n / max(spec["ramp"], 0.1)))
        gevent.sleep(spec["seconds"])
        done = env.stats.total.num_requests - before
        rates.append({"users": n, "rps": round(done / (time.monotonic() - began), 1)})
    runner.stop()
    runner.quit()
    return {"pages": page_stats(env), "steps": rates, "acknowledged": load_users.ACKNOWLEDGED}


def page_stats(env: Any) -> dict[str, Any]:
    out = {}
    for (name, method), entry in sorted(env.stats.entries.items()):
        if not entry.num_requests:
            continue
        out[f"{method} {name}"] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": round(entry.max_response_time or 0, 1),
            "rps": round(entry.total_rps, 2),
        }
    out["errors"] = {
        f"{e.method} {e.name}: {e.error}": e.occurrences for e in env.stats.errors.values()
    }
    return out


# --- The orchestrator ----------------------------------------------------------------------------


def scaled(scenario: Scenario, args: argparse.Namespace) -> tuple[dict[str, int], dict[str, Any]]:
    users = {k: max(1, round(n * args.user_scale)) for k, n in scenario.users.items()}
    wanted = [int(n) for n in args.steps.split(",") if n] or scenario.steps
    steps = [max(1, round(n * args.user_scale)) for n in wanted]
    spec = {
        "think": scenario.think,
        "seconds": max(3.0, scenario.seconds * args.time_scale),
        "ramp": max(1.0, scenario.ramp * args.time_scale),
        "steps": steps,
    }
    return users, spec


def run_scenario(name: str, args: argparse.Namespace) -> dict[str, Any]:
    users, spec = scaled(SCENARIOS[name], args)
    with tempfile.TemporaryDirectory(prefix="minyi-load-") as tmp_name:
        tmp = Path(tmp_name)
        with database_copy(source_url(), tmp) as url:
            env = server_env(url, tmp)
            # C's biggest step needs an account for each person too (a TOTP code logs in once).
            most = max(spec["steps"], default=0) / sum(users.values())
            accounts = {k: max(n, math.ceil(n * most)) for k, n in users.items()}
            plan = child("prepare", [json.dumps(accounts)], env)
            (tmp / "plan.json").write_text(json.dumps(plan))
            with production_server(env, args.port, args.workers, args.threads) as host:
                say(f"# {name}: {users} on {host}, {spec}")
                result = child(
                    "swarm", [host, str(tmp / "plan.json"), json.dumps([users, spec])], env
                )
                floor = None
                if name == "C":
                    floor_spec = {**spec, "think": (0, 0)}
                    floor = child(
                        "swarm",
                        [host, str(tmp / "plan.json"), json.dumps([{"floor": 1}, floor_spec])],
                        env,
                    )
            (tmp / "acked.json").write_text(json.dumps(result["acknowledged"]))
            checked = child("verify", [str(tmp / "acked.json")], env)
            engine = "sqlite" if url.startswith("sqlite") else "postgresql"
    return summarise(name, engine, users, spec, result, floor, checked, args)


def summarise(
    name: str,
    engine: str,
    users: dict[str, int],
    spec: dict[str, Any],
    result: dict[str, Any],
    floor: dict[str, Any] | None,
    checked: dict[str, Any],
    args: argparse.Namespace,
) -> dict[str, Any]:
    pages = result["pages"]
    errors = pages.pop("errors")
    floor_p95 = pages.get("GET healthz（框架下限）", {}).get("p95_ms")
    for row in pages.values():
        row["p95_to_floor"] = round(row["p95_ms"] / floor_p95, 1) if floor_p95 else None
    out = {
        "scenario": name,
        "engine": engine,
        "cpu_count": os.cpu_count(),
        "server": f"gunicorn -w {args.workers} --threads {args.threads}, MINYI_MODE=production",
        "users": users,
        "spec": spec,
        "pages": pages,
        "errors": errors,
        "failures": sum(r["failures"] for r in pages.values()),
        "database": checked,
    }
    if floor is not None:
        out["steps"] = result["steps"]
        out["floor_steps"] = floor["steps"]
        out["knee_rps"] = knee(result["steps"])
        out["floor_knee_rps"] = knee(floor["steps"])
    return out


def knee(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """Where throughput stops growing: the fewest users reaching 90 % of the best rate."""
    best = max((step["rps"] for step in steps), default=0.0)
    first = next((step for step in steps if step["rps"] >= 0.9 * best), {"users": 0})
    # Still 10 % up at the last step: the knee lies beyond the steps tried (add a bigger one).
    growing = len(steps) > 1 and steps[-1]["rps"] > 1.1 * steps[-2]["rps"]
    return {"rps": best, "users": first["users"], "still_growing": growing}


def report(out: dict[str, Any]) -> None:
    say(f"## {out['scenario']} ({out['engine']}, {out['cpu_count']} cores, {out['server']})")
    for name, r in out["pages"].items():
        ratio = f"  ×{r['p95_to_floor']} floor" if r.get("p95_to_floor") else ""
        say(
            f"{name[:40]:40} n={r['requests']:<5} fail={r['failures']:<3} p50 {r['p50_ms']:6} "
            f"p95 {r['p95_ms']:6} max {r['max_ms']:8} ms{ratio}"
        )
    for step in out.get("steps", []):
        say(f"  users {step['users']:4}: {step['rps']} req/s")
    if "knee_rps" in out:
        mine, floor = out["knee_rps"], out["floor_knee_rps"]
        say(
            f"knee {mine['rps']} req/s from {mine['users']} users; "
            f"floor (/healthz) {floor['rps']} req/s from {floor['users']} users"
            + ("; still growing at the last step" if mine["still_growing"] else "")
        )
    db = out["database"]
    chain = "verifies" if db["chain_ok"] else f"BROKEN {db['chain_break']}"
    say(
        f"errors {out['failures']}; acknowledged {db['acknowledged']}, stored {db['stored']}, "
        f"lost {db['lost']}; chain {chain}"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("--prepare", "--swarm", "--verify"):
        return run_child(sys.argv[1][2:], sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="A,B,C")
    parser.add_argument("--time-scale", type=float, default=1.0, help="shorten runs (smoke: 0.1)")
    parser.add_argument("--user-scale", type=float, default=1.0, help="fewer users (smoke: 0.2)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--tag", default="")
    parser.add_argument(
        "--steps", default="", help="C: users per step, e.g. 5,10,20,40,80,160 (before scaling)"
    )
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    for name in args.scenario.split(","):
        out = run_scenario(name, args)
        report(out)
        suffix = f"_{args.tag}" if args.tag else ""
        path = RESULTS / f"load_{name}_{out['engine']}{suffix}.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        say(f"# wrote {path.relative_to(ROOT)}")
    return None


def run_child(mode: str, argv: list[str]) -> None:
    if mode == "swarm":
        host, plan_path, what = argv
        users, spec = json.loads(what)
        result = swarm(host, json.loads(Path(plan_path).read_text()), users, spec)
    else:
        setup_django()
        if mode == "prepare":
            result = prepare(json.loads(argv[0]))
        else:
            result = verify(json.loads(Path(argv[0]).read_text()))
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
