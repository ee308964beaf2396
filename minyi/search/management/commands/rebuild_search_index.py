from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from minyi.search.backends import rebuild_index
from minyi.search.rum import rum_index_exists, use_rum

BAR_WIDTH = 30


def bar(done: int, total: int) -> str:
    """Return a text progress bar such as ``[#######-------]  50%  500 / 1000 篇``."""
    share = done / total if total else 1.0
    filled = round(share * BAR_WIDTH)
    return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:4.0%}  {done} / {total} 篇"


class Command(BaseCommand):
    help = "重建全文检索与相似度索引：重新分词、计算分段哈希并索引全部社情民意信息。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--rum",
            action="store_true",
            help="PostgreSQL：先改用 RUM 索引按相关度排序（需已安装 rum 扩展，"
            "见 scripts/ensure-postgres-rum.sh），再重建。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rum"] and not rum_index_exists():
            if not use_rum():
                raise CommandError(
                    "无法启用 RUM 索引：数据库不是 PostgreSQL，或服务器未安装 rum 扩展，"
                    "或当前用户无权创建扩展。"
                )
            self.stdout.write("已改用 RUM 索引。")
        # On a terminal the bar redraws in place; in logs each batch is one line.
        tty = self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            self.stdout.write(("\r" if tty else "") + bar(done, total), ending="" if tty else "\n")

        count = rebuild_index(progress=progress)
        if tty:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"检索索引重建完成：共索引 {count} 篇信息。"))
