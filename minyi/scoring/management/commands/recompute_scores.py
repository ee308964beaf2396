"""manage.py recompute_scores YEAR: rebuild a year's ledger from the event log."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minyi.scoring.ledger import recompute_year


class Command(BaseCommand):
    help = "按现行积分规则，从事件日志重新计算某一年度的全部积分。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="年度，如 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        rows = recompute_year(options["year"])
        seconds = time.perf_counter() - began
        self.stdout.write(
            f"{options['year']}年度积分已重新计算：{rows} 条积分记录，用时 {seconds:.2f} 秒。"
        )
