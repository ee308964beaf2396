from __future__ import annotations

from django.apps import AppConfig


class ScoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "minyi.scoring"
    verbose_name = "履职积分与通报"

    def ready(self) -> None:
        # Registers the points ledger as a consumer of the event log, so every path
        # that appends events (actions, imports) keeps it current.
        from minyi.scoring import ledger  # noqa: F401
