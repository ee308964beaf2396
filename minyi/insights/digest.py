"""The weekly hot topics (每周热点) in the daily digest, for editors and leaders.

Once a week (``NOTIFY_HOT_TOPICS_WEEKDAY``, Monday by default) the digest of each
editor and leader who keeps the ``hot_topics`` kind lists the five hottest topics
of the last 30 days, emerging signals marked, titled as the reader may see them.
``InsightsConfig.ready()`` registers the section with ``notify.digest``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from minyi.insights.hot import topics_for
from minyi.notify.digest import register_section
from minyi.notify.emails import absolute

if TYPE_CHECKING:
    from minyi.people.models import User

#: How far back, the growth window, how many.
HOT_DAYS, HOT_WINDOW_DAYS, HOT_TOP = 30, 7, 5


@dataclass(frozen=True)
class HotItem:
    title: str
    keywords: str
    size: int
    emerging: bool
    url: str


def is_hot_topics_day(day: dt.date) -> bool:
    return day.weekday() == settings.NOTIFY_HOT_TOPICS_WEEKDAY


def hot_items(user: User) -> list[HotItem]:
    """This week's hottest topics as ``user`` may see them (titles follow access rules)."""
    page = absolute(reverse("insights:hot_topics"))
    # Without a report the reader may open, the topic is named by its keywords only.
    return [
        HotItem(
            found.title or _unnamed(found.topic.keywords),
            "、".join(found.topic.keywords[:5]),
            found.topic.size,
            found.topic.emerging,
            page,
        )
        for found in topics_for(user, days=HOT_DAYS, window_days=HOT_WINDOW_DAYS, top=HOT_TOP)
    ]


def _unnamed(keywords: list[str]) -> str:
    # Keywords of reports the reader may not read are shown only when many reports share them.
    return (
        f"关于“{'、'.join(keywords[:3])}”的话题" if keywords else "一个话题（您无权查看其中的信息）"
    )


register_section(
    "hot",
    title="本周热点（近 30 天）",
    kind="hot_topics",
    is_due=is_hot_topics_day,
    items=hot_items,
    template="insights/digest/hot",
    subject="本周热点 {count} 个",
)
