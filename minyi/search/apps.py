from __future__ import annotations

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "minyi.search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from minyi.search import vocabulary

        vocabulary.connect()
