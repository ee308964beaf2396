from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "minyi.insights"
    verbose_name = "统计分析"

    def ready(self) -> None:
        # Adds the weekly hot topics and the admins' chain anchor to notify's daily digest;
        # facts registers the ``report_facts`` consumer the dashboard's figures read.
        from minyi.insights import digest, digest_anchor, facts  # noqa: F401
