"""manage.py load_demo [--small]: a believable city CPPCC and a year of its work (idempotent)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count

from minyi.audit.models import Event
from minyi.bulletins.models import Issue
from minyi.core.dbstats import analyze
from minyi.demo.loader import DEFAULT_SEED, DEMO_PASSWORD, FULL, SMALL, DemoError, load_demo
from minyi.demo.members_side import seed_members_side
from minyi.demo.notifications import prepare_demo_notifications
from minyi.demo.reference import DEMO_ACCOUNTS
from minyi.demo.scale import TEMPLATE_SIZE, grow
from minyi.demo.scoring import seed_scoring
from minyi.notify.models import Notification
from minyi.outcomes.models import Forwarding
from minyi.people.models import Member, Organization
from minyi.reports.models import Report, State
from minyi.scoring.models import Score
from minyi.search.categories import train_classifier


class Command(BaseCommand):
    help = "载入演示数据：一个市政协、325 名委员和一年的社情民意信息工作（已载入则跳过）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--small",
            action="store_true",
            help="小规模（40 名委员、60 篇信息、3 期刊物），供测试使用",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机数种子")
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="大规模：约 3000 名委员、十年共 N 篇信息（以演示年度为模板批量生成）",
        )
        parser.add_argument(
            "--timings",
            default="",
            metavar="PATH",
            help="把各步骤用时写入此 JSON 文件（与 --scale 同用）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        scale = options["scale"]
        # With --scale the template year is the big city's (or the small one, for tests).
        size = SMALL if options["small"] else TEMPLATE_SIZE if scale else FULL
        try:
            counts = load_demo(size, seed=options["seed"], progress=self.stdout.write)
        except DemoError as error:
            raise CommandError(str(error)) from error
        if counts is None:
            self.stdout.write("演示数据已载入过，本次未做任何修改。")
            self.print_accounts()
            return
        # The members' side belongs to the demo year (its 约稿 delivers a report): seeded
        # before the copies, so ``--scale N`` counts that report among its N.
        seed_members_side()
        timings = {"template_year": time.monotonic() - began}
        if scale:
            timings |= grow(scale, seed=options["seed"], progress=self.stdout.write)
        prepare_demo_notifications()
        states = Report.objects.values("state").annotate(n=Count("id")).order_by("state")
        summary = "，".join(f"{State(row['state']).label} {row['n']}" for row in states)
        step = time.monotonic()
        scores = seed_scoring()
        timings["points_ledger"] = time.monotonic() - step
        if scale:
            # Bulk writes leave the planner without statistics (SQLite then prefers an
            # equality index over a range): analyse the whole database once.
            step = time.monotonic()
            analyze()
            timings["analyze"] = time.monotonic() - step
        seconds = time.monotonic() - began
        self.stdout.write(self.style.SUCCESS(f"演示数据载入完成（{seconds:.0f} 秒）。"))
        self.stdout.write(f"稿件共 {sum(row['n'] for row in states)} 篇：{summary}。")
        self.stdout.write(f"履职积分：{scores} 条（已设积分规则与信息月）。")
        if scale:
            # The model file is shared by every database of this checkout: a big load
            # (often a second database) leaves it to ``manage.py train_classifier``.
            self.stdout.write(
                "类别建议：大规模载入不训练模型，需要时请运行 manage.py train_classifier。"
            )
            timings["total"] = seconds
            if options["timings"]:
                self.write_timings(Path(options["timings"]), scale, timings)
        else:
            # Train the category suggestions now rather than at the weekly job, so the
            # office's workbench shows them from the first run.
            self.stdout.write(f"类别建议：{train_classifier().message}")
        self.print_accounts()

    def write_timings(self, path: Path, scale: int, timings: dict[str, float]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        facts = {
            "reports": Report.objects.count(),
            "events": Event.objects.count(),
            "members": Member.objects.count(),
            "units": Organization.objects.count(),
            "notifications": Notification.objects.count(),
            "scores": Score.objects.count(),
            "forwardings": Forwarding.objects.count(),
            "issues": Issue.objects.count(),
        }
        body = {
            "scale": scale,
            "database": connection.vendor,
            "cores": os.cpu_count(),
            "seconds": {k: round(v, 1) for k, v in timings.items()},
            "rows": facts,
        }
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def print_accounts(self) -> None:
        rows = [("账号", "角色", "密码")] + [
            (username, role, DEMO_PASSWORD) for username, role, *_ in DEMO_ACCOUNTS
        ]
        width = max(len(r[0]) for r in rows) + 2
        role_width = max(_display_width(r[1]) for r in rows) + 2
        self.stdout.write("")
        for username, role, password in rows:
            padding = " " * (role_width - _display_width(role))
            self.stdout.write(f"{username.ljust(width)}{role}{padding}{password}")


def _display_width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
