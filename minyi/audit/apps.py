from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "minyi.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        # Registers the daily chain anchor as a periodic job.
        from minyi.audit import tasks  # noqa: F401
