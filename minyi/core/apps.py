from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "minyi.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from minyi.core import (
            checks,  # noqa: F401  (registers system checks)
            dbstats,  # noqa: F401  (registers the nightly statistics job)
        )
