from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "minyi.insights"
    verbose_name = "统计分析"

    def ready(self) -> None:
        # Adds the weekly hot topics to notify's daily digest.
        from minyi.insights import digest  # noqa: F401
