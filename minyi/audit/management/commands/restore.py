from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minyi.audit.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "从 manage.py backup 的归档恢复到空数据库：先核对清单中每个文件的哈希，"
        "再恢复数据库、附件和分类模型，最后校验事件哈希链。"
    )
    # The checks would open the database before there is a folder for it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="备份归档（.tar.gz）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = restore_backup(options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"恢复完成：事件 {done.events} 条（链头 #{done.chain_head}，哈希链完整），"
            f"附件 {done.attachments} 个，分类模型{'已恢复' if done.classifier else '无'}。"
        )
        if done.migrations_behind:
            self.stdout.write(
                f"备份之后代码新增了 {len(done.migrations_behind)} 个数据库迁移："
                "请运行 manage.py migrate。"
            )
        if done.migrations_ahead:
            self.stdout.write(
                self.style.WARNING(
                    f"备份中有 {len(done.migrations_ahead)} 个本版本代码不认识的迁移"
                    f"（{'、'.join(done.migrations_ahead[:3])}…）：备份来自更新的版本，"
                    "请先升级代码再启动。"
                )
            )
