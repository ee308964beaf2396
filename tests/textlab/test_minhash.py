from __future__ import annotations

import csv
import random

import numpy as np

from minyi.textlab.minhash import (
    DEFAULT_PARAMS,
    NUM_PERM,
    LSHIndex,
    LSHParams,
    band_keys,
    jaccard,
    near_duplicate_pairs,
    shingles,
    signature,
    signatures,
)
from tests.textlab.helpers import teddy_file

A = "关于老旧小区加装电梯审批难的建议。目前我市老旧小区加装电梯推进缓慢，居民意见较大。"
B = "关于老旧小区加装电梯审批难的建议。目前我市老旧小区加装电梯推进较慢，居民意见较大。"


def test_it_computes_exact_jaccard_of_3grams_ignoring_whitespace() -> None:
    assert jaccard("abcd", "ab cd") == 1.0
    assert jaccard("abcd", "abce") == 1 / 3  # {abc,bcd} vs {abc,bce}
    assert jaccard("", "") == 0.0


def test_it_shingles_short_texts_as_one_gram() -> None:
    assert shingles("好").size == 1
    assert jaccard("好", "好") == 1.0


def test_it_estimates_jaccard_with_signatures() -> None:
    sig_a, sig_b = signatures([A, B])
    assert sig_a.shape == (NUM_PERM,)
    # The estimate's standard error is about sqrt(J(1-J)/128) ~ 0.035.
    assert abs((sig_a == sig_b).mean() - jaccard(A, B)) < 0.15
    assert np.array_equal(signature(A), sig_a)


def test_it_meets_recall_target_on_the_s_curve() -> None:
    assert DEFAULT_PARAMS.probability(0.7) >= 0.98
    assert DEFAULT_PARAMS.bands * DEFAULT_PARAMS.rows <= NUM_PERM
    params = LSHParams.for_threshold(0.5)
    assert params.probability(0.5) >= 0.98


def test_it_returns_int64_band_keys() -> None:
    keys = band_keys(signature(A))
    assert len(keys) == DEFAULT_PARAMS.bands
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert band_keys(signature("")) == []  # empty texts must not collide with each other


def test_it_finds_candidates_in_an_index() -> None:
    index = LSHIndex()
    index.add_many(["a", "c"], [A, "完全不同的另一篇文章，讲的是农村公路养护。"])
    index.add("b", B)
    assert len(index) == 3
    assert {"a", "b"} <= index.candidates(A)
    assert "c" not in index.candidates(A)


def test_it_lists_near_duplicate_pairs_above_threshold_only() -> None:
    docs = {"x": A, "y": B, "z": "农村公路养护资金不足的问题", "e": "", "f": ""}
    pairs = near_duplicate_pairs(docs, 0.7)
    assert [(p.id_a, p.id_b) for p in pairs] == [("x", "y")]
    assert pairs[0].jaccard == jaccard(A, B)


def _brute_force(docs: list[tuple[str, str]], threshold: float) -> set[tuple[str, str]]:
    sets = [shingles(t) for _, t in docs]
    return {
        (docs[i][0], docs[j][0])
        for i in range(len(docs))
        for j in range(i + 1, len(docs))
        if jaccard(sets[i], sets[j]) >= threshold
    }


def test_it_recalls_planted_near_duplicates() -> None:
    rng = random.Random(7)
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    docs = []
    for k in range(60):
        base = "".join(rng.choice(alphabet) for _ in range(200))
        docs.append((f"{k}", base))
        edited = list(base)
        for _ in range(4):  # four substitutions keep J around 0.85-0.9
            edited[rng.randrange(200)] = "X"
        docs.append((f"{k}'", "".join(edited)))
    found = {(p.id_a, p.id_b) for p in near_duplicate_pairs(docs, 0.7)}
    assert found == _brute_force(docs, 0.7)


def test_it_matches_brute_force_on_real_messages() -> None:
    path = teddy_file("hot_messages.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))[:800]
    docs = [(r["留言编号"], r["留言主题"] + r["留言详情"]) for r in rows]
    found = {(p.id_a, p.id_b) for p in near_duplicate_pairs(docs, 0.7)}
    assert found == _brute_force(docs, 0.7)
