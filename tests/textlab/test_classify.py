from __future__ import annotations

import csv
from pathlib import Path

import pytest

from minyi.textlab.classify import FORMAT_VERSION, UNSURE_BELOW, Model, load, preprocess, train
from tests.textlab.helpers import teddy_file

TRAFFIC = [
    "公交车站点设置不合理，乘客等车难",
    "道路红绿灯时间太短，行人过马路危险",
    "出租车拒载绕路问题严重",
    "高速公路收费站拥堵",
    "公交线路调整后换乘不便",
    "地铁站出口设置不便",
    "客运班车超载",
]
SCHOOL = [
    "学校违规补课收费，家长负担重",
    "幼儿园入园难，学位不足",
    "中学食堂饭菜质量差",
    "教师工资待遇长期拖欠",
    "学生课业负担过重",
    "小学校车安全隐患",
    "大学生助学金发放不及时",
]


@pytest.fixture(scope="module")
def model() -> Model:
    return train(TRAFFIC + SCHOOL, ["交通"] * len(TRAFFIC) + ["教育"] * len(SCHOOL))


def test_it_predicts_labels_with_probabilities(model: Model) -> None:
    [pred] = model.predict(["学校补课收费太高，家长意见大"])
    assert pred.label == "教育"
    assert 0.0 <= pred.confidence <= 1.0
    assert sum(pred.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
    assert model.predict([]) == []


def test_it_ranks_the_top_k_labels_with_probabilities(model: Model) -> None:
    [ranked] = model.top_k(["学校补课收费太高，家长意见大"], k=3)
    assert [label for label, _ in ranked] == ["教育", "交通"]  # only two classes exist
    assert ranked[0][1] >= ranked[1][1] and sum(p for _, p in ranked) == pytest.approx(1.0)
    [pred] = model.predict(["学校补课收费太高，家长意见大"])
    assert ranked[0] == (pred.label, pytest.approx(pred.confidence))
    assert model.top_k([]) == []


def test_it_strips_anonymisation_codes_and_digits() -> None:
    assert preprocess("A3区 用户A00074011 反映 2019年") == "区用户反映0年"


def test_it_saves_atomically_and_loads(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "classifier.pickle"
    model.save(path)
    assert not (tmp_path / "classifier.pickle.part").exists()
    loaded = load(path)
    assert loaded is not None
    assert loaded.predict(["公交车拥堵"])[0].label == model.predict(["公交车拥堵"])[0].label


def test_it_loads_none_when_absent_corrupt_or_outdated(model: Model, tmp_path: Path) -> None:
    assert load(tmp_path / "missing.pickle") is None
    corrupt = tmp_path / "corrupt.pickle"
    corrupt.write_bytes(b"not a pickle at all")
    assert load(corrupt) is None
    import pickle

    old = tmp_path / "old.pickle"
    old.write_bytes(pickle.dumps({"format_version": FORMAT_VERSION - 1, "model": model}))
    assert load(old) is None


def test_it_refuses_a_single_class() -> None:
    with pytest.raises(ValueError):
        train(["甲", "乙"], ["x", "x"])


def test_its_char_ngrams_equal_scikit_learns_tfidf() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from minyi.textlab import classify

    docs = [preprocess(t) for t in TRAFFIC + SCHOOL]
    for low, high in ((1, 2), (1, 3)):
        ours = classify.CharNgrams(low, high).fit(docs[::2]).transform(docs)
        theirs = TfidfVectorizer(
            analyzer="char", ngram_range=(low, high), sublinear_tf=True, min_df=2, max_df=0.5
        )
        reference = theirs.fit(docs[::2]).transform(docs)
        assert ours.shape == reference.shape and ours.nnz == reference.nnz > 0
        for i in range(len(docs)):  # same values; the column order may differ
            assert sorted(ours[i].data) == pytest.approx(sorted(reference[i].data))


def test_its_nb_svm_scores_as_an_svm_on_log_ratio_scaled_features() -> None:
    import numpy as np
    from scipy import sparse
    from sklearn.svm import LinearSVC

    from minyi.textlab import classify

    rng = np.random.default_rng(0)
    x = sparse.random(60, 40, density=0.2, format="csr", random_state=1)
    y = rng.choice(["a", "b", "c"], size=60)
    nb = classify.NbSvm(C=0.5).fit(x, y)
    present = (x > 0).astype(float)
    for k, cls in enumerate(nb.classes_):  # the scale folded into coef_ scores the same
        p = 1 + np.asarray(present[y == cls].sum(0)).ravel()
        q = 1 + np.asarray(present[y != cls].sum(0)).ravel()
        ratio = np.log(p / p.sum()) - np.log(q / q.sum())
        svm = LinearSVC(C=0.5, class_weight="balanced").fit(x.multiply(ratio).tocsr(), y == cls)
        expected = svm.decision_function(x.multiply(ratio).tocsr())
        assert nb.decision_function(x)[:, k] == pytest.approx(expected, abs=1e-6)
    assert list(nb.predict(x)) == list(nb.classes_[nb.decision_function(x).argmax(1)])
    two = classify.NbSvm().fit(x, np.where(y == "a", "a", "b"))
    assert two.decision_function(x).shape == (60,)  # one score, as binary classifiers give


def test_it_averages_an_svm_and_an_nb_svm_each_fitted_once_on_all_texts(model: Model) -> None:
    from minyi.textlab import classify

    vote = model.pipeline.named_steps["clf"]
    assert [name for name, _ in vote.estimators] == ["svm", "nbsvm"]
    for calibrated in vote.estimators_:
        [member] = calibrated.calibrated_classifiers_  # ensemble=False: one, on every text
        assert member.estimator.__class__.__name__ in ("LinearSVC", "NbSvm")
    assert isinstance(vote.estimators_[1].calibrated_classifiers_[0].estimator, classify.NbSvm)


@pytest.fixture(scope="module")
def real() -> tuple[Model, list[str], list[str]]:
    with teddy_file("messages_labeled.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    dev = [r for r in rows if r["split"] == "dev"]
    test = [r for r in rows if r["split"] == "test"]
    trained = train([r["留言文本"] for r in dev], [r["一级标签"] for r in dev])
    return trained, [r["留言文本"] for r in test], [r["一级标签"] for r in test]


def test_it_reaches_macro_f1_on_real_messages(real) -> None:
    from sklearn.metrics import f1_score

    trained, texts, truth = real
    predicted = [p.label for p in trained.predict(texts)]
    # Measured 0.9119 with the SVM + NB-SVM (0.9030 with the SVM alone); issue #16 asks ≥ 0.90.
    assert f1_score(truth, predicted, average="macro") >= 0.90


def test_it_is_right_far_more_often_above_the_unsure_threshold(real) -> None:
    trained, texts, truth = real
    predicted = trained.predict(texts)
    sure = [
        p.label == t for p, t in zip(predicted, truth, strict=True) if p.confidence >= UNSURE_BELOW
    ]
    unsure = [
        p.label == t for p, t in zip(predicted, truth, strict=True) if p.confidence < UNSURE_BELOW
    ]
    # 5×2 CV: 95 % of the suggestions right when sure, 56 % when unsure (docs/textlab.md).
    assert len(unsure) > 0 and sum(sure) / len(sure) >= 0.92
    assert sum(unsure) / len(unsure) <= 0.75
