"""Bench: segmentation speed, MinHash signatures, LSH query time, planted-pair recall.

Run: .venv/bin/python bench/textlab_minhash.py [--n 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from textlab_corpus import make_corpus  # noqa: E402

from minyi.textlab.minhash import LSHIndex, near_duplicate_pairs, signatures  # noqa: E402
from minyi.textlab.segment import segment  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    out: dict[str, object] = {"cpu_count": os.cpu_count(), "n": args.n}
    reports, planted = make_corpus(args.n)
    texts = [r.title + r.body for r in reports]
    out["mean_chars"] = round(sum(map(len, texts)) / len(texts), 1)

    sample = texts[:5000]
    t = time.perf_counter()
    for text in sample:
        segment(text)
    out["segment_chars_per_s"] = round(sum(map(len, sample)) / (time.perf_counter() - t))

    t = time.perf_counter()
    signatures(texts)
    out["signature_docs_per_s"] = round(len(texts) / (time.perf_counter() - t))

    index = LSHIndex()
    t = time.perf_counter()
    index.add_many([r.id for r in reports], texts)
    out["index_build_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    for text in texts[:200]:
        index.candidates(text)
    out["query_ms_one_doc_vs_index"] = round((time.perf_counter() - t) / 200 * 1000, 3)

    t = time.perf_counter()
    pairs = near_duplicate_pairs([(r.id, r.title + r.body) for r in reports], 0.7)
    out["all_pairs_s"] = round(time.perf_counter() - t, 2)
    found = {(p.id_a, p.id_b) for p in pairs} | {(p.id_b, p.id_a) for p in pairs}
    out["planted_pairs"] = len(planted)
    out["planted_recall"] = round(sum(p in found for p in planted) / max(1, len(planted)), 4)
    out["pairs_found"] = len(pairs)  # precision is 1.0 by construction (exact check)
    report(out, "textlab_minhash")


def report(out: dict[str, object], name: str) -> None:
    for key, value in out.items():
        sys.stdout.write(f"{key}: {value}\n")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
