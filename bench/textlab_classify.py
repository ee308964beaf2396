"""Bench: classifier train time and predictions/s on the synthetic corpus.

Run: .venv/bin/python bench/textlab_classify.py [--n 20000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from textlab_corpus import make_corpus  # noqa: E402
from textlab_minhash import report  # noqa: E402

from minyi.textlab.classify import train  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000, help="training reports")
    args = parser.parse_args()
    reports, _ = make_corpus(args.n + 5000, seed=7)
    train_set, test_set = reports[: args.n], reports[args.n :]
    out: dict[str, object] = {"cpu_count": os.cpu_count(), "n_train": args.n}
    t = time.perf_counter()
    model = train([r.title + r.body for r in train_set], [r.label for r in train_set])
    out["train_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    predicted = model.predict([r.title + r.body for r in test_set])
    out["predictions_per_s"] = round(len(test_set) / (time.perf_counter() - t))
    hits = sum(p.label == r.label for p, r in zip(predicted, test_set, strict=True))
    out["synthetic_accuracy"] = round(hits / len(test_set), 4)  # sanity only: labels are easy
    report(out, "textlab_classify")


if __name__ == "__main__":
    main()
