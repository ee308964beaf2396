"""Bench: the writing assistant's precision and recall per finding code on labelled drafts.

Run: .venv/bin/python bench/textlab_assistant.py [--drafts DIR] [--out FILE]

DIR holds labelled drafts (default tests/data/assistant_drafts, hand-written for issue #16;
format in its README.md). Prints one line per code, the findings on well-written drafts
(target 0), the machine's core count and the speed; writes the same as JSON.
Targets: precision >= 0.9 and recall >= 0.8 per code, no finding on a well-written draft.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from minyi.textlab.quality_eval import evaluate, load_labelled  # noqa: E402

DEFAULT_DRAFTS = ROOT / "tests" / "data" / "assistant_drafts"
RESULTS = Path(__file__).resolve().parent / "results"
PRECISION, RECALL = 0.9, 0.8


def _say(*parts: str) -> None:
    sys.stdout.write(" ".join(parts) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=Path, default=DEFAULT_DRAFTS)
    parser.add_argument("--out", type=Path, default=RESULTS / "textlab_assistant.json")
    args = parser.parse_args()
    drafts = load_labelled(args.drafts)
    evaluate(drafts[:1])  # load the segmenter's dictionary outside the timing
    started = time.perf_counter()
    result = evaluate(drafts)
    seconds = time.perf_counter() - started
    rows = []
    _say(f"{'code':22} {'support':>7} {'raised':>6} {'precision':>9} {'recall':>6}")
    for code, s in result.scores.items():
        raised = s.true_pos + s.false_pos
        _say(f"{code:22} {s.support:7} {raised:6} {s.precision:9.3f} {s.recall:6.3f}")
        for label, ids in (("  false alarms:", s.false_pos_ids), ("  missed:", s.false_neg_ids)):
            if ids:
                _say(label, " ".join(ids))
        rows.append(
            {"code": code, "support": s.support, "raised": raised,
             "precision": round(s.precision, 4), "recall": round(s.recall, 4),
             "false_alarms": s.false_pos_ids, "missed": s.false_neg_ids}
        )  # fmt: skip
    met = result.findings_on_good == 0 and all(
        r["precision"] >= PRECISION and r["recall"] >= RECALL for r in rows
    )
    _say(
        f"drafts={result.drafts} well_written={result.good_drafts} "
        f"findings_on_well_written={result.findings_on_good} "
        f"({' '.join(result.good_with_findings) or 'none'})"
    )
    _say(f"cpu_count={os.cpu_count()} drafts_per_s={result.drafts / seconds:.0f} targets_met={met}")
    out = {
        "command": "python bench/textlab_assistant.py",
        "drafts_dir": str(
            args.drafts.relative_to(ROOT) if args.drafts.is_relative_to(ROOT) else args.drafts
        ),
        "cpu_count": os.cpu_count(),
        "drafts": result.drafts,
        "well_written": result.good_drafts,
        "findings_on_well_written": result.findings_on_good,
        "drafts_per_s": round(result.drafts / seconds, 1),
        "targets": {"precision": PRECISION, "recall": RECALL, "findings_on_well_written": 0},
        "targets_met": met,
        "codes": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _say(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
