from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "minyi.bulletins"
    verbose_name = "刊物"
