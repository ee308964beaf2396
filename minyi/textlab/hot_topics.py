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

from minyi.textlab.minhash import near_duplicate_pairs
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


def _collapse(docs: Sequence[Doc], threshold: float) -> list[list[int]]:
    """Group near-duplicate docs with union-find; each group lists doc indexes."""
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    texts = [(i, d.title + d.body) for i, d in enumerate(docs)]
    for pair in near_duplicate_pairs(texts, threshold):
        parent[find(int(pair.id_a))] = find(int(pair.id_b))
    groups: dict[int, list[int]] = {}
    for i in range(len(docs)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


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


#: Above this many reports, exact all-pairs similarity (O(n^2)) gives way to blocks.
BLOCK_ABOVE = 5000
#: Target block size: pairs are compared only inside a block, so the work is n * BLOCK_SIZE.
BLOCK_SIZE = 1000
SVD_DIMS = 64


def _blocks(matrix: Any) -> list[np.ndarray]:
    """Split rows into blocks of similar reports; one block when there are few rows.

    1. Reduce TF-IDF rows to SVD_DIMS dimensions (truncated SVD, O(nnz * dims)).
    2. MiniBatchKMeans into about n / BLOCK_SIZE groups (O(n * k * dims) per pass).
    A topic that straddles two blocks becomes two stars, which ``_merge_similar`` joins.
    """
    n = matrix.shape[0]
    if n <= BLOCK_ABOVE:
        return [np.arange(n)]
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    dims = min(SVD_DIMS, matrix.shape[1] - 1)
    reduced = normalize(TruncatedSVD(dims, random_state=0).fit_transform(matrix))
    k = -(-n // BLOCK_SIZE)
    labels = MiniBatchKMeans(k, random_state=0, batch_size=4096, n_init=1).fit_predict(reduced)
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    return [block for block in np.split(order, cuts) if block.size]


def _neighbours(matrix: Any, min_sim: float, chunk: int = 2000) -> list[np.ndarray]:
    """Return, per row, the rows of its block at cosine >= min_sim (global indexes)."""
    found: list[np.ndarray] = [np.empty(0, dtype=np.int64)] * matrix.shape[0]
    for block in _blocks(matrix):
        sub = matrix[block]
        for start in range(0, len(block), chunk):
            sims = (sub[start : start + chunk] @ sub.T).tocsr()
            sims.data[sims.data < min_sim] = 0
            sims.eliminate_zeros()
            for i in range(sims.shape[0]):
                found[int(block[start + i])] = block[sims[i].indices]
    return found


def _star_clusters(matrix: Any, min_sim: float) -> list[list[int]]:
    """Cluster rows of an L2-normalised sparse matrix around high-degree centres.

    1. Find each row's neighbours at cosine >= min_sim (within its block, see _blocks).
    2. Visit rows by descending neighbour count; an unassigned row becomes a centre and
       takes its unassigned neighbours. Only direct neighbours of a centre join, so
       clusters cannot chain A~B~C into one topic the way connected components do.
    """
    n = matrix.shape[0]
    neighbours = _neighbours(matrix, min_sim)
    order = sorted(range(n), key=lambda i: (-len(neighbours[i]), i))
    assigned = np.full(n, -1)
    clusters: list[list[int]] = []
    for centre in order:
        if assigned[centre] >= 0:
            continue
        members = [centre] + [int(j) for j in neighbours[centre] if assigned[j] < 0 and j != centre]
        assigned[members] = len(clusters)
        clusters.append(members)
    return clusters


def _merge_similar(matrix: Any, clusters: list[list[int]], min_sim: float) -> list[list[int]]:
    """Merge clusters whose centroids are at cosine >= min_sim (a star may split a topic).

    Only clusters with 2+ members take part: singletons are the long tail. Centroids stay
    sparse (an indicator matrix times the rows), so memory follows the words used, not
    clusters x vocabulary.
    """
    from scipy.sparse import csr_matrix
    from sklearn.preprocessing import normalize

    big = [i for i, c in enumerate(clusters) if len(c) > 1]
    if len(big) < 2:
        return clusters
    rows = np.repeat(np.arange(len(big)), [len(clusters[i]) for i in big])
    cols = np.concatenate([clusters[i] for i in big])
    indicator = csr_matrix((np.ones(cols.size), (rows, cols)), shape=(len(big), matrix.shape[0]))
    centroids = normalize(indicator @ matrix)
    sims = (centroids @ centroids.T).tocsr()
    target = list(range(len(big)))
    for a in range(len(big)):  # greedy: each cluster joins the first earlier match
        row = sims[a]
        earlier = sorted(int(b) for b, v in zip(row.indices, row.data, strict=True)
                         if b < a and v >= min_sim)  # fmt: skip
        for b in earlier:
            if target[b] == b:
                target[a] = b
                break
    merged = {i: list(clusters[i]) for i in range(len(clusters))}
    for a, b in enumerate(target):
        if a != b:
            merged[big[b]].extend(merged.pop(big[a]))
    return list(merged.values())


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
    merge_sim: float = 0.5,
) -> list[Topic]:
    """Return the ``top`` hottest topics among docs.

    1. Collapse near-duplicates (exact 3-gram Jaccard >= dup_threshold) into one report.
    2. TF-IDF the collapsed reports over content words (stop words and 1-char words out).
    3. Star-cluster them at cosine >= min_sim, then merge clusters whose centroids
       are at cosine >= merge_sim.
    4. Score each cluster with the heat formula (module docstring); ``now`` defaults
       to the latest report time. Label it with top keywords and the centre's title.
    """
    if not docs:
        return []
    now = now or max((d.time for d in docs if d.time), default=None)
    groups = _collapse(docs, dup_threshold)
    reps = [docs[g[0]] for g in groups]
    matrix, vocab = _vectorise([d.title + " " + d.title + " " + d.body for d in reps])
    topics = []
    clusters = _merge_similar(matrix, _star_clusters(matrix, min_sim), merge_sim)
    for rows in clusters:
        cluster_groups = [groups[r] for r in rows]
        score = _score(docs, cluster_groups, now, window)
        keywords = _keywords(matrix, rows, vocab)
        ids = [docs[i].id for g in cluster_groups for i in g]
        title = reps[rows[0]].title
        label = f"{'、'.join(keywords[:3])}：{title}" if keywords else title
        topics.append(Topic(0, label, keywords, title, len(ids), ids, **score))
    topics.sort(key=lambda t: (-t.heat, t.ids[0]))
    for rank, topic in enumerate(topics[:top], start=1):
        topic.rank = rank
    return topics[:top]
