"""The dashboard's figures from the fact table against the same figures from the reports.

Usage: MINYI_VAR_DIR=/tmp/h_dash .venv/bin/python bench/dashboard_facts.py [--repeat 5]

Reads the database the settings name (build it first with ``manage.py load_demo --scale
3000``). For the editor and the leader, this year and all years, it times every figure
of the dashboard (``stats.FIGURES``, read from ``ReportFact``) and the same figures
counted from the reports (``stats_direct.FIGURES``), alternating the two in one process
so a busy machine slows both alike, and prints the median of ``--repeat`` runs. It also
checks that both give the same rows. With ``--page`` it times the whole page
(``/insights/`` through the test client) with either set of figures instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--page", action="store_true", help="time the whole page")
    args = parser.parse_args()

    import django

    django.setup()
    from minyi.core import clock
    from minyi.insights import stats, stats_direct
    from minyi.people.models import User
    from minyi.reports.access import visible_reports
    from minyi.reports.models import Report

    if args.page:
        time_page(args.repeat)
        return
    readers = {
        "editor": User.objects.get(username="editor"),
        "leader": User.objects.get(username="leader"),
    }
    scopes = {"this year": clock.localdate().year, "all years": None}
    print(f"{Report.objects.count()} reports; median of {args.repeat}, ms (old → new)")  # noqa: T201
    for name, user in readers.items():
        base = visible_reports(user)
        for scope, year in scopes.items():
            filters = stats.Filters(year=year, every_submitted=user.is_office)
            timings: dict[str, list[float]] = {"old": [], "new": []}
            rows = {}
            for _ in range(args.repeat):
                for label, figures in (("old", stats_direct.FIGURES), ("new", stats.FIGURES)):
                    began = time.perf_counter()
                    rows[label] = [build(filters, base).rows for build in figures.values()]
                    timings[label].append((time.perf_counter() - began) * 1000)
            same = "same rows" if rows["old"] == rows["new"] else "ROWS DIFFER"
            old, new = (statistics.median(timings[k]) for k in ("old", "new"))
            print(f"{name:7} {scope:10} {old:7.1f} → {new:6.1f}  ({old / new:.1f}×, {same})")  # noqa: T201


def time_page(repeat: int) -> None:
    """The dashboard page, old and new figures alternating (same template and session)."""
    import logging

    from django.test import Client
    from django.test.utils import setup_test_environment

    from minyi.insights import stats, stats_direct
    from minyi.people.models import User

    logging.disable(logging.WARNING)  # the logins
    setup_test_environment()
    new = dict(stats.FIGURES)
    print(f"the page, median of {repeat}, ms (old → new)")  # noqa: T201
    for name in ("editor", "leader"):
        client = Client()
        client.force_login(User.objects.get(username=name))
        for scope, query in (("this year", ""), ("all years", "?year=")):
            timings: dict[str, list[float]] = {"old": [], "new": []}
            for _ in range(repeat):
                for label, figures in (("old", stats_direct.FIGURES), ("new", new)):
                    stats.FIGURES.clear()
                    stats.FIGURES.update(figures)
                    began = time.perf_counter()
                    assert client.get("/insights/" + query).status_code == 200
                    timings[label].append((time.perf_counter() - began) * 1000)
            old, new_ms = (statistics.median(timings[k]) for k in ("old", "new"))
            print(f"{name:7} {scope:10} {old:7.1f} → {new_ms:6.1f}")  # noqa: T201


if __name__ == "__main__":
    main()
