from __future__ import annotations

import csv
from datetime import datetime, timedelta

from minyi.textlab.hot_topics import Doc, hot_topics
from minyi.textlab.segment import segment
from tests.textlab.helpers import teddy_file

NOW = datetime(2025, 6, 30)


def _docs() -> list[Doc]:
    docs = []
    for k in range(8):  # a fast-growing matter: eight authors in the last week
        docs.append(
            Doc(
                f"lift{k}",
                f"青石小区加装电梯审批难{k}",
                f"青石小区电梯加装申请被卡住，第{k}次反映",
                NOW - timedelta(days=k % 7),
                f"u{k}",
            )
        )
    for k in range(4):  # an old matter, steady over a year
        docs.append(
            Doc(
                f"road{k}",
                "红星村道路坑洼",
                f"红星村村道坑洼积水，雨天无法通行{k}",
                NOW - timedelta(days=90 * k + 40),
                f"v{k}",
            )
        )
    docs.append(
        Doc("dup", "青石小区加装电梯审批难0", "青石小区电梯加装申请被卡住，第0次反映", NOW, "u0")
    )
    docs.append(Doc("misc", "图书馆开放时间太短", "周末图书馆五点就关门", NOW, "w"))
    return docs


def test_it_ranks_the_growing_matter_first_and_flags_it() -> None:
    topics = hot_topics(_docs(), top=3, now=NOW)
    first = topics[0]
    assert first.rank == 1
    assert {f"lift{k}" for k in range(8)} | {"dup"} == set(first.ids)
    assert first.reports == 8  # "dup" is a near-duplicate of lift0, so it is collapsed
    assert first.emerging
    assert any("电梯" in w for w in first.keywords)


def test_it_keeps_distinct_matters_apart() -> None:
    topics = hot_topics(_docs(), top=3, now=NOW)
    road = next(t for t in topics if "road0" in t.ids)
    assert not road.emerging
    assert not set(road.ids) & set(topics[0].ids)


def test_it_returns_nothing_for_no_docs() -> None:
    assert hot_topics([]) == []


def test_it_finds_five_distinct_top_matters_in_real_messages() -> None:
    with teddy_file("hot_messages.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    docs = [
        Doc(
            r["留言编号"],
            r["留言主题"],
            r["留言详情"],
            datetime.strptime(r["留言时间"].split()[0], "%Y/%m/%d"),
            r["留言用户"],
            int(r["点赞数"] or 0),
        )
        for r in rows
    ]
    top = hot_topics(docs, top=5)
    assert len(top) == 5
    # Distinct matters: no two top clusters share most of their title words.
    titles = [set(segment(t.title)) for t in top]
    for i in range(5):
        for j in range(i + 1, 5):
            overlap = len(titles[i] & titles[j]) / min(len(titles[i]), len(titles[j]))
            assert overlap < 0.5, (top[i].title, top[j].title)
