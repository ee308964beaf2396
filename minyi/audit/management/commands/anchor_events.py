from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minyi.audit.anchors import anchor_file, write_anchor


class Command(BaseCommand):
    help = "把事件链的链头（最后一条事件的编号、哈希、事件数、时间）追加到数据库之外的锚点文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            metavar="FILE",
            help="锚点文件，默认为设置 MINYI_CHAIN_ANCHOR_FILE（var/chain-anchors.jsonl）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]) if options["file"] else anchor_file()
        anchor = write_anchor(path)
        if anchor is None:
            self.stdout.write("事件日志为空，没有可记录的链头。")
            return
        self.stdout.write(f"已写入 {path}：{anchor.line()}")
