from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minyi.audit.anchors import AnchorFileError, check_anchors, read_anchors
from minyi.audit.models import Event, verify_chain


class Command(BaseCommand):
    help = (
        "重新计算事件日志的哈希链，指出第一条被篡改的事件；"
        "给出 --anchors 时，再逐条核对锚点文件记录的链头，发现被整体改写或截断的事件链。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            help="锚点文件（每行一个 JSON 链头，由 anchor_events 或每日定时任务写入）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify_chain()
        if broken is not None:
            where = f"事件 #{broken.event_id}" if broken.event_id else "链尾"
            raise CommandError(f"哈希链在{where}处断开：{broken.reason}")
        if options["anchors"]:
            self._check_anchors(Path(options["anchors"]))
        self.stdout.write(f"哈希链完整：共 {Event.objects.count()} 条事件。")

    def _check_anchors(self, path: Path) -> None:
        try:
            anchors = read_anchors(path)
        except AnchorFileError as exc:
            raise CommandError(str(exc)) from None
        if not anchors:
            raise CommandError(f"锚点文件 {path} 中没有锚点记录，无法核对。")
        broken = check_anchors(anchors)
        if broken is not None:
            raise CommandError(
                f"事件链与锚点不符（锚点时间 {broken.anchor.at}，事件 #{broken.anchor.event_id}）："
                f"{broken.reason}"
            )
        last = anchors[-1]
        self.stdout.write(
            f"与 {len(anchors)} 个锚点一致（最近一个：事件 #{last.event_id}，{last.at}）。"
        )
