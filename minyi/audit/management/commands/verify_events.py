from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from minyi.audit.models import Event, verify_chain


class Command(BaseCommand):
    help = "重新计算事件日志的哈希链，指出第一条被篡改的事件。"

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify_chain()
        if broken is not None:
            where = f"事件 #{broken.event_id}" if broken.event_id else "链尾"
            raise CommandError(f"哈希链在{where}处断开：{broken.reason}")
        self.stdout.write(f"哈希链完整：共 {Event.objects.count()} 条事件。")
