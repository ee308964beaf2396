"""Rankings read from the maintained totals against the same rankings grouped from the ledger.

Usage: MINYI_VAR_DIR=/tmp/h_rank .venv/bin/python bench/ranking_totals.py [--repeat 5] [--old REV]

Reads the database the settings name (build it with ``manage.py load_demo --scale 3000``). The
old code is ``minyi/scoring/rankings.py`` and ``ranked.py`` as of ``--old`` (the commit before
the totals), loaded from git beside the new modules. For this year and the year with the most
ledger rows it times, alternating old and new in one process so a busy machine slows both alike,
the member ranking's rows (``ranked_members``) and first page (``MemberRanking.of`` + ``page``),
the unit table on both bases, a member's rank (``member_standing``) and the editor's
``/scoring/rankings/`` page through the test client, prints the median of ``--repeat`` runs, and
checks both give the same rows (for the page: the same status).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
OLD_REV = "04243d2"


def old_module(name: str, path: str, rev: str, replace: dict[str, str]) -> ModuleType:
    """``path`` as of ``rev``, imported as module ``name`` (imports renamed by ``replace``)."""
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for old, new in replace.items():
        text = text.replace(old, new)
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    exec(compile(text, f"{rev}:{path}", "exec"), module.__dict__)
    return module


def timed(repeat: int, runs: dict[str, Callable[[], Any]]) -> tuple[dict[str, float], dict]:
    """Median ms of each run, alternating them ``repeat`` times; and each run's last result."""
    times: dict[str, list[float]] = {label: [] for label in runs}
    found: dict[str, Any] = {}
    for _ in range(repeat):
        for label, run in runs.items():
            began = time.perf_counter()
            found[label] = run()
            times[label].append((time.perf_counter() - began) * 1000)
    return {label: statistics.median(t) for label, t in times.items()}, found


def facts(lines: list[Any]) -> list[tuple]:
    return [(ln.key, ln.rank, ln.points, ln.submitted, ln.published, ln.adopted) for ln in lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--old", default=OLD_REV, help="the commit before the totals")
    args = parser.parse_args()

    import pages

    pages.setup_django()
    from django.db.models import Count
    from django.test import Client

    from minyi.core import clock
    from minyi.people.models import Member, User
    from minyi.scoring import ranked, rankings
    from minyi.scoring.models import Score

    old_rankings = old_module("old_rankings", "minyi/scoring/rankings.py", args.old, {})
    old_ranked = old_module(
        "old_ranked",
        "minyi/scoring/ranked.py",
        args.old,
        {"from minyi.scoring.rankings import": "from old_rankings import"},
    )
    busiest = (
        Score.objects.values("year").annotate(n=Count("id")).order_by("-n").values_list("year", "n")
    )
    this_year = clock.localdate().year
    years = dict(Score.objects.filter(year=this_year).values_list("year").annotate(n=Count("id")))
    years.update(busiest[:1])
    active = Member.objects.filter(active=True).count()
    say(f"{active} active members; ms, median of {args.repeat}")
    editor = User.objects.get(username="editor")
    client = Client()
    client.force_login(editor)
    pages.verify_second_factor(client, editor)
    member = Member.objects.filter(active=True, scores__isnull=False).order_by("id").first()
    modules = {"old": (old_ranked, old_rankings), "new": (ranked, rankings)}
    for year, rows in sorted(years.items()):
        say(f"# {year}: {rows} ledger rows")
        measure_year(year, args.repeat, modules, client, member)


def measure_year(
    year: int,
    repeat: int,
    modules: dict[str, tuple[ModuleType, ModuleType]],
    client: Any,
    member: Any,
) -> None:
    from minyi.scoring import views
    from minyi.scoring.models import ScoreRuleSet

    ruleset = ScoreRuleSet.objects.current(year)

    def ranked_rows(ranked: ModuleType) -> list[tuple]:
        return [(r["pk"], r["rank"]) for r in ranked.ranked_members(year)]

    def first_page(ranked: ModuleType) -> list[tuple]:
        return facts(ranked.MemberRanking.of(year, ruleset).page(1, 100)[1])

    def units(ranked: ModuleType, basis: str) -> list[tuple]:
        table = ranked.unit_table_by(year, ruleset, basis)
        return facts(table.ranked + table.unranked)

    def standing(rankings: ModuleType) -> int | None:
        return rankings.member_standing(year, ruleset, member)[0].rank

    def page(ranked: ModuleType, rankings: ModuleType) -> int:
        new = views.ranked, views.rankings
        views.ranked, views.rankings = ranked, rankings
        try:
            return client.get(f"/scoring/rankings/?year={year}").status_code
        finally:
            views.ranked, views.rankings = new

    def each(run: Callable[..., Any], *args: Any) -> dict[str, Callable[[], Any]]:
        return {label: (lambda m=m: run(*m, *args)) for label, m in modules.items()}

    compare("its ranked rows (ranked_members)", repeat, each(lambda r, _: ranked_rows(r)))
    compare("member ranking, first page", repeat, each(lambda r, _: first_page(r)))
    for basis in ("rate", "per_member"):
        compare(f"unit table ({basis})", repeat, each(lambda r, _, b: units(r, b), basis))
    compare("a member's rank (member_standing)", repeat, each(lambda _, r: standing(r)))
    compare("/scoring/rankings/ (editor)", repeat, each(page))


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def compare(what: str, repeat: int, runs: dict[str, Callable[[], Any]]) -> None:
    times, found = timed(repeat, runs)
    same = "same rows" if found["old"] == found["new"] else "ROWS DIFFER"
    old, new = times["old"], times["new"]
    say(f"{what:40} {old:7.1f} → {new:6.1f}  ({old / new:.1f}×, {same})")


if __name__ == "__main__":
    main()
