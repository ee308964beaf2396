"""Bench: classifier variants compared on the same folds (issue #16 §2), for docs/textlab.md.

Run: .venv/bin/python bench/textlab_classify_variants.py [variant ...]   (no argument: all)

Screening, cheaper than ``textlab_classify.py real``: each feature block is fitted once — on
the unlabelled corpus (hot_messages + replies, 6,948 messages) plus every labelled text, labels
unused, or (``L_base``) on the labelled texts only — and every variant is a classifier on a
weighted stack of blocks, scored by 5×2 repeated stratified CV on messages_labeled.csv, with
the shifted checks (trained on full texts, tested on the first 18 characters ≈ title only, and
on everything after the 30th ≈ body only). ``fit_cpu_s`` is one fold's classifier fitting.
Blocks: W words, C12 chars 1–2, C3 chars 3, H chars 1–3 of the first 30 characters,
S100/S300 LSA (TruncatedSVD of W fitted on the same corpus), N category-name seeds
(per first-level class of taxonomy.csv, log count of its 517 second/third-level names found).
Writes bench/results/textlab_classify_variants.json.
"""

from __future__ import annotations

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

Blocks = dict[tuple[str, str, str], Any]


def blocks(texts: list[str], unlabelled: list[str]) -> Blocks:
    views = {"full": texts, "title": [t[:TITLE_CHARS] for t in texts],
             "body": [t[BODY_FROM:] for t in texts]}  # fmt: skip
    common = {"sublinear_tf": True, "min_df": 2, "max_df": 0.5}
    specs = {
        "W": (lambda: TfidfVectorizer(analyzer=segment, **common), lambda t: t),
        "C12": (
            lambda: TfidfVectorizer(analyzer="char", ngram_range=(1, 2), **common),
            lambda t: t,
        ),
        "C3": (lambda: TfidfVectorizer(analyzer="char", ngram_range=(3, 3), **common), lambda t: t),
        "H": (
            lambda: TfidfVectorizer(analyzer="char", ngram_range=(1, 3), **common),
            lambda t: t[:30],
        ),
    }
    out: Blocks = {}
    for tag, corpus in (("U", unlabelled + texts), ("L", texts)):
        for name, (make, select) in specs.items():
            vec = make().fit([select(t) for t in corpus])
            for view, xs in views.items():
                out[(tag, name, view)] = vec.transform([select(t) for t in xs]).tocsr()
            if name == "W" and tag == "U":
                for k in (100, 300):
                    svd = TruncatedSVD(k, random_state=0, n_iter=3).fit(vec.transform(corpus))
                    for view in views:
                        dense = normalize(svd.transform(out[(tag, "W", view)]))
                        out[(tag, f"S{k}", view)] = sparse.csr_matrix(dense)
    seeds = category_seeds()
    for view, xs in views.items():
        counts = np.array([[sum(s in t for s in terms) for terms in seeds] for t in xs], float)
        out[("U", "N", view)] = sparse.csr_matrix(normalize(np.log1p(counts)))
    return out


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
    if clf == "svm":
        svm = LinearSVC(C=c, class_weight="balanced")
        return CalibratedClassifierCV(svm, method="sigmoid", cv=3)
    if clf == "lr":
        return LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    return ComplementNB(alpha=c)


BASE = [("W", 1.0), ("C12", 1.0), ("H", 0.5)]
#: name → (description, members: (blocks with weights, classifier, C), fit on "U" or "L").
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
              [(BASE, "svm", 1)], "U", ("title", "body")),
    "U_svm_nb": ("ensemble: calibrated SVM + ComplementNB(W, C12)",
                 [(BASE, "svm", 1), ([("W", 1), ("C12", 1)], "nb", 0.1)], "U"),
}  # fmt: skip


def run(b: Blocks, y: Any, name: str) -> dict[str, object]:
    description, members, tag, *extra = VARIANTS[name]
    augment = ("full", *(extra[0] if extra else ()))
    cv = RepeatedStratifiedKFold(n_splits=2, n_repeats=5, random_state=1)
    scores: dict[str, list[float]] = {"full": [], "title": [], "body": []}
    fit_s: list[float] = []
    for fit_idx, test_idx in cv.split(np.zeros(len(y)), y):
        summed: dict[str, Any] = dict.fromkeys(scores, 0)
        t = time.process_time()
        for parts, clf, c in members:

            def stack(view: str, parts: list[tuple[str, float]] = parts) -> Any:
                return sparse.hstack([w * b[(tag, p, view)] for p, w in parts]).tocsr()

            fit_x = sparse.vstack([stack(view)[fit_idx] for view in augment])
            model = make(clf, c).fit(fit_x.tocsr(), np.tile(y[fit_idx], len(augment)))
            for view in scores:
                summed[view] = summed[view] + model.predict_proba(stack(view)[test_idx])
        fit_s.append(time.process_time() - t)
        for view in scores:
            predicted = model.classes_[summed[view].argmax(1)]
            scores[view].append(f1_score(y[test_idx], predicted, average="macro"))
    out = {"variant": name, "what": description,
           "cv_macro_f1": f"{np.mean(scores['full']):.4f} ± {np.std(scores['full']):.4f}",
           "title_only": round(float(np.mean(scores["title"])), 4),
           "body_only": round(float(np.mean(scores["body"])), 4),
           "fit_cpu_s": round(float(np.mean(fit_s)), 1)}  # fmt: skip
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return out


def main() -> None:
    names = sys.argv[1:] or list(VARIANTS)
    rows = read("messages_labeled.csv")
    texts = [preprocess(r["留言文本"]) for r in rows]
    y = np.array([r["一级标签"] for r in rows])
    b = blocks(texts, [preprocess(t) for t in unlabelled_corpus(texts)])
    report(
        {"cv": "5x2 repeated stratified", "results": [run(b, y, n) for n in names]},
        "textlab_classify_variants",
    )


if __name__ == "__main__":
    main()
