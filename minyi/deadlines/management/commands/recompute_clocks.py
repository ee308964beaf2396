"""manage.py recompute_clocks: rewrite every report's stored clocks from the event log."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from minyi.deadlines.clocks import recompute_all


class Command(BaseCommand):
    help = "根据事件日志重新计算全部稿件的办理时限（计时表），并把计时消费者推进到日志末尾。"

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        written = recompute_all()
        seconds = time.monotonic() - began
        self.stdout.write(
            self.style.SUCCESS(f"已重新计算 {written} 条办理计时（{seconds:.1f} 秒）。")
        )
