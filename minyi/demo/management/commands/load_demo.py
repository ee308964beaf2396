"""manage.py load_demo [--small]: a believable city CPPCC and a year of its work (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minyi.demo.loader import DEFAULT_SEED, DEMO_PASSWORD, FULL, SMALL, DemoError, load_demo
from minyi.demo.notifications import prepare_demo_notifications
from minyi.demo.reference import DEMO_ACCOUNTS
from minyi.demo.scoring import seed_scoring
from minyi.reports.models import State
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

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        try:
            counts = load_demo(
                SMALL if options["small"] else FULL,
                seed=options["seed"],
                progress=self.stdout.write,
            )
        except DemoError as error:
            raise CommandError(str(error)) from error
        if counts is None:
            self.stdout.write("演示数据已载入过，本次未做任何修改。")
        else:
            prepare_demo_notifications()
            summary = "，".join(f"{State(s).label} {n}" for s, n in counts.items())
            seconds = time.monotonic() - began
            self.stdout.write(self.style.SUCCESS(f"演示数据载入完成（{seconds:.0f} 秒）。"))
            self.stdout.write(f"稿件共 {sum(counts.values())} 篇：{summary}。")
            self.stdout.write(f"履职积分：{seed_scoring()} 条（已设积分规则与信息月）。")
            # Train the category suggestions now rather than at the weekly job, so the
            # office's workbench shows them from the first run.
            self.stdout.write(f"类别建议：{train_classifier().message}")
        self.print_accounts()

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
