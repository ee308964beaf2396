from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "minyi.notify"
    verbose_name = "通知"
