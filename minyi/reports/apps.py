from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "minyi.reports"
    verbose_name = "社情民意信息"

    def ready(self) -> None:
        from minyi.audit.trail import register_download_facts
        from minyi.reports.confidentiality import report_download_facts

        # A download of a marked report or of its attachments records the 密级.
        register_download_facts(report_download_facts)
