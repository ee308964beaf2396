"""Bench: hot-topic clustering time and quality on a synthetic corpus with real topic structure.

Run: OMP_NUM_THREADS=1 .venv/bin/python bench/textlab_hot_topics.py [--n 100000]

The corpus (``textlab_corpus.make_topic_corpus``) knows which matter each report is about,
so the bench also checks what the ranking is for: each top cluster should be one matter
(purity), should hold most of that matter's reports (recall), and no matter should appear
twice in the top 10.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from textlab_corpus import TopicReport, make_topic_corpus  # noqa: E402
from textlab_minhash import report  # noqa: E402

from minyi.textlab.hot_topics import Doc, Topic, hot_topics  # noqa: E402


def quality(topics: list[Topic], reports: list[TopicReport]) -> dict[str, object]:
    """Return purity and recall of each top cluster against the planted matters."""
    matter_of = {r.id: r.matter for r in reports}
    totals = Counter(matter_of.values())
    purity, recall, matters = [], [], []
    for topic in topics:
        matter, count = Counter(matter_of[i] for i in topic.ids).most_common(1)[0]
        purity.append(round(count / topic.size, 3))
        recall.append(round(count / totals[matter], 3))
        matters.append(matter)
    return {"top_purity": purity, "top_recall": recall, "top_matters": matters,
            "distinct_matters_in_top": len(set(matters))}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    reports = make_topic_corpus(args.n, seed=11)
    docs = [Doc(r.id, r.title, r.body, r.time, r.author, r.likes) for r in reports]
    out: dict[str, object] = {"cpu_count": os.cpu_count(), "n": args.n}
    t, cpu = time.perf_counter(), time.process_time()
    topics = hot_topics(docs, top=10)
    out["cluster_s"] = round(time.perf_counter() - t, 2)
    # CPU seconds too: the bench machine is shared, so wall time also measures neighbours.
    out["cluster_cpu_s"] = round(time.process_time() - cpu, 2)
    out["top_sizes"] = [topic.size for topic in topics]
    out.update(quality(topics, reports))
    out["top_labels"] = [topic.label for topic in topics[:5]]
    report(out, "textlab_hot_topics")


if __name__ == "__main__":
    main()
