from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from minyi.audit.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = (
        "备份数据库、附件和分类模型，写成一个带日期的归档（含哈希清单），并按保留份数删除旧备份。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, help=f"备份目录，默认 {settings.BACKUP_DIR}")
        parser.add_argument(
            "--keep", type=int, help=f"保留最近几份，默认 {settings.BACKUP_KEEP}；0 为不删除"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = create_backup(options["dir"])
            keep = settings.BACKUP_KEEP if options["keep"] is None else options["keep"]
            removed = prune_backups(keep, options["dir"]) if keep else []
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = archive.stat().st_size / 1024 / 1024
        self.stdout.write(f"备份完成：{archive}（{size:.1f} MB）。")
        for path in removed:
            self.stdout.write(f"已删除旧备份：{path.name}")
