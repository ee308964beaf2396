"""Load the demo once: reference data, then the planned year replayed step by step."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from minyi.core import clock
from minyi.core.models import Counter
from minyi.demo.fates import keep_officers_monthly, plan_year
from minyi.demo.reference import CREATOR_PREFIX, DEMO_USERNAMES, build_reference
from minyi.demo.steps import Step
from minyi.demo.story import Mix, Story
from minyi.people.models import User
from minyi.reports.models import Report

DEMO_PASSWORD = "minyi-demo"
#: The Counter row written last: its presence means the demo is fully loaded.
MARKER = "demo:loaded"
DEFAULT_SEED = 20240301


@dataclass(frozen=True)
class DemoSize:
    members: int
    officers: int
    reports: int
    issues: int


FULL = DemoSize(members=325, officers=30, reports=600, issues=24)
SMALL = DemoSize(members=40, officers=5, reports=60, issues=3)


class DemoError(Exception):
    """The demo cannot be loaded into this database; nothing was changed."""


def is_loaded() -> bool:
    return Counter.objects.filter(key=MARKER).exists()


def check_loadable() -> None:
    clash = User.objects.filter(
        Q(username__in=DEMO_USERNAMES) | Q(username__startswith=CREATOR_PREFIX)
    ).values_list("username", flat=True)
    if names := sorted(clash)[:5]:
        raise DemoError(
            f"数据库中已有演示数据使用的账号（{'、'.join(names)}），但没有完整载入的标记，"
            "可能是上次载入中途失败。为避免覆盖您的数据，本次没有做任何修改；"
            "请在空数据库上重新运行 load_demo。"
        )


def load_demo(
    size: DemoSize = FULL,
    *,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int] | None:
    """Load the demo and return counts by report state; None if it was already loaded."""
    if is_loaded():
        return None
    check_loadable()
    say = progress or (lambda _msg: None)
    rng = random.Random(seed)
    end = timezone.now() - dt.timedelta(minutes=10)
    with transaction.atomic():
        refs, _ = build_reference(
            rng, members=size.members, officers=size.officers, password=DEMO_PASSWORD
        )
    say(f"基础数据已建立：{len(refs.units)} 个单位，{size.members} 名委员。")
    story = Story(rng, refs, end=end)
    planned = plan_year(story, Mix.for_total(size.reports, size.issues))
    planned = keep_officers_monthly(story, planned)
    say(f"已规划 {len(planned)} 个操作步骤，正在按时间顺序重演……")
    replay(planned)
    Counter.objects.create(key=MARKER, year=0, last=seed)
    states = Report.objects.values("state").annotate(n=Count("id")).order_by("state")
    return {row["state"]: row["n"] for row in states}


def replay(steps: list[Step]) -> None:
    """Run the steps day by day, each at its own moment, one transaction per day.

    Notifications are sent when a day's transaction commits; the clock is then
    still at that day's last step, so they carry that day's date.
    """
    for _day, group in itertools.groupby(steps, key=lambda s: timezone.localdate(s.when)):
        day_steps = list(group)
        with clock.frozen_at(_utc(day_steps[-1].when)), transaction.atomic():
            for step in day_steps:
                with clock.frozen_at(_utc(step.when)):
                    try:
                        step.run()
                    except Exception as error:
                        when = f"{timezone.localtime(step.when):%Y-%m-%d %H:%M}"
                        raise DemoError(
                            f"演示数据步骤“{step.label}”（{when}）失败：{error}"
                        ) from error


def _utc(when: dt.datetime) -> dt.datetime:
    # Event hashes cover created_at.isoformat(); the database hands times back
    # in UTC, so a time frozen in another zone would hash differently on reading.
    return when.astimezone(dt.UTC)
