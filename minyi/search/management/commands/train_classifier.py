from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minyi.search.categories import train_classifier


class Command(BaseCommand):
    help = "用研究室已定类的稿件训练类别建议模型；已定类稿件没有变化时跳过。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="即使数据没有变化也重新训练")

    def handle(self, *args: Any, **options: Any) -> None:
        result = train_classifier(force=options["force"])
        style = self.style.SUCCESS if result.trained else self.style.WARNING
        self.stdout.write(style(result.message))
