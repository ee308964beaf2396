from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "minyi.exchange"
    verbose_name = "导入导出"
