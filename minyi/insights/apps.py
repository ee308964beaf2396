from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "minyi.insights"
    verbose_name = "统计分析"
