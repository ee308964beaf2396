"""Search's background jobs: the nightly index rebuild and the weekly classifier training.

Imported by ``SearchConfig.ready()``, which registers both as periodic jobs.
"""

from __future__ import annotations

from minyi.core.jobs import daily_at, job, register_periodic
from minyi.search import backends, categories


@job
def rebuild_search_index() -> int:
    return backends.rebuild_index()


@job
def train_classifier() -> str:
    return categories.train_classifier().message


register_periodic(
    "rebuild_search_index",
    "重建全文检索索引",
    rebuild_search_index,
    daily_at("02:00"),
    "每天 02:00",
)
register_periodic(
    "train_classifier",
    "重新训练类别分类器",
    train_classifier,
    daily_at("03:00", weekday=6),
    "每周日 03:00",
)
