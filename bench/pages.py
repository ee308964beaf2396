"""Bench: every page each role has, timed in-process with its query count, on a given database.

Reads the database the settings name (``MINYI_DATABASE_URL``, or the SQLite file under
``MINYI_VAR_DIR``), picks one real user per role from it (the busiest member, the liaison of
the busiest unit, the first editor, approver, leader and admin), logs each in with the test
client's ``force_login`` and fetches every page of the URL conf that user may open: lists
without and with filters (``FILTERS``), a sample of detail pages (``SAMPLES``), documents,
exports, the dashboard and search. Pages are found by walking the URL conf, so a new page is
fetched without touching this file; one whose URL needs an object and has no sampler is
listed under "not fetched" so the gap shows. POST-only views are recognised from their
``require_POST`` decorator and left out; GET views that change data are in ``SKIP``.

Timing is the Django handler (middleware, view, template, streaming body consumed) without
the WSGI server; ``DEBUG`` is off, the query count comes from one extra run under
``CaptureQueriesContext``. Staff accounts with two-step verification: when ``django_otp`` is
installed the session is marked verified with a TOTP device named ``bench`` (created for the
user if absent), as ``django_otp.login`` would after a correct code. Nothing else is written,
apart from the sessions and the login events a real login writes.

Budget (issue #13): p95 ≤ 100 ms for HTML pages; ≤ 1 s for a document (DOCX/PDF);
≤ 5 s for an export (XLSX). Pages over budget are marked ``OVER``.

Run: MINYI_DATABASE_URL=sqlite:////work/main/var/scale-100000.sqlite3 \\
     .venv/bin/python bench/pages.py [--runs 7] [--samples 4] [--roles member,editor] [--only rank]
Writes bench/results/pages_<engine>_<reports>.json (``--tag`` adds a suffix).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
HTML_BUDGET_S = 0.100
DOCUMENT_BUDGET_S = 1.0
EXPORT_BUDGET_S = 5.0
ROLES = ("anonymous", "member", "officer", "liaison", "editor", "approver", "leader", "admin")
#: GET views that change data, so a bench must not fetch them.
SKIP = {"notify:open": "GET 即标记已读并跳转", "logout": "退出登录"}
#: URL namespaces left out: Django's own admin site (its index is fetched below).
SKIP_NAMESPACES = {"admin"}


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Time what production serves: no debug query log, no debug pages.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A role's 403s and 404s are how the bench learns which pages are not its own.
    logging.getLogger("django.request").setLevel(logging.ERROR)


# --- The URL conf -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    params: tuple[str, ...]
    view: Callable[..., Any]


def walk_urls() -> list[Route]:
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[Route] = []

    def visit(patterns: list[Any], namespace: str, params: tuple[str, ...]) -> None:
        for p in patterns:
            here = params + tuple(getattr(p.pattern, "converters", {}))
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                if p.namespace not in SKIP_NAMESPACES:
                    visit(p.url_patterns, ns, here)
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                found.append(Route(name, here, p.callback))

    visit(get_resolver().url_patterns, "", ())
    found.append(Route("admin:index", (), lambda: None))
    return found


def post_only(view: Callable[..., Any]) -> bool:
    """True when a ``require_POST`` (``require_http_methods(["POST"])``) wraps the view."""
    func: Any = view
    while func is not None:
        for cell in getattr(func, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list) and value and set(value) <= {"POST"}:
                return True
        func = getattr(func, "__wrapped__", None)
    return False


# --- Who: one real user per role ----------------------------------------------------


def pick_users() -> dict[str, Any]:
    from django.db.models import Count

    from minyi.people.models import Role, RoleAssignment, User

    users: dict[str, Any] = {"anonymous": None}
    plain = User.objects.filter(
        is_active=True, member__isnull=False, role_assignments__isnull=True, is_superuser=False
    )
    busiest = "-n", "id"
    users["member"] = (
        plain.filter(member__is_information_officer=False)
        .annotate(n=Count("member__authorships"))
        .order_by(*busiest)
        .first()
    )
    users["officer"] = (
        plain.filter(member__is_information_officer=True)
        .annotate(n=Count("member__authorships"))
        .order_by(*busiest)
        .first()
    )
    liaison = (
        RoleAssignment.objects.filter(role=Role.LIAISON, user__is_active=True)
        .annotate(n=Count("organization__reports"))
        .order_by(*busiest)
        .first()
    )
    users["liaison"] = liaison.user if liaison else None
    for role in ("editor", "approver", "leader"):
        users[role] = (
            User.objects.filter(is_active=True, role_assignments__role=role)
            .annotate(n=Count("role_assignments"))
            .order_by("n", "id")  # the plainest holder of the role: no extra powers
            .first()
        )
    users["admin"] = (
        User.objects.filter(is_active=True, role_assignments__role=Role.ADMIN)
        .order_by("id")
        .first()
        or User.objects.filter(is_active=True, is_superuser=True).order_by("id").first()
    )
    return users


def verify_second_factor(client: Any, user: Any) -> str:
    """Mark the session as past two-step verification, as ``django_otp.login`` does after a code.

    Only for users the project asks a code of (a staff role when ``MINYI_REQUIRE_2FA`` is on, or
    anyone with an authenticator); a staff user without one gets a TOTP device named ``bench``.
    """
    from django.apps import apps

    if not apps.is_installed("django_otp"):
        return "无两步验证"
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from minyi.accounts.policy import second_factor_required

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and not second_factor_required(user):
        return "无需两步验证"
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return "两步验证：会话已标记为已验证"


# --- What: samples for detail pages and filters for lists -------------------------------


def spread(ids: list[int], k: int) -> list[int]:
    """``k`` ids spread over the list (oldest, newest and between), not the first ``k``."""
    if len(ids) <= k:
        return ids
    step = (len(ids) - 1) / (k - 1) if k > 1 else 0
    return [ids[round(i * step)] for i in range(k)]


def _ids(qs: Any, k: int) -> list[int]:
    return spread(list(qs.order_by("pk").values_list("pk", flat=True).distinct()), k)


def _reports(user: Any, k: int, **filters: Any) -> list[int]:
    from minyi.reports.access import visible_reports

    return _ids(visible_reports(user).filter(**filters), k)


def _issues(user: Any, k: int) -> list[int]:
    from minyi.bulletins.access import visible_issues

    return _ids(visible_issues(user), k)


def _own_editable(user: Any, k: int) -> list[int]:
    from minyi.reports.access import own_filter, visible_reports
    from minyi.reports.models import AUTHOR_EDITABLE_STATES

    own = visible_reports(user).filter(own_filter(user), state__in=AUTHOR_EDITABLE_STATES)
    return _ids(own, k)


def _forwardings(user: Any, k: int) -> list[int]:
    from minyi.outcomes.access import visible_forwardings

    return _ids(visible_forwardings(user), k)


def _members(user: Any, k: int) -> list[int]:
    from minyi.scoring.access import visible_members

    return _ids(visible_members(user), k)


def _model(label: str, **filters: Any) -> Callable[[Any, int], list[int]]:
    def sample(user: Any, k: int) -> list[int]:
        from django.apps import apps

        return _ids(apps.get_model(label).objects.filter(**filters), k)

    return sample


def _attachments(user: Any, k: int) -> list[int]:
    from minyi.reports.access import visible_reports
    from minyi.reports.models import Attachment

    return _ids(Attachment.objects.filter(report__in=visible_reports(user).values("pk")), k)


def _previewable(user: Any, k: int) -> list[int]:
    from minyi.core import mime
    from minyi.reports.access import visible_reports
    from minyi.reports.models import Attachment

    shown = Attachment.objects.filter(content_type__in=(mime.PDF, mime.PNG, mime.JPEG))
    return _ids(shown.filter(report__in=visible_reports(user).values("pk")), k)


def _commissions(user: Any, k: int) -> list[int]:
    from minyi.duties.access import visible_commissions

    return _ids(visible_commissions(user), k)


def _published_items(user: Any, k: int) -> list[int]:
    from minyi.bulletins.models import IssueItem, IssueState
    from minyi.reports.access import visible_reports

    issued = IssueItem.objects.filter(issue__state=IssueState.ISSUED)
    return _ids(issued.filter(report__in=visible_reports(user).values("pk")), k)


def _draft_issues(user: Any, k: int) -> list[int]:
    from minyi.bulletins.access import visible_issues
    from minyi.bulletins.models import IssueState

    return _ids(visible_issues(user).filter(state=IssueState.DRAFT), k)


def _import_jobs(kind: str) -> Callable[[Any, int], list[int]]:
    def sample(user: Any, k: int) -> list[int]:
        from minyi.exchange.models import ImportJob

        return _ids(ImportJob.objects.filter(kind=kind, created_by=user), k)

    return sample


#: URL name → (user, k) → up to k primary keys; the single int parameter of the URL gets them.
SAMPLES: dict[str, Callable[[Any, int], list[int]]] = {
    "reports:detail": lambda u, k: _reports(u, k),
    "reports:edit": lambda u, k: _own_editable(u, k),
    "reports:attachment": _attachments,
    # Published ones too: their workbench carries the outcomes panel.
    "office:workbench": lambda u, k: _reports(
        u, k, state__in=("submitted", "accepted", "published")
    ),
    "office:review": lambda u, k: _reports(u, k),
    "office:assist": lambda u, k: _reports(u, k, state__in=("submitted", "accepted")),
    "bulletins:detail": _issues,
    "bulletins:compose": _issues,
    "documents:issue_docx": _issues,
    "documents:issue_pdf": lambda u, k: _issues(u, 1),
    "documents:report_docx": lambda u, k: _reports(u, k),
    "documents:report_pdf": lambda u, k: _reports(u, 1),
    "outcomes:forwarding": _forwardings,
    "outcomes:forward": lambda u, k: _reports(u, k, state__in=("signed_off", "published")),
    # 催办 per recipient: its page and the chase list as Word and Excel.
    "outcomes:chase_recipient": _model("outcomes.Recipient"),
    "outcomes:chase_docx": lambda u, k: _model("outcomes.Recipient")(u, 1),
    "outcomes:chase_xlsx": lambda u, k: _model("outcomes.Recipient")(u, 1),
    "reports:attachment_preview": _previewable,
    "scoring:member": _members,
    "scoring:campaign": _model("scoring.Campaign"),
    "scoring:campaign_edit": _model("scoring.Campaign"),
    "scoring:notice": _model("scoring.AnnualNotice"),
    "scoring:notice_docx": _model("scoring.AnnualNotice"),
    "scoring:public_notice": _model("scoring.AnnualNotice", state="published"),
    "bulletins:item": _published_items,
    "documents:editor_note": _draft_issues,
    "documents:issue_copies": _issues,
    "members:record": _members,
    "members:record_docx": _members,
    "topics:detail": _model("reports.Topic"),
    "topics:edit": _model("reports.Topic"),
    "topics:commission_new": _model("reports.Topic"),
    "topics:commission": _commissions,
    "exchange:roster_plan": _import_jobs("roster"),
    "exchange:reports_mapping": _import_jobs("reports"),
    "exchange:reports_plan": _import_jobs("reports"),
    "exchange:reports_progress": _import_jobs("reports"),
}


def _figure_slugs(user: Any, k: int) -> list[str]:
    from minyi.insights.stats import FIGURES

    return list(FIGURES)


#: URL name → (user, k) → values of a URL's single non-int parameter.
SLUG_SAMPLES: dict[str, Callable[[Any, int], list[str]]] = {"insights:figure_xlsx": _figure_slugs}


def _busiest(model: str, field_name: str) -> int | None:
    from django.apps import apps
    from django.db.models import Count

    row = (
        apps.get_model(model)
        .objects.values(field_name)
        .annotate(n=Count("pk"))
        .exclude(**{field_name: None})
        .order_by("-n")
        .first()
    )
    return row[field_name] if row else None


def _year_with_most() -> int:
    from minyi.reports.models import Report

    dates = Report.objects.filter(submitted_at__isnull=False).dates("submitted_at", "year")
    years = [d.year for d in dates]
    return years[-2] if len(years) > 1 else (years[-1] if years else 2026)


def filters() -> dict[str, list[str]]:
    """URL name → query strings to fetch besides the bare page (lists with their filters)."""
    unit = _busiest("reports.Report", "submitting_unit")
    category = _busiest("reports.Report", "category__parent")
    last_year = _year_with_most()
    return {
        "reports:mine": ["state=submitted", "page=2"],
        "office:triage": [
            "state=submitted&state=accepted&order=arrival",
            "state=published&order=arrival&page=3",
            f"state=submitted&state=accepted&unit={unit}",
            "q=养老",
        ],
        "deadlines:overdue": [],
        "outcomes:pending": [
            "state=all",
            "state=adopted",
            "state=all&sort=newest&page=20",
            "overdue=on",
            f"state=all&unit={unit}",
            "q=养老&state=all",
        ],
        "search:results": ["q=养老服务", "q=教育&state=published", "q=医疗&page=3"],
        "insights:dashboard": ["year=", f"year={last_year}&unit={unit}", f"category={category}"],
        "scoring:rankings": [f"year={last_year}"],
        "scoring:mine": [f"year={last_year}"],
        "exchange:export_reports": ["list=mine", f"list=all&unit={unit}", "list=triage"],
        "exchange:export_forwardings": ["state=all"],
        "notify:list": ["page=2"],
    }


# --- Timing -----------------------------------------------------------------------------


@dataclass
class PageResult:
    role: str
    name: str
    url: str  # one representative URL (the first sample for a detail page)
    kind: str  # html, document, export, redirect, other
    status: int
    fetches: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    queries: int = 0
    queries_max: int = 0
    bytes: int = 0
    budget_ms: float = 0.0
    over: bool = False
    timings_ms: list[float] = field(default_factory=list)


def kind_of(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    if response.status_code in (301, 302):
        return "redirect"
    if "html" in content_type:
        return "html"
    if "spreadsheet" in content_type or "csv" in content_type:
        return "export"
    if "word" in content_type or "pdf" in content_type:
        return "document"
    return "other"


BUDGETS = {"document": DOCUMENT_BUDGET_S, "export": EXPORT_BUDGET_S}


def fetch(client: Any, url: str) -> tuple[Any, int]:
    response = client.get(url)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
    else:
        size = len(response.content)
    return response, size


def measure(client: Any, url: str, runs: int) -> tuple[Any, int, int, list[float]]:
    """One counted fetch (also the warm-up), then ``runs`` timed ones."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The log is a bounded deque: a full one would count every later page as 0 queries.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response, size = fetch(client, url)
    # Count now: the next request's request_started signal empties the log the count reads.
    queries = len(captured.captured_queries)
    timings = []
    if response.status_code < 400:
        for _ in range(runs):
            began = time.perf_counter()
            fetch(client, url)
            timings.append((time.perf_counter() - began) * 1000)
    return response, size, queries, timings


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def urls_for(route: Route, user: Any, samples: int) -> Iterator[tuple[str, str]]:
    """(row name, URL) pairs for a route: bare and filtered for lists, samples for details."""
    from django.urls import reverse

    if not route.params:
        yield route.name, reverse(route.name)
        for query in FILTER_QUERIES.get(route.name, []):
            yield f"{route.name}?{query}", f"{reverse(route.name)}?{query}"
        return
    if len(route.params) != 1:
        return
    param = route.params[0]
    values: list[Any] = []
    if route.name in SAMPLES and user is not None:
        values = SAMPLES[route.name](user, samples)
    elif route.name in SLUG_SAMPLES and user is not None:
        values = SLUG_SAMPLES[route.name](user, samples)
    for value in values:
        yield route.name, reverse(route.name, kwargs={param: value})


FILTER_QUERIES: dict[str, list[str]] = {}


def run_role(
    role: str, user: Any, routes: list[Route], args: argparse.Namespace
) -> list[PageResult]:
    from django.test import Client

    # A failing page is a row with its status (and counted under "errors"), not the end of the run.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
        note = verify_second_factor(client, user)
        say(f"# {role}: {user.username}（{user}）{note}")
    results: dict[str, PageResult] = {}
    for route in routes:
        if args.only and not any(o in route.name for o in args.only.split(",")):
            continue
        if args.skip and any(o in route.name for o in args.skip.split(",")):
            continue
        for row, url in urls_for(route, user, args.samples):
            response, size, queries, timings = measure(client, url, args.runs)
            if response.status_code in (403, 404) and row not in results:
                continue  # not this role's page, or a sample it may not see
            if user is None and response.status_code != 200:
                continue  # an anonymous visitor is sent to the login page: not a page of theirs
            kind = kind_of(response)
            found = results.get(row) or PageResult(role, row, url, kind, response.status_code)
            found.fetches += len(timings)
            found.timings_ms += timings
            found.queries = max(found.queries, queries) if found.fetches > len(timings) else queries
            found.queries_max = max(found.queries_max, queries)
            found.bytes = max(found.bytes, size)
            results[row] = found
    for found in results.values():
        t = found.timings_ms
        found.p50_ms = round(statistics.median(t), 1) if t else 0.0
        found.p95_ms = round(pct(t, 0.95), 1)
        found.max_ms = round(max(t), 1) if t else 0.0
        found.budget_ms = BUDGETS.get(found.kind, HTML_BUDGET_S) * 1000
        found.over = found.p95_ms > found.budget_ms
        found.timings_ms = [round(x, 1) for x in t]
        say(line(found))
    return list(results.values())


def line(r: PageResult) -> str:
    mark = "  OVER" if r.over else ""
    mark = "  ERROR" if r.status >= 500 and r.status != 503 else mark
    return (
        f"{r.role:9} {r.name[:58]:58} {r.kind:8} {r.status:3} n={r.fetches:<3} "
        f"p50 {r.p50_ms:8.1f}  p95 {r.p95_ms:8.1f}  ms  q {r.queries_max:3}{mark}"
    )


def not_fetched(routes: list[Route]) -> dict[str, str]:
    """URL names this bench cannot fetch, with why: so a new page without a sampler shows."""
    gaps = {}
    for route in routes:
        if route.name in SKIP:
            gaps[route.name] = SKIP[route.name]
        elif post_only(route.view):
            gaps[route.name] = "仅 POST"
        elif route.params and route.name not in SAMPLES and route.name not in SLUG_SAMPLES:
            gaps[route.name] = "需要对象但 SAMPLES 中没有取样函数"
    return gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed fetches per URL")
    parser.add_argument("--samples", type=int, default=4, help="objects per detail page")
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--only", default="", help="only URL names containing one of these")
    parser.add_argument("--skip", default="", help="leave out URL names containing one of these")
    parser.add_argument("--tag", default="", help="suffix for the result file")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from minyi.reports.models import Report

    routes = walk_urls()
    gaps = not_fetched(routes)
    fetchable = [r for r in routes if r.name not in gaps]
    FILTER_QUERIES.update(filters())
    users = pick_users()
    engine, reports = connection.vendor, Report.objects.count()
    say(f"# {engine}, {reports} reports, {os.cpu_count()} cores, {args.runs} runs per URL")
    results: list[PageResult] = []
    for role in args.roles.split(","):
        if role not in users or (users[role] is None and role != "anonymous"):
            say(f"# {role}: no such user in this database")
            continue
        results += run_role(role, users[role], fetchable, args)
    over = [r for r in results if r.over]
    # 503 is the documents' "PDF needs LibreOffice, not installed here" page: not a failure.
    errors = [r for r in results if r.status >= 500 and r.status != 503]
    say(f"# {len(results)} pages, {len(over)} over budget, {len(errors)} errors (5xx)")
    say(f"# not fetched: {len(gaps)}")
    for name, why in sorted(gaps.items()):
        say(f"#   {name}: {why}")
    out = {
        "engine": engine,
        "reports": reports,
        "cpu_count": os.cpu_count(),
        "runs": args.runs,
        "samples": args.samples,
        "users": {k: (v.username if v else None) for k, v in users.items()},
        "budget_ms": {"html": HTML_BUDGET_S * 1000, **{k: v * 1000 for k, v in BUDGETS.items()}},
        "over_budget": [f"{r.role} {r.name}" for r in over],
        "errors": [f"{r.role} {r.name} {r.status}" for r in errors],
        "not_fetched": gaps,
        "pages": [asdict(r) for r in results],
    }
    RESULTS.mkdir(exist_ok=True)
    suffix = f"_{args.tag}" if args.tag else ""
    path = RESULTS / f"pages_{engine}_{reports}{suffix}.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    say(f"# wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
