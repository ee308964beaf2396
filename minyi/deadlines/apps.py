from __future__ import annotations

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "minyi.deadlines"
    verbose_name = "办理时限"
