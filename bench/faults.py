"""Faults: kill -9 the web server and the worker (and restart PostgreSQL) in a burst of submissions.

    .venv/bin/python bench/faults.py                 # SQLite, then PostgreSQL
    .venv/bin/python bench/faults.py --db sqlite     # one of them

On a scratch database with members who log in through the real login form, the
production server (gunicorn with ``deploy/gunicorn.conf.py``, production settings,
plain HTTP on loopback) and the background worker run as ``make serve`` runs them.
Client threads write drafts, edit them and submit them, with no think time. During
the burst the script kills the whole web server (master and workers) with SIGKILL
and starts it again, then the worker; on PostgreSQL it also restarts the database
server (an immediate shutdown, as a crash) while the app keeps running.

PostgreSQL runs in a private cluster this script creates (initdb, its own port and
folder) so restarting it disturbs no one else; without root to run initdb as the
``postgres`` user it falls back to terminating every connection of the app's
database with ``pg_terminate_backend`` on the server ``MINYI_DATABASE_URL`` names.

Afterwards a check in the scratch environment asserts: every acknowledged draft and
submission is stored (a submission in a submitted state with its edited revision),
nothing is half-written (each report has its revisions and its events), the hash
chain verifies, every event consumer caught up, and the queued jobs ran. Figures go
to bench/results/faults_sqlite.json and faults_postgres.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

from scratch import postgres_env, postgres_url, sqlite_env

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "minyi-faults-pw"


# -- The scratch side: seed and check (run in a child with the scratch environment) --------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
    import django

    django.setup()


def seed(members: int) -> dict[str, object]:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from minyi.people.models import Member, Organization, OrgKind, Sector, User
    from minyi.reports.models import Category

    unit = Organization.objects.create(name="民盟市委", kind=OrgKind.DEMOCRATIC_PARTY)
    sector = Sector.objects.create(name="经济界")
    Category.objects.create(name="民生保障")
    names = []
    for i in range(members):
        member = Member.objects.create(name=f"委员{i:02d}", sector=sector)
        member.organizations.add(unit)
        username = f"m{i:02d}"
        User.objects.create_user(
            username, password=PASSWORD, member=member, email=f"{username}@example.org"
        )
        names.append(username)
    return {"users": names}


def enqueue(n: int) -> dict[str, object]:
    """Put ``n`` runs of an idempotent job (the daily digest) on the queue for the worker."""
    setup_django()
    from minyi.notify.tasks import send_digests

    for _ in range(n):
        send_digests.enqueue()
    return {"queued": n}


def check(acks_path: str) -> dict[str, object]:
    setup_django()
    from django.db.models import Count, Max
    from django_tasks_db.models import DBTaskResult

    from minyi.audit.consumers import statuses
    from minyi.audit.models import Event, verify_chain
    from minyi.reports.models import Report, State

    acks = json.loads(Path(acks_path).read_text())
    reports = Report.objects.annotate(revs=Count("revisions"), top=Max("revisions__number"))
    stored = {r.pk: r for r in reports}
    drafts_lost = [pk for pk in acks["drafts"] if pk not in stored]
    submitted_lost = [
        pk
        for pk in acks["submissions"]
        if pk not in stored or stored[pk].state != State.SUBMITTED or stored[pk].revision_number < 2
    ]
    events = set(Event.objects.filter(verb="create").values_list("report_id", flat=True))
    submits = set(Event.objects.filter(verb="submit").values_list("report_id", flat=True))
    half = [
        pk
        for pk, r in stored.items()
        if r.revs == 0
        or r.top != r.revision_number
        or pk not in events
        or (r.state == State.SUBMITTED) != (pk in submits)
    ]
    broken = verify_chain()
    behind = {s.consumer.name: s.behind for s in statuses()}
    failing = {
        s.consumer.name: s.cursor.last_error[-200:]
        for s in statuses()
        if s.cursor and s.cursor.failures
    }
    tasks = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))
    return {
        "reports_stored": len(stored),
        "submitted_stored": sum(r.state == State.SUBMITTED for r in stored.values()),
        "drafts_acknowledged": len(acks["drafts"]),
        "drafts_lost": len(drafts_lost),
        "submissions_acknowledged": len(acks["submissions"]),
        "submissions_lost": len(submitted_lost),
        "stored_without_acknowledgement": len(set(stored) - set(acks["drafts"])),
        "half_written": half[:20],
        "chain_verifies": broken is None,
        "events": Event.objects.count(),
        "consumers_behind": behind,
        "consumers_failing": failing,
        "tasks": tasks,
    }


# -- HTTP clients --------------------------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of every form on a page with their default values, as a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "button", "file"):
                self.forms[-1][a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1][self._textarea or ""] = ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += data


def form_with(html: str, name: str) -> dict[str, str]:
    parser = FormParser()
    parser.feed(html)
    found = [f for f in parser.forms if name in f]
    if not found:
        raise RuntimeError("page without the form")
    return found[0]


class Browser:
    """One member's session: cookies kept by hand (the production cookies are Secure)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def login(self, username: str) -> None:
        status, _, html = self.request("GET", "/login/")
        form = form_with(html, "username") | {"username": username, "password": PASSWORD}
        status, location, _ = self.request("POST", "/login/", form)
        if status != 302:
            raise RuntimeError(f"login: HTTP {status}")


TEXT = {
    "situation": "我市老旧小区加装电梯推进缓慢，已完成加装的不足两成，居民意见较大。",
    "analysis": "一是业主意见难统一；二是审批环节多；三是资金分担机制不明确。",
    "suggestions": "一、简化审批流程；二、明确资金分担比例；三、由街道牵头协调业主意见。",
}


@dataclass
class Tally:
    drafts: list[int] = field(default_factory=list)
    submissions: list[int] = field(default_factory=list)
    #: (seconds since start, what failed) for every request that got no good answer.
    errors: list[tuple[float, str]] = field(default_factory=list)
    #: seconds since start of every acknowledged action.
    good: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def one_report(browser: Browser, tally: Tally, n: int, t0: float) -> None:
    """Draft, edit, submit: each step acknowledged by the redirect the form answers with."""
    status, _, html = browser.request("GET", "/reports/new/")
    if status == 302:
        raise PermissionError("logged out")
    form = form_with(html, "situation") | TEXT | {"title": f"关于加装电梯的建议（{n}）"}
    status, location, _ = browser.request("POST", "/reports/new/", form)
    pk = re.search(r"/reports/(\d+)/edit/", location)
    if status != 302 or not pk:
        raise RuntimeError(f"new report: HTTP {status}")
    report_id = int(pk.group(1))
    with tally.lock:
        tally.drafts.append(report_id)
        tally.good.append(time.monotonic() - t0)
    status, _, html = browser.request("GET", f"/reports/{report_id}/edit/")
    form = form_with(html, "base_revision")
    form |= {"suggestions": TEXT["suggestions"] + "四、定期公布进展。", "submit": "1"}
    status, location, _ = browser.request("POST", f"/reports/{report_id}/edit/", form)
    if status != 302 or not location.rstrip("/").endswith(f"/reports/{report_id}"):
        raise RuntimeError(f"edit and submit: HTTP {status}")
    with tally.lock:
        tally.submissions.append(report_id)
        tally.good.append(time.monotonic() - t0)


def client(port: int, username: str, tally: Tally, stop: threading.Event, t0: float) -> None:
    browser, n, logged_in = Browser(port), 0, False
    while not stop.is_set():
        try:
            if not logged_in:
                browser.login(username)
                logged_in = True
            n += 1
            one_report(browser, tally, n, t0)
        except PermissionError:
            logged_in = False
        except (OSError, RuntimeError, http.client.HTTPException) as exc:
            kind = str(exc) if isinstance(exc, RuntimeError) else type(exc).__name__
            with tally.lock:
                tally.errors.append((round(time.monotonic() - t0, 2), kind))
            time.sleep(0.2)


# -- Processes -----------------------------------------------------------------------------


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    # A session of its own, so SIGKILL reaches the gunicorn master and all its workers.
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill9(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def web(env: dict[str, str], log: Path) -> subprocess.Popen:
    return start([GUNICORN, "-c", "deploy/gunicorn.conf.py"], env, log)


def worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return start([PY, "manage.py", "run_worker", "--interval", "1"], env, log)


def wait_up(port: int, limit: float = 60) -> float:
    began = time.monotonic()
    while time.monotonic() - began < limit:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("the web server did not come up")


def child(env: dict[str, str], *args: str) -> dict[str, object]:
    done = subprocess.run(
        [PY, __file__, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"child {args[0]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- PostgreSQL: a private cluster that may be restarted ------------------------------------


@contextmanager
def private_postgres(port: int) -> Iterator[dict[str, object]]:
    """initdb a cluster as the postgres user in a scratch folder; yield its url and a restart."""
    folder = Path(tempfile.mkdtemp(prefix="minyi-faults-pg-"))
    shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"

    def as_postgres(*cmd: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, capture_output=True)

    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=on"
    ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w"]
    as_postgres(
        str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
    )
    as_postgres(*ctl, "start")
    try:
        yield {
            "url": f"postgres://postgres@127.0.0.1:{port}/minyi_faults",
            "admin": f"postgres://postgres@127.0.0.1:{port}/postgres",
            "restart": lambda: as_postgres(*ctl, "-m", "immediate", "restart"),
            "how": "private cluster, pg_ctl restart -m immediate (a crash, then recovery)",
        }
    finally:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *ctl, "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def can_run_private_postgres() -> bool:
    return (
        os.geteuid() == 0 and shutil.which("runuser") is not None and (PG_BIN / "initdb").exists()
    )


@contextmanager
def postgres_target(port: int) -> Iterator[tuple[dict[str, str], dict[str, object]]]:
    if can_run_private_postgres():
        with private_postgres(port) as pg:
            import psycopg

            with psycopg.connect(str(pg["admin"]), autocommit=True) as conn:
                conn.execute("CREATE DATABASE minyi_faults")
            yield {**os.environ, "MINYI_DATABASE_URL": str(pg["url"])}, pg
        return
    url = postgres_url() or "postgres://postgres@127.0.0.1:5432/postgres"
    with postgres_env(url, "minyi_faults") as env:

        def terminate() -> None:
            import psycopg

            admin = urlunparse(urlparse(url)._replace(path="/postgres"))
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = 'minyi_faults' AND pid <> pg_backend_pid()"
                )

        yield (
            env,
            {
                "restart": terminate,
                "how": "pg_terminate_backend of every app connection (no root to restart a server)",
            },
        )


# -- The run -------------------------------------------------------------------------------


def production_env(env: dict[str, str], port: int) -> dict[str, str]:
    return {
        **env,
        "MINYI_MODE": "production",
        "MINYI_SECRET_KEY": secrets.token_urlsafe(64),
        # Plain HTTP on loopback: no redirect to HTTPS (nginx does TLS in production).
        "MINYI_SSL_REDIRECT": "false",
        "MINYI_BIND": f"127.0.0.1:{port}",
        "MINYI_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MINYI_LOG_LEVEL": "WARNING",
    }


def recovery(tally: Tally, t_back: float) -> float | None:
    """Seconds from a component's restart to the next acknowledged action."""
    after = [t for t in tally.good if t >= t_back]
    return round(min(after) - t_back, 2) if after else None


def errors_between(tally: Tally, start: float, end: float) -> int:
    return sum(start <= t <= end for t, _ in tally.errors)


def burst(
    env: dict[str, str], args: argparse.Namespace, folder: Path, restart_db
) -> dict[str, object]:
    users = child(env, "--seed", str(args.clients))["users"]
    web_log, worker_log = folder / "web.log", folder / "worker.log"
    server, background = web(env, web_log), worker(env, worker_log)
    started = wait_up(args.port)
    tally, stop, t0 = Tally(), threading.Event(), time.monotonic()
    threads = [
        threading.Thread(target=client, args=(args.port, u, tally, stop, t0), daemon=True)
        for u in users
    ]
    for thread in threads:
        thread.start()
    phases: dict[str, dict[str, object]] = {}
    gap = args.gap

    def since() -> float:
        return round(time.monotonic() - t0, 2)

    time.sleep(gap)
    killed = since()
    kill9(server)
    time.sleep(args.outage)
    server = web(env, web_log)
    up = wait_up(args.port)
    phases["web_kill9"] = {"fault_at_s": killed, "back_at_s": since(), "boot_s": round(up, 2)}

    time.sleep(gap)
    # Work in the queue when the worker dies: it must run after the restart.
    child(env, "--enqueue", str(args.jobs))
    time.sleep(0.5)
    killed = since()
    kill9(background)
    time.sleep(args.outage)
    background = worker(env, worker_log)
    phases["worker_kill9"] = {"fault_at_s": killed, "back_at_s": since(), "jobs_queued": args.jobs}

    if restart_db:
        time.sleep(gap)
        began = since()
        restart_db()
        phases["database_restart"] = {"fault_at_s": began, "back_at_s": since()}

    time.sleep(gap)
    seconds = since()
    stop.set()
    for thread in threads:
        thread.join(30)
    # Let the worker catch up: consumers to the head, queued jobs run.
    caught_up = None
    acks = folder / "acks.json"
    acks.write_text(json.dumps({"drafts": tally.drafts, "submissions": tally.submissions}))
    began = time.monotonic()
    while time.monotonic() - began < 90:
        found = child(env, "--check", str(acks))
        if not any(found["consumers_behind"].values()) and not found["tasks"].get("READY"):
            caught_up = round(time.monotonic() - began, 2)
            break
        time.sleep(2)
    for process in (server, background):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    ends = [p["fault_at_s"] for p in phases.values()][1:] + [seconds]
    for phase, end in zip(phases.values(), ends, strict=True):
        # Errors from the fault until the next one (or the end of the burst).
        phase["errors_seen"] = errors_between(tally, phase["fault_at_s"], end)
        phase["recovery_to_next_ack_s"] = recovery(tally, phase["back_at_s"])
    stranded = found["tasks"].get("RUNNING", 0)
    return {
        "clients": len(users),
        "seconds": seconds,
        "first_boot_s": round(started, 2),
        "acknowledged_actions_per_s": round(len(tally.good) / seconds, 1),
        "errors_total": len(tally.errors),
        "errors_by_kind": dict(Counter(kind for _, kind in tally.errors).most_common()),
        "phases": phases,
        "caught_up_after_s": caught_up,
        # A job the killed worker was running stays RUNNING until requeue_stale puts it
        # back (notify.worker.STALE_AFTER); every job is idempotent, so it runs again.
        "jobs_stranded_running": stranded,
        **found,
    }


def run(db: str, args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="minyi-faults-") as tmp:
        folder = Path(tmp)
        if db == "sqlite":
            with sqlite_env() as env:
                out = burst(production_env(env, args.port), args, folder, None)
            out["database_fault"] = "none (SQLite is a file in the app's processes)"
        else:
            with postgres_target(args.pg_port) as (env, pg):
                out = burst(production_env(env, args.port), args, folder, pg["restart"])
                out["database_fault"] = pg["how"]
    lost = out["drafts_lost"] + out["submissions_lost"]
    ok = (
        lost == 0
        and not out["half_written"]
        and out["chain_verifies"]
        and out["caught_up_after_s"] is not None
    )
    return {"database": db, "cores": os.cpu_count(), "passed": ok, **out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=6, help="member sessions writing at once")
    parser.add_argument("--gap", type=float, default=8, help="seconds of work before each fault")
    parser.add_argument(
        "--outage", type=float, default=2, help="seconds a killed process stays down"
    )
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--pg-port", type=int, default=5499)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--check")
    parser.add_argument(
        "--jobs", type=int, default=100, help="jobs queued just before the worker dies"
    )
    parser.add_argument("--enqueue", type=int)
    args = parser.parse_args()
    if args.seed is not None:
        print(json.dumps(seed(args.seed)))  # noqa: T201
        return
    if args.enqueue is not None:
        print(json.dumps(enqueue(args.enqueue)))  # noqa: T201
        return
    if args.check:
        print(json.dumps(check(args.check)))  # noqa: T201
        return
    RESULTS.mkdir(exist_ok=True)
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        result = run(db, args)
        (RESULTS / f"faults_{db}.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=2) + "\n"
        )
        print(json.dumps(result, ensure_ascii=False, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
