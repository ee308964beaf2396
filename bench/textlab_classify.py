"""Bench: the category classifier on real messages, and its speed on the synthetic corpus.

Run (the data are read from ``../shared/data`` or ``$MINYI_SHARED_DATA``; one core for BLAS
too, so that texts/s is one core's):
  export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
  .venv/bin/python bench/textlab_classify.py real [--repeats 5 --splits 2] [--with-unlabelled]
                                                  [--tag _10fold]
  .venv/bin/python bench/textlab_classify.py synthetic [--n 20000]

``real`` trains ``minyi.textlab.classify.train`` exactly as the product does, on teddy2020's
``messages_labeled.csv`` (``--with-unlabelled``: vocabulary and IDF also fitted on
``hot_messages.csv`` + ``replies.csv``, 6,948 further messages):
repeated stratified cross-validation (each fold fits everything again, the vocabulary
included), shifted checks on the same folds (the model trained on full texts, tested on the
title zone only and on the body only), the dev → test split, training time, texts/s on one
core (CPU time, segmentation included) and a calibration table: how often the top suggestion
was right per confidence band, which sets ``classify.UNSURE_BELOW``.
Writes bench/results/textlab_classify_real[_with_unlabelled].json or textlab_classify.json.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from textlab_minhash import report  # noqa: E402

from minyi.textlab.classify import UNSURE_BELOW, preprocess, train  # noqa: E402

#: The labelled text is title + body joined without a separator. Titles are 14–26
#: characters (10th–90th percentile in hot_messages.csv), so the first 18 characters stand
#: for "title only" and everything after the 30th for "body only".
TITLE_CHARS, BODY_FROM = 18, 30
BANDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def teddy() -> Path:
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    return Path(os.environ.get("MINYI_SHARED_DATA", default)) / "teddy2020"


def read(name: str) -> list[dict[str, str]]:
    with (teddy() / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def unlabelled_corpus(labelled: list[str]) -> list[str]:
    """Titles + bodies of hot_messages and replies, without texts already labelled."""
    seen = {preprocess(t) for t in labelled}
    out = []
    for name in ("hot_messages.csv", "replies.csv"):
        for row in read(name):
            text = row["留言主题"] + row["留言详情"]
            key = preprocess(text)
            if key not in seen:
                seen.add(key)
                out.append(text)
    return out


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, average="macro", zero_division=0))


def cross_validate(texts, labels, unlabelled, repeats: int, splits: int) -> dict[str, object]:
    import numpy as np
    from sklearn.model_selection import RepeatedStratifiedKFold

    cv = RepeatedStratifiedKFold(n_splits=splits, n_repeats=repeats, random_state=1)
    scores: dict[str, list[float]] = {"full": [], "title": [], "body": []}
    train_s: list[float] = []
    confident: list[tuple[float, bool]] = []
    in_top3: list[bool] = []
    for fit_idx, test_idx in cv.split(np.zeros(len(labels)), labels):
        t = time.process_time()
        fit_texts, fit_labels = [texts[i] for i in fit_idx], [labels[i] for i in fit_idx]
        model = train(fit_texts, fit_labels, unlabelled=unlabelled)
        train_s.append(time.process_time() - t)
        truth = [labels[i] for i in test_idx]
        views = {
            "full": [texts[i] for i in test_idx],
            "title": [texts[i][:TITLE_CHARS] for i in test_idx],
            "body": [texts[i][BODY_FROM:] for i in test_idx],
        }
        for view, xs in views.items():
            predicted = model.predict(xs)
            scores[view].append(macro_f1(truth, [p.label for p in predicted]))
            if view == "full":
                pairs = list(zip(predicted, truth, strict=True))
                confident += [(p.confidence, p.label == t) for p, t in pairs]
                in_top3 += [t in _top(p.probabilities, 3) for p, t in pairs]
        line = " ".join(f"{k}={v[-1]:.4f}" for k, v in scores.items())
        sys.stdout.write(f"fold {len(train_s)}: {line}\n")
        sys.stdout.flush()
    out: dict[str, object] = {
        f"cv_{view}_macro_f1": f"{np.mean(v):.4f} ± {np.std(v):.4f}" for view, v in scores.items()
    }
    out["cv_true_category_in_top3"] = round(sum(in_top3) / len(in_top3), 4)
    out["cv_train_cpu_s_mean"] = round(float(np.mean(train_s)), 1)
    out["calibration"] = calibration(confident)
    return out


def _top(probabilities: dict[str, float], k: int) -> list[str]:
    return sorted(probabilities, key=probabilities.__getitem__, reverse=True)[:k]


def calibration(pairs: list[tuple[float, bool]]) -> list[dict[str, object]]:
    """Share of texts and accuracy of the top suggestion per confidence band."""
    rows = []
    for low, high in zip(BANDS, BANDS[1:], strict=False):
        hits = [ok for conf, ok in pairs if low <= conf < high]
        if hits:
            share, accuracy = round(len(hits) / len(pairs), 3), round(sum(hits) / len(hits), 3)
            band = f"{low:.1f}–{min(high, 1.0):.1f}"
            rows.append({"band": band, "share": share, "accuracy": accuracy})
    below = [ok for conf, ok in pairs if conf < UNSURE_BELOW]
    above = [ok for conf, ok in pairs if conf >= UNSURE_BELOW]
    rows.append({"unsure_below": UNSURE_BELOW, "share_unsure": round(len(below) / len(pairs), 3),
                 "accuracy_when_unsure": round(sum(below) / max(1, len(below)), 3),
                 "accuracy_when_sure": round(sum(above) / max(1, len(above)), 3)})  # fmt: skip
    return rows


def real(args: argparse.Namespace) -> None:
    rows = read("messages_labeled.csv")
    texts, labels = [r["留言文本"] for r in rows], [r["一级标签"] for r in rows]
    unlabelled = unlabelled_corpus(texts) if args.with_unlabelled else []
    out: dict[str, object] = {"cpu_count": os.cpu_count(), "load_avg": os.getloadavg()[0]}
    out["labelled"], out["unlabelled"] = len(texts), len(unlabelled)
    out["cv"] = f"{args.repeats}x{args.splits} repeated stratified"
    out.update(cross_validate(texts, labels, unlabelled, args.repeats, args.splits))
    dev = [i for i, r in enumerate(rows) if r["split"] == "dev"]
    test = [i for i, r in enumerate(rows) if r["split"] == "test"]
    t, wall = time.process_time(), time.perf_counter()
    model = train([texts[i] for i in dev], [labels[i] for i in dev], unlabelled=unlabelled)
    out["train_dev_cpu_s"] = round(time.process_time() - t, 1)
    out["train_dev_wall_s"] = round(time.perf_counter() - wall, 1)
    test_texts = [texts[i] for i in test]
    t, wall = time.process_time(), time.perf_counter()
    predicted = model.predict(test_texts)
    out["texts_per_s_one_core_cpu"] = round(len(test) / (time.process_time() - t))
    out["texts_per_s_wall"] = round(len(test) / (time.perf_counter() - wall))
    f1 = macro_f1([labels[i] for i in test], [p.label for p in predicted])
    out["test_split_macro_f1"] = round(f1, 4)
    name = "textlab_classify_real" + ("_with_unlabelled" if args.with_unlabelled else "")
    report(out, name + args.tag)


def synthetic(args: argparse.Namespace) -> None:
    from textlab_corpus import make_corpus

    reports, _ = make_corpus(args.n + 5000, seed=7)
    train_set, test_set = reports[: args.n], reports[args.n :]
    out: dict[str, object] = {"cpu_count": os.cpu_count(), "n_train": args.n}
    out["load_avg"] = os.getloadavg()[0]
    t, cpu = time.perf_counter(), time.process_time()
    model = train([r.title + r.body for r in train_set], [r.label for r in train_set])
    out["train_s"] = round(time.perf_counter() - t, 2)
    out["train_cpu_s"] = round(time.process_time() - cpu, 2)
    t, cpu = time.perf_counter(), time.process_time()
    predicted = model.predict([r.title + r.body for r in test_set])
    out["predictions_per_s"] = round(len(test_set) / (time.perf_counter() - t))
    out["predictions_per_s_one_core_cpu"] = round(len(test_set) / (time.process_time() - cpu))
    hits = sum(p.label == r.label for p, r in zip(predicted, test_set, strict=True))
    out["synthetic_accuracy"] = round(hits / len(test_set), 4)  # sanity only: labels are easy
    report(out, "textlab_classify")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("real", help="cross-validation, shifted checks and speed on teddy2020")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--splits", type=int, default=2)
    p.add_argument("--with-unlabelled", action="store_true", help="vocabulary + IDF also from them")
    p.add_argument("--tag", default="", help="suffix of the result file name, e.g. _10fold")
    p.set_defaults(func=real)
    p = sub.add_parser("synthetic", help="training time and texts/s on the synthetic corpus")
    p.add_argument("--n", type=int, default=20_000, help="training reports")
    p.set_defaults(func=synthetic)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
