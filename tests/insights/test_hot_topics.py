"""The hot-topics page: clusters of recent reports, heat, emerging signals, access to links."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from minyi.insights.hot import topics_for
from tests.factories import make_report

pytestmark = pytest.mark.django_db

ELDERLY = [
    ("东湖区", "社区养老服务设施不足，老年人助餐和日间照料需求大"),
    ("西山区", "社区养老服务设施短缺，老年人日间照料和助餐难"),
    ("南岭县", "老年人社区养老服务设施不足，助餐和照料服务跟不上"),
    ("北港区", "社区养老服务设施缺口大，老年人日间照料助餐需求多"),
]
SCHOOL = [
    ("东湖区", "校车数量不足，学生上下学乘坐校车安全隐患多"),
    ("西山区", "学生乘坐校车超载，校车安全隐患突出"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _write(cast, place: str, text: str, **kw):
    return make_report(
        cast,
        title=f"关于{place}{text[:8]}的建议",
        situation=f"{place}{text}。居民反映强烈。",
        analysis=f"{text}，原因是投入不足。",
        suggestions=f"建议解决{text[:6]}。",
        **kw,
    )


def _seed(cast, state: str = "submitted"):
    elderly = [_write(cast, p, t, state=state) for p, t in ELDERLY]
    school = [_write(cast, p, t, state=state) for p, t in SCHOOL]
    return elderly, school


def test_it_groups_reports_on_the_same_matter_and_ranks_the_bigger_first(cast, client_for):
    elderly, school = _seed(cast)
    response = client_for(cast.editor).get(reverse("insights:hot_topics"))
    assert response.status_code == 200
    topics = response.context["topics"]
    assert {r.pk for r in topics[0].reports} == {r.pk for r in elderly}
    assert {r.pk for r in topics[1].reports} == {r.pk for r in school}
    assert any("养老" in word for word in topics[0].topic.keywords)
    html = response.content.decode()
    assert "热度" in html and topics[0].title in html


def test_it_leaves_drafts_out(cast):
    _write(cast, *ELDERLY[0])
    assert topics_for(cast.editor) == []


def test_leaders_get_links_only_to_reports_they_may_read(cast, client_for):
    elderly, _ = _seed(cast)
    published = _write(cast, "金桥区", ELDERLY[0][1], state="published")
    response = client_for(cast.leader).get(reverse("insights:hot_topics"))
    top = response.context["topics"][0]
    assert [r.pk for r in top.reports] == [published.pk]
    assert top.hidden == len(elderly)
    html = response.content.decode()
    assert reverse("reports:detail", args=[elderly[0].pk]) not in html
    assert f"另有 {len(elderly)} 篇" in html


def test_it_flags_a_topic_that_grows_fast_against_its_own_past(cast):
    start = timezone.now()
    with time_machine.travel(start - dt.timedelta(days=80), tick=False):
        _write(cast, *SCHOOL[0], state="submitted")
    for place, text in ELDERLY:  # four in the last week, none before
        _write(cast, place, text, state="submitted")
    _write(cast, *SCHOOL[1], state="submitted")
    topics = topics_for(cast.editor)
    elderly = next(t for t in topics if any("养老" in w for w in t.topic.keywords))
    school = next(t for t in topics if any("校车" in w for w in t.topic.keywords))
    assert elderly.topic.emerging
    # One report long ago and one now: steady, not a new trend.
    assert not school.topic.emerging


def test_it_takes_the_period_from_the_query_and_ignores_nonsense(cast, client_for):
    with time_machine.travel(timezone.now() - dt.timedelta(days=60), tick=False):
        _seed(cast)
    client = client_for(cast.editor)
    assert client.get(reverse("insights:hot_topics"), {"days": 30}).context["topics"] == []
    assert client.get(reverse("insights:hot_topics"), {"days": 90}).context["topics"]
    assert client.get(reverse("insights:hot_topics"), {"days": "x"}).status_code == 200


def test_it_refuses_everyone_but_editors_and_leaders(cast, client, client_for):
    for name, user in cast.everyone().items():
        expected = 200 if name in ("editor", "leader") else 403
        assert client_for(user).get(reverse("insights:hot_topics")).status_code == expected, name
    client.logout()
    assert client.get(reverse("insights:hot_topics")).status_code == 302


def test_the_menu_offers_it_to_editors_and_leaders_only(cast, client_for):
    url = reverse("insights:hot_topics")
    assert url in client_for(cast.leader).get(reverse("search:results")).content.decode()
    assert url not in client_for(cast.member).get(reverse("search:results")).content.decode()


def test_it_shows_a_leader_only_keywords_many_hidden_reports_share(cast, client_for):
    elderly, school = _seed(cast)  # submitted, not yet published: the leader may read none
    texts = {r.pk: f"{r.title}{r.situation}{r.analysis}{r.suggestions}" for r in elderly + school}
    by_leader = {t.topic.rank: t for t in topics_for(cast.leader)}
    assert len(by_leader) == 2
    for rank, found in by_leader.items():
        assert found.reports == [] and found.title == "" and found.hidden == found.topic.size
        for word in found.topic.keywords:
            # Every keyword shown to the leader is used by at least three reports of the topic.
            assert sum(word in texts[int(i)] for i in found.topic.ids) >= 3, (rank, word)
    # The two school reports are too few: their topic names no keyword to the leader at all.
    assert by_leader[2].topic.keywords == []
    assert any("养老" in word for word in by_leader[1].topic.keywords)
    editor = {t.topic.rank: t for t in topics_for(cast.editor)}
    assert editor[2].topic.keywords
    html = client_for(cast.leader).get(reverse("insights:hot_topics")).content.decode()
    assert "关键词：（无）" in html
