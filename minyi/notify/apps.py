from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "minyi.notify"
    verbose_name = "通知"

    def ready(self) -> None:
        # authors registers the author-feedback consumer of the event log, staff the
        # one telling editors of take-overs, urgent the one telling staff of
        # urgent reports at once; tasks defines notify's jobs and
        # registers the daily digest as a periodic job.
        # commissions tells members and editors about 约稿.
        from minyi.notify import authors, commissions, staff, tasks, urgent  # noqa: F401
