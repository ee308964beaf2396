from __future__ import annotations

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "minyi.search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        # indexing registers the search index as a consumer of the event log; tasks
        # defines the rebuild and classifier jobs and registers them as periodic.
        from minyi.search import indexing, tasks, vocabulary  # noqa: F401

        vocabulary.connect()
