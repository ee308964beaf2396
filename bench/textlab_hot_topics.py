"""Bench: hot-topic clustering time.

Run: .venv/bin/python bench/textlab_hot_topics.py [--n 100000]
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

from minyi.textlab.hot_topics import Doc, hot_topics  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    reports, _ = make_corpus(args.n, seed=11)
    docs = [Doc(r.id, r.title, r.body, r.time, r.author) for r in reports]
    out: dict[str, object] = {"cpu_count": os.cpu_count(), "n": args.n}
    t = time.perf_counter()
    topics = hot_topics(docs, top=10)
    out["cluster_s"] = round(time.perf_counter() - t, 2)
    out["top_sizes"] = [topic.size for topic in topics]
    out["top_labels"] = [topic.label for topic in topics[:5]]
    report(out, "textlab_hot_topics")


if __name__ == "__main__":
    main()
