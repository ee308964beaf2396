from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "minyi.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        # Registers the daily chain anchor and the nightly backup as periodic jobs.
        from minyi.audit import tasks  # noqa: F401
