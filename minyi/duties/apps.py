from __future__ import annotations

from django.apps import AppConfig


class DutiesConfig(AppConfig):
    """委员履职: the topic guide's actions, 约稿, terms (换届) and officer appointments."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "minyi.duties"
    verbose_name = "选题约稿与委员履职"

    def ready(self) -> None:
        # A commissioned report, once submitted, delivers its commission: a consumer of
        # the report's ``submit`` event, like every other side effect.
        from minyi.duties import delivery  # noqa: F401
