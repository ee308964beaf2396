"""The near-linear clustering of hot topics: cells, duplicates inside them, merges across."""

from __future__ import annotations

import random

from minyi.textlab.cells import ClusterParams, cluster_rows
from minyi.textlab.hot_topics import _vectorise

#: Five matters, each with its own words; every author phrases them a little differently.
MATTERS = {
    "lift": ("青石小区", ["加装电梯", "审批", "住户", "楼道", "电梯井", "业主"]),
    "bus": ("红星村", ["公交", "班次", "站台", "线路", "候车", "乘客"]),
    "food": ("翡翠新村", ["菜市场", "摊位", "卫生", "油烟", "占道", "污水"]),
    "school": ("南岭县", ["校车", "学生", "超载", "安全", "上学", "司机"]),
    "clinic": ("北港街道", ["卫生院", "医生", "药品", "挂号", "排队", "诊室"]),
}
FILLER = ["群众", "反映", "近期", "问题", "情况", "建议", "有关", "部门", "尽快", "解决"]


def _corpus(per_matter: int = 70, seed: int = 7) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for label, (place, words) in MATTERS.items():
        for _ in range(per_matter):
            picked = rng.sample(words, 4) + rng.sample(FILLER, 3)
            rng.shuffle(picked)
            texts.append(f"关于{place}{picked[0]}的问题 {place}" + "，".join(picked))
            labels.append(label)
    copy = texts[3]  # a report sent twice, word for word
    return [*texts, copy], [*labels, labels[3]]


def _clusters(texts: list[str], **params: int) -> list[list[list[int]]]:
    matrix, _ = _vectorise(texts)
    return cluster_rows(matrix, texts, ClusterParams(**params))


def test_small_cells_give_the_same_matters_as_one_cell() -> None:
    texts, labels = _corpus()
    # 351 reports in cells of at most 50 forces the split and the merge across cells.
    for params in ({}, {"cell": 20, "max_cell": 50}):
        clusters = _clusters(texts, **params)
        biggest = sorted(clusters, key=lambda c: -sum(len(g) for g in c))[: len(MATTERS)]
        found = [{labels[i] for group in c for i in group} for c in biggest]
        # Each of the five biggest clusters is one matter, and all five are there.
        assert all(len(matters) == 1 for matters in found), (params, found)
        assert {m for matters in found for m in matters} == set(MATTERS), params
        # And each matter is whole: 70 reports (the copy joins its original's matter).
        assert sorted(sum(len(g) for g in c) for c in biggest) == [70, 70, 70, 70, 71]


def test_every_report_is_in_exactly_one_cluster() -> None:
    texts, _ = _corpus()
    clusters = _clusters(texts, cell=20, max_cell=50)
    rows = sorted(i for c in clusters for group in c for i in group)
    assert rows == list(range(len(texts)))


def test_a_word_for_word_copy_is_collapsed_into_its_original() -> None:
    texts, _ = _corpus()
    copy = len(texts) - 1
    for params in ({}, {"cell": 20, "max_cell": 50}):
        clusters = _clusters(texts, **params)
        [group] = [g for c in clusters for g in c if copy in g]
        assert 3 in group, params
