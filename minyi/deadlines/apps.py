from __future__ import annotations

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "minyi.deadlines"
    verbose_name = "办理时限"

    def ready(self) -> None:
        # Defines the reminders task and registers it as a periodic job.
        from minyi.deadlines import tasks  # noqa: F401
