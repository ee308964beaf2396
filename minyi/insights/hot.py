"""Hot topics (热点难点) and emerging signals (苗头性倾向性问题) among recent reports.

Topics are computed by ``minyi.textlab.hot_topics`` over every report sent in during the
period (drafts and withdrawn reports are private and left out), so the heat reflects
the whole office's intake. What a user is shown of a topic follows the access rules:
links only to reports they may read (``visible_reports``), a count of the rest, a
representative title taken from a report they may read, and only the keywords that
occur in a report they may read or in at least three of the topic's reports.

Heat (stated in full in ``textlab.hot_topics``): reports + distinct authors
+ 2 × growth over the cluster's own baseline + log(1 + likes). A topic is an emerging
signal when it has at least 3 reports in the last growth window and at least twice its
own earlier rate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.core.cache import cache

from minyi.core import clock
from minyi.reports.access import visible_reports
from minyi.reports.models import Report, State
from minyi.textlab.hot_topics import Doc, Topic, hot_topics

if TYPE_CHECKING:
    from minyi.people.models import User

__all__ = ["HotTopic", "topics_for"]

PRIVATE_STATES = (State.DRAFT, State.WITHDRAWN)
#: Results are cached this long: clustering a year of reports takes seconds.
CACHE_SECONDS = 600
MAX_LINKS = 10
#: Reports of a topic that must use a keyword before it is shown to someone who may
#: read none of them (see ``_shown_keywords``).
KEYWORD_QUORUM = 3


@dataclass
class HotTopic:
    topic: Topic
    title: str
    reports: list[Report] = field(default_factory=list)
    hidden: int = 0


def _docs(since: dt.datetime) -> list[Doc]:
    rows = (
        Report.objects.exclude(state__in=PRIVATE_STATES)
        .filter(submitted_at__gte=since)
        .order_by("pk")
        .values_list("pk", "title", "situation", "analysis", "suggestions", "submitted_at",
                     "created_by_id")
    )  # fmt: skip
    return [
        Doc(str(pk), title, "\n".join((situation, analysis, suggestions)), when, str(author))
        for pk, title, situation, analysis, suggestions, when, author in rows
    ]


def _topics(days: int, window_days: int, top: int) -> list[Topic]:
    """Return the hottest topics of the last ``days``, cached while no report changes."""
    now = clock.now()
    since = now - dt.timedelta(days=days)
    intake = Report.objects.exclude(state__in=PRIVATE_STATES).filter(submitted_at__gte=since)
    latest = intake.order_by("-updated_at").values_list("updated_at", flat=True).first()
    stamp = latest.isoformat() if latest else "none"
    state = f"{days}:{window_days}:{top}:{intake.count()}:{stamp}:{now:%Y%m%d%H}"
    key = "hot-topics:" + hashlib.sha256(state.encode()).hexdigest()
    topics = cache.get(key)
    if topics is None:
        window = dt.timedelta(days=window_days)
        topics = hot_topics(_docs(since), top=top, now=now, window=window)
        cache.set(key, topics, CACHE_SECONDS)
    return topics


def topics_for(
    user: User, *, days: int = 90, window_days: int = 14, top: int = 10
) -> list[HotTopic]:
    """Return the hottest topics with the member reports ``user`` may read."""
    topics = _topics(days, window_days, top)
    ids = {int(i) for t in topics for i in t.ids}
    readable = visible_reports(user).filter(pk__in=ids).select_related("submitting_unit")
    by_id = {r.pk: r for r in readable}
    texts = _texts(ids)
    out = []
    for topic in topics:
        mine = [by_id[int(i)] for i in topic.ids if int(i) in by_id]
        # The representative title only when the user may read that report.
        title = topic.title if topic.ids and int(topic.ids[0]) in by_id else ""
        title = title or (mine[0].title if mine else "")
        words = _shown_keywords(topic, texts, readable={r.pk for r in mine})
        shown = replace(topic, keywords=words)
        out.append(HotTopic(shown, title, mine[:MAX_LINKS], len(topic.ids) - len(mine)))
    return out


def _texts(ids: set[int]) -> dict[int, str]:
    rows = Report.objects.filter(pk__in=ids).values_list(
        "pk", "title", "situation", "analysis", "suggestions"
    )
    return {pk: "\n".join(parts) for pk, *parts in rows}


def _shown_keywords(topic: Topic, texts: dict[int, str], *, readable: set[int]) -> list[str]:
    """The topic's keywords the user may be told.

    A keyword drawn from a report the user may not read could name what it says (a place,
    a company, a person). So a keyword is shown when it occurs in a report the user may
    read, or in at least ``KEYWORD_QUORUM`` reports of the topic: then it says what many
    raised, like the counts beside it, and not what one report said.
    """
    ids = [int(i) for i in topic.ids]
    shown = []
    for word in topic.keywords:
        using = [pk for pk in ids if word in texts.get(pk, "")]
        if len(using) >= KEYWORD_QUORUM or readable.intersection(using):
            shown.append(word)
    return shown
