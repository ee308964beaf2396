from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "minyi.bulletins"
    verbose_name = "刊物"

    def ready(self) -> None:
        from minyi.audit.trail import register_download_facts
        from minyi.bulletins.marking import issue_download_facts

        # A download of an issue that prints marked reports names their 密级.
        register_download_facts(issue_download_facts)
