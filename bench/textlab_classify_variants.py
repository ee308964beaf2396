"""Bench: classifier variants compared on the same folds (issue #16 §2), for docs/textlab.md.

Run: .venv/bin/python bench/textlab_classify_variants.py [variant ...] [--reference L_base]
         [--splits 2 --repeats 5] [--out textlab_classify_variants]   (no variant: all)

Screening, cheaper than ``textlab_classify.py real``: each feature block is fitted once — on
the unlabelled corpus (hot_messages + replies, 6,948 messages) plus every labelled text, labels
unused (variants ``U_…``), or on the labelled texts only (``L_…``) — and every variant is a
classifier on a weighted stack of blocks, scored by 5×2 repeated stratified CV on
messages_labeled.csv, with the shifted checks (trained on full texts, tested on the first 18
characters ≈ title only, and on everything after the 30th ≈ body only). ``fit_cpu_s`` is one
fold's classifier fitting (self-training included). Every fold's macro-F1 is kept, and each
variant gets its paired differences against ``--reference`` on the same folds (``diff_cv``,
``diff_title``, ``diff_body``: mean ± sd over the folds), which the folds' own spread does not
blur. Blocks: W words, B word bigrams, WB words 1–2, C12 chars 1–2, C3 chars 3, H chars 1–3 of
the first 30 characters (suffixes ``lin``, ``m1``, ``x9``: see ``SPECS``), S100/S300 LSA
(TruncatedSVD of W fitted on the same corpus), N category-name seeds (per first-level class of
taxonomy.csv, log count of its 517 second/third-level names found). Self-training variants
label the unlabelled messages with the fold's model (``fit_member``).
Writes bench/results/<--out>.json.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.base import BaseEstimator, ClassifierMixin  # noqa: E402
from sklearn.calibration import CalibratedClassifierCV  # noqa: E402
from sklearn.decomposition import TruncatedSVD  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import RepeatedStratifiedKFold  # noqa: E402
from sklearn.naive_bayes import ComplementNB  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402
from textlab_classify import BODY_FROM, TITLE_CHARS, read, unlabelled_corpus  # noqa: E402
from textlab_minhash import report  # noqa: E402

from minyi.textlab.classify import preprocess  # noqa: E402
from minyi.textlab.segment import segment  # noqa: E402


class Blocks:
    """Feature blocks by (corpus tag, block name, view), each fitted on first use.

    Views: the labelled texts full, title-only and body-only, and ``unl`` the unlabelled
    messages (what self-training labels). Tag ``U`` fits vocabulary and IDF on unlabelled +
    labelled texts, ``L`` on the labelled texts only.
    """

    def __init__(self, texts: list[str], unlabelled: list[str]) -> None:
        self.views = {"full": texts, "title": [t[:TITLE_CHARS] for t in texts],
                      "body": [t[BODY_FROM:] for t in texts], "unl": unlabelled}  # fmt: skip
        self.corpus = {"U": unlabelled + texts, "L": texts}
        self.cache: dict[tuple[str, str, str], Any] = {}

    def __getitem__(self, key: tuple[str, str, str]) -> Any:
        if key not in self.cache:
            self._fit(*key[:2])
        return self.cache[key]

    def _fit(self, tag: str, name: str) -> None:
        if name in ("S100", "S300"):
            vec = _vectorizer("W")
            x = vec.fit_transform(self.corpus[tag])
            svd = TruncatedSVD(int(name[1:]), random_state=0, n_iter=3).fit(x)
            for view, xs in self.views.items():
                self.cache[(tag, name, view)] = sparse.csr_matrix(
                    normalize(svd.transform(vec.transform(xs)))
                )
            return
        if name == "N":
            seeds = category_seeds()
            for view, xs in self.views.items():
                counts = np.array(
                    [[sum(s in t for s in terms) for terms in seeds] for t in xs], float
                )
                self.cache[(tag, name, view)] = sparse.csr_matrix(normalize(np.log1p(counts)))
            return
        vec = _vectorizer(name).fit(self.corpus[tag])
        for view, xs in self.views.items():
            self.cache[(tag, name, view)] = vec.transform(xs).tocsr()


#: Word segmentation is the slow part of the word blocks: once per distinct text.
_segment = functools.lru_cache(maxsize=None)(segment)


def _bigrams(text: str) -> list[str]:
    words = _segment(text)
    return [a + " " + b for a, b in zip(words, words[1:], strict=False)]


def _uni_bigrams(text: str) -> list[str]:
    return list(_segment(text)) + _bigrams(text)


def _head(text: str) -> str:
    return text[:30]


#: name → (analyzer, char n-gram range or None, text selector, TF-IDF options beyond the
#: default sublinear tf, min_df 2, max_df 0.5). Suffix ``lin``: raw tf, ``m1``: min_df 1,
#: ``x9``: max_df 0.9.
SPECS: dict[str, tuple[Any, Any, Any, dict[str, Any]]] = {
    "W": (_segment, None, None, {}),
    "Wlin": (_segment, None, None, {"sublinear_tf": False}),
    "Wm1": (_segment, None, None, {"min_df": 1}),
    "Wx9": (_segment, None, None, {"max_df": 0.9}),
    "B": (_bigrams, None, None, {}),
    "WB": (_uni_bigrams, None, None, {}),
    "C12": ("char", (1, 2), None, {}),
    "C12lin": ("char", (1, 2), None, {"sublinear_tf": False}),
    "C12x9": ("char", (1, 2), None, {"max_df": 0.9}),
    "C3": ("char", (3, 3), None, {}),
    "H": ("char", (1, 3), _head, {}),
}


def _vectorizer(name: str) -> Any:
    analyzer, ngrams, select, extra = SPECS[name]
    options = {"sublinear_tf": True, "min_df": 2, "max_df": 0.5, **extra}
    if ngrams:
        options["ngram_range"] = ngrams
    if select:  # a callable analyzer would skip the preprocessor: only char blocks select
        options["preprocessor"] = lambda t: select(t).lower()
    return TfidfVectorizer(analyzer=analyzer, **options)


def category_seeds() -> list[set[str]]:
    """Per first-level class, the parts of its second/third-level names (其他 left out)."""
    terms: dict[str, set[str]] = {}
    for row in read("taxonomy.csv"):
        bag = terms.setdefault(row["一级分类"], set())
        for name in (row["二级分类"], row["三级分类"]):
            bag.update(
                p for p in re.split(r"[和与及、/（）()]", name) if len(p) >= 2 and p != "其他"
            )
    return [terms[c] for c in sorted(terms)]


def make(clf: str, c: float) -> Any:
    """The classifier by name: ``svm`` is the product's (balanced LinearSVC, sigmoid, 3 folds)."""
    balanced = None if clf == "svm_nobal" else "balanced"
    if clf.startswith("svm"):
        svm = LinearSVC(C=c, class_weight=balanced)
        if clf == "svm_raw":
            return svm
        method = "isotonic" if clf == "svm_iso" else "sigmoid"
        folds = 5 if clf in ("svm5", "svm_e0_5") else 3
        # ensemble=False: one SVM on all the training texts, calibrated on out-of-fold scores
        ensemble = not clf.startswith("svm_e0")
        return CalibratedClassifierCV(svm, method=method, cv=folds, ensemble=ensemble)
    if clf.startswith("nbsvm"):
        nb = NbSvm(c)
        return CalibratedClassifierCV(nb, method="sigmoid", cv=3, ensemble=clf != "nbsvm_e0")
    if clf == "lr":
        return LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    return ComplementNB(alpha=c)


class NbSvm(ClassifierMixin, BaseEstimator):
    """NB-SVM (Wang & Manning 2012), one against the rest: per class, each feature is scaled
    by the log-ratio of its (smoothed) document frequency in the class against the rest
    before a linear SVM on the TF-IDF features."""

    def __init__(self, c: float = 1.0, alpha: float = 1.0) -> None:
        self.c, self.alpha = c, alpha

    def fit(self, x: Any, y: Any, sample_weight: Any = None) -> NbSvm:
        self.classes_ = np.unique(y)
        w = np.ones(len(y)) if sample_weight is None else sample_weight
        present = (x > 0).astype(float).tocsr()
        self.ratios_, self.svms_ = [], []
        for cls in self.classes_:
            mine = y == cls
            p = self.alpha + np.asarray(present[mine].T @ w[mine]).ravel()
            q = self.alpha + np.asarray(present[~mine].T @ w[~mine]).ravel()
            r = np.log((p / p.sum()) / (q / q.sum()))
            svm = LinearSVC(C=self.c, class_weight="balanced")
            self.svms_.append(svm.fit(x.multiply(r).tocsr(), mine, sample_weight=w))
            self.ratios_.append(r)
        return self

    def decision_function(self, x: Any) -> Any:
        pairs = zip(self.svms_, self.ratios_, strict=True)
        return np.column_stack([s.decision_function(x.multiply(r).tocsr()) for s, r in pairs])

    def predict(self, x: Any) -> Any:
        return self.classes_[self.decision_function(x).argmax(1)]


def proba(model: Any, x: Any) -> Any:
    if hasattr(model, "predict_proba"):
        return model.predict_proba(x)
    score = model.decision_function(x)  # an uncalibrated SVM: a softmax keeps the argmax
    score = np.exp(score - score.max(1, keepdims=True))
    return score / score.sum(1, keepdims=True)


BASE = [("W", 1.0), ("C12", 1.0), ("H", 0.5)]
BIG = [("WB", 1.0), ("C12", 1.0), ("H", 0.5)]


def self_trained(threshold: float, weight: float = 1.0, rounds: int = 1, cap: float = 0) -> dict:
    """Options of a self-training variant (see ``fit_member``)."""
    return {"self": {"threshold": threshold, "weight": weight, "rounds": rounds, "cap": cap}}


#: name → (description, members: (blocks with weights, classifier, C), fit on "U" or "L",
#: options: ``augment`` views added to training, ``self`` self-training settings).
VARIANTS: dict[str, tuple[Any, ...]] = {
    "L_base": ("today's features, vocabulary from labelled texts only", [(BASE, "svm", 1)], "L"),
    "U_base": ("today's features, vocabulary + IDF also from unlabelled", [(BASE, "svm", 1)], "U"),
    "U_S100": ("+ LSA 100 dims from unlabelled", [(BASE + [("S100", 1)], "svm", 1)], "U"),
    "U_S300": ("+ LSA 300 dims from unlabelled", [(BASE + [("S300", 1)], "svm", 1)], "U"),
    "U_S300w": ("+ LSA 300 dims at weight 0.3", [(BASE + [("S300", 0.3)], "svm", 1)], "U"),
    "U_N": ("+ category-name seeds", [(BASE + [("N", 1)], "svm", 1)], "U"),
    "U_Nw": ("+ category-name seeds at weight 0.3", [(BASE + [("N", 0.3)], "svm", 1)], "U"),
    "U_C3": ("+ whole-text char 3-grams at 0.5", [(BASE + [("C3", 0.5)], "svm", 1)], "U"),
    "U_H1": ("title zone at weight 1", [([("W", 1), ("C12", 1), ("H", 1)], "svm", 1)], "U"),
    "U_C05": ("SVM C=0.5", [(BASE, "svm", 0.5)], "U"),
    "U_C2": ("SVM C=2", [(BASE, "svm", 2)], "U"),
    "U_lr": ("logistic regression C=10 instead of SVM", [(BASE, "lr", 10)], "U"),
    "U_views": ("ensemble: one calibrated SVM per view (W, C12, H), probabilities averaged",
                [([("W", 1)], "svm", 1), ([("C12", 1)], "svm", 1), ([("H", 1)], "svm", 1)], "U"),
    "U_aug": ("training set + its title-only and body-only copies (augmentation)",
              [(BASE, "svm", 1)], "U", {"augment": ("title", "body")}),
    "U_svm_nb": ("ensemble: calibrated SVM + ComplementNB(W, C12)",
                 [(BASE, "svm", 1), ([("W", 1), ("C12", 1)], "nb", 0.1)], "U"),
    # Session 3 (issue #16 §2, second pass): self-training, word bigrams, TF-IDF and
    # calibration settings.
    "L_self90": ("self-training: + unlabelled messages predicted at ≥ 0.9, 1 round",
                 [(BASE, "svm", 1)], "L", self_trained(0.9)),
    "U_self90": ("same, vocabulary + IDF also from unlabelled",
                 [(BASE, "svm", 1)], "U", self_trained(0.9)),
    "U_self95": ("self-training at ≥ 0.95", [(BASE, "svm", 1)], "U", self_trained(0.95)),
    "U_self90w": ("self-training at ≥ 0.9, pseudo-labelled at weight 0.3",
                  [(BASE, "svm", 1)], "U", self_trained(0.9, 0.3)),
    "U_self90cap": ("self-training at ≥ 0.9, at most as many per class as labelled",
                    [(BASE, "svm", 1)], "U", self_trained(0.9, cap=1.0)),
    "U_self90r2": ("self-training at ≥ 0.9, 2 rounds", [(BASE, "svm", 1)], "U",
                   self_trained(0.9, rounds=2)),
    "U_self80w": ("self-training at ≥ 0.8, weight 0.3", [(BASE, "svm", 1)], "U",
                  self_trained(0.8, 0.3)),
    "L_B05": ("+ word bigrams at 0.5", [(BASE + [("B", 0.5)], "svm", 1)], "L"),
    "L_B1": ("+ word bigrams at 1", [(BASE + [("B", 1)], "svm", 1)], "L"),
    "L_WB": ("words 1–2 in one block instead of words", [(BIG, "svm", 1)], "L"),
    "L_Wlin": ("raw tf (not sublinear) for words and chars",
               [([("Wlin", 1), ("C12lin", 1), ("H", 0.5)], "svm", 1)], "L"),
    "L_Wm1": ("words with min_df 1", [([("Wm1", 1), ("C12", 1), ("H", 0.5)], "svm", 1)], "L"),
    "L_x9": ("max_df 0.9 for words and chars",
             [([("Wx9", 1), ("C12x9", 1), ("H", 0.5)], "svm", 1)], "L"),
    "L_e0": ("calibration: one SVM on all training texts (ensemble=False)",
             [(BASE, "svm_e0", 1)], "L"),
    "L_e0_C05": ("ensemble=False, C=0.5", [(BASE, "svm_e0", 0.5)], "L"),
    "L_e0_C2": ("ensemble=False, C=2", [(BASE, "svm_e0", 2)], "L"),
    "L_e0_5": ("ensemble=False, calibrated on 5 folds", [(BASE, "svm_e0_5", 1)], "L"),
    "L_e0_WB": ("ensemble=False, words 1–2 in one block", [(BIG, "svm_e0", 1)], "L"),
    "L_e0_Wm1": ("ensemble=False, words with min_df 1",
                 [([("Wm1", 1), ("C12", 1), ("H", 0.5)], "svm_e0", 1)], "L"),
    "U_e0": ("ensemble=False, vocabulary + IDF also from unlabelled", [(BASE, "svm_e0", 1)], "U"),
    "L_nbsvm": ("NB-SVM: per class, features scaled by their class log-ratio",
                [(BASE, "nbsvm", 1)], "L"),
    "L_nbsvm_e0": ("NB-SVM, ensemble=False", [(BASE, "nbsvm_e0", 1)], "L"),
    "L_nbsvm_e0_C03": ("NB-SVM, ensemble=False, C=0.3", [(BASE, "nbsvm_e0", 0.3)], "L"),
    "L_svm_nbsvm_e0": ("ensemble=False: SVM + NB-SVM (C=0.3), probabilities averaged",
                       [(BASE, "svm_e0", 1), (BASE, "nbsvm_e0", 0.3)], "L"),
    "L_cal5": ("calibration with 5 folds (each SVM sees 4/5)", [(BASE, "svm5", 1)], "L"),
    "L_iso": ("isotonic calibration", [(BASE, "svm_iso", 1)], "L"),
    "L_raw": ("uncalibrated SVM (argmax of its scores)", [(BASE, "svm_raw", 1)], "L"),
    "L_nobal": ("class_weight None", [(BASE, "svm_nobal", 1)], "L"),
}  # fmt: skip


def fit_member(b: Blocks, y: Any, fit_idx: Any, member: tuple, tag: str, options: dict) -> Any:
    """Fit one member; with ``self`` options also self-train on the unlabelled messages:
    label them with the model, add those at ``threshold`` or above (per class at most ``cap``
    × its labelled count, the most confident first; 0 = no cap) at ``weight``, refit;
    each further round relabels all of them with the newest model."""
    parts, clf, c = member
    x = stack(b, tag, parts, "full")[fit_idx]
    views = options.get("augment", ())
    x = sparse.vstack([x] + [stack(b, tag, parts, v)[fit_idx] for v in views]).tocsr()
    labels = np.tile(y[fit_idx], 1 + len(views))
    model = make(clf, c).fit(x, labels)
    st = options.get("self")
    if not st:
        return model, 0
    unl = stack(b, tag, parts, "unl")
    for _ in range(st["rounds"]):
        p = proba(model, unl)
        conf, guess = p.max(1), model.classes_[p.argmax(1)]
        keep = np.flatnonzero(conf >= st["threshold"])
        if st["cap"]:
            kept = []
            for cls in model.classes_:
                mine = keep[guess[keep] == cls]
                limit = int(st["cap"] * np.sum(labels == cls))
                kept.append(mine[np.argsort(-conf[mine])][:limit])
            keep = np.sort(np.concatenate(kept))
        weights = np.concatenate([np.ones(len(labels)), np.full(len(keep), st["weight"])])
        model = make(clf, c).fit(
            sparse.vstack([x, unl[keep]]).tocsr(),
            np.concatenate([labels, guess[keep]]),
            sample_weight=weights,
        )
    return model, len(keep)


def stack(b: Blocks, tag: str, parts: list[tuple[str, float]], view: str) -> Any:
    return sparse.hstack([w * b[(tag, p, view)] for p, w in parts]).tocsr()


#: (folds, repeats) of the cross-validation; 2×5 unless ``--splits``/``--repeats`` say otherwise.
SPLITS = [2, 5]


def run(b: Blocks, y: Any, name: str) -> tuple[dict[str, object], dict[str, list[float]]]:
    description, members, tag, *extra = VARIANTS[name]
    options = extra[0] if extra else {}
    cv = RepeatedStratifiedKFold(n_splits=SPLITS[0], n_repeats=SPLITS[1], random_state=1)
    scores: dict[str, list[float]] = {"full": [], "title": [], "body": []}
    fit_s: list[float] = []
    added: list[int] = []
    for fit_idx, test_idx in cv.split(np.zeros(len(y)), y):
        summed: dict[str, Any] = dict.fromkeys(scores, 0)
        t = time.process_time()
        for member in members:
            model, n_added = fit_member(b, y, fit_idx, member, tag, options)
            added.append(n_added)
            for view in scores:
                x = stack(b, tag, member[0], view)[test_idx]
                summed[view] = summed[view] + proba(model, x)
        fit_s.append(time.process_time() - t)
        for view in scores:
            predicted = model.classes_[summed[view].argmax(1)]
            scores[view].append(f1_score(y[test_idx], predicted, average="macro"))
    out = {"variant": name, "what": description,
           "cv_macro_f1": f"{np.mean(scores['full']):.4f} ± {np.std(scores['full']):.4f}",
           "title_only": round(float(np.mean(scores["title"])), 4),
           "body_only": round(float(np.mean(scores["body"])), 4),
           "fit_cpu_s": round(float(np.mean(fit_s)), 1)}  # fmt: skip
    if options.get("self"):
        out["pseudo_labelled_mean"] = round(float(np.mean(added)))
    out["per_fold_full"] = [round(v, 4) for v in scores["full"]]
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return out, scores


def paired(out: dict[str, object], scores: dict, base: dict) -> None:
    """Per-fold differences against the reference variant on the same folds."""
    for view, key in (("full", "diff_cv"), ("title", "diff_title"), ("body", "diff_body")):
        d = np.array(scores[view]) - np.array(base[view])
        out[key] = f"{d.mean():+.4f} ± {d.std():.4f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variants", nargs="*", help="names from VARIANTS (none: all)")
    parser.add_argument("--reference", default="L_base", help="variant for paired differences")
    parser.add_argument("--out", default="textlab_classify_variants", help="result file name")
    parser.add_argument("--splits", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    SPLITS[:] = [args.splits, args.repeats]
    names = args.variants or list(VARIANTS)
    if args.reference not in names:
        names = [args.reference, *names]
    rows = read("messages_labeled.csv")
    texts = [preprocess(r["留言文本"]) for r in rows]
    y = np.array([r["一级标签"] for r in rows])
    b = Blocks(texts, [preprocess(t) for t in unlabelled_corpus(texts)])
    runs = {name: run(b, y, name) for name in names}
    for name, (out, scores) in runs.items():
        if name != args.reference:
            paired(out, scores, runs[args.reference][1])
    results = [out for out, _ in runs.values()]
    cv = f"{args.repeats}x{args.splits} repeated stratified"
    report({"cv": cv, "reference": args.reference, "results": results}, args.out)


if __name__ == "__main__":
    main()
