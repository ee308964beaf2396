"""Hot-topic discovery: group recent reports about the same matter and rank the groups.

Heat formula (stated so editors can reason about the ranking)::

    heat = R + A + 2 * max(0, G) + log(1 + L)

    R = distinct reports in the cluster (near-duplicates collapsed into one)
    A = distinct authors (a petition signed by many people is hotter than one author
        repeating themselves)
    G = reports in the last ``window`` minus the cluster's own average per window before
        it (growth against its own baseline)
    L = total likes, when a likes column exists

A cluster is *emerging* when it has at least 3 reports in the last window and that is at
least twice its baseline rate (+1 so a brand-new topic does not divide by zero).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from minyi.textlab.cells import Cluster, ClusterParams, cluster_rows
from minyi.textlab.segment import segment

__all__ = ["Doc", "Topic", "hot_topics"]

_STOP = frozenset(
    [
        "问题",
        "请问",
        "反映",
        "希望",
        "建议",
        "我们",
        "你们",
        "他们",
        "相关",
        "部门",
        "领导",
        "尊敬",
        "您好",
        "政府",
        "关于",
        "进行",
        "没有",
        "已经",
        "现在",
        "目前",
        "情况",
        "一个",
        "这个",
        "什么",
        "如何",
        "为什么",
        "是否",
        "可以",
        "能否",
        "要求",
        "如果",
        "但是",
        "因为",
        "所以",
        "还是",
        "这样",
        "自己",
        "时候",
        "工作",
        "解决",
        "处理",
        "有关",
        "及时",
        "严重",
        "谢谢",
        "感谢",
        "市民",
        "居民",
        "群众",
        "恳请",
        "尽快",
        "请求",
        "能够",
        "应该",
        "需要",
        "以及",
        "以上",
        "之后",
        "一直",
        "不能",
        "不是",
        "他们的",
    ]
)


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    body: str = ""
    time: datetime | None = None
    author: str | None = None
    likes: int = 0


@dataclass
class Topic:
    rank: int
    label: str
    keywords: list[str]
    title: str
    size: int
    ids: list[str]
    reports: int
    authors: int
    recent: int
    baseline: float
    likes: int
    heat: float
    emerging: bool
    extra: dict[str, Any] = field(default_factory=dict)


def _vectorise(texts: Sequence[str]) -> tuple[Any, list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    def words(text: str) -> list[str]:
        return [w for w in segment(text) if len(w) > 1 and w not in _STOP]

    # Pruning rare and common words only makes sense once there are enough reports.
    big = len(texts) >= 50
    vec = TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=2 if big else 1,
                          max_df=0.2 if big else 1.0)  # fmt: skip
    try:
        matrix = vec.fit_transform(texts)
    except ValueError:  # no content words at all: every report is its own topic
        from scipy.sparse import identity

        return identity(len(texts), format="csr"), [""] * len(texts)
    return matrix, list(vec.get_feature_names_out())


def _keywords(matrix: Any, rows: list[int], vocab: list[str], k: int = 5) -> list[str]:
    weights = np.asarray(matrix[rows].sum(axis=0)).ravel()
    return [vocab[i] for i in np.argsort(-weights)[:k] if weights[i] > 0]


def _growth(times: list[datetime], now: datetime, window: timedelta) -> tuple[int, float]:
    """Return (reports in the last window, mean reports per earlier window)."""
    recent = sum(1 for t in times if now - window < t <= now)
    earlier = [t for t in times if t <= now - window]
    if not earlier:
        return recent, 0.0
    span = max(window, now - window - min(earlier))
    return recent, len(earlier) / (span / window)


def _score(docs: Sequence[Doc], groups: list[list[int]], now: datetime | None,
           window: timedelta) -> dict[str, Any]:  # fmt: skip
    members = [docs[i] for g in groups for i in g]
    times = [d.time for d in members if d.time]
    recent, baseline = _growth(times, now, window) if now and times else (0, 0.0)
    likes = sum(d.likes for d in members)
    authors = len({d.author for d in members if d.author}) or len(groups)
    heat = len(groups) + authors + 2 * max(0.0, recent - baseline) + math.log1p(likes)
    emerging = recent >= 3 and recent >= 2 * (baseline + 1)
    return {"reports": len(groups), "authors": authors, "recent": recent,
            "baseline": round(baseline, 3), "likes": likes, "heat": round(heat, 3),
            "emerging": emerging}  # fmt: skip


def hot_topics(
    docs: Sequence[Doc],
    top: int = 10,
    *,
    now: datetime | None = None,
    window: timedelta = timedelta(days=30),
    min_sim: float = 0.3,
    dup_threshold: float = 0.7,
    merge_sim: float = 0.2,
) -> list[Topic]:
    """Return the ``top`` hottest topics among docs.

    1. TF-IDF every report over content words (stop words and 1-char words out).
    2. Cluster the rows (``cells.cluster_rows``, near-linear): inside cells of similar
       reports, collapse near-duplicates (exact 3-gram Jaccard >= dup_threshold) into one
       report and star-cluster the reports at cosine >= min_sim; then merge stars whose
       mean pairwise cosine (average link) is >= merge_sim.
    3. Score each cluster with the heat formula (module docstring); ``now`` defaults
       to the latest report time. Label only the top ones with keywords and the
       centre's title (labelling every singleton was most of the old run time).
    """
    if not docs:
        return []
    now = now or max((d.time for d in docs if d.time), default=None)
    matrix, vocab = _vectorise([d.title + " " + d.title + " " + d.body for d in docs])
    params = ClusterParams(min_sim=min_sim, dup_threshold=dup_threshold, merge_sim=merge_sim)
    clusters = cluster_rows(matrix, [d.title + d.body for d in docs], params)
    scored = [(_score(docs, c, now, window), c) for c in clusters]
    scored.sort(key=lambda sc: (-sc[0]["heat"], docs[sc[1][0][0]].id))
    return [_topic(rank, docs, matrix, vocab, c, score)
            for rank, (score, c) in enumerate(scored[:top], start=1)]  # fmt: skip


def _topic(rank: int, docs: Sequence[Doc], matrix: Any, vocab: list[str], cluster: Cluster,
           score: dict[str, Any]) -> Topic:  # fmt: skip
    # Keywords from one row per near-duplicate group, so a re-sent copy cannot outvote.
    keywords = _keywords(matrix, [g[0] for g in cluster], vocab)
    ids = [docs[i].id for g in cluster for i in g]
    title = docs[cluster[0][0]].title
    label = f"{'、'.join(keywords[:3])}：{title}" if keywords else title
    return Topic(rank, label, keywords, title, len(ids), ids, **score)
