"""Near-linear clustering of L2-normalised TF-IDF rows into topics (used by hot_topics).

Every pairwise step runs inside a *cell* of at most ``max_cell`` similar rows, so the
pairwise work is O(n * max_cell) instead of O(n^2), and memory per step is one cell's
similarity matrix:

1. Cells. Project rows to ``DIMS`` dimensions (truncated SVD fitted on a sample of at
   most ``SAMPLE`` rows) and send each row to its nearest of k = n / cell centres
   (MiniBatchKMeans, also fitted on the sample). Cells still above ``max_cell`` are split
   again the same way. Assigning rows costs O(n * k * DIMS) dense multiply-adds, about
   0.2 s at n = 100k; fitting is bounded by the sample.
2. Inside each cell: near-duplicates are pairs at cosine >= ``DUP_COSINE`` whose MinHash
   estimate and then exact 3-gram Jaccard reach the threshold; they collapse into one
   report (connected components). Then star clustering on the collapsed reports.
3. Across cells: a topic cut by a cell border becomes several stars, so stars with 2+
   reports are star-clustered again at average link >= merge_sim (mean pairwise cosine),
   comparing only stars that share one of their two nearest cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from minyi.textlab.minhash import jaccard, shingles, signatures

__all__ = ["Cluster", "ClusterParams", "cluster_rows"]

DIMS = 64
SAMPLE = 20_000
SVD_SAMPLE = 5_000
#: Real near-duplicates (3-gram Jaccard >= 0.7) in the teddy2020 messages all have word
#: TF-IDF cosine >= 0.69; 0.5 leaves a margin and skips most unrelated pairs.
DUP_COSINE = 0.5
#: A MinHash estimate (128 permutations, std error <= 0.045) this far below the
#: threshold means the pair cannot plausibly reach it; the rest are checked exactly.
ESTIMATE_MARGIN = 0.2

#: A cluster is a list of near-duplicate groups; each group lists row indexes, first the
#: row that represents it.
Cluster = list[list[int]]


@dataclass(frozen=True)
class ClusterParams:
    min_sim: float = 0.3
    dup_threshold: float = 0.7
    merge_sim: float = 0.2
    cell: int = 400
    max_cell: int = 1500


def _normalize(x: Any, norm: str = "l2") -> Any:
    from sklearn.preprocessing import normalize

    return normalize(x, norm=norm)


def _fit_centres(points: np.ndarray, k: int) -> np.ndarray:
    """Return k centres fitted on at most SAMPLE of the points (deterministic)."""
    from sklearn.cluster import MiniBatchKMeans

    rng = np.random.default_rng(0)
    sample = points if len(points) <= SAMPLE else points[rng.choice(len(points), SAMPLE, False)]
    km = MiniBatchKMeans(k, random_state=0, batch_size=2048, n_init=1, max_iter=20)
    return np.asarray(km.fit(sample).cluster_centers_)


def _nearest(points: np.ndarray, centres: np.ndarray, probes: int = 1) -> np.ndarray:
    """Return the indexes of each point's ``probes`` nearest centres, in chunks."""
    out = np.empty((len(points), probes), dtype=np.int64)
    norms = (centres**2).sum(axis=1)
    for start in range(0, len(points), 8192):
        # argmin |p - c|^2 = argmin |c|^2 - 2 p.c, a dense BLAS product per chunk.
        dist = norms[None, :] - 2 * points[start : start + 8192] @ centres.T
        if probes == 1:
            out[start : start + 8192, 0] = dist.argmin(axis=1)
        else:
            out[start : start + 8192] = np.argsort(dist, axis=1)[:, :probes]
    return out


def _project(matrix: Any) -> np.ndarray:
    """Return rows projected to DIMS dimensions (SVD fitted on a sample), L2-normalised."""
    from sklearn.decomposition import TruncatedSVD

    dims = max(1, min(DIMS, matrix.shape[1] - 1))
    rng = np.random.default_rng(0)
    n = matrix.shape[0]
    # Cells only need the main directions, so a small sample and few power iterations do.
    sample = matrix if n <= SVD_SAMPLE else matrix[np.sort(rng.choice(n, SVD_SAMPLE, False))]
    svd = TruncatedSVD(dims, n_iter=3, random_state=0).fit(sample)
    return np.asarray(_normalize(np.asarray(matrix @ svd.components_.T)))


def _split(points: np.ndarray, rows: np.ndarray, p: ClusterParams, depth: int = 0) -> list:
    """Partition rows into cells of at most p.max_cell by nearest k-means centre."""
    if len(rows) <= p.max_cell:
        return [rows]
    k = -(-len(rows) // p.cell)
    labels = _nearest(points[rows], _fit_centres(points[rows], k))[:, 0]
    if depth >= 3 or np.unique(labels).size == 1:  # k-means cannot split it: cut in order
        return [rows[i : i + p.max_cell] for i in range(0, len(rows), p.max_cell)]
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    cells = []
    for part in np.split(rows[order], cuts):
        cells.extend(_split(points, part, p, depth + 1))
    return cells


def _stars(adjacency: Any, order: Sequence[int]) -> list[list[int]]:
    """Visit nodes in order; an unassigned node becomes a centre and takes its unassigned
    neighbours. Only direct neighbours join, so A~B~C does not chain into one topic."""
    assigned = np.zeros(adjacency.shape[0], dtype=bool)
    indptr, indices = adjacency.indptr, adjacency.indices
    stars = []
    for centre in order:
        if assigned[centre]:
            continue
        near = indices[indptr[centre] : indptr[centre + 1]]
        near = near[~assigned[near] & (near != centre)]
        assigned[centre] = True
        assigned[near] = True
        stars.append([int(centre), *near.tolist()])
    return stars


def _duplicates(sims: Any, rows: np.ndarray, texts: Sequence[str], threshold: float) -> np.ndarray:
    """Return a label per cell row; rows of one near-duplicate group share a label.

    Candidates are pairs at cosine >= DUP_COSINE; a vectorised MinHash estimate drops the
    clear misses, so the exact Jaccard runs on few pairs even in a dense cell.
    """
    from scipy.sparse import coo_matrix, triu
    from scipy.sparse.csgraph import connected_components

    upper = triu(sims, k=1).tocoo()
    keep = upper.data >= DUP_COSINE
    a, b = upper.row[keep], upper.col[keep]
    if a.size:
        involved = np.unique(np.concatenate([a, b]))
        sets = {int(i): shingles(texts[int(rows[i])]) for i in involved}
        sigs = signatures([sets[int(i)] for i in involved])
        pos = np.searchsorted(involved, a), np.searchsorted(involved, b)
        estimate = (sigs[pos[0]] == sigs[pos[1]]).mean(axis=1)
        near = estimate >= threshold - ESTIMATE_MARGIN
        exact = [jaccard(sets[int(i)], sets[int(j)]) >= threshold
                 for i, j in zip(a[near], b[near], strict=True)]  # fmt: skip
        a, b = a[near][exact], b[near][exact]
    n = len(rows)
    graph = coo_matrix((np.ones(a.size), (a, b)), shape=(n, n)).tocsr()
    return connected_components(graph, directed=False)[1]


def _cell_clusters(matrix: Any, rows: np.ndarray, texts: Sequence[str],
                   p: ClusterParams) -> list[Cluster]:  # fmt: skip
    """Collapse near-duplicates in one cell, then star-cluster its reports at p.min_sim."""
    sub = matrix[rows]
    sims = (sub @ sub.T).tocsr()
    sims.data[sims.data < min(p.min_sim, DUP_COSINE)] = 0
    sims.eliminate_zeros()
    labels = _duplicates(sims, rows, texts, p.dup_threshold)
    order = np.argsort(labels, kind="stable")  # stable: each group's first row leads it
    groups = np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
    reps = np.array([g[0] for g in groups])
    adjacency = sims[reps][:, reps].tocsr()
    adjacency.data[adjacency.data < p.min_sim] = 0
    adjacency.eliminate_zeros()
    degree = np.diff(adjacency.indptr)
    visit = np.lexsort((rows[reps], -degree))  # most neighbours first, then input order
    return [[rows[groups[i]].tolist() for i in star] for star in _stars(adjacency, visit)]


def _buckets(points: np.ndarray, p: ClusterParams) -> list[np.ndarray]:
    """Group points so each is in the buckets of its two nearest centres (one if few)."""
    if len(points) <= p.max_cell:
        return [np.arange(len(points))]
    probes = _nearest(points, _fit_centres(points, -(-len(points) // p.cell)), probes=2)
    flat = probes.ravel()
    owner = np.repeat(np.arange(len(points)), 2)
    order = np.argsort(flat, kind="stable")
    return np.split(owner[order], np.flatnonzero(np.diff(flat[order])) + 1)


def _merge(matrix: Any, clusters: list[Cluster], p: ClusterParams,
           points: Callable[[], np.ndarray]) -> list[Cluster]:  # fmt: skip
    """Star-cluster the stars with 2+ reports at average link >= p.merge_sim.

    Centroids stay sparse (an indicator matrix times the rows), so memory follows the
    words used, not clusters x vocabulary.
    """
    from scipy.sparse import coo_matrix, csr_matrix

    big = [i for i, c in enumerate(clusters) if len(c) > 1]
    if len(big) < 2:
        return clusters
    reps = [[g[0] for g in clusters[i]] for i in big]
    rows = np.repeat(np.arange(len(big)), [len(r) for r in reps])
    indicator = csr_matrix((np.ones(rows.size), (rows, np.concatenate(reps))),
                           shape=(len(big), matrix.shape[0]))  # fmt: skip
    # Mean rows, not normalised centroids: their dot product is the mean pairwise cosine
    # (average link). Normalised centroids average the noise away, so two stars about
    # the same kind of problem in different places looked like one topic.
    centroids = _normalize(indicator, norm="l1") @ matrix
    located = _normalize(indicator @ points()) if len(big) > p.max_cell else np.zeros((len(big), 1))
    edges_a, edges_b = [], []
    for bucket in _buckets(located, p):
        sims = (centroids[bucket] @ centroids[bucket].T).tocoo()
        keep = sims.data >= p.merge_sim
        edges_a.append(bucket[sims.row[keep]])
        edges_b.append(bucket[sims.col[keep]])
    a, b = np.concatenate(edges_a), np.concatenate(edges_b)
    adjacency = coo_matrix((np.ones(a.size), (a, b)), shape=(len(big),) * 2).tocsr()
    visit = sorted(range(len(big)), key=lambda j: (-len(reps[j]), big[j]))  # biggest first
    merged = [[g for j in star for g in clusters[big[j]]] for star in _stars(adjacency, visit)]
    return merged + [c for c in clusters if len(c) == 1]


def cluster_rows(matrix: Any, texts: Sequence[str], params: ClusterParams) -> list[Cluster]:
    """Cluster the rows of an L2-normalised sparse matrix; texts[i] is row i's raw text."""
    n = matrix.shape[0]
    cache: list[np.ndarray] = []

    def points() -> np.ndarray:  # projected lazily: small inputs need no cells at all
        if not cache:
            cache.append(_project(matrix))
        return cache[0]

    cells = [np.arange(n)] if n <= params.max_cell else _split(points(), np.arange(n), params)
    clusters = [c for rows in cells for c in _cell_clusters(matrix, rows, texts, params)]
    return _merge(matrix, clusters, params, points)
