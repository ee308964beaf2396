from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from minyi.search.backends import rebuild_index


class Command(BaseCommand):
    help = "重建全文检索索引：重新分词并索引全部社情民意信息。"

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"已索引 {done} / {total} 篇")

        count = rebuild_index(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"检索索引重建完成：共索引 {count} 篇信息。"))
