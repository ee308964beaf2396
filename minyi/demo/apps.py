from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set and the real-message loader: the top floor, free to use every app."""

    name = "minyi.demo"
    verbose_name = "演示数据"
