from __future__ import annotations

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "minyi.deadlines"
    verbose_name = "办理时限"

    def ready(self) -> None:
        # Defines the reminders task and registers it as a periodic job.
        # Registers the report_clocks consumer; the signals re-time stored clocks when
        # a calendar override or a service level changes.
        from minyi.deadlines import (
            checks,  # noqa: F401  (registers the holiday-data check)
            clocks,
            tasks,  # noqa: F401
        )

        clocks.connect_signals()
